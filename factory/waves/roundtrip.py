"""The spreadsheet round trip: export one row per VM, let a person edit the ``wave`` column,
import it back — but only if every move keeps groups whole and every wave within its limits.

A rejected import changes nothing: the reasons are listed and the old plan stays.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import datetime

from factory.errors import InputError
from factory.waves.capacity import CapacityTracker
from factory.waves.document import WavesDocument
from factory.waves.groups import Group, VmKey
from factory.waves.load import WaveLoad
from factory.waves.output import wave_json
from factory.waves.planner import Context
from factory.waves.windows import Window

COLUMNS = ["wave", "source", "id", "name", "group", "window_start", "status", "reason"]


def export_csv(doc: WavesDocument) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for wave in doc.waves:
        start = wave.window.start if wave.window else ""
        for vm in wave.vms:
            writer.writerow([wave.name, vm.source, vm.id, vm.name, vm.group or "", start, "planned", ""])
    for status, refs in (("unplaced", doc.unplaced), ("excluded", doc.excluded)):
        for ref in refs:
            writer.writerow(["", ref.source or "", ref.id, ref.name, "", "", status, ref.reason])
    return out.getvalue()


def _read_rows(text: str) -> dict[VmKey, str]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))  # spreadsheets add a BOM
    missing = {"wave", "source", "id"} - set(reader.fieldnames or [])
    if missing:
        raise InputError(
            f"CSV lacks the column(s) {', '.join(sorted(missing))}", hint="export with `mfactory waves export --csv`"
        )
    rows: dict[VmKey, str] = {}
    for line, row in enumerate(reader, start=2):
        key = ((row["source"] or "").strip(), (row["id"] or "").strip())
        if key in rows:
            raise InputError(f"CSV line {line}: VM {key[0]}/{key[1]} appears twice", hint="keep one row per VM")
        rows[key] = (row["wave"] or "").strip()
    return rows


def import_csv(doc: WavesDocument, text: str, ctx: Context) -> dict:
    """Return the new waves document, or raise InputError listing every broken rule."""
    current: dict[VmKey, str] = {}
    group_of: dict[VmKey, str | None] = {}
    for wave in doc.waves:
        for vm in wave.vms:
            current[(vm.source, vm.id)] = wave.name
            group_of[(vm.source, vm.id)] = vm.group
    excluded = {(r.source or "", r.id): r for r in doc.excluded}
    unplaced = {(r.source or "", r.id): r for r in doc.unplaced}
    for key, ref in unplaced.items():
        group_of[key] = (ref.model_extra or {}).get("group")
    blocked_groups = {(r.model_extra or {}).get("group") for r in doc.excluded} - {None}
    wanted = dict(current) | {k: "" for k in unplaced}
    problems: list[str] = []
    for key, wave_name in _read_rows(text).items():
        if key in excluded:
            if wave_name:
                problems.append(f"{key[0]}/{key[1]} is blocked ({excluded[key].reason}); it cannot join {wave_name}")
            continue
        if key not in wanted:
            problems.append(f"{key[0]}/{key[1]} is not in the waves file")
            continue
        wanted[key] = wave_name
    for key in wanted:
        if key not in ctx.vms:
            problems.append(f"{key[0]}/{key[1]} is no longer in the store; plan again")
    if problems:
        raise InputError("; ".join(problems), hint="fix the wave column and import again; nothing was changed")

    # Groups come from the plan, not the spreadsheet: editing the group column changes nothing.
    members: dict[str, list[VmKey]] = defaultdict(list)
    for key, name in group_of.items():
        if name:
            members[name].append(key)
    for name, keys in sorted(members.items()):
        waves = sorted({wanted[k] or "(none)" for k in keys})
        if name in blocked_groups and waves != ["(none)"]:
            problems.append(f"group {name} has blocked VMs; none of it can join a wave")
        elif len(waves) > 1:
            problems.append(f"group {name} would be split across {', '.join(waves)}")
    known = {w.name: w for w in doc.waves}
    with_windows = doc.settings.get("windows") is not None
    new_names = sorted({w for w in wanted.values() if w and w not in known})
    if with_windows and new_names:
        problems.append(f"{', '.join(new_names)} has no cutover window; use an existing wave")
    if problems:
        raise InputError("; ".join(problems), hint="fix the wave column and import again; nothing was changed")

    order = [w.name for w in doc.waves] + new_names
    previous = [k for w in doc.waves for k in ((v.source, v.id) for v in w.vms)]
    moved_in = sorted(k for k in wanted if k not in current)
    sequence = previous + moved_in
    waves_out, capacity = [], CapacityTracker(ctx.profile, ctx.mapping)
    for name in order:
        keys = [k for k in sequence if wanted.get(k) == name]
        if not keys:
            continue
        spec = known.get(name)
        window = None
        if spec is not None and spec.window is not None:
            window = Window(_parse(spec.window.start), _parse(spec.window.end))
        groups, seen = [], set()
        for key in keys:
            gname = group_of.get(key)
            if gname is None:
                groups.append(Group(None, (key,), ()))
            elif gname not in seen:
                seen.add(gname)
                groups.append(Group(gname, tuple(k for k in keys if group_of.get(k) == gname), ()))
        load = WaveLoad(ctx.model, ctx.limits(window))
        for group in groups:
            why = load.refusal(ctx.group_loads(group))
            if why:
                problems.append(f"{name}: {why}")
                break
            load.add(ctx.group_loads(group))
        waves_out.append(wave_json(ctx, len(waves_out) + 1, window, load, groups, capacity, name=name))
        if spec is not None and (spec.model_extra or {}).get("pilot"):
            waves_out[-1]["pilot"] = True
    if problems:
        raise InputError("; ".join(problems), hint="fix the wave column and import again; nothing was changed")
    still_out = []
    for key, name in sorted(wanted.items()):
        if not name:
            reason = unplaced[key].reason if key in unplaced else "moved out of the waves by hand"
            still_out.append(ctx.vm_ref(key, reason, group_of.get(key)))
    return {
        "settings": doc.settings,
        "waves": waves_out,
        "excluded": [r.model_dump(mode="json") for r in doc.excluded],
        "unplaced": sorted(still_out, key=lambda r: (r["source"], r["name"], r["id"])),
    }


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text)
