"""Jobs: long work (imports, collections, cutover runs) handed to the workers.

A request that starts long work gets ``202`` and a job id at once; the work runs on a
Celery worker when a broker is configured (``REDIS_URL``), else on the API process's own
small thread pool — the same in-process fallback the workers use for the demo. Handlers
never run the work themselves.

Job records (kind, state, timestamps, result or error — never a secret) live where every
API replica and worker can see them: in Redis with a broker, in memory without one.
"""

from __future__ import annotations

import json
import threading
import traceback
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from factory.errors import FactoryError

JobState = Literal["queued", "running", "succeeded", "failed"]


class JobRecord(BaseModel):
    id: str
    kind: str
    state: JobState = "queued"
    submitted_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    params: dict[str, Any] = Field(default_factory=dict, description="Non-secret parameters of the job.")
    result: dict[str, Any] | None = None
    error: str | None = None
    hint: str | None = None
    detail: dict[str, Any] | None = Field(default=None, description="Work items of a running job (cutover disks).")


def now() -> datetime:
    return datetime.now(UTC)


class JobStore(Protocol):
    def put(self, record: JobRecord) -> None: ...
    def get(self, job_id: str) -> JobRecord | None: ...
    def all(self) -> list[JobRecord]: ...


class MemoryJobStore:
    def __init__(self) -> None:
        self._jobs: dict[str, JobRecord] = {}
        self._lock = threading.Lock()

    def put(self, record: JobRecord) -> None:
        with self._lock:
            self._jobs[record.id] = record.model_copy(deep=True)

    def get(self, job_id: str) -> JobRecord | None:
        with self._lock:
            found = self._jobs.get(job_id)
            return found.model_copy(deep=True) if found else None

    def all(self) -> list[JobRecord]:
        with self._lock:
            return [j.model_copy(deep=True) for j in self._jobs.values()]


class RedisJobStore:
    """One hash field per job under ``mfactory:jobs``: readable by every replica and worker."""

    KEY = "mfactory:jobs"

    def __init__(self, url: str) -> None:
        import redis

        self.redis = redis.Redis.from_url(url, socket_timeout=10)

    def put(self, record: JobRecord) -> None:
        self.redis.hset(self.KEY, record.id, record.model_dump_json())

    def get(self, job_id: str) -> JobRecord | None:
        raw = self.redis.hget(self.KEY, job_id)
        return None if raw is None else JobRecord.model_validate_json(raw)

    def all(self) -> list[JobRecord]:
        return [JobRecord.model_validate_json(v) for v in self.redis.hvals(self.KEY)]


def job_store(redis_url: str | None) -> JobStore:
    return RedisJobStore(redis_url) if redis_url else MemoryJobStore()


@dataclass(frozen=True)
class JobContext:
    """Where a job finds the store and the data directory: the API's settings in-process,
    the worker's own environment (``MFACTORY_DB``, ``MFACTORY_DATA``) under Celery — so a
    database URL with a password never travels in a job's parameters."""

    db: str | None
    data_dir: Path
    redis_url: str | None = None
    jobs: Any = None  # the JobStore the job's record lives in (set by the dispatcher)


def run_recorded(
    store: JobStore, ctx: JobContext, job_id: str, fn: Callable[..., dict[str, Any]], params: dict[str, Any]
) -> None:
    """Run one job function and record its life; used by both the thread pool and Celery.

    Factory errors become the job's error message (they never contain secrets); anything
    else is recorded by type only, since its text could."""
    record = store.get(job_id)
    if record is None:  # submitted elsewhere, record lost: recreate a minimal one
        record = JobRecord(id=job_id, kind=getattr(fn, "__name__", "job"), submitted_at=now())
    record.state, record.started_at = "running", now()
    store.put(record)
    ctx = replace(ctx, jobs=store)
    try:
        result = fn(ctx, job_id, **params)
    except FactoryError as exc:
        record = store.get(job_id) or record  # keep what the job recorded meanwhile (detail)
        record.state, record.error, record.hint = "failed", exc.message, exc.hint
    except Exception as exc:
        traceback.print_exception(type(exc), None, exc.__traceback__)  # frames only, no message
        record = store.get(job_id) or record
        record.state, record.error = "failed", f"unexpected {type(exc).__name__}"
        record.hint = "see the worker log"
    else:
        record = store.get(job_id) or record
        record.state, record.result = "succeeded", result
    record.finished_at = now()
    store.put(record)


class Dispatcher(Protocol):
    def submit(self, kind: str, params: dict[str, Any]) -> JobRecord: ...


class InProcessDispatcher:
    """No broker: a small thread pool inside the API process."""

    def __init__(
        self, store: JobStore, ctx: JobContext, functions: dict[str, Callable[..., dict[str, Any]]], workers: int = 2
    ) -> None:
        self.store = store
        self.ctx = ctx
        self.functions = functions
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mfactory-job")

    def submit(self, kind: str, params: dict[str, Any]) -> JobRecord:
        record = JobRecord(id=uuid.uuid4().hex, kind=kind, submitted_at=now(), params=params)
        self.store.put(record)
        self._pool.submit(run_recorded, self.store, self.ctx, record.id, self.functions[kind], params)
        return record

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class CeleryDispatcher:
    """A broker is configured: send the job to the workers by name."""

    def __init__(self, store: JobStore, send: Callable[[str, str, dict[str, Any]], None]) -> None:
        self.store = store
        self._send = send

    def submit(self, kind: str, params: dict[str, Any]) -> JobRecord:
        record = JobRecord(id=uuid.uuid4().hex, kind=kind, submitted_at=now(), params=params)
        self.store.put(record)
        try:
            self._send(record.id, kind, params)
        except Exception as exc:
            record.state, record.error, record.finished_at = "failed", "the broker refused the job", now()
            self.store.put(record)
            raise FactoryError(
                f"cannot queue the {kind} job: {type(exc).__name__}", hint="check REDIS_URL and the broker"
            ) from None
        return record


def dumps(record: JobRecord) -> str:
    return json.dumps(record.model_dump(mode="json"))
