"""Per-run lookups the rules read, computed once so that predicates stay cheap.

A :class:`Context` holds, for one inventory, the tables a predicate would otherwise rebuild
per VM (clusters and vNIC profiles by id, how many VMs use each disk file), plus what spans
the whole run: the target profile and mapping, the target names after DNS-1123 renaming,
and how much each target storage class would have to hold.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from factory.model import VM, Cluster, Disk, Inventory, Nic, SourceKind, VnicProfile, provider_of
from factory.naming import renamed_and_unique
from factory.target import MappingFile, NetworkDestination, StorageClass, StorageDestination, TargetProfile
from risk.rules.os_tier import classify, os_key

_MISSING = object()


@dataclass(frozen=True, slots=True)
class DiskTarget:
    """Where a disk lands on the target. ``storage_class`` is None when neither the mapping
    nor the profile's default decides; ``klass`` is None when the class is not in the profile."""

    storage_class: str | None
    klass: StorageClass | None
    access_mode: str | None  # from the mapping, when it pins one
    mapped: bool  # an explicit storage pair matched


@dataclass
class RunContext:
    """What is shared by every inventory of one scoring run."""

    profile: TargetProfile | None = None
    mapping: MappingFile | None = None
    target_names: dict[tuple[str, str], str] = field(default_factory=dict)
    # (source, id) -> (renamed base name, the other VMs that rename to it as "source/name")
    collisions: dict[tuple[str, str], tuple[str, list[str]]] = field(default_factory=dict)
    class_demand_gib: dict[str, float] = field(default_factory=dict)


@dataclass
class Context:
    """What a predicate may read besides the VM itself."""

    run: RunContext
    kind: SourceKind
    provider: str
    clusters: dict[str, Cluster]
    vnic_profiles: dict[str, VnicProfile]
    file_users: Counter[str]
    _storage_cache: dict[tuple[str | None, str | None], StorageDestination | None] = field(default_factory=dict)
    _network_cache: dict[tuple[str | None, str | None], NetworkDestination | None] = field(default_factory=dict)
    _target_cache: dict[tuple[str | None, str | None], DiskTarget] = field(default_factory=dict)
    _targets_vm: VM | None = None
    _targets: list[tuple[Disk, DiskTarget]] = field(default_factory=list)
    _nics_vm: VM | None = None
    _os_vm: VM | None = None
    _os: tuple[str | None, str, str] = (None, "Unknown", "unknown")
    _nics: list = field(default_factory=list)

    @property
    def profile(self) -> TargetProfile | None:
        return self.run.profile

    @property
    def mapping(self) -> MappingFile | None:
        return self.run.mapping

    def os_for(self, vm: VM) -> tuple[str | None, str, str]:
        """(tier, family, label) of the VM's guest OS; the tier rule and the engine both ask."""
        if vm is not self._os_vm:
            self._os_vm, self._os = vm, classify(os_key(vm))
        return self._os

    def cluster(self, vm: VM) -> Cluster | None:
        return None if vm.cluster is None else self.clusters.get(vm.cluster)

    def storage_pair(self, disk: Disk) -> StorageDestination | None:
        key = (disk.datastore, disk.datastore_name)
        if key not in self._storage_cache:
            mapping = self.run.mapping
            self._storage_cache[key] = mapping.storage_for(*key) if mapping else None
        return self._storage_cache[key]

    def disk_target(self, disk: Disk) -> DiskTarget:
        key = (disk.datastore, disk.datastore_name)
        target = self._target_cache.get(key)
        if target is None:
            target = self._target_cache[key] = self._resolve_target(disk)
        return target

    def disk_targets(self, vm: VM) -> list[tuple[Disk, DiskTarget]]:
        """Where each of ``vm``'s copied disks (not oVirt direct LUNs) lands. Four storage
        rules ask for the same VM in turn, so the last answer is kept."""
        if vm is self._targets_vm:
            return self._targets
        cache = self._target_cache
        out = []
        for d in vm.disks:
            if d.storage_type == "lun":
                continue
            key = (d.datastore, d.datastore_name)
            target = cache.get(key)
            if target is None:
                target = cache[key] = self._resolve_target(d)
            out.append((d, target))
        self._targets_vm, self._targets = vm, out
        return out

    def nic_targets(self, vm: VM) -> list[tuple[Nic, tuple[str | None, str | None], NetworkDestination | None]]:
        """Each NIC with its source network (id, name) and mapped destination (last VM kept)."""
        if vm is self._nics_vm:
            return self._nics
        out = []
        for n in vm.nics:
            key = self.nic_network(n)
            dest = self._network_cache.get(key, _MISSING)
            if dest is _MISSING:
                mapping = self.run.mapping
                dest = self._network_cache[key] = mapping.network_for(*key) if mapping else None
            out.append((n, key, dest))
        self._nics_vm, self._nics = vm, out
        return out

    def _resolve_target(self, disk: Disk) -> DiskTarget:
        profile = self.run.profile
        pair = self.storage_pair(disk)
        if pair is not None:
            klass = profile.storage_class(pair.storage_class) if profile else None
            return DiskTarget(pair.storage_class, klass, pair.access_mode, True)
        default = profile.default_storage_class if profile else None
        return DiskTarget(default.name if default else None, default, None, False)

    def nic_network(self, nic: Nic) -> tuple[str | None, str | None]:
        """The NIC's source network (id, name); oVirt NICs may only name a vNIC profile."""
        if nic.network is None and nic.network_name is None and nic.profile is not None:
            prof = self.vnic_profiles.get(nic.profile)
            if prof is not None:
                return prof.network, None
        return nic.network, nic.network_name


def build_run(
    inventories: Sequence[Inventory], profile: TargetProfile | None, mapping: MappingFile | None
) -> tuple[RunContext, list[Context]]:
    """The run-wide facts and one :class:`Context` per inventory (same order).

    Each pass over 100,000 VMs costs a few hundred milliseconds in cache misses alone, so
    the disks are walked once per inventory for everything the contexts need."""
    run = RunContext(profile=profile, mapping=mapping)
    vms = [vm for inv in inventories for vm in inv.vms if not vm.template]
    bases, run.target_names = renamed_and_unique(vms)
    counts = Counter(bases.values())
    if len(counts) < len(bases):
        groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for key, base in bases.items():
            if counts[base] > 1:
                groups[base].append(key)
        names = {(vm.source, vm.id): vm.name for vm in vms if counts[bases[(vm.source, vm.id)]] > 1}
        for base, members in groups.items():
            for key in members:
                others = [f"{k[0]}/{names[k]}" for k in members if k != key]
                run.collisions[key] = (base, others[:5])
    sizes = profile is not None  # class demand: factory.storage.capacity and the capacity summary
    contexts = []
    demand: Counter[str] = Counter()
    for inv in inventories:
        ctx, per_store, sample = _context_and_sizes(inv, run, sizes)
        contexts.append(ctx)
        for key, size in per_store.items():  # resolved once per datastore, not per disk
            target = ctx.disk_target(sample[key])
            if target.storage_class is not None:
                demand[target.storage_class] += size / 2**30
    run.class_demand_gib = dict(demand)
    return run, contexts


_Key = tuple[str | None, str | None]


def _context_and_sizes(
    inventory: Inventory, run: RunContext, sizes: bool
) -> tuple[Context, dict[_Key, int], dict[_Key, Disk]]:
    """The inventory's context, and (when ``sizes``) the bytes per datastore with one disk
    of each to resolve its storage class."""
    kind = inventory.source.kind
    provider = provider_of(kind)
    disks = [d for vm in inventory.vms if not vm.template for d in vm.disks]
    # How many disks (of all VMs) use each backing file; only vmware.disk.shared.detected
    # reads it, and subtracts the VM's own uses (a VM may list a file twice).
    files: Counter[str] = Counter([d.file for d in disks if d.file]) if provider == "vsphere" else Counter()
    per_store: dict[_Key, int] = {}
    sample: dict[_Key, Disk] = {}
    if sizes:
        for d in disks:
            size = d.capacity_bytes
            if size and d.storage_type != "lun":
                key = (d.datastore, d.datastore_name)
                if key in per_store:
                    per_store[key] += size
                else:
                    per_store[key], sample[key] = size, d
    ctx = Context(
        run=run,
        kind=kind,
        provider=provider,
        clusters={c.id: c for c in inventory.clusters},
        vnic_profiles={p.id: p for p in inventory.vnic_profiles},
        file_users=files,
    )
    return ctx, per_store, sample
