"""JSON views of the inventory — the `inventory list --json` contract other tools rely on.

Keep the names exact; add fields only beside them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from factory.model import VM, Disk, Inventory, Nic, SourceKind, provider_of


def disk_json(disk: Disk) -> dict[str, Any]:
    return {
        "key": disk.key,
        "capacity_bytes": disk.capacity_bytes,
        "used_bytes": disk.used_bytes,
        "datastore": disk.datastore_name or disk.datastore,
        "mode": disk.mode,
        "rdm": disk.rdm,
        "rdm_mode": disk.rdm_mode,
        "shared": disk.shared,
        "thin": disk.thin,
        "bus": disk.bus,
    }


def nic_json(nic: Nic) -> dict[str, Any]:
    return {
        "model": nic.model,
        "mac": nic.mac,
        "network": nic.network_name or nic.network,
        "connected": nic.connected,
    }


def vm_json(vm: VM, kind: SourceKind, names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One VM as the contract spells it. ``kind`` is the kind of the VM's source; ``names``
    turns host, cluster and datacenter ids into the names people know them by."""
    names = names or {}
    return {
        "id": vm.id,
        "source": vm.source,
        "provider": provider_of(kind),
        "name": vm.name,
        "power_state": vm.power_state.value,
        "cpus": vm.cpus,
        "memory_mib": vm.memory_mib,
        "firmware": vm.firmware,
        "secure_boot": vm.secure_boot,
        "guest_os": vm.guest_name_reported or vm.guest_name or vm.guest_id,
        "host": _named(vm.host, names),
        "cluster": _named(vm.cluster, names),
        "datacenter": _named(vm.datacenter, names),
        "folder": vm.folder,
        "nested_virt": vm.nested_virt,
        "labels": dict(vm.labels),
        "disks": [disk_json(d) for d in vm.disks],
        "nics": [nic_json(n) for n in vm.nics],
        "snapshots": None if vm.snapshots is None else len(vm.snapshots),
    }


def _named(ref: str | None, names: Mapping[str, str]) -> str | None:
    return None if ref is None else names.get(ref, ref)


def vm_detail_json(vm: VM, kind: SourceKind, names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Everything known about one VM: the contract fields first, then the full model."""
    detail = vm_json(vm, kind, names)
    detail["model"] = vm.model_dump(mode="json")
    return detail


def names_by_id(inventory: Inventory) -> dict[str, str]:
    """Id -> display name for the inventory's hosts, clusters and datacenters."""
    table: dict[str, str] = {}
    for group in (inventory.datacenters, inventory.clusters, inventory.hosts):
        for item in group:
            table[item.id] = item.name
    return table
