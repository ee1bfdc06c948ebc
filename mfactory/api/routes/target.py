"""The target side: the target profile and the mapping file (the same YAML the CLI reads),
uploaded as JSON and kept in the data directory for risk, waves and MTV."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from factory.target import MappingFile, TargetProfile
from mfactory.api.analysis import load_mapping, load_profile, mapping_path, profile_path, save_yaml
from mfactory.api.deps import Operator, Svc, Viewer
from mfactory.api.errors import NotFound

router = APIRouter(prefix="/api/v1/target", tags=["target"])


@router.get("/profile", summary="The target profile (storage classes, networks, nodes)")
def get_profile(svc: Svc, _role: Viewer) -> dict[str, Any]:
    profile = load_profile(svc)
    if profile is None:
        raise NotFound("no target profile yet", hint="PUT /api/v1/target/profile")
    return profile.model_dump(mode="json", by_alias=True)


@router.put("/profile", summary="Replace the target profile (the YAML schema, as JSON)")
def put_profile(body: TargetProfile, svc: Svc, _role: Operator) -> dict[str, Any]:
    data = body.model_dump(mode="json", by_alias=True, exclude_none=True)
    save_yaml(profile_path(svc), data)
    return data


@router.get("/mapping", summary="The network and storage mapping")
def get_mapping(svc: Svc, _role: Viewer) -> dict[str, Any]:
    mapping = load_mapping(svc)
    if mapping is None:
        raise NotFound("no mapping yet", hint="PUT /api/v1/target/mapping")
    return mapping.model_dump(mode="json", by_alias=True, exclude_none=True)


@router.put("/mapping", summary="Replace the mapping (Forklift map shape, as JSON)")
def put_mapping(body: MappingFile, svc: Svc, _role: Operator) -> dict[str, Any]:
    data = body.model_dump(mode="json", by_alias=True, exclude_none=True)
    save_yaml(mapping_path(svc), data)
    return data
