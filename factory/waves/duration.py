"""The duration model: how long a wave's copy takes, and which host or storage domain
decides it.

From ``planning-facts.md`` (a synthesis of MTV's published measurements, not a formula MTV
ships): VMs are copied in parallel per *lane* — an ESXi host for vSphere (its NFC/network
path caps at ~200–325 MiB/s), a storage domain for RHV — with at most ``inflight`` VMs at a
time per lane (``controller_max_vm_inflight``; ~10 is optimal). For each lane::

    t = max(used_bytes / rate, largest_vm_bytes / single_vm_rate) + ceil(vms / inflight) * overhead

The wave takes the slowest lane plus a stagger per extra Plan (plans start in parallel, a
few seconds apart). Used bytes per disk are what moves; when a source does not report them
the disk's capacity is counted instead, and the explanation says so.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from factory.model import VM, Inventory, SourceKind
from factory.store import ThroughputSample

MIB = 1 << 20
DEFAULT_RATE_MIBS = 250.0  # per ESXi host / storage domain: middle of the 200–325 MiB/s measured
SINGLE_VM_MIBS = 160.0  # one VM's copy: single-disk maximum measured at 162 MiB/s
OVERHEAD_SECONDS = 90.0  # virt-v2v inspect + convert (~50 s) plus pod start
STAGGER_SECONDS = 30.0

Lane = tuple[str, str, str]  # (kind "host" | "storage_domain", source, id)


@dataclass(frozen=True)
class VmLoad:
    """What one VM puts on the lanes: bytes per lane, disks, and how sure we are."""

    key: tuple[str, str]
    lanes: tuple[tuple[Lane, int], ...]
    bytes: int
    disks: int
    capacity_fallback: int  # disks whose used size is unknown (capacity counted)
    unknown_size: int  # disks with neither used nor capacity


def vm_load(vm: VM, kind: SourceKind) -> VmLoad:
    per_lane: dict[Lane, int] = {}
    fallback = unknown = 0
    host_lane: Lane = ("host", vm.source, vm.host or "")
    for disk in vm.disks:
        size = disk.used_bytes
        if size is None:
            size = disk.capacity_bytes
            if size is None:
                unknown += 1
                size = 0
            else:
                fallback += 1
        # oVirt copies from the storage domain (image transfer); vSphere through the host's NFC.
        lane = ("storage_domain", vm.source, disk.datastore or "") if kind is SourceKind.OVIRT else host_lane
        per_lane[lane] = per_lane.get(lane, 0) + size
    if not per_lane:
        per_lane[host_lane] = 0
    return VmLoad(
        key=(vm.source, vm.id),
        lanes=tuple(sorted(per_lane.items())),
        bytes=sum(per_lane.values()),
        disks=len(vm.disks),
        capacity_fallback=fallback,
        unknown_size=unknown,
    )


def _measured(samples: Sequence[ThroughputSample]) -> float | None:
    """Aggregate MiB/s: bytes over the wall time the transfers covered (overlapping
    transfers from one host share the host's bandwidth, so they must not be summed)."""
    if not samples:
        return None
    spans = []
    for s in samples:
        if s.recorded_at is None:
            return sum(x.bytes for x in samples) / MIB / max(sum(x.seconds for x in samples), 1e-9)
        end = s.recorded_at.timestamp()
        spans.append((end - s.seconds, end))
    spans.sort()
    covered, cur_start, cur_end = 0.0, *spans[0]
    for start, end in spans[1:]:
        if start > cur_end:
            covered += cur_end - cur_start
            cur_start, cur_end = start, end
        else:
            cur_end = max(cur_end, end)
    covered += cur_end - cur_start
    return sum(s.bytes for s in samples) / MIB / max(covered, 1e-9)


@dataclass
class RateBook:
    """Per-lane rates. Precedence: measured on that host / storage domain; for a vSphere
    host without samples, the slowest measured datastore its VMs read from; then
    ``--throughput-mibs``; then measured for the whole source; then the default."""

    flag_mibs: float | None = None
    samples: Sequence[ThroughputSample] = ()
    names: dict[Lane, str] = field(default_factory=dict)
    aliases: dict[Lane, set[str]] = field(default_factory=dict)
    datastores: dict[Lane, set[str]] = field(default_factory=dict)  # host lane -> datastore ids it reads
    _cache: dict[Lane, tuple[float, str]] = field(default_factory=dict)

    def rate(self, lane: Lane) -> tuple[float, str]:
        if lane not in self._cache:
            self._cache[lane] = self._rate(lane)
        return self._cache[lane]

    def _matching(self, source: str, attr: str, names: set[str]) -> list[ThroughputSample]:
        return [s for s in self.samples if s.source in (None, source) and getattr(s, attr) in names and s.seconds > 0]

    def _rate(self, lane: Lane) -> tuple[float, str]:
        kind, source, ident = lane
        attr = "host" if kind == "host" else "datastore"
        own = self._matching(source, attr, self.aliases.get(lane, set()) | {ident})
        measured = _measured(own)
        if measured:
            return measured, f"measured on this {kind.replace('_', ' ')} ({len(own)} transfers)"
        if kind == "host":
            per_ds = []
            for ds in sorted(self.datastores.get(lane, ())):
                found = self._matching(
                    source, "datastore", self.aliases.get(("storage_domain", source, ds), set()) | {ds}
                )
                rate = _measured(found)
                if rate:
                    name = self.names.get(("storage_domain", source, ds), ds)
                    per_ds.append((rate, f"measured on datastore {name} ({len(found)} transfers)"))
            if per_ds:
                return min(per_ds)
        if self.flag_mibs:
            return self.flag_mibs, "--throughput-mibs"
        wide = [s for s in self.samples if s.source == source and s.seconds > 0]
        measured = _measured(wide)
        if measured:
            return measured, f"measured on source {source} ({len(wide)} transfers)"
        return DEFAULT_RATE_MIBS, "default"


def lane_names(inventories: Iterable[Inventory]) -> tuple[dict[Lane, str], dict[Lane, set[str]]]:
    names: dict[Lane, str] = {}
    aliases: dict[Lane, set[str]] = {}
    for inv in inventories:
        src = inv.source.name
        for host in inv.hosts:
            names[("host", src, host.id)] = host.name
            aliases[("host", src, host.id)] = {host.id, host.name}
        for ds in inv.datastores:
            names[("storage_domain", src, ds.id)] = ds.name
            aliases[("storage_domain", src, ds.id)] = {ds.id, ds.name}
    return names, aliases


@dataclass(frozen=True)
class Model:
    rates: RateBook
    inflight: int = 10
    overhead: float = OVERHEAD_SECONDS
    stagger: float = STAGGER_SECONDS
    single_vm_mibs: float = SINGLE_VM_MIBS

    def lane_seconds(self, lane: Lane, nbytes: int, vms: int, largest: int) -> float:
        rate, _ = self.rates.rate(lane)
        single = min(rate, self.single_vm_mibs)
        copy = max(nbytes / MIB / rate, largest / MIB / single)
        return copy + math.ceil(vms / self.inflight) * self.overhead

    def explain(self, lane: Lane, nbytes: int, vms: int, largest: int) -> dict:
        rate, origin = self.rates.rate(lane)
        kind, source, ident = lane
        return {
            "kind": kind,
            "source": source,
            "id": ident or None,
            "name": self.rates.names.get(lane, ident or "(unknown)"),
            "seconds": round(self.lane_seconds(lane, nbytes, vms, largest)),
            "vms": vms,
            "used_gib": round(nbytes / (1 << 30), 2),
            "rate_mibs": round(rate, 1),
            "rate_from": origin,
            "inflight": self.inflight,
        }
