"""Aggregates the reports chart: readiness by cluster, findings by severity and rule, OS
families, top blockers. One pass over the report, shared by HTML and XLSX."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from risk.registry import RULES, RULES_BY_ID
from risk.result import LEVELS, RiskReport
from risk.rule import SEVERITIES


@dataclass
class Aggregates:
    total: int
    levels: dict[str, int]
    by_cluster: dict[str, dict[str, int]]  # "source / cluster" -> level -> VMs
    by_severity: dict[str, int]  # findings per severity
    by_rule: list[tuple[str, str, str, int]]  # (rule id, label, worst severity seen, VMs), most VMs first
    blockers: list[tuple[str, str, int]]  # Critical rules: (rule id, label, VMs)
    os_families: list[tuple[str, int]]
    not_evaluated: dict[str, int]
    coverage: list[dict[str, object]] = field(default_factory=list)
    generated_at: str = ""


def aggregate(report: RiskReport) -> Aggregates:
    levels: Counter[str] = Counter()
    clusters: dict[str, Counter[str]] = defaultdict(Counter)
    severities: Counter[str] = Counter()
    rule_vms: Counter[str] = Counter()
    rule_sev: dict[str, str] = {}
    blockers: Counter[str] = Counter()
    families: Counter[str] = Counter()
    ne: Counter[str] = Counter()
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    for v in report.vms:
        levels[v.level] += 1
        clusters[f"{v.source} / {v.cluster or '(no cluster)'}"][v.level] += 1
        families[v.os_family] += 1
        ne.update(v.not_evaluated)
        seen: set[str] = set()
        crit: set[str] = set()
        for f in v.findings:
            severities[f.severity] += 1
            seen.add(f.id)
            if f.severity == "Critical":
                crit.add(f.id)
            if f.id not in rule_sev or rank[f.severity] < rank[rule_sev[f.id]]:
                rule_sev[f.id] = f.severity
        rule_vms.update(seen)
        blockers.update(crit)
    by_rule = [(rid, RULES_BY_ID[rid].label, rule_sev[rid], n) for rid, n in rule_vms.most_common()]
    coverage = [
        {
            "id": r.id,
            "label": r.label,
            "category": r.category,
            "origin": r.origin,
            "providers": ", ".join(sorted(r.providers)),
            "needs": ", ".join(r.needs),
            "requires": ", ".join(sorted(r.requires)),
            "fired": rule_vms.get(r.id, 0),
            "not_evaluated": ne.get(r.id, 0),
            "skipped": report.skipped_rules.get(r.id, ""),
            "rationale": r.rationale,
            "remediation": r.remediation,
        }
        for r in RULES
    ]
    return Aggregates(
        total=len(report.vms),
        levels={lv: levels.get(lv, 0) for lv in LEVELS},
        by_cluster={k: {lv: c.get(lv, 0) for lv in LEVELS} for k, c in sorted(clusters.items())},
        by_severity={s: severities.get(s, 0) for s in SEVERITIES},
        by_rule=by_rule,
        blockers=[(rid, RULES_BY_ID[rid].label, n) for rid, n in blockers.most_common()],
        os_families=families.most_common(),
        not_evaluated=dict(ne.most_common()),
        coverage=coverage,
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
