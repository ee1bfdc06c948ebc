"""Risk and target state the routers share: the target profile and mapping the operators
uploaded, and a risk report cached until the store or those files change."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import yaml

import risk
from factory.target import MappingFile, TargetProfile, load_mapping_file, load_target_profile
from mfactory.api.services import Services

_lock = threading.Lock()
_cache: dict[str, tuple[tuple, Any]] = {}


def profile_path(svc: Services) -> Path:
    return svc.settings.data_dir / "target" / "profile.yaml"


def mapping_path(svc: Services) -> Path:
    return svc.settings.data_dir / "target" / "mapping.yaml"


def load_profile(svc: Services) -> TargetProfile | None:
    path = profile_path(svc)
    return load_target_profile(path) if path.is_file() else None


def load_mapping(svc: Services) -> MappingFile | None:
    path = mapping_path(svc)
    return load_mapping_file(path) if path.is_file() else None


def save_yaml(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    tmp.replace(path)


def _stamp(svc: Services) -> tuple:
    runs = svc.store.runs()
    last = runs[-1].id if runs else 0
    files = tuple(p.stat().st_mtime_ns if p.is_file() else 0 for p in (profile_path(svc), mapping_path(svc)))
    return (last, *files)


def current_report(svc: Services) -> risk.RiskReport:
    """Score the whole store against the current target; recomputed only when it changed."""
    key = str(svc.settings.data_dir)
    stamp = _stamp(svc)
    with _lock:
        cached = _cache.get(key)
        if cached and cached[0] == stamp:
            return cached[1]
    report = risk.score(svc.store.inventories(), profile=load_profile(svc), mapping=load_mapping(svc))
    with _lock:
        _cache[key] = (stamp, report)
    return report
