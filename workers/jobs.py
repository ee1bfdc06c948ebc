"""One disk's job, as it travels through Celery (JSON), and what every step needs around it:
its identity, the Redis client, the job lock, attempt counting and throughput recording.

Identity: VM source + VM id + disk key + the source's identity (a local file's size and
mtime, a URL plus its expected checksum) + target path and format. The same identity means
the same bytes to the same place, so a finished job with a matching done-marker is skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import time
from pathlib import Path
from typing import Any, Literal

import redis
from pydantic import BaseModel, Field

from factory.store.store import Store, ThroughputSample
from workers import app as celery_app
from workers.tokens import NullTokens, RedisTokens, Token

log = logging.getLogger(__name__)
Status = Literal["pending", "fetched", "done", "skipped", "failed", "refused"]


class TokenSpec(BaseModel):
    kind: str
    name: str
    limit: int = Field(ge=1)

    def token(self) -> Token:
        return Token(self.kind, self.name, self.limit)


class DiskJob(BaseModel):
    """Input and, as it moves along the chain, state of one disk."""

    src: str  # local path, http(s):// URL, vsphere://, ovirt:// (see workers.fetch)
    dst: str  # final path of the converted disk
    dst_format: Literal["raw", "qcow2"] = "raw"
    src_format: str | None = None  # detected by qemu-img info when not given
    verify: bool = True
    stream: bool = False  # let qemu-img read an http(s) source directly instead of staging it
    insecure: bool = False  # skip TLS verification of the source (explicit --insecure only)
    checksum: str | None = None  # "sha256:<hex>" of the fetched bytes, when the source publishes one
    source: str | None = None  # VM's inventory source name
    vm_id: str | None = None
    vm_name: str | None = None
    disk_key: str | None = None
    host: str | None = None
    datastore: str | None = None
    storage_class: str | None = None
    tokens: list[TokenSpec] = Field(default_factory=list)
    db: str | None = None  # store URL for throughput samples (worker's MFACTORY_DB otherwise)
    stage_dir: str | None = None  # where remote sources are staged
    deadline: float | None = None  # epoch seconds: end of the cutover window
    estimate_seconds: float | None = None
    wave: str | None = None
    # filled in along the way
    status: Status = "pending"
    local_src: str | None = None
    error: str | None = None
    bytes: int = 0
    seconds: float = 0.0
    verify_seconds: float | None = None
    verified: bool | None = None
    attempts: int = 0
    worker: str | None = None

    @property
    def key(self) -> str:
        """Stable job key: readable prefix plus a digest of the full identity."""
        ident = "|".join(
            str(x) for x in (self.source, self.vm_id, self.disk_key, self.src, self.checksum, self.dst, self.dst_format)
        )
        digest = hashlib.sha256(ident.encode()).hexdigest()[:16]
        label = "-".join(str(x) for x in (self.vm_id, self.disk_key) if x) or Path(self.dst).name
        return f"{label}-{digest}"


def client() -> redis.Redis | None:
    url = celery_app.redis_url()
    return None if url is None or celery_app.is_local() else redis.Redis.from_url(url, socket_timeout=30)


def tokens_for(rc: redis.Redis | None) -> RedisTokens | NullTokens:
    """Leases live `MFACTORY_LEASE_TTL` seconds (default 30) unless renewed: how long a
    dead worker's tokens and job locks stay taken."""
    return NullTokens() if rc is None else RedisTokens(rc, ttl=float(os.environ.get("MFACTORY_LEASE_TTL") or 30))


@contextlib.contextmanager
def job_lock(rc: redis.Redis | None, job: DiskJob, step: str):
    """One live attempt per job and step. A duplicate delivery (visibility timeout passed
    while the first attempt still runs) waits here, then finds the work done."""
    lock = [Token("job", f"{step}:{job.key}", 1)]
    with tokens_for(rc).hold(lock):
        yield


def count_attempt(rc: redis.Redis | None, job: DiskJob, step: str) -> int:
    if rc is None:
        return 1
    with contextlib.suppress(redis.RedisError):
        key = f"mf:attempts:{step}:{job.key}"
        n = int(rc.incr(key))
        rc.expire(key, 7 * 86400)
        return n
    return 0


@contextlib.contextmanager
def observe(rc: redis.Redis | None, tokens: list[Token]):
    """Record how many jobs really run at once per token key (`mf:observed:max` hash), so a
    test can check the limits from what the tasks saw, not from the token code's own books."""
    if rc is None or not tokens:
        yield
        return
    keys = [f"mf:observed:now:{t.kind}:{t.name}" for t in tokens]
    for key, token in zip(keys, tokens, strict=True):
        now = int(rc.incr(key))
        rc.eval(_MAX, 1, "mf:observed:max", f"{token.kind}:{token.name}", now)
    try:
        yield
    finally:
        for key in keys:
            with contextlib.suppress(redis.RedisError):
                rc.decr(key)


_MAX = "local c = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0') if tonumber(ARGV[2]) > c then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end return 1"  # noqa: E501


_stores: dict[str | None, Store] = {}


def _store(db: str | None) -> Store:
    """One Store per URL per process: its schema check runs once, not once per task."""
    if db not in _stores:
        _stores[db] = Store.open(db)
    return _stores[db]


def record_throughput(job: DiskJob, kind: str, nbytes: int, seconds: float) -> None:
    """Best effort: a store that cannot be written must not fail a finished copy."""
    try:
        _store(job.db).record_throughput(
            ThroughputSample(
                kind=kind,
                bytes=int(nbytes),
                seconds=max(seconds, 1e-6),
                source=job.source,
                vm_id=job.vm_id,
                disk_key=job.disk_key,
                host=job.host,
                datastore=job.datastore,
                storage_class=job.storage_class,
            )
        )
    except Exception as exc:
        log.warning("could not record throughput for %s: %s", job.key, exc)


def now() -> float:
    return time.time()


def payload(job: DiskJob) -> dict[str, Any]:
    return job.model_dump(mode="json")
