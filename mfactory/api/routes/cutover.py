"""Cutover runs: start a wave's disk work on the workers, follow it live.

A run is a job of kind ``cutover``; its progress (per VM and disk: phase, bytes, rate, ETA,
failures) is read from the workers' progress records in Redis (or the in-process pool) and
served as JSON or as server-sent events that end when the run does.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from mfactory.api.cutover import check_locations, progress_doc
from mfactory.api.deps import Operator, Svc, Viewer
from mfactory.api.errors import NotFound, field_error
from mfactory.api.jobs import JobRecord
from mfactory.api.routes.waves import _doc
from workers.locator import DiskSources

router = APIRouter(prefix="/api/v1/cutover", tags=["cutover"])

SSE_INTERVAL = 0.5
SSE_MAX_SECONDS = 6 * 3600


class CutoverRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    wave: str = Field(min_length=1, max_length=100, description="Wave name from the plan, e.g. wave-01")
    until: datetime | None = Field(None, description="End of the window [default: the wave's window end]")
    verify: bool = Field(True, description="qemu-img compare each converted disk before it is published")
    disk_sources: DiskSources = Field(
        default_factory=DiskSources,
        description="Where each disk's bytes come from, and resource limits: the document `mfactory cutover run "
        "--disk-sources` reads. Local paths are relative to DATA/disks/source; URLs carry no credentials.",
    )


def _end(text: str | None) -> float | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() if text else None


def _run(svc: Any, run_id: str) -> JobRecord:
    record = svc.jobs.get(run_id)
    if record is None or record.kind != "cutover":
        raise NotFound(f"no cutover run {run_id!r}", hint="see GET /api/v1/cutover/runs")
    return record


@router.post("/runs", response_model=JobRecord, status_code=status.HTTP_202_ACCEPTED, summary="Start a wave's cutover")
def start(body: CutoverRequest, svc: Svc, _role: Operator) -> JobRecord:
    plan = _doc(svc)
    names = [w.name for w in plan.waves]
    if body.wave not in names:
        raise field_error("body.wave", f"no wave named {body.wave!r}", hint="waves: " + ", ".join(names))
    if body.until is not None and body.until.tzinfo is None:
        raise field_error("body.until", "needs a time zone, e.g. 2026-12-06T06:00:00Z")
    wave = next(w for w in plan.waves if w.name == body.wave)
    end = body.until.timestamp() if body.until else _end(wave.window.end if wave.window else None)
    if end is not None and end <= time.time():
        raise field_error("body.until", "the cutover window is already over", hint="pass a later until")
    for n, limits in enumerate(body.disk_sources.limits.values()):
        if any(v < 1 for v in limits.values()):
            raise field_error(f"body.disk_sources.limits.{n}", "limits must be 1 or more")
    check_locations(body.disk_sources.model_copy(deep=True), svc.settings.data_dir, prefix="body.")
    params = {
        "wave": body.wave,
        "until": body.until.isoformat() if body.until else None,
        "verify": body.verify,
        "disk_sources": body.disk_sources.model_dump(mode="json"),
    }
    return svc.dispatcher.submit("cutover", params)


@router.get("/runs", response_model=list[JobRecord], summary="Cutover runs, newest first")
def runs(svc: Svc, _role: Viewer, limit: int = Query(20, ge=1, le=200)) -> list[JobRecord]:
    found = sorted((j for j in svc.jobs.all() if j.kind == "cutover"), key=lambda j: j.submitted_at, reverse=True)
    return found[:limit]


@router.get("/runs/{run_id}", response_model=JobRecord, summary="One run: state, result (per-VM report) or error")
def run(run_id: str, svc: Svc, _role: Viewer) -> JobRecord:
    return _run(svc, run_id)


@router.get("/runs/{run_id}/progress", summary="Per VM and disk: phase, bytes, rate, ETA, failures")
def progress(run_id: str, svc: Svc, _role: Viewer) -> dict[str, Any]:
    return progress_doc(svc, _run(svc, run_id))


@router.get(
    "/runs/{run_id}/events",
    summary="Progress as server-sent events (event: progress); the stream ends when the run does",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def events(run_id: str, request: Request, svc: Svc, _role: Viewer) -> StreamingResponse:
    _run(svc, run_id)

    async def stream() -> AsyncIterator[str]:
        loop = asyncio.get_running_loop()
        started = loop.time()
        last = None
        yield "retry: 2000\n\n"
        while loop.time() - started < SSE_MAX_SECONDS:
            if await request.is_disconnected():
                return
            doc = await asyncio.to_thread(progress_doc, svc, _run(svc, run_id))
            text = json.dumps(doc, separators=(",", ":"))
            if text != last:
                yield f"event: progress\ndata: {text}\n\n"
                last = text
            else:
                yield ": keep-alive\n\n"
            if doc["state"] in ("succeeded", "failed"):
                return
            await asyncio.sleep(SSE_INTERVAL)

    return StreamingResponse(
        stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )
