"""Real worker processes for the failure tests: `mfactory worker` subprocesses on the test's
redis-server, each in its own session so `kill -9` takes the whole worker (main process,
pool children and their qemu-img) down at once, as a crashed machine would."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import REPO

# Short timeouts so redelivery, lease expiry and a hung copy's restart happen within seconds.
TEST_ENV = {"MFACTORY_VISIBILITY_TIMEOUT": "3", "MFACTORY_LEASE_TTL": "3", "MFACTORY_STALL_SECONDS": "10"}


class Worker:
    def __init__(self, redis_url: str, db: Path, name: str, concurrency: int = 1, pool: str = "prefork") -> None:
        env = os.environ | TEST_ENV | {"REDIS_URL": redis_url, "PYTHONUNBUFFERED": "1"}
        cmd = [sys.executable, "-m", "mfactory", "--db", str(db), "worker", "-c", str(concurrency)]
        cmd += ["-n", f"{name}@test", "--pool", pool]
        self.name = name
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip())

    def wait_ready(self, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines:
                if " ready: " in line:
                    return line
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"worker {self.name} not ready; output:\n" + "\n".join(self.lines[-40:]))

    def kill9(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill9()


@contextlib.contextmanager
def workers(redis_url: str, db: Path, count: int, **kwargs: object) -> Iterator[list[Worker]]:
    started = [Worker(redis_url, db, f"w{i}", **kwargs) for i in range(count)]  # type: ignore[arg-type]
    try:
        for w in started:
            w.wait_ready()
        yield started
    finally:
        for w in started:
            w.stop()


def wait_for(predicate, timeout: float, what: str, interval: float = 0.05):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
