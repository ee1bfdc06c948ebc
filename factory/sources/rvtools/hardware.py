"""Per-VM hardware rows: disks (vDisk), guest filesystems (vPartition) and NICs (vNetwork)."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from factory.sources.rvtools.identity import KEY_SPECS
from factory.sources.rvtools.table import records
from factory.sources.rvtools.values import MIB, boolean, integer, mib_to_bytes, number, text
from factory.sources.rvtools.vms import VmBuilder

DISK_SPECS = (
    *KEY_SPECS,
    ("key", ("disk key",), text),
    ("label", ("disk",), text),
    ("file", ("disk path",), text),
    ("capacity_bytes", ("capacity mib",), mib_to_bytes),
    ("rdm", ("raw",), boolean),
    ("mode", ("disk mode",), text),
    ("sharing", ("sharing mode",), text),
    ("thin", ("thin",), boolean),
    ("controller", ("controller",), text),
    ("controller_label", ("label",), text),
    ("unit_number", ("unit #",), integer),
    ("shared_bus", ("shared bus",), text),
    ("rdm_mode", ("raw comp. mode",), text),
)
PARTITION_SPECS = (
    *KEY_SPECS,
    ("disk_key", ("disk key",), text),
    ("path", ("disk",), text),
    ("capacity", ("capacity mib",), number),
    ("consumed", ("consumed mib",), number),
    ("free", ("free mib",), number),
)
NIC_SPECS = (
    *KEY_SPECS,
    ("label", ("nic label",), text),
    ("model", ("adapter",), text),
    ("network", ("network",), text),
    ("switch", ("switch",), text),
    ("connected", ("connected",), boolean),
    ("start_connected", ("starts connected",), boolean),
    ("mac", ("mac address",), text),
    ("ipv4", ("ipv4 address",), text),
    ("ipv6", ("ipv6 address",), text),
)
_DATASTORE = re.compile(r"^\[([^\]]+)\]")
_RDM_MODE = {"physicalmode": "physical", "virtualmode": "virtual"}
_IP_SPLIT = re.compile(r"[\s,;]+")


def _bus(*names: str | None) -> str | None:
    """Controller type or label -> the bus KubeVirt cares about."""
    for name in names:
        low = (name or "").casefold()
        if "nvme" in low:
            return "nvme"
        if "sata" in low or "ahci" in low:
            return "sata"
        if "ide" in low:
            return "ide"
        if "scsi" in low or "lsi" in low or "buslogic" in low:
            return "scsi"
    return None


def _shared(sharing: str | None, bus: str | None) -> bool | None:
    """Multi-writer sharing, or a SCSI controller with bus sharing (guest clustering)."""
    verdicts = []
    if sharing is not None:
        verdicts.append(sharing.casefold() not in ("sharingnone", "none"))
    if bus is not None:
        verdicts.append(bus.casefold() not in ("nosharing", "none"))
    return any(verdicts) if verdicts else None


def add_disks(b: VmBuilder) -> None:
    sheet = b.export.sheet("vDisk")
    if sheet is None:
        return
    for number_, _, r in records(sheet, DISK_SPECS):
        vm = b.vm_for(r, "vDisk")
        if vm is None:
            continue
        file = r.get("file")
        match = _DATASTORE.match(file or "")
        ds_name = match.group(1).strip() if match else None
        rdm = r.get("rdm")
        vm["disks"].append(
            {
                "key": r.get("key") or r.get("label") or f"row{number_}",
                "label": r.get("label"),
                "file": file,
                "capacity_bytes": r.get("capacity_bytes"),
                "datastore": b.topology.ref("datastore", r.get("sdk"), ds_name),
                "datastore_name": ds_name,
                "mode": r.get("mode"),
                "rdm": rdm,
                "rdm_mode": _RDM_MODE.get((r.get("rdm_mode") or "").casefold()) if rdm else None,
                "shared": _shared(r.get("sharing"), r.get("shared_bus")),
                "thin": r.get("thin"),
                "bus": _bus(r.get("controller"), r.get("controller_label")),
                "controller": r.get("controller"),
                "unit_number": r.get("unit_number"),
            }
        )
    for vm in b.vms.values():
        _unique_keys(vm["disks"])


def add_partitions(b: VmBuilder) -> None:
    """Guest filesystems, and per-disk used bytes where the partitions say which disk they
    are on (``Disk Key``) or the VM has a single disk. A VM without vPartition rows has no
    guest data (tools not running): its filesystems stay unknown, not empty."""
    sheet = b.export.sheet("vPartition")
    if sheet is None:
        return
    for _, _, r in records(sheet, PARTITION_SPECS):
        vm = b.vm_for(r, "vPartition")
        if vm is None or not r.get("path"):
            continue
        free = r.get("free")
        if free is None and r.get("capacity") is not None and r.get("consumed") is not None:
            free = r["capacity"] - r["consumed"]
        fs = {
            "path": r["path"],
            "capacity_bytes": None if r.get("capacity") is None else round(r["capacity"] * MIB),
            "free_bytes": None if free is None else round(free * MIB),
            "disk_key": r.get("disk_key"),
            "_consumed": r.get("consumed"),
        }
        vm.setdefault("guest_filesystems", []).append(fs)
    for vm in b.vms.values():
        filesystems = vm.get("guest_filesystems")
        if filesystems:
            _used_per_disk(vm["disks"], filesystems)
            for fs in filesystems:
                del fs["_consumed"]


def _used_per_disk(disks: list[dict[str, Any]], filesystems: list[dict[str, Any]]) -> None:
    if any(fs["_consumed"] is None for fs in filesystems):
        return
    keys = {d["key"] for d in disks}
    if all(fs["disk_key"] in keys for fs in filesystems):
        used: dict[str, float] = defaultdict(float)
        for fs in filesystems:
            used[fs["disk_key"]] += fs["_consumed"]
        for d in disks:
            if d["key"] in used:
                d["used_bytes"] = round(used[d["key"]] * MIB)
    elif len(disks) == 1 and not any(fs["disk_key"] for fs in filesystems):
        disks[0]["used_bytes"] = round(sum(fs["_consumed"] for fs in filesystems) * MIB)


def add_nics(b: VmBuilder) -> None:
    sheet = b.export.sheet("vNetwork")
    if sheet is None:
        return
    for number_, _, r in records(sheet, NIC_SPECS):
        vm = b.vm_for(r, "vNetwork")
        if vm is None:
            continue
        ips = [ip for field in ("ipv4", "ipv6") for ip in _IP_SPLIT.split(r.get(field) or "") if ip]
        name = r.get("network")
        vm["nics"].append(
            {
                "key": r.get("label") or f"row{number_}",
                "label": r.get("label"),
                "model": (r.get("model") or "").casefold() or None,
                "mac": (r.get("mac") or "").casefold() or None,
                "network": b.topology.network(r.get("sdk"), name, r.get("switch")),
                "network_name": name,
                "connected": r.get("connected"),
                "start_connected": r.get("start_connected"),
                "ips": ips,
            }
        )
        if ips:
            known = vm["guest_ips"] or []
            vm["guest_ips"] = known + [ip for ip in ips if ip not in known]
    for vm in b.vms.values():
        _unique_keys(vm["nics"])


def _unique_keys(items: list[dict[str, Any]]) -> None:
    """Keys are unique per VM in the store; a repeated key (hand-edited file) gets a suffix."""
    seen: set[str] = set()
    for item in items:
        key, n = item["key"], 2
        while item["key"] in seen:
            item["key"] = f"{key}#{n}"
            n += 1
        seen.add(item["key"])
