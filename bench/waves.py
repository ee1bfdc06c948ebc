"""Benchmark: plan 10,000 VMs on 200 hosts (with app labels, vApps, DRS affinity rules and
shared disks) into windowed waves, then emit the MTV GitOps tree.

Prints seconds for plan and emit, and a baseline measured in the same run: loading the same
inventory back from the store (what every command pays before it starts). Goal: plan + emit
<= 10 s.

    python bench/waves.py [--vms 10000] [--hosts 200]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from factory.model import VM, AffinityRule, Cluster, Datastore, Disk, Host, Inventory, Network, Nic, Source, SourceKind
from factory.store import Store
from factory.target import MappingFile, TargetProfile
from factory.waves import PlanSettings, WavesDocument, build_windows, plan_waves
from mappings import build_tree, write_tree

GIB = 1 << 30


def estate(vms: int, hosts: int) -> Inventory:
    items = []
    for i in range(vms):
        disks = [
            Disk(key="2000", file=f"[ds{i % 8}] vm{i}/vm{i}.vmdk", capacity_bytes=80 * GIB,
                 used_bytes=(10 + i % 60) * GIB, datastore=f"datastore-{i % 8}"),
        ]  # fmt: skip
        if i % 50 == 0:  # clustered pairs share a quorum disk
            disks.append(
                Disk(key="2001", file=f"[ds0] quorum{i // 100}.vmdk", capacity_bytes=GIB, datastore="datastore-0")
            )
        items.append(
            VM(
                id=f"vm-{i}", source="vc-bench", name=f"vm{i:05d}", host=f"host-{i % hosts}", cluster="domain-c1",
                cpus=2, memory_mib=8192, labels={"app": f"app{i // 5}", "env": ("dev", "test", "prod")[i // 5 % 3]},
                vapp=f"vapp{i // 40}" if i % 40 < 4 else None, disks=disks,
                nics=[Nic(key="4000", network=f"network-{i % 4}", mac=f"00:50:56:00:{i >> 8 & 255:02x}:{i & 255:02x}")],
            )
        )  # fmt: skip
    rules = [
        AffinityRule(name=f"keep{n}", kind="vm_affinity", vms=[f"vm-{n * 97}", f"vm-{n * 97 + 13}"]) for n in range(50)
    ]
    return Inventory(
        source=Source(name="vc-bench", kind=SourceKind.VSPHERE, endpoint="vcenter.bench.example"),
        clusters=[Cluster(id="domain-c1", name="bench", affinity_rules=rules)],
        hosts=[Host(id=f"host-{h}", name=f"esx{h:03d}") for h in range(hosts)],
        datastores=[Datastore(id=f"datastore-{d}", name=f"ds{d}") for d in range(8)],
        networks=[Network(id=f"network-{n}", name=f"net{n}", kind="standard") for n in range(4)],
        vms=items,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(str(Path(tmp) / "bench.db"))
        store.replace_snapshot(estate(args.vms, args.hosts))

        t0 = time.perf_counter()
        inventories = store.inventories()
        baseline = time.perf_counter() - t0

        start = datetime(2026, 12, 5, 22, tzinfo=UTC)
        windows = build_windows([(start + timedelta(days=7 * n), timedelta(hours=8)) for n in range(60)], [])
        profile = TargetProfile.model_validate({"namespace": "migrated"})
        mapping = MappingFile.model_validate(
            {
                "networks": [{"source": {"id": f"network-{n}"}, "destination": {"type": "pod"}} for n in range(4)],
                "storage": [
                    {"source": {"id": f"datastore-{d}"}, "destination": {"storageClass": "rbd"}} for d in range(8)
                ],
            }
        )
        # 500 VMs per wave: what one operations team can verify after a night's cutover.
        settings = PlanSettings(
            group_by=["app"], max_vms_per_wave=500, env_order={"label": "env", "order": ["dev", "test", "prod"]}
        )
        t0 = time.perf_counter()
        doc = plan_waves(inventories, blocked={}, settings=settings, windows=windows, profile=profile, mapping=mapping)
        planned = time.perf_counter() - t0

        t0 = time.perf_counter()
        tree = build_tree(WavesDocument.model_validate(doc), inventories, profile, mapping)
        write_tree(tree, Path(tmp) / "gitops")
        emitted = time.perf_counter() - t0

    placed = sum(len(w["vms"]) for w in doc["waves"])
    plans = sum(len(w["plans"]) for w in doc["waves"])
    total = planned + emitted
    print(f"estate: {args.vms} VMs on {args.hosts} hosts; {placed} placed in {len(doc['waves'])} waves, {plans} plans; "
          f"{len(doc['unplaced'])} unplaced; {len(tree.files)} files")  # fmt: skip
    print(f"baseline: load inventory from the store  {baseline:6.2f} s")
    print(f"plan waves                               {planned:6.2f} s  ({planned / baseline:.2f}x baseline)")
    print(f"emit GitOps tree (build + write)         {emitted:6.2f} s  ({emitted / baseline:.2f}x baseline)")
    print(f"plan + emit                              {total:6.2f} s  ({total / baseline:.2f}x baseline; goal <= 10 s)")


if __name__ == "__main__":
    main()
