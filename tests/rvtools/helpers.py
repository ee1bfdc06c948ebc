"""Expectations computed from an Estate, independently of the importer's code: what the
`inventory list --json` contract must say for each VM the generator wrote."""

from __future__ import annotations

import json
from typing import Any

from factory.samples.estate import VM, Estate

MIB = 1024 * 1024
POWER = {"poweredOn": "on", "poweredOff": "off", "suspended": "suspended"}


def expected_vm(vm: VM, source: str, vm_id: str | None = None) -> dict[str, Any]:
    used: dict[int, int] = {}
    for p in vm.partitions:
        if p.disk_key is not None:
            used[p.disk_key] = used.get(p.disk_key, 0) + p.consumed_mib
    return {
        "id": vm_id or vm.moref,
        "source": source,
        "provider": "vsphere",
        "name": vm.name,
        "power_state": POWER[vm.power],
        "cpus": vm.cpus,
        "memory_mib": vm.memory_mib,
        "firmware": vm.firmware,
        "secure_boot": vm.secure_boot,
        "guest_os": vm.os_tools,
        "host": vm.host,
        "cluster": vm.cluster,
        "datacenter": vm.datacenter,
        "folder": vm.folder,
        "nested_virt": None,
        "labels": vm.labels,
        "disks": [
            {
                "key": str(d.key),
                "capacity_bytes": d.capacity_mib * MIB,
                "used_bytes": used[d.key] * MIB if d.key in used else None,
                "datastore": d.path[1 : d.path.index("]")],
                "mode": d.mode,
                "rdm": d.raw,
                "rdm_mode": {"physicalMode": "physical", "virtualMode": "virtual"}.get(d.raw_mode) if d.raw else None,
                "shared": d.sharing != "sharingNone" or d.shared_bus != "noSharing",
                "thin": d.thin,
                "bus": "scsi",
            }
            for d in vm.disks
        ],
        "nics": [
            {"model": n.adapter.lower(), "mac": n.mac, "network": n.network, "connected": n.connected} for n in vm.nics
        ],
        "snapshots": len(vm.snapshots),
    }


def listed(run_cli, *args: str) -> dict[str, dict[str, Any]]:
    result = run_cli("inventory", "list", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return {vm["id"]: vm for vm in json.loads(result.stdout)["vms"]}


def vms_of(estate: Estate) -> list[VM]:
    return [vm for vm in estate.vms if not vm.template]
