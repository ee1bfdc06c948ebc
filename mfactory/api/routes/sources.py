"""Sources: register live endpoints, start collections, upload RVTools exports, see runs."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, File, Form, UploadFile, status
from pydantic import BaseModel

from mfactory.api.deps import Operator, Svc, Viewer
from mfactory.api.errors import field_error
from mfactory.api.jobs import JobRecord
from mfactory.api.registry import NAME_PATTERN, SourceRegisterRequest, SourceRegistration, check_name

router = APIRouter(prefix="/api/v1/sources", tags=["sources"])

MAX_UPLOAD_BYTES = 512 * 1024 * 1024
_UPLOAD_SUFFIXES = (".xlsx", ".zip")


class RunOut(BaseModel):
    id: int
    status: str
    started_at: datetime
    finished_at: datetime
    counts: dict[str, int]
    warnings: list[str]
    error: str | None


class SourceOut(BaseModel):
    name: str
    kind: str
    endpoint: str | None
    collected_at: datetime | None
    vms: int
    last_run: RunOut | None
    registered: SourceRegistration | None = None


def _run(r: Any) -> RunOut:
    return RunOut(
        id=r.id,
        status=r.status,
        started_at=r.started_at,
        finished_at=r.finished_at,
        counts=r.counts,
        warnings=r.warnings,
        error=r.error,
    )


@router.get("", response_model=list[SourceOut], summary="Stored and registered sources")
def list_sources(svc: Svc, _role: Viewer) -> list[SourceOut]:
    registered = {r.name: r for r in svc.registry.all()}
    out = [
        SourceOut(
            name=s.name,
            kind=s.kind,
            endpoint=s.endpoint,
            collected_at=s.collected_at,
            vms=s.vms,
            last_run=_run(s.last_run) if s.last_run else None,
            registered=registered.pop(s.name, None),
        )
        for s in svc.store.sources()
    ]
    out.extend(
        SourceOut(
            name=r.name, kind=r.kind, endpoint=r.host or r.url, collected_at=None, vms=0, last_run=None, registered=r
        )
        for r in registered.values()
    )
    return out


@router.post(
    "",
    response_model=SourceRegistration,
    status_code=status.HTTP_201_CREATED,
    summary="Register a vCenter or RHV engine (the password is stored as a secret file, never shown)",
)
def register_source(body: SourceRegisterRequest, svc: Svc, _role: Operator) -> SourceRegistration:
    return svc.registry.register(body)


@router.get("/{name}/registration", response_model=SourceRegistration, summary="A registered source (no password)")
def get_registration(name: str, svc: Svc, _role: Viewer) -> SourceRegistration:
    return svc.registry.get(check_name(name))


@router.delete("/{name}/registration", status_code=204, summary="Forget a registration and its secret")
def delete_registration(name: str, svc: Svc, _role: Operator) -> None:
    svc.registry.delete(check_name(name))


@router.post(
    "/{name}/collect",
    response_model=JobRecord,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Start a collection of a registered source on the workers",
)
def collect(name: str, svc: Svc, _role: Operator) -> JobRecord:
    svc.registry.get(check_name(name))
    return svc.dispatcher.submit("collect", {"source": name})


@router.post(
    "/rvtools",
    response_model=JobRecord,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Upload an RVTools export (.xlsx, or .zip of the CSV export) and import it on the workers",
)
def upload_rvtools(
    svc: Svc,
    _role: Operator,
    file: UploadFile = File(..., description="RVTools .xlsx export or .zip of per-sheet CSV files"),
    name: str | None = Form(None, description="Source name [default: the file name without extension]"),
) -> JobRecord:
    filename = Path(file.filename or "").name
    suffix = Path(filename).suffix.lower()
    if suffix not in _UPLOAD_SUFFIXES:
        raise field_error("file", f"expected an .xlsx or .zip RVTools export, got {filename or 'no file name'!r}")
    if name is None:
        name = re.sub(r"[^A-Za-z0-9._-]", "-", Path(filename).stem)[:63].lstrip("._-") or "rvtools"
    if not re.fullmatch(NAME_PATTERN, name):
        raise field_error("name", "letters, digits, '.', '_' and '-' only (1-63 characters)")
    upload = f"{uuid.uuid4().hex}{suffix}"
    target = svc.settings.data_dir / "uploads" / upload
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with target.open("wb") as out:
        while chunk := file.file.read(1024 * 1024):
            written += len(chunk)
            if written > MAX_UPLOAD_BYTES:
                out.close()
                target.unlink(missing_ok=True)
                raise field_error("file", f"larger than {MAX_UPLOAD_BYTES // 2**20} MiB")
            out.write(chunk)
    if written == 0:
        target.unlink(missing_ok=True)
        raise field_error("file", "the uploaded file is empty")
    return svc.dispatcher.submit("import-rvtools", {"upload": upload, "name": name})


@router.get("/{name}/runs", response_model=list[RunOut], summary="Import / collection runs of one source")
def runs(name: str, svc: Svc, _role: Viewer) -> list[RunOut]:
    return [_run(r) for r in svc.store.runs(check_name(name))]
