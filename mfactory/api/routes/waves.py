"""Waves: plan the store into waves, read the plan, move VMs with the planner's own checks.

Planning is bounded (10,000 VMs in seconds) and runs in the request; the plan is kept as
``DATA/waves/waves.json`` in the exact `waves.json` contract. Moves go through the same
validation as the CLI's CSV round trip (`waves import`): a move that splits a group,
breaks a limit or places a blocked VM is refused with every reason, and nothing changes.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from factory.errors import InputError
from factory.waves import PlanSettings, build_windows, export_csv, import_csv, load_waves, write_waves
from factory.waves.planner import Context
from factory.waves.settings import EnvOrder
from factory.waves.windows import parse_duration
from mfactory.api.analysis import load_mapping, load_profile, mapping_path, profile_path
from mfactory.api.deps import Operator, Svc, Viewer
from mfactory.api.errors import Conflict, NotFound, field_error
from mfactory.api.services import Services
from mfactory.planning import plan_scored_waves

router = APIRouter(prefix="/api/v1/waves", tags=["waves"])

LABEL_KEY = r"^[A-Za-z0-9][A-Za-z0-9 ._/:-]{0,127}$"


class WindowIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: datetime = Field(description="Window start with a time zone, e.g. 2026-12-05T22:00:00Z")
    duration: str = Field(pattern=r"^(\d{1,3}d)?(\d{1,4}h)?(\d{1,5}m)?(\d{1,6}s)?$", min_length=2, examples=["8h"])

    @field_validator("start")
    @classmethod
    def _bounded(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("start needs a time zone, e.g. 2026-12-05T22:00:00Z")
        if not 2000 <= value.year <= 2200:
            raise ValueError("start must be between the years 2000 and 2200")
        return value.astimezone(UTC)


class EnvOrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str = Field(pattern=LABEL_KEY)
    order: list[str] = Field(min_length=1, max_length=20)


class PlanRequest(BaseModel):
    """The knobs of `mfactory waves plan`, plus the cutover windows inline."""

    model_config = ConfigDict(extra="forbid")
    max_vms_per_plan: int = Field(100, ge=1, le=500)
    max_inflight_per_host: int = Field(10, ge=1, le=1000)
    throughput_mibs: float | None = Field(None, ge=1, le=100_000)
    group_by: list[str] = Field(default_factory=list, max_length=10, description="Label keys, e.g. ['app']")
    pilot_size: int = Field(5, ge=0, le=1000)
    env_order: EnvOrderIn | None = None
    max_vms_per_wave: int | None = Field(None, ge=1, le=100_000)
    max_vms_per_host: int | None = Field(None, ge=1, le=100_000)
    windows: list[WindowIn] | None = Field(None, min_length=1, max_length=500)
    blackouts: list[date] = Field(default_factory=list, max_length=1000)

    @field_validator("group_by")
    @classmethod
    def _keys(cls, value: list[str]) -> list[str]:
        import re

        keys = [v.removeprefix("label:") for v in value]
        for key in keys:
            if not re.fullmatch(LABEL_KEY, key):
                raise ValueError(f"label key {key!r} is not valid")
        return keys


class Move(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str = Field(min_length=1, max_length=200)
    id: str = Field(min_length=1, max_length=200, description="The VM's source id")
    wave: str = Field(max_length=100, description="Target wave name; empty to take the VM out of every wave")


class MoveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    moves: list[Move] = Field(min_length=1, max_length=10_000)


def waves_path(svc: Services) -> Path:
    return svc.settings.data_dir / "waves" / "waves.json"


def _doc(svc: Services) -> Any:
    path = waves_path(svc)
    if not path.is_file():
        raise Conflict("no wave plan yet", hint="POST /api/v1/waves/plan first")
    return load_waves(path)


@router.post("/plan", summary="Plan every VM of the store into waves (blocked VMs are left out)")
def plan(body: PlanRequest, svc: Svc, _role: Operator) -> dict[str, Any]:
    inventories = svc.store.inventories()
    if not inventories:
        raise Conflict("the store holds no inventory", hint="import an RVTools export or collect a source first")
    profile, mapping = load_profile(svc), load_mapping(svc)
    settings = PlanSettings(
        max_vms_per_plan=body.max_vms_per_plan,
        max_inflight_per_host=body.max_inflight_per_host,
        throughput_mibs=body.throughput_mibs,
        group_by=body.group_by,
        pilot_size=body.pilot_size,
        env_order=EnvOrder(label=body.env_order.label, order=body.env_order.order) if body.env_order else None,
        max_vms_per_wave=body.max_vms_per_wave,
        max_vms_per_host=body.max_vms_per_host,
    )
    windows = None
    if body.windows is not None:
        try:
            specs = [(w.start, parse_duration(w.duration)) for w in body.windows]
        except ValueError as exc:
            raise field_error("body.windows.duration", str(exc)) from None
        windows = build_windows(specs, body.blackouts)
        if not windows.usable:
            raise field_error("body.blackouts", "every window falls on a blackout date")
    doc = plan_scored_waves(
        inventories,
        settings=settings,
        windows=windows,
        profile=profile,
        mapping=mapping,
        samples=svc.store.throughput_samples(),
    )
    doc["settings"]["target"] = str(profile_path(svc)) if profile else None
    doc["settings"]["mapping"] = str(mapping_path(svc)) if mapping else None
    path = waves_path(svc)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_waves(doc, path)
    return doc


@router.get("", summary="The current plan (the waves.json contract)")
def get_plan(svc: Svc, _role: Viewer) -> dict[str, Any]:
    return _doc(svc).model_dump(mode="json")


@router.get("/export.csv", response_class=PlainTextResponse, summary="The plan as CSV, one row per VM")
def export(svc: Svc, _role: Viewer) -> PlainTextResponse:
    return PlainTextResponse(export_csv(_doc(svc)), media_type="text/csv; charset=utf-8")


@router.get("/{name}", summary="One wave")
def get_wave(name: str, svc: Svc, _role: Viewer) -> dict[str, Any]:
    for wave in _doc(svc).waves:
        if wave.name == name:
            return wave.model_dump(mode="json")
    raise NotFound(f"no wave named {name!r}", hint="see GET /api/v1/waves")


@router.post("/moves", summary="Move VMs between waves; refused with every reason if a rule breaks")
def move(body: MoveRequest, svc: Svc, _role: Operator) -> dict[str, Any]:
    doc = _doc(svc)
    wave_names = {w.name for w in doc.waves}
    for i, m in enumerate(body.moves):
        if m.wave and m.wave not in wave_names:
            raise field_error(f"body.moves.{i}.wave", f"no wave named {m.wave!r}", hint=", ".join(sorted(wave_names)))
    rows = list(csv.DictReader(io.StringIO(export_csv(doc))))
    index = {(r["source"], r["id"]): r for r in rows}
    for i, m in enumerate(body.moves):
        row = index.get((m.source, m.id))
        if row is None:
            raise field_error(f"body.moves.{i}.id", f"VM {m.source}/{m.id} is not in the plan")
        row["wave"] = m.wave
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()) if rows else ["wave", "source", "id"])
    writer.writeheader()
    writer.writerows(rows)
    fields = PlanSettings.model_fields
    settings = PlanSettings.model_validate({k: v for k, v in doc.settings.items() if k in fields})
    ctx = Context.build(
        svc.store.inventories(), settings, svc.store.throughput_samples(), load_profile(svc), load_mapping(svc)
    )
    try:
        new = import_csv(doc, out.getvalue(), ctx)
    except InputError as exc:
        raise field_error("body.moves", exc.message, exc.hint) from None
    write_waves(new, waves_path(svc))
    return new
