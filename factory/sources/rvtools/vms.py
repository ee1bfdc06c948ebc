"""VMs from vInfo, completed by the per-VM sheets vCPU, vMemory and vTools.

Each VM is built as a plain dict in the model's field names; the whole inventory is
validated once at the end (pydantic-core does that in one pass, far faster than one
constructor call per object).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from factory.sources.rvtools.identity import KEY_SPECS, SERVER_SPEC, SKIP, Qualifier, VmIndex, assign_ids
from factory.sources.rvtools.reader import Export, Sheet
from factory.sources.rvtools.table import records
from factory.sources.rvtools.topology import Topology
from factory.sources.rvtools.values import boolean, flag, integer, text

VINFO_SPECS = (
    *KEY_SPECS,
    SERVER_SPEC,
    ("power", ("powerstate",), text),
    ("template", ("template",), boolean),
    ("srm_placeholder", ("srm placeholder",), boolean),
    ("connection_state", ("connection state",), text),
    ("dns_name", ("dns name",), text),
    ("consolidation_needed", ("consolidation needed",), boolean),
    ("cpus", ("cpus",), integer),
    ("memory_mib", ("memory",), integer),
    ("disk_enable_uuid", ("enableuuid",), flag),
    ("cbt", ("cbt",), flag),
    ("primary_ip", ("primary ip address",), text),
    ("folder", ("folder",), text),
    ("vapp", ("vapp",), text),
    ("ft_state", ("ft state",), text),
    ("secure_boot", ("efi secure boot",), boolean),
    ("firmware", ("firmware",), text),
    ("annotation", ("annotation",), text),
    ("datacenter", ("datacenter",), text),
    ("cluster", ("cluster",), text),
    ("host", ("host",), text),
    ("guest_name", ("os according to the configuration file",), text),
    ("guest_name_reported", ("os according to the vmware tools",), text),
    ("uuid", ("smbios uuid",), text),
)
VCPU_SPECS = (
    *KEY_SPECS,
    ("cpus", ("cpus",), integer),
    ("cores_per_socket", ("cores p/s",), integer),
    ("cpu_hot_add", ("hot add",), boolean),
    ("cpu_hot_remove", ("hot remove",), boolean),
)
VMEMORY_SPECS = (*KEY_SPECS, ("memory_mib", ("size mib",), integer), ("memory_hot_add", ("hot add",), boolean))
VTOOLS_SPECS = (*KEY_SPECS, ("tools_status", ("tools",), text))

_POWER = {"poweredon": "on", "poweredoff": "off", "suspended": "suspended"}
_NETWORK_COLUMN = re.compile(r"^network #\d+$")
# Sheets that repeat Annotation and the custom attributes, for exports whose vInfo lost them.
_LABEL_SHEETS = ("vCPU", "vMemory", "vDisk", "vNetwork", "vTools", "vCD", "vUSB", "vPartition", "vSnapshot")


class VmBuilder:
    """Holds the VMs being built (by id), the index that routes rows of the other VM sheets
    to them, and what the summary must say (templates skipped, warnings, unmatched rows)."""

    def __init__(self, export: Export, source: str, topology: Topology, qualify: Qualifier) -> None:
        self.export = export
        self.source = source
        self.topology = topology
        self.qualify = qualify
        self.index = VmIndex()
        self.vms: dict[str, dict[str, Any]] = {}
        self.templates = 0
        self.warnings: list[str] = []
        self.orphans: Counter[str] = Counter()

    def from_vinfo(self, sheet: Sheet, key_rows: list[tuple[int, list[Any], dict[str, Any]]]) -> None:
        ids, warnings = assign_ids([r for _, _, r in key_rows], self.qualify)
        self.warnings.extend(warnings)
        labels = sheet.custom_attribute_columns()
        networks = [i for i, h in enumerate(sheet.headers) if _NETWORK_COLUMN.match(h)]
        unknown: Counter[str] = Counter()
        for vm_id, (_, row, r) in zip(ids, key_rows, strict=True):
            if r.get("template"):
                self.templates += 1
                self.index.add(SKIP, r)
                continue
            if r.get("srm_placeholder"):
                unknown["SRM Placeholder set: recovery-site shadows of protected VMs, review before planning"] += 1
            self.index.add(vm_id, r)
            self.vms[vm_id] = self._vm(vm_id, row, r, labels, networks, unknown)
        self.warnings.extend(f"{n} VMs with {what}" for what, n in sorted(unknown.items()))

    def _vm(
        self,
        vm_id: str,
        row: list[Any],
        r: dict[str, Any],
        labels: list[tuple[int, str]],
        networks: list[int],
        unknown: Counter[str],
    ) -> dict[str, Any]:
        topo, sdk = self.topology, r.get("sdk")
        power = _POWER.get((r.get("power") or "").casefold())
        if power is None:
            unknown["an unknown power state (read as unknown)"] += 1
        firmware = (r.get("firmware") or "").casefold() or None
        if firmware not in (None, "bios", "efi"):
            unknown[f"firmware {r['firmware']!r} (read as unknown)"] += 1
            firmware = None
        ft = r.get("ft_state")
        dc = topo.ref("datacenter", sdk, r.get("datacenter"))
        cluster = topo.ref("cluster", sdk, r.get("cluster"), datacenter=dc)
        for i in networks:
            if row[i] != "":
                topo.network(sdk, text(row[i]), None)
        ip = r.get("primary_ip")
        return {
            "id": vm_id,
            "source": self.source,
            "name": r["name"],
            "uuid": r.get("uuid"),
            "instance_uuid": r.get("instance_uuid"),
            "power_state": power or "unknown",
            "connection_state": r.get("connection_state"),
            "cpus": r.get("cpus"),
            "memory_mib": r.get("memory_mib"),
            "firmware": firmware,
            "secure_boot": r.get("secure_boot"),
            "guest_name": r.get("guest_name"),
            "guest_name_reported": r.get("guest_name_reported"),
            "cbt": r.get("cbt"),
            "disk_enable_uuid": r.get("disk_enable_uuid"),
            "fault_tolerance": None if ft is None else ft.casefold() != "notconfigured",
            "consolidation_needed": r.get("consolidation_needed"),
            "host": topo.ref("host", sdk, r.get("host"), cluster=cluster, datacenter=dc),
            "cluster": cluster,
            "datacenter": dc,
            "folder": r.get("folder"),
            "vapp": r.get("vapp"),
            "annotation": r.get("annotation"),
            "labels": _labels(row, labels),
            "guest_ips": [ip] if ip else None,
            "guest_hostname": r.get("dns_name"),
            "disks": [],
            "nics": [],
        }

    def labels_from_other_sheets(self) -> None:
        """example1-style trimmed exports drop Annotation and the custom attributes from vInfo
        but keep them on vCPU, vMemory, vDisk, ...: take them from the first such sheet."""
        for title in _LABEL_SHEETS:
            sheet = self.export.sheet(title)
            if sheet is None or not sheet.has("annotation"):
                continue
            columns = sheet.custom_attribute_columns()
            annotation = sheet.col("annotation")
            done: set[str] = set()
            for _, row, key in records(sheet, KEY_SPECS):
                vm = self.vm_for(key, count_orphan=False)
                if vm is None or vm["id"] in done:
                    continue
                done.add(vm["id"])
                vm["labels"] = _labels(row, columns)
                if vm["annotation"] is None:
                    vm["annotation"] = text(row[annotation])
            return

    def vm_for(self, key: dict[str, Any], sheet: str = "", *, count_orphan: bool = True) -> dict[str, Any] | None:
        vm_id = self.index.resolve(key)
        if vm_id is None:
            if count_orphan:
                self.orphans[sheet] += 1
            return None
        return None if vm_id == SKIP else self.vms.get(vm_id)

    def merge(self, title: str, specs: tuple, fields: tuple[str, ...]) -> None:
        """Copy ``fields`` from a one-row-per-VM sheet; vInfo's own value wins when both say."""
        sheet = self.export.sheet(title)
        if sheet is None:
            return
        for _, _, r in records(sheet, specs):
            vm = self.vm_for(r, title)
            if vm is None:
                continue
            for field in fields:
                if field in r and vm.get(field) is None:
                    vm[field] = r[field]


def _labels(row: list[Any], columns: list[tuple[int, str]]) -> dict[str, str]:
    """Custom attributes set on the VM. A blank cell means the attribute is not set on it
    (vCenter lists only set values), so it is no label."""
    out: dict[str, str] = {}
    for i, name in columns:
        value = text(row[i])
        if value is not None:
            out[name] = value
    return out
