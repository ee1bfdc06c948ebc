"""Move-together groups: union-find over the reasons VMs must share a wave.

A group is the transitive closure of: the same value of a user-chosen label (``--group-by
label:app``; custom attributes arrive as labels), the same vApp, a DRS VM-VM affinity rule,
and the same disk (a vSphere disk file, an oVirt disk id: a disk attached to several VMs
cannot be cut over twice). Splitting any of these across waves would break an application
mid-migration, so the planner only ever places whole groups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from factory.errors import InputError
from factory.model import VM, Inventory, SourceKind

VmKey = tuple[str, str]  # (source, vm id)


def key_of(vm: VM) -> VmKey:
    return (vm.source, vm.id)


def parse_group_by(selectors: Sequence[str]) -> list[str]:
    """``label:app`` -> ``app``. Only labels are selectable: collectors put vSphere custom
    attributes, tags and oVirt custom properties there."""
    keys = []
    for selector in selectors:
        kind, _, name = selector.partition(":")
        if kind != "label" or not name:
            raise InputError(f"--group-by {selector!r} is not label:KEY", hint="e.g. --group-by label:app")
        keys.append(name)
    return keys


class _UnionFind:
    def __init__(self, items: Iterable[VmKey]) -> None:
        self.parent = {item: item for item in items}

    def find(self, item: VmKey) -> VmKey:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression keeps 10k-VM estates linear
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: VmKey, b: VmKey) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass(frozen=True)
class Group:
    """VMs that move together. ``name`` is None for a VM that is a group of its own;
    ``reasons`` lists every tie (``label app=web``, ``vapp vc1/crm``, ...)."""

    name: str | None
    members: tuple[VmKey, ...]
    reasons: tuple[str, ...]


def find_groups(inventories: Sequence[Inventory], vms: Sequence[VM], label_keys: Sequence[str]) -> list[Group]:
    """Partition ``vms`` into move-together groups (only ties among ``vms`` count)."""
    keys = [key_of(vm) for vm in vms]
    ovirt = {inv.source.name for inv in inventories if inv.source.kind is SourceKind.OVIRT}
    uf = _UnionFind(keys)
    present = set(keys)
    ties: dict[str, list[VmKey]] = defaultdict(list)
    for vm in vms:
        key = key_of(vm)
        for label in label_keys:
            value = vm.labels.get(label)
            if value:  # labels span sources: an app on two vCenters is still one app
                ties[f"label {label}={value}"].append(key)
        if vm.vapp:
            ties[f"vapp {vm.source}/{vm.vapp}"].append(key)
        for disk in vm.disks:
            if disk.file:
                ties[f"disk {vm.source}/{disk.file}"].append(key)
            elif vm.source in ovirt:  # oVirt disk ids are global: a shareable disk has one id on every VM
                ties[f"disk {vm.source}/{disk.key}"].append(key)
    for inventory in inventories:
        source = inventory.source.name
        for cluster in inventory.clusters:
            for rule in cluster.affinity_rules:
                if rule.kind == "vm_affinity" and rule.enabled is not False:
                    ties[f"affinity {source}/{rule.name}"].extend((source, vm_id) for vm_id in rule.vms)
    real_ties: dict[str, list[VmKey]] = {}
    for reason, members in ties.items():
        members = sorted({m for m in members if m in present})
        if len(members) > 1:
            real_ties[reason] = members
            for other in members[1:]:
                uf.union(members[0], other)
    by_root: dict[VmKey, list[VmKey]] = defaultdict(list)
    for key in keys:
        by_root[uf.find(key)].append(key)
    reasons_by_root: dict[VmKey, list[str]] = defaultdict(list)
    for reason, members in real_ties.items():
        reasons_by_root[uf.find(members[0])].append(reason)
    groups = []
    for root, members in by_root.items():
        reasons = sorted(reasons_by_root.get(root, []))
        # The smallest reason names the group: each reason belongs to exactly one group,
        # so names are unique and stable across runs.
        groups.append(
            Group(name=reasons[0] if reasons else None, members=tuple(sorted(members)), reasons=tuple(reasons))
        )
    groups.sort(key=lambda g: g.members[0])
    return groups
