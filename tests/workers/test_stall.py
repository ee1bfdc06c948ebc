"""A convert that hangs is stopped and started again, not left holding its worker.

The hang is real: qemu-img reads its source from `qemu-nbd`, and the test freezes that
server with SIGSTOP, so qemu-img waits for an answer that never comes, the way its http
driver was seen to hang under load. SIGCONT lets the next attempt through.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.peers.ports import free_port
from tests.workers.images import file_sha256, make_image, raw_sha256
from workers import progress, qemu
from workers.jobs import DiskJob
from workers.steps import convert_step, fetch_step

pytestmark = pytest.mark.timeout(60)  # a watchdog that fails would hang here, not fail


@pytest.fixture
def nbd_source(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[bytes]]]:
    """A qcow2 image served read-only by qemu-nbd: (nbd URL, image, server process)."""
    image = make_image(tmp_path / "src.qcow2", "qcow2", size_mib=32, data_mib=8)
    port = free_port()
    cmd = ["qemu-nbd", "--read-only", "--persistent", "--shared=8", "--format=qcow2", "--bind=127.0.0.1"]
    server = subprocess.Popen([*cmd, f"--port={port}", "--export-name=disk", str(image)])
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise AssertionError("qemu-nbd did not start") from None
            time.sleep(0.05)
    try:
        yield f"nbd://127.0.0.1:{port}/disk", image, server
    finally:
        server.send_signal(signal.SIGCONT)
        server.kill()
        server.wait()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status").read_text() if Path(f"/proc/{pid}").exists() else ""
    return "State:\tZ" not in status


def test_a_hung_qemu_img_is_killed_after_the_stall_limit(nbd_source, tmp_path: Path) -> None:
    url, _, server = nbd_source
    server.send_signal(signal.SIGSTOP)  # connects, then never answers the handshake
    cmd = qemu.convert_command(url, "raw", tmp_path / "out.raw", "raw")
    started = time.monotonic()
    with pytest.raises(qemu.Stalled, match="no progress for 1s"):
        qemu.run_convert(cmd, lambda pct: None, stall_after=1.0)
    assert time.monotonic() - started < 30  # without the watchdog this call never returns
    leftover = subprocess.run(["pgrep", "-f", f"qemu-img convert .*{url}"], capture_output=True, text=True)
    assert not [pid for pid in leftover.stdout.split() if _alive(int(pid))], "the stalled qemu-img was left running"


def test_a_quiet_but_working_process_is_not_taken_for_stalled(tmp_path: Path) -> None:
    """No progress output for 3 s, but it keeps writing a file: the watchdog must see work."""
    script = (
        "import time\n"
        f"f = open({str(tmp_path / 'w')!r}, 'wb', buffering=0)\n"
        "end = time.monotonic() + 3\n"
        "while time.monotonic() < end:\n"
        "    f.write(b'x' * 4096); time.sleep(0.2)\n"
        "print('    (100.00/100%)', flush=True)\n"
    )
    seen: list[float] = []
    qemu.run_convert([sys.executable, "-c", script], seen.append, stall_after=1.0)
    assert seen == [100.0]


def test_a_chatty_stderr_does_not_block_the_convert() -> None:
    """qemu-img warnings beyond a pipe's 64 KiB must not deadlock the progress reader."""
    script = "import sys\nsys.stderr.write('w' * 1_000_000)\nsys.stderr.flush()\nprint('    (100.00/100%)')\n"
    seen: list[float] = []
    qemu.run_convert([sys.executable, "-c", script], seen.append, stall_after=5.0)
    assert seen == [100.0]


def test_the_convert_step_restarts_a_stalled_copy_and_finishes(nbd_source, tmp_path: Path, monkeypatch) -> None:
    url, image, server = nbd_source
    monkeypatch.setenv("MFACTORY_STALL_SECONDS", "1")
    states: list[str] = []

    def freeze_then_thaw(key: str, fields: dict) -> None:
        if fields.get("step") != "convert":
            return
        states.append(fields["state"])
        if fields["state"] == "running" and states.count("running") == 1:
            server.send_signal(signal.SIGSTOP)  # the first copy will hang
        elif fields["state"] == "restarting":
            server.send_signal(signal.SIGCONT)

    dst = tmp_path / "out" / "disk.raw"
    progress.add_listener(freeze_then_thaw)
    try:
        job = convert_step(fetch_step(DiskJob(src=url, stream=True, src_format="raw", dst=str(dst))))
    finally:
        progress.remove_listener(freeze_then_thaw)
    assert job.status == "done" and job.verified is True, job.error
    assert states.count("restarting") == 1
    assert file_sha256(dst) == raw_sha256(image, "qcow2", tmp_path)
    assert not list(dst.parent.glob(".disk.raw.part-*"))


def test_a_copy_that_keeps_stalling_fails_with_the_reason(nbd_source, tmp_path: Path, monkeypatch) -> None:
    url, _, server = nbd_source
    monkeypatch.setenv("MFACTORY_STALL_SECONDS", "1")

    def freeze(key: str, fields: dict) -> None:
        if fields.get("step") == "convert" and fields["state"] == "running":
            server.send_signal(signal.SIGSTOP)

    dst = tmp_path / "out" / "disk.raw"
    progress.add_listener(freeze)
    try:
        job = convert_step(fetch_step(DiskJob(src=url, stream=True, src_format="raw", dst=str(dst))))
    finally:
        progress.remove_listener(freeze)
    assert job.status == "failed"
    assert "no progress for 1s" in (job.error or "") and "(3 times)" in (job.error or "")
    assert not dst.exists() and not list(dst.parent.glob(".disk.raw.part-*"))


def test_a_stall_limit_of_zero_turns_the_check_off() -> None:
    """An operator who sees false alarms can switch the check off; a silent 2 s process then runs out."""
    qemu.run_convert(["sleep", "2"], lambda pct: None, stall_after=0)
    with pytest.raises(qemu.Stalled):
        qemu.run_convert(["sleep", "5"], lambda pct: None, stall_after=1)
