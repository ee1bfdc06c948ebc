"""Job status: every long piece of work (import, collection, cutover) is a job."""

from __future__ import annotations

from fastapi import APIRouter, Query

from mfactory.api.deps import Svc, Viewer
from mfactory.api.errors import NotFound
from mfactory.api.jobs import JobRecord, JobState

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])


@router.get("", response_model=list[JobRecord], summary="List jobs, newest first")
def list_jobs(
    svc: Svc,
    _role: Viewer,
    kind: str | None = Query(None, max_length=64),
    state: JobState | None = None,
    limit: int = Query(100, ge=1, le=1000),
) -> list[JobRecord]:
    jobs = [j for j in svc.jobs.all() if (kind is None or j.kind == kind) and (state is None or j.state == state)]
    jobs.sort(key=lambda j: j.submitted_at, reverse=True)
    return jobs[:limit]


@router.get("/{job_id}", response_model=JobRecord, summary="One job's state, result or error")
def get_job(job_id: str, svc: Svc, _role: Viewer) -> JobRecord:
    record = svc.jobs.get(job_id)
    if record is None:
        raise NotFound(f"no job {job_id!r}", hint="list jobs with GET /api/v1/jobs")
    return record
