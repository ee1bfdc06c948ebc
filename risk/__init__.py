"""Risk scoring: MTV's own concerns (same ids, categories, conditions) plus target-aware
rules, over the normalized inventory; scores, levels and the architects' reports.

Public API (the wave planner and the API rely on these names)::

    from risk import score, RiskReport, VmRisk, Finding, RULES, report_json
"""

from __future__ import annotations

from risk.engine import score
from risk.registry import RULES, RULES_BY_ID, RULESET_VERSION, rules_for
from risk.result import LEVELS, Finding, RiskReport, VmRisk
from risk.rule import SEVERITIES, Rule
from risk.scoring import WEIGHTS
from risk.views import report_json

__all__ = [
    "LEVELS",
    "RULES",
    "RULESET_VERSION",
    "RULES_BY_ID",
    "SEVERITIES",
    "WEIGHTS",
    "Finding",
    "RiskReport",
    "Rule",
    "VmRisk",
    "report_json",
    "rules_for",
    "score",
]
