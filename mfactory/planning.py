"""Wave planning with the risk scorer wired in: the one sequence the CLI and the API share.

`factory.waves` never imports `risk` (imports flow one way); the shell scores the estate and
hands the planner plain inputs: the blocked VMs and a per-VM risk figure for pilot choice.
"""

from __future__ import annotations

from typing import Any

import risk
from factory.model import Inventory
from factory.store import ThroughputSample
from factory.target import MappingFile, TargetProfile
from factory.waves import PlanSettings, Windows, plan_waves


def plan_scored_waves(
    inventories: list[Inventory],
    *,
    settings: PlanSettings,
    windows: Windows | None,
    profile: TargetProfile | None,
    mapping: MappingFile | None,
    samples: list[ThroughputSample],
) -> dict[str, Any]:
    """Score the estate, then plan waves that leave out its blocked VMs."""
    report = risk.score(inventories, profile=profile, mapping=mapping)
    return plan_waves(
        inventories,
        blocked=report.blocked(),
        settings=settings,
        windows=windows,
        profile=profile,
        mapping=mapping,
        samples=samples,
        risk_scores={(v.source, v.id): 100 - v.score for v in report.vms},
    )
