"""Risk: scores per VM, findings, the summary, and the readiness reports in every format."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from pydantic import BaseModel

import risk
from mfactory.api.analysis import current_report
from mfactory.api.deps import Svc, Viewer

router = APIRouter(prefix="/api/v1/risk", tags=["risk"])

Level = Literal["ready", "ready-with-warnings", "blocked"]
Severity = Literal["Critical", "Warning", "Information"]


class ScorePage(BaseModel):
    total: int
    offset: int
    limit: int
    vms: list[dict[str, Any]]


class FindingPage(BaseModel):
    total: int
    offset: int
    limit: int
    findings: list[dict[str, Any]]


@router.get("/summary", summary="Readiness counts and findings by rule")
def summary(svc: Svc, _role: Viewer) -> dict[str, Any]:
    return risk.report_json(current_report(svc))["summary"]


@router.get("/scores", response_model=ScorePage, summary="Score, level and findings per VM")
def scores(
    svc: Svc,
    _role: Viewer,
    source: str | None = Query(None, max_length=200),
    level: Level | None = None,
    name: str | None = Query(None, max_length=200, description="Case-insensitive substring of the VM name"),
    offset: int = Query(0, ge=0),
    limit: int = Query(100, ge=1, le=1000),
) -> ScorePage:
    rows = risk.report_json(current_report(svc))["vms"]
    needle = name.lower() if name else None
    rows = [
        r
        for r in rows
        if (source is None or r["source"] == source)
        and (level is None or r["level"] == level)
        and (needle is None or needle in r["name"].lower())
    ]
    return ScorePage(total=len(rows), offset=offset, limit=limit, vms=rows[offset : offset + limit])


@router.get("/findings", response_model=FindingPage, summary="Every finding, one row per VM and subject")
def findings(
    svc: Svc,
    _role: Viewer,
    severity: Severity | None = None,
    rule: str | None = Query(None, max_length=200, description="Rule id, e.g. vmware.disk.rdm.detected"),
    source: str | None = Query(None, max_length=200),
    offset: int = Query(0, ge=0),
    limit: int = Query(100, ge=1, le=1000),
) -> FindingPage:
    rows = []
    for vm in risk.report_json(current_report(svc))["vms"]:
        if source is not None and vm["source"] != source:
            continue
        for f in vm["findings"]:
            if (severity is None or f["severity"] == severity) and (rule is None or f["id"] == rule):
                rows.append({"vm": vm["id"], "vm_name": vm["name"], "source": vm["source"], **f})
    return FindingPage(total=len(rows), offset=offset, limit=limit, findings=rows[offset : offset + limit])


@router.get(
    "/report",
    summary="Download the readiness report",
    response_class=FileResponse,
    responses={200: {"content": {"text/html": {}, "application/octet-stream": {}, "text/csv": {}}}},
)
def report(svc: Svc, _role: Viewer, format: Literal["html", "xlsx", "csv", "json"] = "html") -> FileResponse:
    from mfactory.api.reports import write_report

    path, media = write_report(svc, current_report(svc), format)
    return FileResponse(path, media_type=media, filename=f"readiness.{format}")
