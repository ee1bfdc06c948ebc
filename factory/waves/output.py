"""The ``waves.json`` view of a filled wave and of the settings: names, estimate with its
explanation, plans, capacity. Shared by the planner and the CSV re-import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from factory.waves.capacity import CapacityTracker
from factory.waves.duration import DEFAULT_RATE_MIBS
from factory.waves.groups import Group, key_of
from factory.waves.load import MAX_DISKS_PER_PLAN, WaveLoad, format_seconds
from factory.waves.windows import Window, Windows

if TYPE_CHECKING:
    from factory.waves.planner import Context


def wave_json(
    ctx: Context,
    index: int,
    window: Window | None,
    load: WaveLoad,
    groups: list[Group],
    capacity: CapacityTracker,
    name: str | None = None,
) -> dict:
    name = name or f"wave-{index:02d}"
    group_of = {k: g.name for g in groups for k in g.members}
    vms = [ctx.vms[ld.key] for ld in load.loads]
    plans = []
    for source, chunks in sorted(load.plan_split().items()):
        for chunk in chunks:
            plans.append(
                {
                    "name": f"{name}-p{len(plans) + 1}",
                    "source": source,
                    "vms": [ld.key[1] for ld in chunk],
                    "disks": sum(ld.disks for ld in chunk),
                }
            )
    estimate = load.estimate()
    bottleneck = load.bottleneck()
    explanation = [
        f"slowest {bottleneck['kind'].replace('_', ' ')}: {bottleneck['name']} ({bottleneck['source']}), "
        f"{bottleneck['vms']} VMs, {bottleneck['used_gib']} GiB at {bottleneck['rate_mibs']} MiB/s "
        f"({bottleneck['rate_from']}), {bottleneck['inflight']} in flight: {format_seconds(bottleneck['seconds'])}"
    ]
    if len(plans) > 1:
        explanation.append(f"{len(plans)} plans started {ctx.model.stagger:g} s apart")
    fallback = sum(ld.capacity_fallback for ld in load.loads)
    unknown = sum(ld.unknown_size for ld in load.loads)
    if fallback:
        explanation.append(f"{fallback} disks have no used size: their capacity is counted")
    if unknown:
        explanation.append(f"{unknown} disks have no size at all: counted as 0 bytes, the estimate is low")
    return {
        "name": name,
        "index": index,
        "window": window.as_json() if window else None,
        "estimated_seconds": round(estimate),
        "estimate": format_seconds(estimate),
        "bottleneck": bottleneck,
        "explanation": explanation,
        "used_gib": round(sum(ld.bytes for ld in load.loads) / (1 << 30), 2),
        "capacity": capacity.add_wave(vms),
        "vms": [{"id": vm.id, "source": vm.source, "name": vm.name, "group": group_of[key_of(vm)]} for vm in vms],
        "plans": plans,
    }


def settings_json(ctx: Context, windows: Windows | None, unused: list[Window]) -> dict:
    data = ctx.settings.model_dump(mode="json")
    data.update(
        {
            "max_disks_per_plan": MAX_DISKS_PER_PLAN,
            "default_throughput_mibs": DEFAULT_RATE_MIBS,
            "sources": sorted(inv.source.name for inv in ctx.inventories),
            "windows": None if windows is None else [w.as_json() for w in windows.usable],
            "skipped_windows": [] if windows is None else [{**w.as_json(), "reason": r} for w, r in windows.skipped],
            "unused_windows": [w.as_json() for w in unused],
        }
    )
    return data
