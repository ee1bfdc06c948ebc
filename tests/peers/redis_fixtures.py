"""A real `redis-server` for the worker pool and the API (registered as a plugin in tests/conftest.py).

API (small on purpose):

- `redis_server` (function scope) -> `RedisServer`: a fresh `redis-server` process on
  127.0.0.1 and a free port, with `appendonly yes` + `appendfsync always` in its own temporary
  directory, so a restart keeps every acknowledged write. Attributes/methods:
  `.url` (`redis://127.0.0.1:PORT/0`), `.port`, `.dir`, `.client()` (a `redis.Redis`),
  `.restart(down_seconds=0.0)` (SIGTERM, optional pause while down, start again on the SAME
  port and data dir; returns when it answers PING), `.stop()`, `.start()`, `.kill()` (SIGKILL).
- `redis_url` (function scope) -> str: just the URL of a fresh `redis_server`.
- `RedisServer.launch(dir, appendfsync="always")` for a server of your own (call `.stop()`
  yourself); benchmarks pass "everysec" (Redis' default): an fsync per write on the same
  disk forces ext4 journal commits that also flush the copy being measured.

Why a process per test: the failure tests restart or kill the broker; sharing one server
across tests would make them depend on each other. Start-up costs ~10 ms.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.peers.ports import free_port


class RedisServer:
    """One redis-server process with an append-only file; restartable on the same port."""

    def __init__(self, workdir: Path, port: int, appendfsync: str = "always") -> None:
        self.appendfsync = appendfsync
        self.dir = workdir
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self._proc: subprocess.Popen[bytes] | None = None

    @classmethod
    def launch(cls, workdir: Path, appendfsync: str = "always") -> RedisServer:
        if shutil.which("redis-server") is None:
            raise RuntimeError("redis-server not found: install the Debian package `redis-server`")
        server = cls(workdir, free_port(), appendfsync)
        server.start()
        return server

    def _command(self) -> list[str]:
        return [
            "redis-server",
            "--bind", "127.0.0.1",
            "--port", str(self.port),
            "--dir", str(self.dir),
            "--appendonly", "yes",
            "--appendfsync", self.appendfsync,
            "--save", "",
            "--protected-mode", "yes",
            "--daemonize", "no",
            "--logfile", str(self.dir / "redis.log"),
        ]  # fmt: skip

    def start(self, timeout: float = 10.0) -> None:
        self._proc = subprocess.Popen(self._command(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                log = (self.dir / "redis.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"redis-server exited with {self._proc.returncode}: {log}")
            try:
                if self.client().ping():
                    return
            except redis.exceptions.RedisError:
                time.sleep(0.02)
        raise RuntimeError(f"redis-server on port {self.port} did not answer within {timeout}s")

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=5)

    def stop(self) -> None:
        """Graceful stop (SIGTERM): redis flushes the append-only file before exiting."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            self._proc.wait(timeout=15)
        self._proc = None

    def kill(self) -> None:
        """Hard stop (SIGKILL): only what `appendfsync always` already wrote survives."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait(timeout=15)
        self._proc = None

    def restart(self, down_seconds: float = 0.0) -> None:
        self.stop()
        if down_seconds:
            time.sleep(down_seconds)
        self.start()

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    workdir = Path(tempfile.mkdtemp(prefix="mfactory-redis-"))
    server = RedisServer.launch(workdir)
    try:
        yield server
    finally:
        server.kill()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    return redis_server.url
