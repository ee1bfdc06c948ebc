"""`mfactory cutover run|status`: move one wave's disks within its window, watch it live."""

from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import typer
from rich.live import Live
from rich.table import Table

from factory.errors import FactoryError, InputError
from factory.store.store import resolve_url
from factory.waves.document import atomic_write, load_waves
from mfactory.cli.state import STATE, console, err_console

cutover_app = typer.Typer(help="Cutover: convert a wave's disks on the worker pool.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.add_typer(cutover_app, name="cutover")


def _parse_until(text: str | None) -> float | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"--until {text!r} is not an ISO 8601 time", hint="e.g. 2026-12-05T06:00:00Z") from None
    if moment.tzinfo is None:
        raise InputError(f"--until {text!r} has no time zone", hint="add Z or +01:00") from None
    return moment.timestamp()


@cutover_app.command("run")
def run(
    wave: int = typer.Option(..., "--wave", help="Index of the wave in waves.json."),
    waves: Path = typer.Option(Path("waves.json"), "--waves", help="The wave plan (mfactory waves plan)."),
    disk_sources: Path = typer.Option(..., "--disk-sources", help="Where each disk's bytes come from (YAML)."),
    disks_dir: Path = typer.Option(Path("disks"), "--disks-dir", help="Converted disks and manifests go here."),
    until: str = typer.Option(None, "--until", help="End of the window [default: the wave's window end]."),
    workers: int = typer.Option(None, "--workers", min=1, help="Wait until this many workers answer first."),
    local: bool = typer.Option(False, "--local", help="Run in this process instead of on the workers."),
    no_verify: bool = typer.Option(False, "--no-verify", help="Skip qemu-img compare after each copy."),
    report: Path = typer.Option(None, "--report", help="Report file [default: DISKS_DIR/wave-N-report.json]."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON on stdout."),
    redis_url: str = typer.Option(None, "--redis-url", envvar="REDIS_URL", help="Broker [env REDIS_URL]"),
) -> None:
    """Build the wave's canvas, run it with live progress, end with a per-VM report."""
    import redis

    from workers import cutover as cut
    from workers.app import configure
    from workers.locator import load_disk_sources
    from workers.wave_run import run_wave
    from workers.wavestate import WaveState

    doc = load_waves(waves)
    target = cut.pick_wave(doc, wave)
    sources = load_disk_sources(disk_sources)
    deadline = _parse_until(until) or (_parse_until(target.window.end) if target.window else None)
    if deadline is not None and deadline <= time.time():
        raise InputError(f"the window of wave {wave} is over", hint="pass a later --until")
    disks_dir = disks_dir.absolute()
    disks_dir.mkdir(parents=True, exist_ok=True)
    store = STATE.store()
    db = resolve_url(STATE.db)
    work = cut.build(
        target, store, sources, disks_dir, deadline=deadline, db=db, rate=cut.throughput(store), verify=not no_verify
    )
    in_process = local or not redis_url
    configure(None if in_process else redis_url)
    rc = None if in_process else redis.Redis.from_url(redis_url, socket_timeout=10)
    if workers and not in_process:
        _wait_for_workers(workers)
    context = {"serve_url": sources.serve_url, "namespace": sources.defaults.namespace, "disks_dir": str(disks_dir)}
    startable = [w for w in work if not w.problems]
    with Live(console=err_console, refresh_per_second=4, transient=False) as live:
        final = run_wave(
            target,
            work,
            WaveState(rc, wave),
            context,
            deadline=deadline,
            rc=rc,
            on_snapshot=lambda snap: live.update(_table(snap)),
        )
    out = report or disks_dir / f"wave-{wave}-report.json"
    atomic_write(out, json.dumps(final, indent=2) + "\n")
    if as_json:
        typer.echo(json.dumps(final, indent=2))
    else:
        _summary(final, out, len(startable))
    if final["counts"].get("failed") or final["counts"].get("refused") or final["counts"].get("incomplete"):
        raise SystemExit(1)


def _wait_for_workers(n: int, timeout: float = 60) -> None:
    from workers.app import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0) or []
        if len(replies) >= n:
            return
    raise FactoryError(f"fewer than {n} workers answered within {timeout:.0f}s", hint="start them: mfactory worker")


def _table(snap: dict[str, Any]) -> Table:
    meta = snap["meta"]
    left = ""
    if meta.get("deadline"):
        left = f" — {max(0, meta['deadline'] - time.time()) / 60:.0f} min left in the window"
    table = Table(title=f"{meta['wave']} (wave {meta['index']}){left}")
    for col in ("VM", "disk", "state", "done", "rate", "ETA"):
        table.add_column(col)
    for vm in meta["vms"]:
        report = snap["reports"].get(vm["ref"])
        if not vm["disks"]:
            table.add_row(vm["name"], "-", report["status"] if report else "-", "", "", "")
        for disk in vm["disks"]:
            p = snap["progress"].get(disk["job"], {})
            done, total, rate = int(p.get("bytes_done", 0)), int(p.get("bytes_total", 0)), float(p.get("rate", 0))
            st = p.get("state", "queued")
            step = p.get("step", "")
            eta = f"{(total - done) / rate:.0f}s" if rate > 0 and total > done and st == "running" else ""
            pct = f"{done / total:.0%} of {total / 2**20:.0f} MiB" if total else ""
            table.add_row(vm["name"], str(disk["key"]), f"{step} {st}".strip(), pct, f"{rate / 2**20:.1f} MiB/s", eta)
    return table


def _summary(final: dict[str, Any], out: Path, started: int) -> None:
    counts = ", ".join(f"{n} {s}" for s, n in sorted(final["counts"].items()))
    console.print(f"{final['wave']}: {len(final['vms'])} VMs ({counts}) in {final['seconds']:.0f}s; report: {out}")
    for vm in final["vms"]:
        if vm["status"] != "done":
            why = vm.get("reason") or "; ".join(f"disk {d['key']}: {d['error']}" for d in vm["disks"] if d["error"])
            console.print(f"  {vm['name']} ({vm['source']}/{vm['vm']}): {vm['status']} — {why}")


@cutover_app.command("status")
def status(
    wave: int = typer.Option(..., "--wave", help="Index of the wave."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    redis_url: str = typer.Option(None, "--redis-url", envvar="REDIS_URL", help="Broker [env REDIS_URL]"),
) -> None:
    """Show a running (or finished) wave from any terminal; state lives in Redis."""
    import redis

    from workers.wavestate import WaveState

    if not redis_url:
        raise InputError("cutover status needs the broker", hint="set REDIS_URL to the workers' Redis")
    try:
        snap = WaveState(redis.Redis.from_url(redis_url, socket_timeout=10), wave).snapshot()
    except redis.RedisError as exc:
        raise FactoryError(f"cannot read the wave state: {exc}", hint="is Redis running at REDIS_URL?") from None
    if snap is None:
        raise InputError(f"no cutover of wave {wave} is known to this broker", hint="start one: mfactory cutover run")
    if as_json:
        typer.echo(json.dumps(snap, indent=2))
        return
    console.print(_table(snap))
    state = "finished" if snap["finished"] else "running"
    console.print(f"{state}: {len(snap['reports'])} of {len(snap['meta']['vms'])} VMs reported")
