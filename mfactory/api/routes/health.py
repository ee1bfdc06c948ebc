"""Liveness (no token) and who-am-I (any token)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from mfactory.api.deps import Svc, Viewer

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    workers: str


class Me(BaseModel):
    role: str


@router.get("/healthz", response_model=Health, summary="Liveness; no token needed, no data returned")
def healthz(svc: Svc) -> Health:
    return Health(status="ok", workers="celery" if svc.settings.redis_url else "in-process")


@router.get("/api/v1/whoami", response_model=Me, summary="The role of the presented token")
def whoami(role: Viewer) -> Me:
    return Me(role=role.value)
