"""The job functions the API hands to the workers, and their Celery registration.

Each function takes a :class:`JobContext` and the job's non-secret parameters and returns a
small JSON result. They call the stages exactly as the CLI does (``ingest`` with an
``RVToolsSource`` or a live collector); secrets are read from the registration's secret file
on the worker.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from factory.errors import FactoryError, InputError
from factory.sources import ingest
from factory.sources.rvtools import RVToolsSource
from factory.store import Store
from mfactory.api.jobs import JobContext, RedisJobStore, run_recorded
from mfactory.api.registry import Registry


def import_rvtools_job(ctx: JobContext, job_id: str, *, upload: str, name: str) -> dict[str, Any]:
    """Import an uploaded RVTools export (saved under DATA/uploads by the API)."""
    path = ctx.data_dir / "uploads" / upload
    if not path.exists():
        raise InputError(f"uploaded file {upload} is gone", hint="upload it again")
    try:
        _inventory, record = ingest(Store.open(ctx.db), RVToolsSource(path=path, name=name))
    finally:
        _remove(path)
    return {"source": name, "run_id": record.id, "counts": record.counts, "warnings": record.warnings}


def collect_job(ctx: JobContext, job_id: str, *, source: str) -> dict[str, Any]:
    """Collect a registered vCenter or RHV source with its stored credentials."""
    from mfactory.api.collectors import collector_for

    registry = Registry(ctx.data_dir)
    registration = registry.get(source)
    store = Store.open(ctx.db)
    started = datetime.now(UTC)
    try:
        collector = collector_for(registration, registry)
    except FactoryError as exc:  # recorded like a failed collection, so the runs tell the story
        store.record_failed_run(source, registration.kind, exc.message, started_at=started)
        raise
    _inventory, record = ingest(store, collector)
    return {"source": source, "run_id": record.id, "counts": record.counts, "warnings": record.warnings}


def cutover_job(ctx: JobContext, job_id: str, **params: Any) -> dict[str, Any]:
    """Run one wave's cutover (fetch -> convert -> verify per disk) and report per VM."""
    from mfactory.api.cutover import run_cutover

    return run_cutover(ctx, job_id, **params)


JOB_FUNCTIONS = {"import-rvtools": import_rvtools_job, "collect": collect_job, "cutover": cutover_job}


def _remove(path: Path) -> None:
    if path.is_dir():
        import shutil

        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def worker_context() -> JobContext:
    """A Celery worker's context comes from its own environment, like the API's."""
    data = os.environ.get("MFACTORY_DATA")
    if not data:
        raise FactoryError("MFACTORY_DATA is not set on the worker", hint="give API and workers the same data volume")
    return JobContext(db=os.environ.get("MFACTORY_DB"), data_dir=Path(data), redis_url=os.environ.get("REDIS_URL"))


def register_celery_task(app: Any) -> Any:
    """Register ``mfactory.api.run_job`` on a Celery app (the workers' app)."""

    @app.task(name="mfactory.api.run_job", acks_late=True, reject_on_worker_lost=True)
    def run_job(job_id: str, kind: str, params: dict[str, Any]) -> None:
        ctx = worker_context()
        if ctx.redis_url is None:
            raise FactoryError("REDIS_URL is not set on the worker")
        run_recorded(RedisJobStore(ctx.redis_url), ctx, job_id, JOB_FUNCTIONS[kind], params)

    return run_job
