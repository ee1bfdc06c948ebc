"""CSV and JSON reports for tooling.

CSV: one row per finding, VM columns repeated (a VM without findings gets one row with
empty finding columns) — easy to pivot. JSON: the `risk score --json` document plus the
rule catalogue and the run's metadata.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from risk.registry import RULES, RULESET_VERSION
from risk.result import RiskReport
from risk.views import report_json

CSV_HEADERS = [
    "source", "vm_id", "vm_name", "provider", "cluster", "os", "level", "score", "migratable", "target_name",
    "rule", "severity", "subject", "message", "remediation", "not_evaluated",
]  # fmt: skip


def render_csv(report: RiskReport) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_HEADERS)
    for v in report.vms:
        head = [v.source, v.id, v.name, v.provider, v.cluster or "", v.os, v.level, v.score,
                str(v.migratable).lower(), v.target_name or ""]  # fmt: skip
        ne = ";".join(v.not_evaluated)
        if not v.findings:
            w.writerow([*head, "", "", "", "", "", ne])
        for f in v.findings:
            w.writerow([*head, f.id, f.severity, f.subject or "", f.message, f.remediation, ne])
    return buf.getvalue()


def rules_json() -> list[dict[str, Any]]:
    return [
        {
            "id": r.id,
            "category": r.category,
            "label": r.label,
            "origin": r.origin,
            "providers": sorted(r.providers),
            "needs": list(r.needs),
            "requires": sorted(r.requires),
            "rationale": r.rationale,
            "remediation": r.remediation,
        }
        for r in RULES
    ]


def render_json(report: RiskReport) -> dict[str, Any]:
    doc = report_json(report)
    doc["ruleset_version"] = RULESET_VERSION
    doc["rules"] = rules_json()
    return doc
