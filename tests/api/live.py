"""Real processes for the API tests: redis-server, `mfactory serve` (uvicorn), a Celery worker.

Everything binds 127.0.0.1 on a free port and is stopped (SIGTERM, then SIGKILL) by the
fixture that started it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.peers.ports import free_port

REPO = Path(__file__).resolve().parents[2]
OPERATOR = "operator-token-for-tests-0001"
VIEWER = "viewer-token-for-tests-0001"
TOKENS = f"{OPERATOR}:operator,{VIEWER}:viewer"


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def wait_until(check, timeout: float, what: str, proc: subprocess.Popen | None = None, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}: {log.read_text()[-3000:] if log else ''}")
        try:
            value = check()
        except (httpx.HTTPError, OSError):
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise RuntimeError(f"{what} not ready after {timeout}s: {log.read_text()[-3000:] if log else ''}")


@dataclass
class Stack:
    """One API (and optionally a worker) with its own store and data directory."""

    root: Path
    redis_url: str | None
    port: int = 0
    procs: list[subprocess.Popen] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def db(self) -> Path:
        return self.root / "factory.db"

    @property
    def data(self) -> Path:
        return self.root / "data"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "MFACTORY_API_TOKENS")}
        env.update(MFACTORY_DB=str(self.db), MFACTORY_DATA=str(self.data), PYTHONUNBUFFERED="1")
        env["MFACTORY_API_TOKENS"] = TOKENS
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        return env

    def start_api(self) -> None:
        self.port = free_port()
        log = self.root / "api.log"
        proc = subprocess.Popen(
            [sys.executable, "-m", "mfactory", "serve", "--port", str(self.port), "--log-level", "warning"],
            cwd=REPO,
            env=self.env(),
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        self.procs.append(proc)
        wait_until(lambda: httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200, 30, "API", proc, log)

    def start_worker(self, concurrency: int = 2, queues: str = "mfactory-jobs,celery", name: str = "worker") -> None:
        """A Celery worker of the API's app (the jobs pool; with both queues, the disk pool too)."""
        log = self.root / f"{name}.log"
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "--app", "mfactory.api.worker:celery_app", "worker",
                "--concurrency", str(concurrency), "--pool", "prefork", "--loglevel", "INFO",
                "--queues", queues, "--hostname", f"{name}-{os.getpid()}@%h",
                "--without-gossip", "--without-mingle",
            ],
            cwd=REPO,
            env=self.env(),
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.procs.append(proc)
        wait_until(lambda: "ready." in log.read_text(errors="replace"), 60, name, proc, log)

    def start_disk_pool(self, concurrency: int = 2) -> None:
        """The disk pool exactly as deployed: the workers' own `mfactory worker` on `celery`."""
        log = self.root / "disk-pool.log"
        proc = subprocess.Popen(
            [sys.executable, "-m", "mfactory", "worker", "--concurrency", str(concurrency), "--queues", "celery",
             "--hostname", f"disks-{os.getpid()}@%h"],
            cwd=REPO,
            env=self.env(),
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.procs.append(proc)
        wait_until(lambda: " ready: " in log.read_text(errors="replace"), 60, "disk pool", proc, log)

    def client(self, token: str | None = OPERATOR) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.root.glob("*.log")))

    def stop(self) -> None:
        for proc in reversed(self.procs):
            stop(proc)


def seed_demo_estate(stack: Stack) -> None:
    """Store the demo's shipped estate (vSphere + RHV) in the stack's store, and give the API
    the demo's target profile and mapping."""
    import yaml

    from factory.model import Inventory
    from factory.store import Store
    from mfactory.demo.pipeline import ESTATE, HERE

    store = Store.open(str(stack.db))
    for path in sorted(ESTATE.glob("*.json")):
        store.replace_snapshot(Inventory.model_validate_json(path.read_text()))
    with stack.client() as api:
        for kind, name in (("profile", "target.yaml"), ("mapping", "mapping.yaml")):
            response = api.put(f"/api/v1/target/{kind}", json=yaml.safe_load((HERE / name).read_text()))
            assert response.status_code == 200, response.text


def wait_job(client: httpx.Client, job_id: str, timeout: float = 60) -> dict:
    def done() -> dict | None:
        job = client.get(f"/api/v1/jobs/{job_id}").json()
        return job if job["state"] in ("succeeded", "failed") else None

    return wait_until(done, timeout, f"job {job_id}")
