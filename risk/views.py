"""JSON views of a report — the `risk score --json` contract. Keep names exact; add only beside."""

from __future__ import annotations

from typing import Any

from risk.registry import RULES_BY_ID
from risk.result import Finding, RiskReport, VmRisk


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "id": f.id,
        "severity": f.severity,
        "message": f.message,
        "subject": f.subject,
        "label": RULES_BY_ID[f.id].label,
        "remediation": f.remediation,
    }


def vm_risk_json(v: VmRisk) -> dict[str, Any]:
    return {
        "id": v.id,
        "name": v.name,
        "source": v.source,
        "score": v.score,
        "level": v.level,
        "migratable": v.migratable,
        "findings": [finding_json(f) for f in v.findings],
        "not_evaluated": list(v.not_evaluated),
        "provider": v.provider,
        "cluster": v.cluster,
        "os": v.os,
        "target_name": v.target_name,
    }


def summary_json(report: RiskReport) -> dict[str, Any]:
    levels = report.by_level()
    not_evaluated: dict[str, int] = {}
    for v in report.vms:
        for rid in v.not_evaluated:
            not_evaluated[rid] = not_evaluated.get(rid, 0) + 1
    return {
        "total": len(report.vms),
        "ready": levels.get("ready", 0),
        "warnings": levels.get("ready-with-warnings", 0),
        "blocked": levels.get("blocked", 0),
        "by_rule": dict(sorted(report.by_rule().items())),
        "not_evaluated": dict(sorted(not_evaluated.items())),
        "skipped_rules": dict(report.skipped_rules),
        "ruleset_version": report.ruleset_version,
        "capacity": report.capacity,
    }


def report_json(report: RiskReport) -> dict[str, Any]:
    """Exactly the `mfactory risk score --json` document."""
    return {"vms": [vm_risk_json(v) for v in report.vms], "summary": summary_json(report)}
