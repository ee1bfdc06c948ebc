"""Test estates built through the model: vSphere and oVirt sources with the ties the
planner must honour (labels, vApps, DRS affinity rules, shared disks)."""

from __future__ import annotations

from datetime import UTC, datetime

from factory.model import (
    VM,
    AffinityRule,
    Cluster,
    Datastore,
    Disk,
    GuestFilesystem,
    Host,
    Inventory,
    Network,
    Nic,
    PowerState,
    Source,
    SourceKind,
)

GIB = 1 << 30


def vsphere_vm(source: str, i: int, *, host: int = 0, used_gib: int | None = 20, **extra) -> VM:
    return VM(
        id=f"vm-{i}",
        source=source,
        name=extra.pop("name", f"app-vm{i:04d}"),
        power_state=PowerState.OFF,
        cpus=extra.pop("cpus", 2),
        memory_mib=extra.pop("memory_mib", 4096),
        host=f"host-{host}",
        cluster="domain-c1",
        guest_id="rhel8_64Guest",
        tools_status="toolsOk",
        guest_filesystems=[GuestFilesystem(path="/", capacity_bytes=20 * GIB, free_bytes=10 * GIB)],
        disks=extra.pop(
            "disks",
            [
                Disk(
                    key="2000",
                    file=f"[ds] vm{i}/vm{i}.vmdk",
                    capacity_bytes=50 * GIB,
                    used_bytes=None if used_gib is None else used_gib * GIB,
                    datastore="datastore-1",
                    mode="persistent",
                )
            ],
        ),
        nics=extra.pop(
            "nics", [Nic(key="4000", model="vmxnet3", mac=f"00:50:56:01:{i // 256:02x}:{i % 256:02x}", network="net-1")]
        ),
        snapshots=[],
        devices=[],
        **extra,
    )


def _denormalize(inv: Inventory) -> Inventory:
    """Collectors copy network and datastore names onto NICs and disks; so do we."""
    nets = {n.id: n.name for n in inv.networks}
    stores = {d.id: d.name for d in inv.datastores}
    for vm in inv.vms:
        for nic in vm.nics:
            nic.network_name = nic.network_name or nets.get(nic.network or "")
        for disk in vm.disks:
            disk.datastore_name = disk.datastore_name or stores.get(disk.datastore or "")
    return inv


def vsphere_inventory(
    name: str, vms: list[VM], *, hosts: int = 4, rules: list[AffinityRule] | None = None
) -> Inventory:
    return _denormalize(
        Inventory(
            source=Source(
                name=name, kind=SourceKind.VSPHERE, endpoint="vcenter.example.com", collected_at=datetime.now(UTC)
            ),
            clusters=[Cluster(id="domain-c1", name="prod", drs_enabled=True, affinity_rules=rules or [])],
            hosts=[Host(id=f"host-{h}", name=f"esx{h:02d}", cluster="domain-c1") for h in range(hosts)],
            datastores=[Datastore(id="datastore-1", name="LocalDS_0", capacity_bytes=1 << 42, free_bytes=1 << 41)],
            networks=[
                Network(id="net-1", name="VM Network", kind="standard"),
                Network(id="dvportgroup-2", name="db-net", kind="distributed_portgroup"),
            ],
            vms=vms,
        )
    )


def ovirt_inventory(name: str, count: int, *, domains: int = 2) -> Inventory:
    vms = []
    for i in range(count):
        uuid = f"6f1b{i:04d}-0000-4000-8000-00000000{i:04d}"
        vms.append(
            VM(
                id=uuid,
                source=name,
                name=f"rhv_vm_{i}",
                power_state=PowerState.OFF,
                cpus=2,
                memory_mib=2048,
                host="h-1",
                cluster="c-1",
                disks=[
                    Disk(
                        key=f"d-{i}",
                        capacity_bytes=30 * GIB,
                        used_bytes=(5 + i % 7) * GIB,
                        datastore=f"sd-{i % domains}",
                        storage_type="image",
                        format="cow",
                    )
                ],
                nics=[
                    Nic(key=f"n-{i}", model="virtio", mac=f"56:6f:00:00:{i // 256:02x}:{i % 256:02x}", network="ovn-1")
                ],
                snapshots=[],
                devices=[],
            )
        )
    return _denormalize(
        Inventory(
            source=Source(
                name=name, kind=SourceKind.OVIRT, endpoint="engine.example.com", collected_at=datetime.now(UTC)
            ),
            clusters=[Cluster(id="c-1", name="Default")],
            hosts=[Host(id="h-1", name="rhvh1", cluster="c-1")],
            datastores=[Datastore(id=f"sd-{d}", name=f"data{d}") for d in range(domains)],
            networks=[Network(id="ovn-1", name="ovirtmgmt", kind="ovirt")],
            vms=vms,
        )
    )
