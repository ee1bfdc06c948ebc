"""Turn a read export into one validated :class:`Inventory`."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from factory.errors import InputError
from factory.model import Inventory
from factory.sources.rvtools import devices, hardware
from factory.sources.rvtools.identity import Qualifier
from factory.sources.rvtools.reader import SHEETS, Export
from factory.sources.rvtools.table import records
from factory.sources.rvtools.topology import Topology
from factory.sources.rvtools.values import text, timestamp
from factory.sources.rvtools.vms import VCPU_SPECS, VINFO_SPECS, VMEMORY_SPECS, VTOOLS_SPECS, VmBuilder

_HINT = "pass an RVTools .xlsx export, or the folder / .zip of its CSV export (RVTools_tabvInfo.csv, ...)"

# What the summary says a missing sheet costs.
_MISSING = {
    "vCPU": "cores per socket and CPU hot-plug unknown",
    "vMemory": "memory hot-add unknown",
    "vDisk": "VMs are listed without disks",
    "vPartition": "guest filesystems and used disk space unknown",
    "vNetwork": "VMs are listed without NICs",
    "vCD": "CD-ROM drives unknown",
    "vUSB": "USB controllers unknown",
    "vSnapshot": "snapshots unknown",
    "vTools": "VMware Tools status unknown",
    "vSource": "vCenter version taken from vInfo",
    "vCluster": "cluster HA/DRS/DPM settings unknown",
    "vHost": "host facts unknown, hosts named by VM rows only",
    "dvPort": "distributed portgroups cannot be told from standard ones; VLANs unknown",
    "vDatastore": "datastore types and sizes unknown",
}


def build_inventory(export: Export, name: str) -> Inventory:
    vinfo = export.sheet("vInfo")
    if vinfo is None:
        found = ", ".join(s.name for s in export.sheets.values()) or "none of the RVTools sheets"
        raise InputError(f"the {export.origin} is not an RVTools export: it has no vInfo sheet ({found})", hint=_HINT)
    if not vinfo.has("vm"):
        raise InputError(f"the vInfo sheet of the {export.origin} has no 'VM' column", hint=_HINT)
    rows = [(n, row, r) for n, row, r in records(vinfo, VINFO_SPECS) if r.get("name")]
    if not rows:
        raise InputError(f"the vInfo sheet of the {export.origin} lists no VMs", hint="export the vCenter again")

    warnings = [f"sheet {s} missing: {_MISSING[s]}" for s in SHEETS[1:] if export.sheet(s) is None]
    warnings.extend(export.notes)
    qualify = Qualifier([r for _, _, r in rows])
    topology = Topology(qualify)
    topology.load(export)
    builder = VmBuilder(export, name, topology, qualify)
    builder.from_vinfo(vinfo, rows)
    if not vinfo.has("annotation"):
        builder.labels_from_other_sheets()
    builder.merge("vCPU", VCPU_SPECS, ("cpus", "cores_per_socket", "cpu_hot_add", "cpu_hot_remove"))
    builder.merge("vMemory", VMEMORY_SPECS, ("memory_mib", "memory_hot_add"))
    builder.merge("vTools", VTOOLS_SPECS, ("tools_status",))
    hardware.add_disks(builder)
    hardware.add_partitions(builder)
    hardware.add_nics(builder)
    devices.add_snapshots(builder)
    devices.add_devices(builder)
    warnings.extend(builder.warnings)
    warnings.extend(
        f"{sheet}: {n} rows name VMs that are not in vInfo (ignored)" for sheet, n in sorted(builder.orphans.items())
    )
    document: dict[str, Any] = {
        "source": _source(export, name),
        **topology.dump(),
        "vms": list(builder.vms.values()),
        "templates_skipped": builder.templates,
        "warnings": warnings,
    }
    try:
        return Inventory.model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(
            f"the {export.origin} holds a value the inventory cannot take ({where}: {first['msg']})",
            hint="check that cell in the export",
        ) from None


def _source(export: Export, name: str) -> dict[str, Any]:
    """Endpoint and API version from vSource (one row per vCenter), else from vInfo."""
    servers: list[str] = []
    versions: list[str] = []
    sheet = export.sheet("vSource")
    if sheet is not None:
        specs = (("server", ("name", "vi sdk server"), text), ("api", ("api version",), text))
        for _, _, r in records(sheet, specs):
            servers.append(r.get("server") or "")
            versions.append(r.get("api") or "")
    info = export.sheet("vInfo")
    if not any(servers) and info is not None:
        specs = (("server", ("vi sdk server",), text), ("api", ("vi sdk api version",), text))
        for _, _, r in records(info, specs):
            servers.append(r.get("server") or "")
            versions.append(r.get("api") or "")
    collected = None
    meta = export.sheet("vMetaData")
    if meta is not None:
        for _, _, r in records(meta, (("at", ("xlsx creation datetime",), lambda v: v),)):
            collected = timestamp(r.get("at"))
            break
    return {
        "name": name,
        "kind": "rvtools",
        "endpoint": ", ".join(dict.fromkeys(s for s in servers if s)) or None,
        "api_version": ", ".join(dict.fromkeys(v for v in versions if v)) or None,
        "collected_at": collected,
    }
