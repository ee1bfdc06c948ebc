"""``waves.json``: read it back strictly (it is hand-editable and feeds the CR emitter), and
write it atomically (a half-written plan must never replace a good one)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from factory.errors import InputError
from factory.target import _explain


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class WaveVm(_Open):
    id: str
    source: str
    name: str
    group: str | None = None


class WavePlan(_Open):
    name: str
    vms: list[str]
    source: str | None = None


class WaveWindow(_Open):
    start: str
    end: str


class Wave(_Open):
    name: str
    index: int
    window: WaveWindow | None = None
    estimated_seconds: int
    bottleneck: dict[str, Any] | None = None
    vms: list[WaveVm]
    plans: list[WavePlan]


class VmRef(_Open):
    id: str
    name: str
    reason: str
    source: str | None = None


class WavesDocument(_Open):
    settings: dict[str, Any]
    waves: list[Wave]
    excluded: list[VmRef]
    unplaced: list[VmRef]


def load_waves(path: Path) -> WavesDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(
            f"cannot read waves file {path}: {exc.strerror}", hint="run `mfactory waves plan` first"
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"waves file {path} is not JSON: {exc}", hint="regenerate it with `mfactory waves plan`"
        ) from None
    try:
        return WavesDocument.model_validate(data)
    except ValidationError as exc:
        raise InputError(
            f"waves file {path}: {_explain(exc)}", hint="regenerate it with `mfactory waves plan`"
        ) from None


def dumps(doc: dict) -> str:
    return json.dumps(doc, indent=1, sort_keys=False) + "\n"


def write_waves(doc: dict, path: Path) -> None:
    """Write through a temporary file in the same folder and rename: all or nothing."""
    atomic_write(path, dumps(doc))


def atomic_write(path: Path, text: str) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"folder {folder} does not exist", hint="create it or pass another --out")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
