"""`mfactory disk convert`: one disk through the worker pool (or in-process with --local)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

from factory.errors import FactoryError, InputError
from factory.store.store import resolve_url
from mfactory.cli.state import STATE, err_console

disk_app = typer.Typer(help="Disks: convert one disk image through the worker pool.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.add_typer(disk_app, name="disk")


@disk_app.command("convert")
def convert(
    src: str = typer.Argument(..., help="Source image: a path or an http(s) URL."),
    dst: Path = typer.Argument(..., help="Converted disk; written under a temporary name, renamed when verified."),
    fmt: str = typer.Option("raw", "--format", "-O", help="raw | qcow2"),
    local: bool = typer.Option(False, "--local", help="Run the task in this process, not on the workers."),
    no_verify: bool = typer.Option(False, "--no-verify", help="Skip `qemu-img compare` of the result."),
    src_format: str = typer.Option(None, "--src-format", help="Source format [default: detected]"),
    checksum: str = typer.Option(None, "--checksum", help="sha256:<hex> of a downloaded source"),
    insecure: bool = typer.Option(False, "--insecure", help="Do not verify the source's TLS certificate."),
    timeout: float = typer.Option(None, "--timeout", help="Give up waiting after this many seconds."),
    redis_url: str = typer.Option(None, "--redis-url", envvar="REDIS_URL", help="Broker [env REDIS_URL]"),
) -> None:
    """Convert SRC to DST (raw or qcow2); exit 1 when the conversion fails."""
    from workers.app import configure
    from workers.atomic import marker_path
    from workers.jobs import DiskJob

    if fmt not in ("raw", "qcow2"):
        raise InputError(f"unsupported target format {fmt!r}", hint="use --format raw or --format qcow2")
    if not src.startswith(("http://", "https://")) and not Path(src).is_file():
        raise InputError(f"source disk {src} does not exist", hint="pass an existing image file or an http(s) URL")
    dst = dst.absolute()
    if not dst.parent.is_dir():
        raise InputError(f"target folder {dst.parent} does not exist", hint="create it first")
    if dst.exists() and not marker_path(dst).exists():
        raise InputError(f"{dst} exists and was not written by mfactory", hint="remove it or choose another DST")
    in_process = local or not redis_url
    configure(None if in_process else redis_url)
    job = DiskJob(
        src=src if "://" in src else str(Path(src).absolute()),
        dst=str(dst),
        dst_format=fmt,  # type: ignore[arg-type]
        src_format=src_format,
        verify=not no_verify,
        checksum=checksum,
        insecure=insecure,
        db=resolve_url(STATE.db) if STATE.db or os.environ.get("MFACTORY_DB") else None,
    )
    result = _run_local(job) if in_process else _run_remote(job, redis_url, timeout)
    status = result["status"]
    line = f"{status}: {dst} ({fmt}"
    if result.get("seconds"):
        line += f", {result['bytes'] / 1e6:.1f} MB in {result['seconds']:.2f}s"
    if result.get("verify_seconds") is not None:
        line += f", verified in {result['verify_seconds']:.2f}s"
    typer.echo(line + ")")
    if status not in ("done", "skipped"):
        raise FactoryError(f"conversion of {src} failed: {result.get('error')}", hint="see the message above")


def _bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    )


def _run_local(job: Any) -> dict[str, Any]:
    from workers import progress as prog
    from workers.tasks import convert, fetch

    with _bar() as bar:
        task = bar.add_task(f"{job.key[:40]} fetch", total=None)

        def listener(_key: str, fields: dict[str, Any]) -> None:
            total = int(fields.get("bytes_total") or 0) or None
            bar.update(task, completed=int(fields["bytes_done"]), total=total, description=f"{fields['step']}")

        prog.add_listener(listener)
        try:
            return convert.apply(args=[fetch.apply(args=[job.model_dump(mode="json")]).get()]).get()
        finally:
            prog.remove_listener(listener)


def _run_remote(job: Any, redis_url: str, timeout: float | None) -> dict[str, Any]:
    import redis
    from celery import chain

    from workers import progress as prog
    from workers.tasks import convert, fetch

    rc = redis.Redis.from_url(redis_url, socket_timeout=10)
    result = chain(fetch.s(job.model_dump(mode="json")), convert.s()).apply_async()
    started = time.monotonic()
    with _bar() as bar:
        task = bar.add_task("queued", total=None)
        while not result.ready():  # one cheap GET per round; no busy pub/sub drain next to qemu-img
            if timeout is not None and time.monotonic() - started > timeout:
                raise FactoryError(f"no result after {timeout:.0f}s", hint="is a worker running? `mfactory worker`")
            fields = prog.read(rc, job.key)
            if fields:
                total = int(fields.get("bytes_total") or 0) or None
                bar.update(task, completed=int(fields["bytes_done"]), total=total, description=fields["step"])
            time.sleep(0.1)
    try:
        return result.get(timeout=30)
    except Exception as exc:
        raise FactoryError(f"conversion task crashed: {exc}", hint="see the worker's log") from None
