"""The wave planner: whole groups into waves, pilot first, waves into cutover windows.

Pure: it takes inventories, the blocked VMs (from the risk report, as plain data) and
settings, and returns the ``waves.json`` document. It never imports ``risk``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from factory.model import VM, Inventory
from factory.store import ThroughputSample
from factory.target import MappingFile, TargetProfile
from factory.waves.capacity import CapacityTracker
from factory.waves.duration import Lane, Model, RateBook, VmLoad, lane_names, vm_load
from factory.waves.groups import Group, VmKey, find_groups, key_of
from factory.waves.load import Limits, WaveLoad
from factory.waves.output import settings_json, wave_json
from factory.waves.settings import DEFAULT_MAX_VMS_PER_WAVE, PlanSettings
from factory.waves.windows import Window, Windows


@dataclass
class Context:
    """Everything the planner (and a CSV re-import) needs about the estate."""

    settings: PlanSettings
    inventories: Sequence[Inventory]
    vms: dict[VmKey, VM]
    loads: dict[VmKey, VmLoad]
    model: Model
    profile: TargetProfile | None = None
    mapping: MappingFile | None = None

    @classmethod
    def build(
        cls,
        inventories: Sequence[Inventory],
        settings: PlanSettings,
        samples: Sequence[ThroughputSample] = (),
        profile: TargetProfile | None = None,
        mapping: MappingFile | None = None,
    ) -> Context:
        vms, loads = {}, {}
        datastores: dict[Lane, set[str]] = defaultdict(set)
        for inv in inventories:
            for vm in inv.vms:
                if not vm.template:
                    vms[key_of(vm)] = vm
                    load = loads[key_of(vm)] = vm_load(vm, inv.source.kind)
                    for lane, _ in load.lanes:
                        datastores[lane].update(d.datastore for d in vm.disks if d.datastore)
        names, aliases = lane_names(inventories)
        rates = RateBook(settings.throughput_mibs, samples, names, aliases, dict(datastores))
        model = Model(
            rates=rates,
            inflight=settings.max_inflight_per_host,
            overhead=settings.overhead_seconds,
            stagger=settings.stagger_seconds,
            single_vm_mibs=settings.single_vm_mibs,
        )
        return cls(settings, inventories, vms, loads, model, profile, mapping)

    def limits(self, window: Window | None) -> Limits:
        per_wave = self.settings.max_vms_per_wave
        if window is None and per_wave is None:
            per_wave = DEFAULT_MAX_VMS_PER_WAVE
        return Limits(
            max_vms_per_plan=self.settings.max_vms_per_plan,
            max_vms_per_wave=per_wave,
            max_vms_per_host=self.settings.max_vms_per_host,
            max_seconds=window.seconds if window else None,
        )

    def group_loads(self, group: Group) -> list[VmLoad]:
        return [self.loads[k] for k in group.members]

    def vm_ref(self, key: VmKey, reason: str, group: str | None = None) -> dict:
        vm = self.vms[key]
        return {"id": vm.id, "source": vm.source, "name": vm.name, "reason": reason, "group": group}


@dataclass
class FilledWave:
    window: Window | None
    load: WaveLoad
    groups: list[Group]


def _slots(ctx: Context, windows: Windows | None) -> Iterator[Window | None]:
    if windows is not None:
        yield from windows.usable
        return
    while True:
        yield None


def plan_waves(
    inventories: Sequence[Inventory],
    *,
    blocked: Mapping[VmKey, Sequence[str]],
    settings: PlanSettings | None = None,
    windows: Windows | None = None,
    profile: TargetProfile | None = None,
    mapping: MappingFile | None = None,
    samples: Sequence[ThroughputSample] = (),
    risk_scores: Mapping[VmKey, float] | None = None,
) -> dict:
    """Plan every non-template VM of ``inventories`` into waves; see README for the output."""
    settings = settings or PlanSettings()
    ctx = Context.build(inventories, settings, samples, profile, mapping)
    groups = find_groups(inventories, list(ctx.vms.values()), settings.group_by)
    excluded, unplaced, movable = [], [], []
    for group in groups:
        stopped = [k for k in group.members if k in blocked]
        for key in stopped:
            excluded.append(ctx.vm_ref(key, "; ".join(blocked[key]) or "blocked", group.name))
        if stopped:
            names = ", ".join(ctx.vms[k].name for k in stopped)
            for key in group.members:
                if key not in blocked:
                    unplaced.append(ctx.vm_ref(key, f"group {group.name} has blocked VMs ({names})", group.name))
            continue
        movable.append(group)

    slots = list(windows.usable) if windows is not None else None
    widest = max(slots, key=lambda w: w.seconds) if slots else None
    fitting = []
    for group in movable:
        why = WaveLoad(ctx.model, ctx.limits(widest)).refusal(ctx.group_loads(group))
        if why is None:
            fitting.append(group)
            continue
        label = f"group {group.name}" if group.name else "VM"
        where = "the longest window" if widest else "one wave"
        for key in group.members:
            unplaced.append(ctx.vm_ref(key, f"{label} does not fit {where}: {why}", group.name))

    rank = _ranker(ctx)
    scores = risk_scores or {}

    def order(g: Group) -> tuple:
        return (rank(g), -sum(ctx.loads[k].bytes for k in g.members), g.members[0])

    pending = sorted(fitting, key=order)
    filled: list[FilledWave] = []
    unused: list[Window] = []
    slot_iter = _slots(ctx, windows)
    pilot = _pilot_candidates(ctx, pending, rank, scores)
    if pilot:
        for window in slot_iter:
            wave = FilledWave(window, WaveLoad(ctx.model, ctx.limits(window)), [])
            for group in pilot:
                if wave.load.refusal(ctx.group_loads(group)) is None:
                    wave.load.add(ctx.group_loads(group))
                    wave.groups.append(group)
            if wave.groups:
                filled.append(wave)
                taken = {id(g) for g in wave.groups}
                pending = [g for g in pending if id(g) not in taken]
                break
            unused.append(window)
    while pending:
        window = next(slot_iter, False)
        if window is False:
            for group in pending:
                for key in group.members:
                    unplaced.append(ctx.vm_ref(key, "no cutover window left for it", group.name))
            break
        wave = FilledWave(window, WaveLoad(ctx.model, ctx.limits(window)), [])
        rest, stop_rank = [], None
        for group in pending:
            r = rank(group)
            if stop_rank is not None and r > stop_rank:
                rest.append(group)  # keep dev -> test -> prod: no later env jumps a refused earlier one
                continue
            loads = ctx.group_loads(group)
            if wave.load.refusal(loads) is None:
                wave.load.add(loads)
                wave.groups.append(group)
            else:
                rest.append(group)
                stop_rank = r if stop_rank is None else min(stop_rank, r)
        pending = rest
        if wave.groups:
            filled.append(wave)
        elif window is not None:
            unused.append(window)
        else:  # cannot happen: every pending group fits an empty wave without windows
            raise AssertionError("a group that fits no empty wave reached the filler")

    capacity = CapacityTracker(profile, mapping)
    waves = [wave_json(ctx, i + 1, w.window, w.load, w.groups, capacity) for i, w in enumerate(filled)]
    if pilot and waves:
        waves[0]["pilot"] = True
    return {
        "settings": settings_json(ctx, windows, unused),
        "waves": waves,
        "excluded": sorted(excluded, key=_ref_order),
        "unplaced": sorted(unplaced, key=_ref_order),
    }


def _ref_order(ref: dict) -> tuple:
    return (ref["source"], ref["name"], ref["id"])


def _ranker(ctx: Context):
    env = ctx.settings.env_order
    if env is None:
        return lambda group: 0
    # A group goes with its latest environment: an app with one prod VM moves with prod.
    return lambda group: max(env.rank(ctx.vms[k].labels) for k in group.members)


def _pilot_candidates(ctx: Context, pending: list[Group], rank, scores: Mapping[VmKey, float]) -> list[Group]:
    """Small, low-risk groups of the first environment: fewest risk points, then fewest
    bytes, so the pilot proves the path quickly and cheaply."""
    size = ctx.settings.pilot_size
    if size <= 0 or not pending:
        return []
    first = min(rank(g) for g in pending)

    def risk(g: Group) -> tuple:
        return (
            sum(scores.get(k, 0.0) for k in g.members),
            len(g.members),
            sum(ctx.loads[k].bytes for k in g.members),
            g.members[0],
        )

    chosen, count = [], 0
    for group in sorted((g for g in pending if rank(g) == first), key=risk):
        if count + len(group.members) <= size:
            chosen.append(group)
            count += len(group.members)
        if count >= size:
            break
    return chosen
