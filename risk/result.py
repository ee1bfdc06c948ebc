"""The scorer's output values: findings per VM, a score and a level, and the whole report.

Plain slotted dataclasses rather than pydantic: a 100,000-VM run creates hundreds of
thousands of findings, and validation would cost more than the rules themselves.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from risk.rule import Severity

Level = Literal["ready", "ready-with-warnings", "blocked"]
LEVELS: tuple[Level, ...] = ("ready", "ready-with-warnings", "blocked")


class Finding(NamedTuple):  # a NamedTuple: a large run creates close to a million of them
    id: str  # the rule id (Forklift's concern id for parity rules)
    severity: Severity
    message: str
    subject: str | None  # the disk / NIC / device / filesystem concerned, None for the VM as a whole
    remediation: str

    @property
    def rule(self) -> str:
        return self.id


@dataclass(slots=True)
class VmRisk:
    source: str
    id: str
    name: str
    score: int
    level: Level
    findings: list[Finding]
    not_evaluated: list[str]  # rule ids whose data is missing for this VM
    provider: str = "vsphere"
    cluster: str | None = None  # cluster name (or id when the name is unknown)
    os: str = "unknown"  # guest OS as the source names it
    os_family: str = "Unknown"
    target_name: str | None = None
    power_state: str = "unknown"

    @property
    def migratable(self) -> bool:
        return self.level != "blocked"

    def explain(self) -> list[tuple[str, Severity, int]]:
        """(rule id, worst severity, points deducted) — the score is 100 minus their sum."""
        from risk.scoring import deductions

        return deductions(self.findings)


@dataclass
class RiskReport:
    vms: list[VmRisk]
    ruleset_version: int
    profile: bool = False  # a target profile was given
    mapping: bool = False  # a mapping file was given
    skipped_rules: dict[str, str] = field(default_factory=dict)  # rule id -> why it did not run
    # With a target profile: {"vcpus"|"memory_gib"|"storage_gib:<class>": {"needed", "available"}}
    capacity: dict[str, dict[str, float | None]] | None = None

    def blocked(self) -> dict[tuple[str, str], list[str]]:
        """(source, vm id) -> the Critical messages, for the wave planner."""
        return {
            (v.source, v.id): [f.message for f in v.findings if f.severity == "Critical"]
            for v in self.vms
            if v.level == "blocked"
        }

    def by_level(self) -> Counter[str]:
        return Counter(v.level for v in self.vms)

    def by_rule(self) -> Counter[str]:
        """Rule id -> number of VMs it fired on (not the number of subjects)."""
        counts: Counter[str] = Counter()
        for v in self.vms:
            counts.update({f.id for f in v.findings})
        return counts

    def vm(self, source: str, vm_id: str) -> VmRisk | None:
        return next((v for v in self.vms if v.source == source and v.id == vm_id), None)
