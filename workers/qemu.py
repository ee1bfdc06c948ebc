"""`qemu-img` as a library: facts as JSON, a source check, the convert command line chosen
from measurement, its `-p` progress, and verification by `qemu-img compare`.

Flag choices (measured on this kind of machine, see conversion.md): `-W` (out-of-order
writes) for qcow2 sources; never `-t none` (O_DIRECT was ~2.5x slower from VMDK); never
`-S 0` (writes the whole virtual size); `-n --target-is-zero` when writing onto a target we
created ourselves (plain `-n` is ~2.8x slower). qemu-img does not sync at the end: the caller
fsyncs (see `workers.atomic`).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import selectors
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factory.errors import FactoryError, InputError

QEMU_IMG = "qemu-img"
FORMATS = ("raw", "qcow2", "vmdk", "vpc", "vhdx")
_PROGRESS = re.compile(rb"\((\d+(?:\.\d+)?)/100%\)")


def _die_with_parent() -> None:
    """Child side of Popen: get SIGKILL when the worker that started us dies (kill -9), so an
    orphaned qemu-img never keeps writing after its task was redelivered elsewhere."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _missing() -> FactoryError:
    return FactoryError("qemu-img not found", hint="install the Debian package qemu-utils")


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run([QEMU_IMG, *args], capture_output=True, text=True, preexec_fn=_die_with_parent)
    except FileNotFoundError:
        raise _missing() from None


def info(path: Path | str, fmt: str | None = None) -> dict[str, Any]:
    """`qemu-img info --output=json` (format, virtual-size, actual-size, VMDK subformat)."""
    args = ["info", "--output=json", *(["-f", fmt] if fmt else []), str(path)]
    proc = _run(args)
    if proc.returncode != 0:
        raise InputError(f"cannot read disk image {path}: {_last_line(proc.stderr)}", hint="is it a disk image?")
    return json.loads(proc.stdout)


def measure(path: Path | str, out_fmt: str, fmt: str | None = None) -> dict[str, int]:
    """`qemu-img measure`: `required` and `fully-allocated` bytes of the target."""
    proc = _run(["measure", "--output=json", "-O", out_fmt, *(["-f", fmt] if fmt else []), str(path)])
    if proc.returncode != 0:
        raise FactoryError(f"qemu-img measure failed for {path}: {_last_line(proc.stderr)}")
    return json.loads(proc.stdout)


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    supported: bool
    detail: str


def check(path: Path | str, fmt: str) -> CheckResult:
    """`qemu-img check` the source before converting: a truncated qcow2/VMDK otherwise converts
    with exit 0 and zeros where data was missing. Exit 0 = clean, 3 = leaked clusters only
    (harmless for a read), 63 = format has no check (raw), anything else = damaged."""
    proc = _run(["check", "--output=json", "-f", fmt, str(path)])
    if proc.returncode == 63:
        return CheckResult(ok=True, supported=False, detail="format has no consistency check")
    if proc.returncode in (0, 3):
        return CheckResult(ok=True, supported=True, detail="clean" if proc.returncode == 0 else "leaked clusters only")
    detail = _last_line(proc.stderr) or proc.stdout.strip().replace("\n", " ")[:300]
    return CheckResult(ok=False, supported=True, detail=f"qemu-img check exit {proc.returncode}: {detail}")


def compare(src: Path | str, src_fmt: str, dst: Path | str, dst_fmt: str) -> tuple[bool, str]:
    """`qemu-img compare`: exit 0 identical, 1 different, 2 error. Returns (same, message)."""
    proc = _run(["compare", "-f", src_fmt, "-F", dst_fmt, str(src), str(dst)])
    return proc.returncode == 0, (proc.stdout.strip() or _last_line(proc.stderr))


def convert_command(src: Path | str, src_fmt: str, dst: Path, dst_fmt: str, *, precreated: bool = False) -> list[str]:
    """The measured-best command line (see the module docstring). `-p` gives progress."""
    cmd = [QEMU_IMG, "convert", "-p", "-f", src_fmt, "-O", dst_fmt]
    if src_fmt == "qcow2":
        cmd.append("-W")
    if precreated:
        cmd += ["-n", "--target-is-zero"]
    return [*cmd, str(src), str(dst)]


def parse_progress(chunk: bytes) -> float | None:
    """Last percentage in a chunk of `qemu-img convert -p` output (`    (12.34/100%)\\r`)."""
    found = _PROGRESS.findall(chunk)
    return float(found[-1]) if found else None


class Stalled(FactoryError):
    """qemu-img stopped moving bytes and was killed: nothing was published, the copy can
    simply start again."""


DEFAULT_STALL_SECONDS = 300.0


def stall_seconds() -> float:
    """How long a convert may show no sign of work before it counts as stalled
    (`MFACTORY_STALL_SECONDS`, default 5 min: far above any pause of a healthy copy, whose
    source requests time out after 5 s in qemu's own http driver). 0 turns the check off."""
    return float(os.environ.get("MFACTORY_STALL_SECONDS") or DEFAULT_STALL_SECONDS)


def _activity(pid: int) -> tuple[int, ...]:
    """What a working qemu-img changes: bytes through files (`rchar`, `wchar` of
    /proc/PID/io) and CPU ticks. Socket reads are not in `rchar`, but a download that moves
    bytes writes them or at least spends CPU checking them for zeros; a hung qemu-img sits
    in poll and changes none of these. Empty where /proc is not available."""
    try:
        io = Path(f"/proc/{pid}/io").read_text()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ()
    counters = dict(line.split(": ", 1) for line in io.splitlines() if ": " in line)
    fields = stat.rsplit(")", 1)[-1].split()  # after "(comm)": state is [0], utime [11], stime [12]
    return int(counters.get("rchar", 0)), int(counters.get("wchar", 0)), int(fields[11]), int(fields[12])


def run_convert(cmd: list[str], on_progress: Callable[[float], None], *, stall_after: float | None = None) -> None:
    """Run a convert, feeding each progress percentage to `on_progress`; raise on failure.

    qemu-img's http driver can hang for good on a connection (CDI saw the same when it
    streamed with qemu-img; here it shows under load): no output, no I/O, no error. After
    `stall_after` seconds without progress output, file I/O or CPU time, qemu-img is killed
    and `Stalled` raised, so the caller can start the copy again instead of holding a
    worker, its job lock and its tokens until the window ends. stderr goes to a file, not
    a pipe: a pipe nobody reads would block qemu-img once it fills.
    """
    limit = stall_seconds() if stall_after is None else stall_after
    with tempfile.TemporaryFile() as errors:
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors, preexec_fn=_die_with_parent, bufsize=0)
        except FileNotFoundError:
            raise _missing() from None
        try:
            _follow(proc, on_progress, limit)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            assert proc.stdout is not None
            proc.stdout.close()
        returncode = proc.wait()
        errors.seek(0)
        err = errors.read().decode(errors="replace")
    if returncode != 0:
        raise FactoryError(f"qemu-img convert failed (exit {returncode}): {_last_line(err)}")


def _follow(proc: subprocess.Popen[bytes], on_progress: Callable[[float], None], limit: float) -> None:
    """Read `-p` output until qemu-img closes stdout; raise `Stalled` after `limit` quiet seconds."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    tail = b""
    seen = _activity(proc.pid)
    quiet_since = time.monotonic()
    watch = limit > 0
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            if selector.select(timeout=min(1.0, limit) if watch else 1.0):
                chunk = os.read(fd, 256)
                if not chunk:
                    return
                quiet_since = time.monotonic()
                tail = (tail + chunk)[-64:]
                pct = parse_progress(tail)
                if pct is not None:
                    on_progress(pct)
                    tail = b""
                continue
            if not watch:
                continue
            now = _activity(proc.pid)
            if now != seen:
                seen, quiet_since = now, time.monotonic()
            elif time.monotonic() - quiet_since >= limit:
                raise Stalled(
                    f"qemu-img made no progress for {limit:.0f}s (no output, no file I/O, no CPU time); stopped it",
                    hint="the source connection hung; the copy starts again (MFACTORY_STALL_SECONDS sets the limit)",
                )


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else ""
