"""The demo as a list of steps, each calling the real stage.

load estate -> (RVTools sample) -> score -> reports -> plan waves -> emit MTV -> convert
sample disks on the in-process worker -> summary. Every step writes under ``OUT`` only;
the store is ``OUT/factory.db``, recreated on each run so the demo is repeatable.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factory.model import Inventory
from factory.store import Store
from factory.target import MappingFile, TargetProfile, load_mapping_file, load_target_profile
from factory.waves.windows import Windows, load_windows

HERE = Path(__file__).resolve().parent
ESTATE = HERE / "estate"


@dataclass
class DemoContext:
    out: Path
    store: Store
    profile: TargetProfile
    mapping: MappingFile
    windows: Windows
    inventories: list[Inventory] = field(default_factory=list)
    report: Any = None
    waves: dict[str, Any] | None = None
    outputs: dict[str, str] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StepResult:
    name: str
    seconds: float
    message: str


@dataclass
class DemoResult:
    out: Path
    steps: list[StepResult]
    outputs: dict[str, str]
    summary: dict[str, Any]


Step = tuple[str, Callable[[DemoContext], str]]


def _steps() -> list[Step]:
    from mfactory.demo import steps

    return [
        ("load sample estate", steps.load_estate),
        ("import sample RVTools export", steps.import_rvtools_sample),
        ("score risks", steps.score),
        ("write readiness reports", steps.reports),
        ("plan waves", steps.plan),
        ("emit MTV custom resources", steps.emit_mtv),
        ("convert sample disks (in-process worker)", steps.convert_disks),
        ("write summary", steps.summary),
    ]


def run_demo(out: Path, on_step: Callable[[StepResult], None] | None = None) -> DemoResult:
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    for stale in ("factory.db", "factory.db-wal", "factory.db-shm"):
        (out / stale).unlink(missing_ok=True)
    ctx = DemoContext(
        out=out,
        store=Store.open(str(out / "factory.db")),
        profile=load_target_profile(HERE / "target.yaml"),
        mapping=load_mapping_file(HERE / "mapping.yaml"),
        windows=load_windows(HERE / "windows.yaml"),
    )
    results: list[StepResult] = []
    for name, fn in _steps():
        started = time.perf_counter()
        message = fn(ctx)
        result = StepResult(name, time.perf_counter() - started, message)
        results.append(result)
        if on_step is not None:
            on_step(result)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return DemoResult(out=out, steps=results, outputs=dict(ctx.outputs), summary=summary)
