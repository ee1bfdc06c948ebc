"""Which VM a row is about, and the id each VM keeps in the store.

RVTools identifies a VM by ``VM ID`` (the vSphere MoRef, e.g. ``vm-123``) within the vCenter
named by ``VI SDK UUID``. The MoRef is what Forklift/MTV reference VMs by, so it is the
``VM.id`` whenever the export has it. When one export covers several vCenters, MoRefs may
repeat, so every id is qualified as ``<id>@<vCenter>`` (the ``VI SDK Server`` name, or its
UUID when the server names are not distinct). Exports without ``VM ID`` (older RVTools,
trimmed files) fall back to ``VM UUID``, then to the VM name.

Rows on the other VM sheets are matched the same way: by MoRef within its vCenter, then by
``VM UUID``, then by name (only while the name is unambiguous).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from factory.sources.rvtools.table import Spec
from factory.sources.rvtools.values import text

# How any VM sheet names its VM; vInfo adds the server name (for qualified ids).
KEY_SPECS: tuple[Spec, ...] = (
    ("name", ("vm",), text),
    ("moref", ("vm id",), text),
    ("sdk", ("vi sdk uuid",), text),
    ("instance_uuid", ("vm uuid",), text),
)
SERVER_SPEC: Spec = ("server", ("vi sdk server",), text)

SKIP = ""  # rows of templates resolve to this: they are dropped without a warning
_AMBIGUOUS = object()


class Qualifier:
    """Turns a per-vCenter id into a source-wide one: the identity when the export covers
    one vCenter, ``<id>@<vCenter>`` when it covers several."""

    def __init__(self, key_rows: list[dict[str, Any]]) -> None:
        servers: dict[str, set[str]] = defaultdict(set)
        for r in key_rows:
            if r.get("sdk"):
                servers[r["sdk"]].add(r.get("server") or r["sdk"])
        names = {sdk: sorted(s)[0] for sdk, s in servers.items()}
        distinct = len(set(names.values())) == len(names)
        self.labels = {sdk: (name if distinct else sdk) for sdk, name in names.items()}
        self.multi = len(self.labels) > 1

    def __call__(self, value: str, sdk: str | None) -> str:
        if self.multi and sdk:
            return f"{value}@{self.labels.get(sdk, sdk)}"
        return value


def assign_ids(key_rows: list[dict[str, Any]], qualify: Qualifier) -> tuple[list[str], list[str]]:
    """One unique id per vInfo row, and the warnings explaining any fallback."""
    ids: list[str] = []
    taken: set[str] = set()
    fallbacks: Counter[str] = Counter()
    duplicates = 0
    for r in key_rows:
        base = r.get("moref")
        if not base:
            what = "VM UUID" if r.get("instance_uuid") else "name"
            fallbacks[what] += 1
            base = r.get("instance_uuid") or r["name"]
        vm_id = qualify(base, r.get("sdk"))
        if vm_id in taken:
            duplicates += 1
            n = 2
            while f"{vm_id}#{n}" in taken:
                n += 1
            vm_id = f"{vm_id}#{n}"
        taken.add(vm_id)
        ids.append(vm_id)
    warnings = [f"{count} VMs have no VM ID: their id is the {what}" for what, count in sorted(fallbacks.items())]
    if duplicates:
        warnings.append(f"{duplicates} vInfo rows repeat another VM's id: they were given the suffix #2, #3, ...")
    if qualify.multi:
        warnings.append(
            f"the export covers {len(qualify.labels)} vCenters ({', '.join(sorted(qualify.labels.values()))}): "
            "ids are qualified as <MoRef>@<vCenter>; import one export per vCenter for plain MoRefs"
        )
    return ids, warnings


class VmIndex:
    """Finds the VM a row of vCPU, vDisk, vNetwork, ... belongs to."""

    def __init__(self) -> None:
        self._moref: dict[tuple[str, str], str] = {}
        self._moref_only: dict[str, Any] = {}
        self._uuid: dict[str, Any] = {}
        self._name: dict[str, Any] = {}

    def add(self, vm_id: str, key: dict[str, Any]) -> None:
        if key.get("moref"):
            self._moref.setdefault((key.get("sdk") or "", key["moref"]), vm_id)
        pairs = (
            (self._moref_only, key.get("moref")),
            (self._uuid, key.get("instance_uuid")),
            (self._name, key.get("name")),
        )
        for table, value in pairs:
            if value:
                table[value] = _AMBIGUOUS if value in table and table[value] != vm_id else vm_id

    def resolve(self, key: dict[str, Any]) -> str | None:
        """The VM id, :data:`SKIP` for a template's row, or ``None`` when no VM matches."""
        moref = key.get("moref")
        if moref:
            sdk = key.get("sdk")
            found = self._moref.get((sdk or "", moref))
            if found is not None:
                return found
            if not sdk:  # a sheet without VI SDK UUID: the MoRef alone, while unambiguous
                found = self._moref_only.get(moref)
                if found is not None and found is not _AMBIGUOUS:
                    return found
        for table, value in ((self._uuid, key.get("instance_uuid")), (self._name, key.get("name"))):
            if value:
                found = table.get(value)
                if found is not None and found is not _AMBIGUOUS:
                    return found
        return None
