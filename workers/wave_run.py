"""Run one wave's work to the end: the one sequence the CLI, the API and the demo share.

`mfactory cutover run`, the API's cutover job and the demo all do the same thing once
:func:`workers.cutover.build` has turned a wave into per-VM work: record the wave in its
:class:`~workers.wavestate.WaveState`, mark the VMs refused up front, start the canvas, wait
for every VM's report (rescuing chords whose callback a broker restart lost), and return
the per-VM report. Only how progress is shown differs, so that is a callback.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from typing import Any

from factory.errors import FactoryError
from factory.waves.document import Wave
from workers.cutover import ChordWatchdog, VmWork, canvas, vm_infos
from workers.wavestate import WaveState

Snapshot = dict[str, Any]


def not_started(item: VmWork) -> dict[str, Any]:
    """The report of a VM that was refused before anything moved (no source, window too short)."""
    return {
        "vm": item.vm.id,
        "source": item.vm.source,
        "name": item.vm.name,
        "status": "refused",
        "bytes": 0,
        "seconds": 0,
        "reason": "; ".join(item.problems),
        "disks": [],
        "manifests": None,
    }


def wave_report(snap: Snapshot, name: str, index: int) -> dict[str, Any]:
    """The wave's per-VM report (the VMs' own reports, in plan order) with counts by status."""
    meta = snap.get("meta", {})
    reports = snap.get("reports", {})
    vms = [reports[vm["ref"]] for vm in meta.get("vms", []) if vm["ref"] in reports]
    counts: dict[str, int] = {}
    for vm in vms:
        counts[vm["status"]] = counts.get(vm["status"], 0) + 1
    seconds = time.time() - meta.get("started", time.time())
    return {"wave": name, "index": index, "seconds": round(seconds, 1), "counts": counts, "vms": vms}


def run_wave(
    wave: Wave,
    work: list[VmWork],
    state: WaveState,
    context: dict[str, Any],
    *,
    deadline: float | None,
    rc: Any = None,
    on_snapshot: Callable[[Snapshot], None] | None = None,
    poll_seconds: float = 0.25,
    max_wait_seconds: float = 7 * 24 * 3600,
) -> dict[str, Any]:
    """Start the wave's canvas and wait until every VM has a report; returns the wave report.

    ``rc`` is the Redis client of the broker (None in-process). ``context`` is what each VM's
    final step gets (``serve_url``, ``namespace``, ``disks_dir``).
    """
    state.start(
        {
            "wave": wave.name,
            "index": wave.index,
            "deadline": deadline,
            "started": time.time(),
            "vms": [w.meta() for w in work],
        }
    )
    for item in work:
        if item.problems:
            state.record_vm(item.ref, not_started(item))
    infos = vm_infos(wave.index, work, context)
    failures: list[BaseException] = []

    def launch() -> None:
        # In-process (eager) this runs the whole wave; with Redis it only enqueues.
        try:
            canvas(work, infos).apply_async()
        except BaseException as exc:  # surfaced to the waiting caller below, not lost in a thread
            failures.append(exc)

    runner = threading.Thread(target=launch, daemon=True)
    runner.start()
    watchdog = None if rc is None else ChordWatchdog(rc, infos)
    waited = time.monotonic()
    while True:
        if failures:
            raise FactoryError(f"wave {wave.name} could not be started: {failures[0]}", hint="check the workers")
        try:
            snap = state.snapshot()
        except Exception:  # the broker is restarting: read again next round
            snap = None
        if snap is not None:
            if on_snapshot is not None:
                on_snapshot(snap)
            if len(snap["reports"]) >= len(work):
                break
            if watchdog is not None:
                with contextlib.suppress(Exception):  # broker restarting: try again next round
                    watchdog(snap["reports"])
        if time.monotonic() - waited > max_wait_seconds:
            raise FactoryError(f"wave {wave.name} did not finish in {max_wait_seconds:.0f}s", hint="check the workers")
        time.sleep(poll_seconds)
    runner.join()
    state.finish()
    return wave_report(state.snapshot() or {}, wave.name, wave.index)
