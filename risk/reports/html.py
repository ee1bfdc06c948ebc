"""The self-contained HTML readiness report: one file an architect can mail.

Charts are inline SVG drawn here (risk.reports.svg); the VM table is built in the browser
by a few lines of inline JavaScript from the embedded JSON, so it stays sortable and
filterable without any CDN or network fetch.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from risk.registry import RULES
from risk.reports import svg
from risk.reports.summary import Aggregates, aggregate
from risk.result import RiskReport
from risk.rule import SEVERITIES

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
TOP_RULES = 15


def _table_rows(report: RiskReport) -> dict[str, Any]:
    """Compact rows for the script (a 20,000-VM report is ~20 MB): rule ids and severities
    are indexes into ``rules`` and ``severities``. A row is [name, source, id, cluster, os,
    level, score, target, [[severity, rule, subject, message], ...], not-evaluated count]."""
    rule_ids = [r.id for r in RULES]
    rule_index = {rid: i for i, rid in enumerate(rule_ids)}
    sev_index = {s: i for i, s in enumerate(SEVERITIES)}
    rows = [
        [
            v.name,
            v.source,
            v.id,
            v.cluster or "",
            v.os,
            v.level,
            v.score,
            v.target_name or "",
            [[sev_index[f.severity], rule_index[f.id], f.subject or "", f.message] for f in v.findings],
            len(v.not_evaluated),
        ]
        for v in report.vms
    ]
    return {"rules": rule_ids, "severities": list(SEVERITIES), "rows": rows}


def _json_for_script(data: Any) -> Markup:
    # "<" escaped so that no VM name can close the <script> element.
    return Markup(json.dumps(data, separators=(",", ":")).replace("<", "\\u003c"))


def charts(agg: Aggregates) -> dict[str, Markup]:
    return {
        "readiness": svg.stacked(
            "Readiness by cluster", list(agg.by_cluster.items()), svg.LEVEL_COLOURS, "chart-readiness"
        ),
        "severity": svg.bars(
            "Findings by severity",
            [(s, n, svg.SEVERITY_COLOURS[s]) for s, n in agg.by_severity.items()],
            "chart-severity",
        ),
        "rules": svg.bars(
            "VMs per rule",
            [(rid, n, svg.SEVERITY_COLOURS[sev]) for rid, _, sev, n in agg.by_rule[:TOP_RULES]],
            "chart-rules",
        ),
        "os": svg.bars("OS distribution", [(f, n, "#455a64") for f, n in agg.os_families], "chart-os"),
        "blockers": svg.bars(
            "Top blockers",
            [(rid, n, svg.SEVERITY_COLOURS["Critical"]) for rid, _, n in agg.blockers[:10]],
            "chart-blockers",
        ),
    }


def render_html(report: RiskReport, title: str = "Migration readiness") -> str:
    agg = aggregate(report)
    return _ENV.get_template("report.html.j2").render(
        title=title,
        agg=agg,
        charts=charts(agg),
        report=report,
        rows=_json_for_script(_table_rows(report)),
        top_rules=TOP_RULES,
    )
