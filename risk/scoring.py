"""Score and level from findings — and nothing else, so every score can be explained.

- Each rule that fired costs points once, at the worst severity it fired with (ten disks
  without CBT are one problem, not ten): Critical 50, Warning 10, Information 2.
- ``score = max(0, 100 - sum)``: a VM with no findings scores 100; a blocked VM at most 50.
- ``level``: ``blocked`` exactly when some finding is Critical; ``ready-with-warnings`` when
  some finding is a Warning; otherwise ``ready`` (Information does not change the level).
- Rules that could not be evaluated cost nothing; they are listed beside the score.
"""

from __future__ import annotations

from collections.abc import Iterable

from risk.result import Finding, Level
from risk.rule import CRITICAL, INFORMATION, WARNING, Severity

WEIGHTS: dict[str, int] = {CRITICAL: 50, WARNING: 10, INFORMATION: 2}
_RANK = {CRITICAL: 0, WARNING: 1, INFORMATION: 2}


def deductions(findings: Iterable[Finding]) -> list[tuple[str, Severity, int]]:
    worst: dict[str, Severity] = {}
    for f in findings:
        seen = worst.get(f.id)
        if seen is None or _RANK[f.severity] < _RANK[seen]:
            worst[f.id] = f.severity
    return [(rule_id, sev, WEIGHTS[sev]) for rule_id, sev in worst.items()]


def score_and_level(findings: list[Finding]) -> tuple[int, Level]:
    if not findings:
        return 100, "ready"
    worst: dict[str, str] = {}
    for f in findings:
        seen = worst.get(f.id)
        if seen is None or _RANK[f.severity] < _RANK[seen]:
            worst[f.id] = f.severity
    severities = worst.values()
    total = sum(WEIGHTS[s] for s in severities)
    if CRITICAL in severities:
        level: Level = "blocked"
    elif WARNING in severities:
        level = "ready-with-warnings"
    else:
        level = "ready"
    return max(0, 100 - total), level
