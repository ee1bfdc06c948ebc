"""Inventories for the rule tests, built as documents and validated through the model.

``clean(provider)`` gives a VM (with its inventory, a target profile and a mapping file)
on which every rule of the provider is evaluated and none fires — the base each fixture
changes with a few dotted-path patches (see :func:`apply`).
"""

from __future__ import annotations

import copy
from typing import Any

from factory.model import Inventory
from factory.target import MappingFile, TargetProfile

GIB = 2**30
MIB = 2**20
DELETE = object()


def vsphere_doc() -> dict[str, Any]:
    vm = {
        "id": "vm-101",
        "source": "vc1",
        "name": "web-01",
        "power_state": "on",
        "tools_status": "toolsOk",
        "cpus": 2,
        "memory_mib": 4096,
        "firmware": "bios",
        "secure_boot": False,
        "guest_id": "rhel8_64Guest",
        "guest_name": "Red Hat Enterprise Linux 8 (64-bit)",
        "guest_name_reported": "Red Hat Enterprise Linux 8 (64-bit)",
        "nested_virt": False,
        "cpu_hot_add": False,
        "cpu_hot_remove": False,
        "memory_hot_add": False,
        "cpu_affinity": [],
        "numa_affinity": [],
        "cbt": True,
        "disk_enable_uuid": False,
        "fault_tolerance": False,
        "consolidation_needed": False,
        "tpm": False,
        "cluster": "domain-c1",
        "host": "host-1",
        "guest_ips": ["10.0.0.5"],
        "guest_hostname": "web-01.example.com",
        "guest_filesystems": [{"path": "/", "capacity_bytes": 20 * GIB, "free_bytes": 5 * GIB, "disk_key": "2000"}],
        "disks": [
            {
                "key": "2000",
                "label": "Hard disk 1",
                "file": "[ds1] web-01/web-01.vmdk",
                "capacity_bytes": 20 * GIB,
                "datastore": "datastore-1",
                "datastore_name": "ds1",
                "mode": "persistent",
                "rdm": False,
                "shared": False,
                "thin": True,
                "bus": "scsi",
                "cbt": True,
            }
        ],
        "nics": [
            {
                "key": "4000",
                "label": "Network adapter 1",
                "model": "e1000e",
                "mac": "00:50:56:00:00:01",
                "network": "network-1",
                "network_name": "VM Network",
                "connected": True,
            }
        ],
        "snapshots": [],
        "devices": [],
    }
    inventory = {
        "source": {"name": "vc1", "kind": "vsphere"},
        "clusters": [
            {"id": "domain-c1", "name": "Prod", "drs_enabled": False, "dpm_enabled": False, "affinity_rules": []}
        ],
        "vms": [],
    }
    return {"vm": vm, "inv": inventory, "profile": profile_doc(), "mapping": mapping_doc(), "others": []}


def ovirt_doc() -> dict[str, Any]:
    vm = {
        "id": "6a7f7e5c-0000-4000-8000-000000000001",
        "source": "rhv1",
        "name": "db-01",
        "power_state": "on",
        "cpus": 4,
        "memory_mib": 8192,
        "firmware": "efi",
        "secure_boot": False,
        "nested_virt": False,
        "cpu_affinity": [],
        "numa_affinity": [],
        "cluster": "cl-1",
        "disks": [
            {
                "key": "d-1",
                "label": "db-01_Disk1",
                "capacity_bytes": 20 * GIB,
                "datastore": "sd-1",
                "datastore_name": "data1",
                "bus": "virtio_scsi",
                "shared": False,
                "status": "ok",
                "storage_type": "image",
                "format": "cow",
                "scsi_reservation": False,
            }
        ],
        "nics": [
            {
                "key": "n-1",
                "label": "nic1",
                "model": "virtio",
                "mac": "56:6f:00:00:00:01",
                "network": "net-1",
                "network_name": "ovirtmgmt",
                "plugged": True,
                "profile": "prof-1",
            }
        ],
        "snapshots": [{"id": "s-1", "name": "Active VM", "persist_memory": False}],
        "devices": [],
        "ovirt": {
            "status": "up",
            "os_type": "rhel_8x64",
            "bios_type": "q35_ovmf",
            "ballooned_memory": False,
            "boot_menu_enabled": False,
            "cpu_pinning_policy": "none",
            "cpu_shares": 0,
            "display_type": "vnc",
            "ha_enabled": False,
            "has_illegal_images": False,
            "io_threads": 1,
            "placement_policy_affinity": "user_migratable",
            "storage_error_resume_behaviour": "auto_resume",
            "usb_enabled": False,
        },
    }
    inventory = {
        "source": {"name": "rhv1", "kind": "ovirt"},
        "clusters": [
            {"id": "cl-1", "name": "Default", "ksm_enabled": False, "ha_reservation": False, "bios_type": "q35_ovmf"}
        ],
        "vnic_profiles": [
            {"id": "prof-1", "name": "ovirtmgmt", "network": "net-1", "pass_through": False, "port_mirroring": False}
        ],
        "vms": [],
    }
    return {"vm": vm, "inv": inventory, "profile": profile_doc(), "mapping": mapping_doc(), "others": []}


def profile_doc() -> dict[str, Any]:
    return {
        "namespace": "migrated-vms",
        "storageClasses": [
            {
                "name": "ceph-rbd",
                "accessModes": ["ReadWriteMany", "ReadWriteOnce"],
                "volumeModes": ["Block"],
                "capacityGiB": 10000,
                "default": True,
            },
            {"name": "lvms", "accessModes": ["ReadWriteOnce"], "volumeModes": ["Filesystem", "Block"]},
        ],
        "networks": [{"name": "vlan-93", "namespace": "default"}],
        "nodes": {"nestedVirtualization": True, "cpuCores": 512, "memoryGiB": 4096},
    }


def mapping_doc() -> dict[str, Any]:
    return {
        "networks": [
            {"source": {"name": "VM Network"}, "destination": {"type": "pod"}},
            {
                "source": {"id": "network-2"},
                "destination": {"type": "multus", "name": "vlan-93", "namespace": "default"},
            },
            {"source": {"name": "ovirtmgmt"}, "destination": {"type": "pod"}},
            {"source": {"id": "net-2"}, "destination": {"type": "multus", "name": "vlan-93", "namespace": "default"}},
        ],
        "storage": [
            {"source": {"name": "ds1"}, "destination": {"storageClass": "ceph-rbd"}},
            {"source": {"name": "data1"}, "destination": {"storageClass": "ceph-rbd"}},
            {"source": {"name": "ds-local"}, "destination": {"storageClass": "lvms"}},
            {"source": {"name": "ds-rwo"}, "destination": {"storageClass": "ceph-rbd", "accessMode": "ReadWriteOnce"}},
        ],
    }


def clean(provider: str) -> dict[str, Any]:
    return vsphere_doc() if provider in ("vsphere", "rvtools") else ovirt_doc()


def apply(doc: dict[str, Any], path: str, value: Any) -> None:
    """Set ``value`` at a dotted ``path`` ("vm.disks.0.cbt"); a final ``+`` appends to a
    list ("vm.disks.+"); :data:`DELETE` removes the key or sets a top-level part to None."""
    keys = path.split(".")
    target: Any = doc
    for key in keys[:-1]:
        target = target[int(key)] if isinstance(target, list) else target[key]
    last = keys[-1]
    if last == "+":
        target.append(copy.deepcopy(value))
    elif isinstance(target, list):
        target[int(last)] = copy.deepcopy(value)
    elif value is DELETE:
        if target is doc:
            target[last] = None
        else:
            target.pop(last, None)
    else:
        target[last] = copy.deepcopy(value)


def build(doc: dict[str, Any]) -> tuple[Inventory, TargetProfile | None, MappingFile | None]:
    inv = copy.deepcopy(doc["inv"])
    inv["vms"] = [doc["vm"], *doc["others"]]
    inventory = Inventory.model_validate(inv)
    profile = None if doc["profile"] is None else TargetProfile.model_validate(doc["profile"])
    mapping = None if doc["mapping"] is None else MappingFile.model_validate(doc["mapping"])
    return inventory, profile, mapping
