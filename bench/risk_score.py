"""Benchmark: score 100,000 synthetic VMs (vSphere and oVirt mix) with every rule.

Prints VMs/s for scoring, and — measured in the same run as a baseline — the time to merely
read every field of every VM, disk and NIC, with the ratio between the two. Goal: scoring
100,000 VMs in <= 5 s.

    python bench/risk_score.py [--vms 100000] [--target PROFILE] [--mapping MAP]

The VMs are built without validation (``_fast``, a trimmed ``model_construct``) so that
generating them does not dominate the run; their shapes follow what the collectors produce.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from typing import Any

from pydantic import BaseModel

from factory.model import (
    VM,
    Cluster,
    Device,
    Disk,
    GuestFilesystem,
    Inventory,
    Nic,
    OvirtVmFacts,
    PowerState,
    Snapshot,
    Source,
    SourceKind,
    VnicProfile,
)
from factory.target import MappingFile, TargetProfile
from risk import score

GIB = 2**30
_DEFAULTS: dict[type, dict[str, Any]] = {}


def _fast(cls: type[BaseModel], **values: Any) -> Any:
    """``cls.model_construct(**values)`` minus its per-field default work: defaults are
    computed once per class (their lists and dicts are shared, which is safe here because
    nothing mutates them)."""
    defaults = _DEFAULTS.get(cls)
    if defaults is None:
        defaults = _DEFAULTS[cls] = {
            name: f.get_default(call_default_factory=True)
            for name, f in cls.model_fields.items()
            if not f.is_required()
        }
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", {**defaults, **values})
    object.__setattr__(obj, "__pydantic_fields_set__", set(values))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


VS_OS = [
    ("rhel8_64Guest", "Red Hat Enterprise Linux 8 (64-bit)"),
    ("rhel9_64Guest", "Red Hat Enterprise Linux 9 (64-bit)"),
    ("windows2019srv_64Guest", "Microsoft Windows Server 2019 (64-bit)"),
    ("windows9Server64Guest", "Microsoft Windows Server 2016 (64-bit)"),
    ("centos7_64Guest", "CentOS 7 (64-bit)"),
    ("ubuntu64Guest", "Ubuntu Linux (64-bit)"),
    ("sles15_64Guest", "SUSE Linux Enterprise 15 (64-bit)"),
    ("otherGuest", None),
    ("solaris11_64Guest", "Oracle Solaris 11 (64-bit)"),
]
OV_OS = ["rhel_8x64", "rhel_9x64", "windows_2019x64", "windows_2022", "rhel_6x64", "other_linux", "sles_12"]
NIC_MODELS = ["vmxnet3"] * 6 + ["e1000e", "e1000", "vmxnet2", "sriov"]


def _vsphere_vm(i: int, rnd: random.Random) -> VM:
    gid, gname = rnd.choice(VS_OS)
    disks = [
        _fast(Disk,
            key=str(2000 + d), label=f"Hard disk {d + 1}", file=f"[ds{i % 40}] vm{i}/vm{i}_{d}.vmdk",
            capacity_bytes=rnd.choice([20, 40, 100, 500]) * GIB, datastore=f"datastore-{i % 40}",
            datastore_name=f"ds{i % 40}", mode=rnd.choice(["persistent"] * 30 + ["independent_persistent"]),
            rdm=rnd.random() < 0.01, shared=rnd.random() < 0.005, bus=rnd.choice(["scsi"] * 20 + ["sata", "ide"]),
            cbt=rnd.random() < 0.7, lun_sizes=[],
        )
        for d in range(rnd.choice([1, 1, 2, 2, 3, 4, 8]))
    ]  # fmt: skip
    nics = [
        _fast(Nic,
            key=str(4000 + n), label=f"Network adapter {n + 1}", model=rnd.choice(NIC_MODELS),
            mac=f"00:50:56:{i % 256:02x}:{n:02x}:01", network=f"dvportgroup-{rnd.randrange(30)}",
            network_name=f"VLAN{rnd.randrange(30)}", connected=True, ips=[],
        )
        for n in range(rnd.choice([1, 1, 1, 2, 3]))
    ]  # fmt: skip
    devices = [_fast(Device, kind="cdrom", detail={})]
    if rnd.random() < 0.05:
        devices.append(_fast(Device, kind="usb_controller", label="USB xHCI", detail={}))
    if rnd.random() < 0.005:
        devices.append(_fast(Device, kind="pci_passthrough", label="GPU", detail={}))
    on = rnd.random() < 0.85
    return _fast(VM,
        id=f"vm-{i}", source="vc-bench", name=rnd.choice([f"app-{i:06d}", f"App_{i:06d}", f"db{i}.corp"]),
        power_state=PowerState.ON if on else PowerState.OFF, template=False, cpus=rnd.choice([1, 2, 4, 8]),
        memory_mib=rnd.choice([2048, 4096, 16384]), firmware=rnd.choice(["bios", "efi"]), secure_boot=False,
        guest_id=gid, guest_name=gname, guest_name_reported=gname if on else None,
        tools_status=rnd.choice(["toolsOk"] * 8 + ["toolsNotRunning", "toolsOld"]),
        nested_virt=rnd.random() < 0.01, cpu_hot_add=rnd.random() < 0.2, cpu_hot_remove=False,
        memory_hot_add=rnd.random() < 0.2, cpu_affinity=[], numa_affinity=[], cbt=rnd.random() < 0.7,
        disk_enable_uuid=rnd.random() < 0.3, fault_tolerance=False, consolidation_needed=rnd.random() < 0.02,
        tpm=rnd.random() < 0.03, cluster=f"domain-c{i % 20}", guest_ips=["10.0.0.1"] if on else [],
        guest_hostname=f"host{i}.corp" if on else "",
        guest_filesystems=[_fast(GuestFilesystem, path="/", free_bytes=rnd.randrange(50, 5000) * 2**20,
                                                           disk_key="2000")] if on else None,
        disks=disks, nics=nics, snapshots=[_fast(Snapshot, name="s")] if rnd.random() < 0.1 else [],
        devices=devices, labels={},
    )  # fmt: skip


def _ovirt_vm(i: int, rnd: random.Random) -> VM:
    disks = [
        _fast(Disk,
            key=f"d-{i}-{d}", label=f"vm{i}_Disk{d + 1}", capacity_bytes=rnd.choice([20, 50, 200]) * GIB,
            datastore=f"sd-{i % 10}", datastore_name=f"data{i % 10}",
            bus=rnd.choice(["virtio_scsi"] * 5 + ["virtio", "ide"]),
            shared=rnd.random() < 0.005, status=rnd.choice(["ok"] * 200 + ["locked"]), storage_type="image",
            scsi_reservation=False, lun_sizes=[],
        )
        for d in range(rnd.choice([1, 2, 3]))
    ]  # fmt: skip
    nics = [
        _fast(Nic, key=f"n-{i}-{n}", label=f"nic{n + 1}", model=rnd.choice(["virtio"] * 8 + ["e1000", "rtl8139"]),
                            network=f"net-{n}", plugged=rnd.random() < 0.98, profile=f"prof-{n}", ips=[])
        for n in range(rnd.choice([1, 2]))
    ]  # fmt: skip
    facts = _fast(OvirtVmFacts,
        status=rnd.choice(["up"] * 8 + ["down", "paused"]), os_type=rnd.choice(OV_OS), bios_type="q35_ovmf",
        ballooned_memory=rnd.random() < 0.5, boot_menu_enabled=False, cpu_pinning_policy="none", cpu_shares=0,
        custom_properties={}, display_type=rnd.choice(["vnc", "spice"]), ha_enabled=rnd.random() < 0.1,
        has_illegal_images=False, io_threads=1, placement_policy_affinity="migratable",
        storage_error_resume_behaviour="auto_resume", usb_enabled=False,
    )  # fmt: skip
    return _fast(VM,
        id=f"ov-{i}", source="rhv-bench", name=f"ovm-{i:06d}", power_state=PowerState.ON, template=False,
        cpus=2, memory_mib=4096, nested_virt=False, cpu_affinity=[], numa_affinity=[], cluster=f"cl-{i % 5}",
        disks=disks, nics=nics, snapshots=[], devices=[], ovirt=facts, labels={},
    )  # fmt: skip


def inventories(n: int, seed: int = 7) -> list[Inventory]:
    rnd = random.Random(seed)
    n_ovirt = n // 4
    vs = _fast(Inventory,
        source=_fast(Source, name="vc-bench", kind=SourceKind.VSPHERE),
        clusters=[_fast(Cluster, id=f"domain-c{c}", name=f"Cluster {c}", drs_enabled=True, dpm_enabled=False,
                                          affinity_rules=[]) for c in range(20)],
        vnic_profiles=[], vms=[_vsphere_vm(i, rnd) for i in range(n - n_ovirt)],
    )  # fmt: skip
    ov = _fast(Inventory,
        source=_fast(Source, name="rhv-bench", kind=SourceKind.OVIRT),
        clusters=[_fast(Cluster, id=f"cl-{c}", name=f"RHV {c}", ksm_enabled=c == 0, ha_reservation=False,
                                          affinity_rules=[]) for c in range(5)],
        vnic_profiles=[_fast(VnicProfile, id=f"prof-{p}", name=f"p{p}", network=f"net-{p}",
                                                   custom_properties={}) for p in range(2)],
        vms=[_ovirt_vm(i, rnd) for i in range(n_ovirt)],
    )  # fmt: skip
    return [vs, ov]


def _touch_all(invs: list[Inventory]) -> int:
    """Baseline: read every field of every VM, disk and NIC once."""
    vm_fields, disk_fields, nic_fields = list(VM.model_fields), list(Disk.model_fields), list(Nic.model_fields)
    n = 0
    for inv in invs:
        for vm in inv.vms:
            for f in vm_fields:
                getattr(vm, f)
            for d in vm.disks:
                for f in disk_fields:
                    getattr(d, f)
            for nic in vm.nics:
                for f in nic_fields:
                    getattr(nic, f)
            n += 1
    return n


def _profile() -> TargetProfile:
    return TargetProfile.model_validate({
        "storageClasses": [
            {"name": "ceph-rbd", "accessModes": ["ReadWriteMany"], "volumeModes": ["Block"], "default": True,
             "capacityGiB": 5_000_000},
            {"name": "lvms", "accessModes": ["ReadWriteOnce"]},
        ],
        "networks": [{"name": "vlan-93"}],
        "nodes": {"nestedVirtualization": False},
    })  # fmt: skip


def _mapping() -> MappingFile:
    nets = [
        {"source": {"name": f"VLAN{v}"}, "destination": {"type": "pod" if v == 0 else "ignored"}} for v in range(29)
    ]
    nets += [{"source": {"id": "net-0"}, "destination": {"type": "pod"}}]
    storage = [{"source": {"name": f"ds{d}"}, "destination": {"storageClass": "lvms" if d % 4 else "ceph-rbd"}}
               for d in range(40)]  # fmt: skip
    storage += [{"source": {"name": f"data{d}"}, "destination": {"storageClass": "ceph-rbd"}} for d in range(10)]
    return MappingFile.model_validate({"networks": nets, "storage": storage})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms", type=int, default=100_000)
    args = parser.parse_args()
    t0 = time.perf_counter()
    invs = inventories(args.vms)
    t_gen = time.perf_counter() - t0
    print(f"generated {args.vms:,} VMs in {t_gen:.1f} s")

    t0 = time.perf_counter()
    touched = _touch_all(invs)
    t_base = time.perf_counter() - t0
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times suffer when it exceeds them)")
    print(f"baseline  read every field of {touched:,} VMs: {t_base:.2f} s ({touched / t_base:,.0f} VMs/s)")

    for label, profile, mapping in (("no target", None, None), ("profile+mapping", _profile(), _mapping())):
        t0, c0 = time.perf_counter(), time.process_time()
        report = score(invs, profile, mapping)
        t_score, cpu = time.perf_counter() - t0, time.process_time() - c0
        levels = report.by_level()
        findings = sum(len(v.findings) for v in report.vms)
        print(
            f"score     {label:16s} {len(report.vms):,} VMs: {t_score:.2f} s wall, {cpu:.2f} s CPU "
            f"({len(report.vms) / t_score:,.0f} VMs/s), "
            f"{findings:,} findings, ready {levels['ready']:,} / warnings {levels['ready-with-warnings']:,} / "
            f"blocked {levels['blocked']:,}; ratio to baseline {t_score / t_base:.1f}x"
            + (f"; goal <= 5 s: {'met' if t_score <= 5 else 'MISSED'}" if len(report.vms) >= 100_000 else "")
        )


if __name__ == "__main__":
    main()
