"""The engine's inventory as plain Python data, plus a generator for estates of any size.

Objects are dicts shaped like the engine's XML (see :mod:`.render` for the few rules), kept
per API collection (``vms``, ``disks``, ``clusters`` ...). Tests build a planted inventory
with the small ``make_*`` helpers; benchmarks call :func:`generate`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.peers.ovirt_engine.render import COLLECTIONS

Obj = dict[str, Any]
GiB = 1024**3
MiB = 1024**2


def uid(kind: str, n: int | str) -> str:
    """A stable UUID per (kind, n): the same inventory always has the same ids."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"mfactory-test-engine/{kind}/{n}"))


@dataclass
class EngineInventory:
    collections: dict[str, list[Obj]] = field(default_factory=lambda: {name: [] for name in COLLECTIONS})
    full_version: str = "4.5.5-1.el8"
    _index: dict[tuple[str, str], Obj] = field(default_factory=dict, repr=False)

    def add(self, collection: str, *objs: Obj) -> None:
        for obj in objs:
            self.collections[collection].append(obj)
            self._index[(collection, obj["id"])] = obj

    def get(self, collection: str, ident: str) -> Obj | None:
        return self._index.get((collection, ident))

    def list(self, collection: str) -> list[Obj]:
        return self.collections[collection]


def make_datacenter(n: int = 0, name: str | None = None) -> Obj:
    return {"id": uid("dc", n), "name": name or f"DC{n}", "local": False, "status": "up",
            "storage_format": "v5", "version": {"major": 4, "minor": 7}}  # fmt: skip


def make_cluster(n: int, dc: str, *, ksm: bool = False, ha_reservation: bool = False,
                 bios_type: str = "q35_ovmf", cpu_type: str = "Intel Icelake Server Family",
                 affinity_groups: list[Obj] | None = None) -> Obj:  # fmt: skip
    return {
        "id": uid("cluster", n), "name": f"Cluster{n}", "data_center": dc,
        "cpu": {"architecture": "x86_64", "type": cpu_type}, "version": {"major": 4, "minor": 7},
        "bios_type": bios_type, "ksm": {"enabled": ksm, "merge_across_nodes": True},
        "ha_reservation": ha_reservation, "switch_type": "legacy", "firewall_type": "firewalld",
        "affinity_groups": affinity_groups or [],
    }  # fmt: skip


def make_host(n: int, cluster: str, *, status: str = "up") -> Obj:
    return {
        "id": uid("host", n), "name": f"host{n:02d}.example.com", "address": f"10.0.0.{n + 10}",
        "status": status, "type": "rhel", "cluster": cluster,
        "cpu": {"topology": {"sockets": 2, "cores": 16, "threads": 2}, "type": "Intel Xeon", "speed": 2600},
        "memory": 512 * GiB, "os": {"type": "RHEL", "version": {"full_version": "8.9 - 1.el8"}},
        "version": {"full_version": "vdsm-4.50.5"},
        "hardware_information": {"manufacturer": "Dell", "product_name": "R650", "serial_number": f"SN{n}",
                                 "uuid": uid("hw", n)},
        "summary": {"active": 0, "total": 0},
    }  # fmt: skip


def make_storage_domain(n: int, dc: str, *, storage: str = "nfs", available: int = 4096 * GiB,
                        used: int = 1024 * GiB) -> Obj:  # fmt: skip
    return {
        "id": uid("sd", n), "name": f"data{n}", "type": "data", "available": available, "used": used,
        "committed": used, "master": n == 0, "storage_format": "v5", "external_status": "ok",
        "block_size": 512, "storage": {"type": storage, "address": "nfs.example.com", "path": f"/export/data{n}"},
        "data_centers": [dc],
    }  # fmt: skip


def make_network(n: int, dc: str, *, vlan: int | None = None, name: str | None = None) -> Obj:
    return {"id": uid("net", n), "name": name or f"net{n}", "data_center": dc,
            "vlan": None if vlan is None else {"id": vlan}, "mtu": 1500, "stp": False,
            "usages": ["vm"], "vdsm_name": name or f"net{n}"}  # fmt: skip


def make_vnic_profile(n: int, network: str, *, name: str | None = None, pass_through: bool = False,
                      port_mirroring: bool = False, qos: str | None = None, network_filter: str | None = None,
                      custom_properties: dict[str, str] | None = None) -> Obj:  # fmt: skip
    return {
        "id": uid("profile", n), "name": name or f"profile{n}", "network": network,
        "pass_through": {"mode": "enabled" if pass_through else "disabled"},
        "port_mirroring": port_mirroring, "migratable": False, "qos": qos, "network_filter": network_filter,
        "custom_properties": [{"name": k, "value": v} for k, v in (custom_properties or {}).items()] or None,
    }  # fmt: skip


def make_disk(key: str, *, size: int = 20 * GiB, actual: int = 5 * GiB, sd: str | None = None,
              status: str = "ok", storage_type: str = "image", fmt: str = "cow", sparse: bool = True,
              shareable: bool = False, lun_sizes: list[int] | None = None) -> Obj:  # fmt: skip
    disk: Obj = {
        "id": uid("disk", key), "alias": f"disk-{key}", "name": f"disk-{key}", "provisioned_size": size,
        "actual_size": actual, "total_size": actual, "format": fmt, "sparse": sparse, "shareable": shareable,
        "status": status, "content_type": "data", "storage_type": storage_type, "image_id": uid("image", key),
        "backup": "none",
    }  # fmt: skip
    if storage_type == "image" and sd is not None:
        disk["storage_domains"] = [sd]
    if storage_type == "lun":
        del disk["provisioned_size"], disk["actual_size"], disk["total_size"], disk["image_id"]
        disk["lun_storage"] = {"type": "iscsi", "logical_units": [
            {"id": f"36001405{key}{i:04d}", "address": "10.0.1.5", "port": 3260, "target": "iqn.2024-01.test:lun",
             "lun_mapping": i, "size": s, "vendor_id": "LIO-ORG", "product_id": "lun"}
            for i, s in enumerate(lun_sizes or [])]}  # fmt: skip
        disk["sgio"] = "filtered"
    return disk


def make_attachment(disk: Obj, *, interface: str = "virtio_scsi", bootable: bool = False,
                    scsi_reservation: bool = False) -> Obj:  # fmt: skip
    """The engine gives a disk attachment the id of its disk."""
    return {"id": disk["id"], "active": True, "bootable": bootable, "interface": interface,
            "logical_name": None, "pass_discard": False, "read_only": False,
            "uses_scsi_reservation": scsi_reservation, "disk": disk["id"]}  # fmt: skip


def make_nic(vm_key: str, n: int, profile: str | None, *, interface: str = "virtio", plugged: bool = True,
             linked: bool = True, ips: list[str] | None = None) -> Obj:  # fmt: skip
    mac = "56:6f:" + ":".join(f"{b:02x}" for b in uuid.UUID(uid("mac", f"{vm_key}/{n}")).bytes[:4])
    devices = []
    if ips:
        devices = [{"id": uid("rdev", f"{vm_key}/{n}"), "name": f"eth{n}", "type": "network", "mac": {"address": mac},
                    "ips": [{"address": ip, "version": "v6" if ":" in ip else "v4"} for ip in ips]}]  # fmt: skip
    return {"id": uid("nic", f"{vm_key}/{n}"), "name": f"nic{n + 1}", "interface": interface,
            "mac": {"address": mac}, "linked": linked, "plugged": plugged, "vnic_profile": profile,
            "reported_devices": devices}  # fmt: skip


def make_vm(key: str, cluster: str, *, host: str | None = None, status: str = "up", memory: int = 4 * GiB,
            sockets: int = 2, cores: int = 1, threads: int = 1, os_type: str = "rhel_8x64",
            bios_type: str = "q35_ovmf", **extra: Any) -> Obj:  # fmt: skip
    """A VM with the engine's defaults; ``extra`` sets or overrides any other field."""
    vm: Obj = {
        "id": uid("vm", key), "name": key, "description": None, "status": status, "memory": memory,
        "cpu": {"architecture": "x86_64", "topology": {"sockets": sockets, "cores": cores, "threads": threads}},
        "cpu_shares": 0, "os": {"type": os_type}, "bios": {"type": bios_type, "boot_menu": {"enabled": False}},
        "fqdn": f"{key}.example.com" if status == "up" else None, "cluster": cluster, "host": host,
        "type": "server", "stateless": False, "has_illegal_images": False,
        "memory_policy": {"ballooning": False, "guaranteed": memory},
        "high_availability": {"enabled": False, "priority": 0},
        "display": {"type": "vnc"}, "usb": {"enabled": False}, "io": {"threads": 1},
        "placement_policy": {"affinity": "user_migratable"}, "storage_error_resume_behaviour": "auto_resume",
        "cpu_pinning_policy": "none", "tpm_enabled": False,
        "nics": [], "disk_attachments": [], "snapshots": [_active_snapshot(key)], "host_devices": [],
        "watchdogs": [], "cdroms": [{"id": uid("cdrom", key)}], "numa_nodes": [],
    }  # fmt: skip
    vm.update(extra)
    return vm


def _active_snapshot(key: str) -> Obj:
    return {"id": uid("snap-active", key), "description": "Active VM", "snapshot_type": "active",
            "snapshot_status": "ok", "persist_memorystate": False, "date": "2026-01-01T00:00:00.000Z"}  # fmt: skip


def make_snapshot(vm_key: str, n: int, *, description: str, memory: bool = False) -> Obj:
    date = f"2026-0{n % 9 + 1}-02T10:00:00.000Z"
    return {"id": uid("snap", f"{vm_key}/{n}"), "description": description, "snapshot_type": "regular",
            "snapshot_status": "ok", "persist_memorystate": memory, "date": date}  # fmt: skip


def generate(n_vms: int, *, clusters: int = 2, hosts_per_cluster: int = 3) -> EngineInventory:
    """An estate with ``n_vms`` VMs and a realistic mix of features (1-3 disks, 1-2 NICs,
    snapshots, stopped and suspended VMs, reported IPs, watchdogs, a few host devices)."""
    inv = EngineInventory()
    dc = make_datacenter(0)
    inv.add("datacenters", dc)
    sds = [make_storage_domain(i, dc["id"], storage="nfs" if i else "iscsi") for i in range(3)]
    inv.add("storagedomains", *sds)
    nets = [make_network(i, dc["id"], vlan=100 + i if i else None, name="ovirtmgmt" if i == 0 else None)
            for i in range(3)]  # fmt: skip
    inv.add("networks", *nets)
    profiles = [make_vnic_profile(i, nets[i % 3]["id"]) for i in range(4)]
    inv.add("vnicprofiles", *profiles)
    hosts = []
    for c in range(clusters):
        cluster = make_cluster(c, dc["id"], ksm=c == 1)
        inv.add("clusters", cluster)
        for h in range(hosts_per_cluster):
            hosts.append(make_host(c * hosts_per_cluster + h, cluster["id"]))
    inv.add("hosts", *hosts)
    statuses = ["up", "up", "down", "up", "suspended", "up", "down"]
    oses = ["rhel_8x64", "rhel_9x64", "windows_2019x64", "other_linux", "windows_2022"]
    for i in range(n_vms):
        key = f"vm{i:05d}"
        status = statuses[i % len(statuses)]
        host = hosts[i % len(hosts)]
        disks = [make_disk(f"{key}-{d}", size=(20 + 10 * d) * GiB, sd=sds[(i + d) % 3]["id"]) for d in range(1 + i % 3)]
        inv.add("disks", *disks)
        ips = [f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"] if status == "up" else None
        nics = [make_nic(key, n, profiles[(i + n) % 4]["id"], ips=ips if n == 0 else None) for n in range(1 + i % 2)]
        extra: dict[str, Any] = {}
        if i % 5 == 0:
            extra["snapshots"] = [_active_snapshot(key), make_snapshot(key, 1, description="before patch")]
        if i % 7 == 0:
            extra["watchdogs"] = [{"id": uid("wd", key), "action": "reset", "model": "i6300esb"}]
        if i % 50 == 0:
            extra["host_devices"] = [{"id": uid("hd", key), "name": "pci_0000_3b_00_0", "capability": "pci",
                                      "product": {"id": "0x1eb8", "name": "Tesla T4"},
                                      "vendor": {"id": "0x10de", "name": "NVIDIA"}}]  # fmt: skip
        vm = make_vm(key, host["cluster"], host=host["id"] if status == "up" else None, status=status,
                     os_type=oses[i % len(oses)], memory=(2 + i % 4) * 2 * GiB, sockets=1 + i % 4,
                     nics=nics, disk_attachments=[make_attachment(d, bootable=n == 0) for n, d in enumerate(disks)],
                     **extra)  # fmt: skip
        inv.add("vms", vm)
    return inv
