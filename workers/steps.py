"""The bodies of the fetch and convert tasks, as plain functions over a `DiskJob`.

Both steps: count the attempt, take the job lock (one live attempt per job), take the job's
resource tokens (host / datastore / storage class), refuse to start when the estimate no
longer fits the window, report progress, record throughput. Failures of THIS disk (bad
source, failed check, failed verify) come back as `status="failed"` with a message instead
of an exception, so Celery never retries them (no retry storm) and the rest of the wave goes
on; the per-VM report shows them.
"""

from __future__ import annotations

import logging
import socket
import time
from pathlib import Path

from factory.errors import FactoryError
from workers import atomic, qemu
from workers.converters import Converter, QemuImgConverter, Source, probe
from workers.fetch import download, is_remote, local_path
from workers.jobs import DiskJob, client, count_attempt, job_lock, observe, record_throughput, tokens_for
from workers.progress import Progress
from workers.sources import resolve_download

log = logging.getLogger(__name__)

STALL_RESTARTS = 2  # a third hang in a row is not bad luck: the disk fails with the reason


def _refuse_if_late(job: DiskJob) -> bool:
    if job.deadline is None or job.estimate_seconds is None:
        return False
    left = job.deadline - time.time()
    if job.estimate_seconds > left:
        job.status = "refused"
        job.error = f"estimate {job.estimate_seconds:.0f}s exceeds the {max(left, 0):.0f}s left in the window"
        return True
    return False


def fetch_step(job: DiskJob) -> DiskJob:
    rc = client()
    job.worker = socket.gethostname()
    job.attempts = count_attempt(rc, job, "fetch")
    if job.status in ("failed", "refused"):
        return job
    if not is_remote(job.src) or job.stream:
        job.local_src = job.src if job.stream else str(local_path(job.src))
        job.status = "fetched"
        return job
    dest = Path(job.stage_dir or Path(job.dst).parent / ".staging") / f"{job.key}.src"
    if dest.exists():  # staged and checksummed by an earlier attempt
        job.local_src, job.status = str(dest), "fetched"
        return job
    progress = Progress(rc, job.key, "fetch")
    tokens = [t.token() for t in job.tokens]
    with job_lock(rc, job, "fetch"), tokens_for(rc).hold(tokens), observe(rc, tokens):
        if not dest.exists():
            if _refuse_if_late(job):
                progress.emit("refused", error=job.error)
                return job
            progress.emit("running")

            def on_bytes(done: int, total: int | None) -> None:
                progress.total = total
                progress.update(done)

            try:
                with resolve_download(job) as dl:
                    nbytes, seconds = download(dl, dest, job.checksum, on_bytes)
            except FactoryError as exc:
                job.status, job.error = "failed", str(exc)
                progress.emit("failed", error=job.error)
                return job
            progress.emit("done")
            record_throughput(job, "fetch", nbytes, seconds)
    job.local_src, job.status = str(dest), "fetched"
    return job


def convert_step(job: DiskJob, converter: Converter | None = None) -> DiskJob:
    rc = client()
    job.worker = socket.gethostname()
    job.attempts = count_attempt(rc, job, "convert")
    if job.status in ("failed", "refused"):
        return job
    final = Path(job.dst)
    identity = _identity(job)
    if (done := atomic.read_done(final, identity)) is not None:
        return _skipped(job, done)
    progress = Progress(rc, job.key, "convert")
    tokens = [t.token() for t in job.tokens]
    with job_lock(rc, job, "convert"):
        if (done := atomic.read_done(final, identity)) is not None:  # a duplicate finished it meanwhile
            return _skipped(job, done)
        with tokens_for(rc).hold(tokens, on_wait=lambda: progress.update(0, state="waiting")), observe(rc, tokens):
            if _refuse_if_late(job):
                progress.emit("refused", error=job.error)
                return job
            try:
                _convert(job, final, identity, converter or QemuImgConverter(), progress)
            except FactoryError as exc:
                job.status, job.error = "failed", str(exc)
                progress.emit("failed", error=job.error)
                log.warning("disk %s failed: %s", job.key, exc)
    return job


def _convert(job: DiskJob, final: Path, identity: str, converter: Converter, progress: Progress) -> None:
    final.parent.mkdir(parents=True, exist_ok=True)
    count_attempt(client(), job, "convert-run")  # deliveries that really started copying
    atomic.invalidate(final)
    atomic.remove_stale_parts(final)
    src = probe(job.src if job.stream else Path(job.local_src or job.src), job.src_format)
    if not job.stream:  # streamed sources are checked by their checksum / the compare below
        checked = qemu.check(src.path, src.format)
        if not checked.ok:
            raise FactoryError(f"source image {Path(str(src.path)).name} is damaged ({checked.detail})")
    progress.total = src.virtual_size
    progress.emit("running", src_format=src.format)
    tmp = atomic.temp_path(final)
    started = time.monotonic()
    try:
        _convert_restarting_stalls(converter, src, tmp, job, progress)
        atomic.fsync_file(tmp)
        job.seconds = time.monotonic() - started
        job.bytes = tmp.stat().st_blocks * 512  # allocated bytes: what really moved
        if job.verify:
            progress.emit("verifying")
            t0 = time.monotonic()
            same, message = qemu.compare(src.path, src.format, tmp, job.dst_format)
            job.verify_seconds = time.monotonic() - t0
            if not same:
                raise FactoryError(f"verification failed for {final.name}: {message}")
            job.verified = True
        atomic.publish(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    facts = {"verified": bool(job.verified), "src_format": src.format, "dst_format": job.dst_format}
    atomic.write_marker(final, identity, facts | {"bytes": job.bytes, "seconds": job.seconds})
    job.status = "done"
    progress.done = src.virtual_size
    progress.emit("done", verified=str(bool(job.verified)).lower(), seconds=round(job.seconds, 3))
    record_throughput(job, "convert", job.bytes, job.seconds)


def _convert_restarting_stalls(converter: Converter, src: Source, tmp: Path, job: DiskJob, progress: Progress) -> None:
    """A hung copy (see `qemu.Stalled`) is killed and started again, up to `STALL_RESTARTS`
    times, inside this attempt: the job lock and tokens stay held, nothing was published."""
    for restart in range(STALL_RESTARTS + 1):
        try:
            converter.convert(src, tmp, job.dst_format, lambda f: progress.update(int(f * src.virtual_size)))
            return
        except qemu.Stalled as exc:
            if restart == STALL_RESTARTS:
                raise FactoryError(f"{exc} ({restart + 1} times)", hint=exc.hint) from None
            log.warning("disk %s: %s; starting the copy again", job.key, exc)
            tmp.unlink(missing_ok=True)
            progress.update(0, state="restarting", force=True, note=str(exc))


def _identity(job: DiskJob) -> str:
    """Job key plus the source's own identity: a changed source file (size or mtime) or
    another checksum is another job, even at the same path."""
    if job.stream or not job.local_src:
        return f"{job.key}:{job.checksum or ''}"
    st = Path(job.local_src).stat()
    return f"{job.key}:{st.st_size}:{st.st_mtime_ns}:{job.checksum or ''}"


def _skipped(job: DiskJob, done: dict) -> DiskJob:
    job.status = "skipped"
    job.verified = done.get("verified")
    job.bytes = int(done.get("bytes", 0))
    return job
