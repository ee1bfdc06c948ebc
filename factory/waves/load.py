"""A wave being filled: lane totals, plan packing and the estimate, updated per group.

Filling 10,000 VMs into windows tries many (wave, group) pairs; recomputing a wave from
scratch for each would be quadratic. Everything here is incremental: a trial touches only
the lanes and sources of the group being tried.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from factory.waves.duration import Lane, Model, VmLoad

MAX_DISKS_PER_PLAN = 500  # MTV-1203: a Plan holds at most 500 disks


@dataclass
class Limits:
    max_vms_per_plan: int = 100
    max_vms_per_wave: int | None = None
    max_vms_per_host: int | None = None
    max_seconds: float | None = None  # the window's length


@dataclass
class _Lane:
    bytes: int = 0
    vms: int = 0
    largest: int = 0


@dataclass
class _Packer:
    """Greedy plan packing per source, in insertion order: a new Plan starts when the next
    VM would pass the VM or disk limit. The final Plans are packed the same way."""

    plans: int = 0
    vms: int = 0
    disks: int = 0

    def added(self, load: VmLoad, max_vms: int) -> _Packer:
        if self.plans == 0 or self.vms + 1 > max_vms or self.disks + load.disks > MAX_DISKS_PER_PLAN:
            return _Packer(self.plans + 1, 1, load.disks)
        return _Packer(self.plans, self.vms + 1, self.disks + load.disks)


@dataclass
class WaveLoad:
    model: Model
    limits: Limits
    lanes: dict[Lane, _Lane] = field(default_factory=dict)
    packers: dict[str, _Packer] = field(default_factory=dict)
    loads: list[VmLoad] = field(default_factory=list)
    slowest: float = 0.0

    @property
    def plans(self) -> int:
        return sum(p.plans for p in self.packers.values())

    def estimate(self) -> float:
        return self.slowest + self.model.stagger * max(self.plans - 1, 0)

    def _trial(self, group: Sequence[VmLoad]) -> tuple[dict[Lane, _Lane], dict[str, _Packer], float]:
        lanes: dict[Lane, _Lane] = {}
        packers: dict[str, _Packer] = {}
        for load in group:
            for lane, nbytes in load.lanes:
                cur = lanes.get(lane) or self.lanes.get(lane) or _Lane()
                lanes[lane] = _Lane(cur.bytes + nbytes, cur.vms + 1, max(cur.largest, load.bytes))
            source = load.key[0]
            packers[source] = (packers.get(source) or self.packers.get(source) or _Packer()).added(
                load, self.limits.max_vms_per_plan
            )
        slowest = self.slowest
        for lane, totals in lanes.items():
            slowest = max(slowest, self.model.lane_seconds(lane, totals.bytes, totals.vms, totals.largest))
        return lanes, packers, slowest

    def refusal(self, group: Sequence[VmLoad]) -> str | None:
        """Why ``group`` cannot join this wave, or None when it fits every limit."""
        limits = self.limits
        if limits.max_vms_per_wave is not None and len(self.loads) + len(group) > limits.max_vms_per_wave:
            return f"more than --max-vms-per-wave {limits.max_vms_per_wave} VMs"
        too_big = [ld for ld in group if ld.disks > MAX_DISKS_PER_PLAN]
        if too_big:
            return f"VM has {too_big[0].disks} disks, more than the {MAX_DISKS_PER_PLAN} one MTV Plan holds"
        lanes, packers, slowest = self._trial(group)
        if limits.max_vms_per_host is not None:
            for lane, totals in sorted(lanes.items()):
                if lane[0] == "host" and totals.vms > limits.max_vms_per_host:
                    name = self.model.rates.names.get(lane, lane[2] or "(unknown host)")
                    return f"more than --max-vms-per-host {limits.max_vms_per_host} VMs on host {name}"
        if limits.max_seconds is not None:
            plans = sum((packers.get(s) or p).plans for s, p in self.packers.items())
            plans += sum(p.plans for s, p in packers.items() if s not in self.packers)
            seconds = slowest + self.model.stagger * max(plans - 1, 0)
            if seconds > limits.max_seconds:
                return f"needs {format_seconds(seconds)}, the window is {format_seconds(limits.max_seconds)}"
        return None

    def add(self, group: Sequence[VmLoad]) -> None:
        lanes, packers, slowest = self._trial(group)
        self.lanes.update(lanes)
        self.packers.update(packers)
        self.slowest = slowest
        self.loads.extend(group)

    def bottleneck(self) -> dict | None:
        if not self.lanes:
            return None
        lane, totals = max(
            self.lanes.items(),
            key=lambda item: (
                self.model.lane_seconds(item[0], item[1].bytes, item[1].vms, item[1].largest),
                item[0],
            ),
        )
        return self.model.explain(lane, totals.bytes, totals.vms, totals.largest)

    def plan_split(self) -> dict[str, list[list[VmLoad]]]:
        """The Plans per source, packed exactly as the estimate assumed."""
        out: dict[str, list[list[VmLoad]]] = {}
        state: dict[str, _Packer] = {}
        for load in self.loads:
            source = load.key[0]
            before = state.get(source) or _Packer()
            after = before.added(load, self.limits.max_vms_per_plan)
            state[source] = after
            plans = out.setdefault(source, [])
            if after.plans != before.plans:
                plans.append([])
            plans[-1].append(load)
        return out


def format_seconds(seconds: float) -> str:
    minutes = round(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m"
