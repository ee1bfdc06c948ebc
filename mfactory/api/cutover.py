"""Cutover runs started from the API, on the workers' own orchestration.

The run is a job (on a Celery worker, or the API's in-process pool) that does what
`mfactory cutover run` does: :func:`workers.cutover.build` turns the wave, the store and the
disk sources (the same document as the CLI's ``--disk-sources`` file, sent in the request)
into per-VM work, the wave's state goes to :class:`workers.wavestate.WaveState`, and
:func:`workers.cutover.canvas` runs one chord per VM (``fetch -> convert`` per disk, then the
VM's report and KubeVirt manifests). The job waits for every VM's report and returns the
wave's per-VM report. The dashboard reads the same wave state the CLI's ``cutover status``
reads.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from factory.errors import InputError
from factory.store import Store
from factory.waves import load_waves
from mfactory.api.errors import field_error
from mfactory.api.jobs import JobContext, JobRecord, job_store
from mfactory.api.progress import run_doc

POLL_SECONDS = 0.25
MAX_WAIT_SECONDS = 7 * 24 * 3600


def disks_dir(data_dir: Path) -> Path:
    return data_dir / "disks"


def check_locations(sources: Any, data_dir: Path, prefix: str = "") -> None:
    """Local sources must live under DATA/disks/source: an API caller never names an
    arbitrary file of the worker's filesystem. Rewrites them to absolute paths."""
    root = (disks_dir(data_dir) / "source").resolve()
    for n, disk in enumerate(sources.disks):
        if disk.url.startswith(("http://", "https://", "vsphere://", "ovirt://")):
            continue
        path = (root / disk.url.removeprefix("file://")).resolve()
        if not path.is_relative_to(root):
            raise field_error(f"{prefix}disk_sources.disks.{n}.url", "local paths must be under DATA/disks/source")
        disk.url = str(path)


def run_cutover(
    ctx: JobContext, job_id: str, *, wave: str, disk_sources: dict, until: str | None = None, verify: bool = True
) -> dict[str, Any]:
    import redis

    from workers import cutover as cut
    from workers.locator import DiskSources
    from workers.wave_run import run_wave
    from workers.wavestate import WaveState

    doc = load_waves(ctx.data_dir / "waves" / "waves.json")
    target = next((w for w in doc.waves if w.name == wave), None)
    if target is None:
        raise InputError(f"wave: no wave named {wave!r} in the plan", hint="plan again or pick another wave")
    sources = DiskSources.model_validate(disk_sources)
    check_locations(sources, ctx.data_dir)
    deadline = _deadline(until, target.window.end if target.window else None)
    out = disks_dir(ctx.data_dir)
    out.mkdir(parents=True, exist_ok=True)
    store = Store.open(ctx.db)
    work = cut.build(
        target, store, sources, out, deadline=deadline, db=ctx.db, rate=cut.throughput(store), verify=verify
    )
    rc = redis.Redis.from_url(ctx.redis_url, socket_timeout=10) if ctx.redis_url else None
    sizes = {j.key: d.used_bytes or d.capacity_bytes or 0 for w in work for j in w.jobs for d in w.vm.disks
             if d.key == j.disk_key}  # fmt: skip
    _record(ctx, job_id, {"wave_index": target.index, "sizes": sizes})
    context = {"serve_url": sources.serve_url, "namespace": sources.defaults.namespace, "disks_dir": str(out)}
    return run_wave(
        target,
        work,
        WaveState(rc, target.index),
        context,
        deadline=deadline,
        rc=rc,
        poll_seconds=POLL_SECONDS,
        max_wait_seconds=MAX_WAIT_SECONDS,
    )


def _deadline(until: str | None, window_end: str | None) -> float | None:
    text = until or window_end
    if not text:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    if moment <= time.time():
        raise InputError("until: the cutover window is already over", hint="pass a later until")
    return moment


def _record(ctx: JobContext, job_id: str, detail: dict[str, Any]) -> None:
    jobs = ctx.jobs or job_store(ctx.redis_url)
    record = jobs.get(job_id)
    if record is not None:
        record.detail = detail
        jobs.put(record)


def progress_doc(svc: Any, record: JobRecord) -> dict[str, Any]:
    """The dashboard's document for one run, from the wave state the workers keep."""
    from workers.wavestate import WaveState

    detail = record.detail or {}
    run = {
        "run": record.id,
        "wave": record.params.get("wave"),
        "state": record.state,
        "error": record.error,
        "submitted_at": record.submitted_at.astimezone(UTC).isoformat(),
    }
    if "wave_index" not in detail:
        return run_doc(run, [], {})
    rc = getattr(svc.jobs, "redis", None)
    snap = WaveState(rc, int(detail["wave_index"])).snapshot() or {}
    return run_doc(run, _vms(snap, detail.get("sizes", {})), snap.get("progress", {}))


def _vms(snap: dict[str, Any], sizes: dict[str, int]) -> list[dict[str, Any]]:
    reports = snap.get("reports", {})
    out = []
    for vm in snap.get("meta", {}).get("vms", []):
        done = reports.get(vm["ref"])
        outcomes = {d["key"]: d for d in (done or {}).get("disks", [])}
        disks = [
            {
                "key": d["key"],
                "job_key": d["job"],
                "bytes_total": sizes.get(d["job"], 0),
                "status": outcomes.get(d["key"], {}).get("status"),
                "error": outcomes.get(d["key"], {}).get("error"),
            }
            for d in vm["disks"]
        ]
        out.append(
            {
                "id": vm["id"],
                "name": vm["name"],
                "source": vm["source"],
                "status": done["status"] if done else None,
                "reason": (done or {}).get("reason") or "; ".join(vm.get("problems", [])) or None,
                "disks": disks,
            }
        )
    return out
