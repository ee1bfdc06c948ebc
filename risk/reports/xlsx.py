"""The XLSX readiness workbook (XlsxWriter): Summary with native Excel charts, then VMs,
Findings and Rule coverage sheets — each with a frozen header row, an autofilter, and
conditional formatting by level or severity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter

from risk.reports.summary import Aggregates, aggregate
from risk.result import LEVELS, RiskReport
from risk.rule import SEVERITIES

_LEVEL_FILL = {"ready": "#C8E6C9", "ready-with-warnings": "#FFF59D", "blocked": "#FFCDD2"}
_SEV_FILL = {"Critical": "#FFCDD2", "Warning": "#FFF59D", "Information": "#BBDEFB"}


def write_xlsx(report: RiskReport, path: Path) -> None:
    agg = aggregate(report)
    wb = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    try:
        fmt = {
            "head": wb.add_format({"bold": True, "bg_color": "#ECEFF1", "border": 1}),
            "title": wb.add_format({"bold": True, "font_size": 16}),
            **{f"level:{k}": wb.add_format({"bg_color": v}) for k, v in _LEVEL_FILL.items()},
            **{f"sev:{k}": wb.add_format({"bg_color": v}) for k, v in _SEV_FILL.items()},
            "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
        }
        _summary(wb, agg, report, fmt)
        _vms(wb, report, fmt)
        _findings(wb, report, fmt)
        _coverage(wb, agg, fmt)
    finally:
        wb.close()


def _table(ws: Any, headers: list[str], rows: list[list[Any]], fmt: dict[str, Any], widths: list[int]) -> None:
    ws.write_row(0, 0, headers, fmt["head"])
    for i, row in enumerate(rows, start=1):
        ws.write_row(i, 0, row)
    for col, w in enumerate(widths):
        ws.set_column(col, col, w)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)


def _colour_by(ws: Any, col: int, n: int, fills: dict[str, str], prefix: str, fmt: dict[str, Any]) -> None:
    for value in fills:
        ws.conditional_format(
            1,
            col,
            max(n, 1),
            col,
            {"type": "cell", "criteria": "==", "value": f'"{value}"', "format": fmt[prefix + value]},
        )


class _Grid:
    """Collects a sheet's cells so they can be written row by row: the workbook runs in
    XlsxWriter's constant_memory mode (a 100,000-VM Findings sheet would otherwise sit in
    memory), where a row cannot be revisited once a later row was written."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], tuple[Any, Any]] = {}

    def write(self, row: int, col: int, value: Any, cell_format: Any = None) -> None:
        self.cells[(row, col)] = (value, cell_format)

    def write_row(self, row: int, col: int, values: list[Any], cell_format: Any = None) -> None:
        for i, value in enumerate(values):
            self.write(row, col + i, value, cell_format)

    def flush(self, ws: Any) -> None:
        for (row, col), (value, cell_format) in sorted(self.cells.items()):
            ws.write(row, col, value, cell_format)


def _summary(wb: Any, agg: Aggregates, report: RiskReport, fmt: dict[str, Any]) -> None:
    sheet = wb.add_worksheet("Summary")
    ws = _Grid()
    ws.write(0, 0, "Migration readiness", fmt["title"])
    ws.write_row(1, 0, ["VMs", agg.total, "ruleset", report.ruleset_version, "generated", agg.generated_at])
    # Data blocks the charts point at.
    ws.write_row(3, 0, ["Level", "VMs"], fmt["head"])
    for i, lv in enumerate(LEVELS):
        ws.write_row(4 + i, 0, [lv, agg.levels[lv]])
    ws.write_row(3, 3, ["Severity", "Findings"], fmt["head"])
    for i, sev in enumerate(SEVERITIES):
        ws.write_row(4 + i, 3, [sev, agg.by_severity[sev]])
    top = agg.by_rule[:15]
    ws.write_row(9, 0, ["Rule", "VMs"], fmt["head"])
    for i, (rid, _, _, n) in enumerate(top):
        ws.write_row(10 + i, 0, [rid, n])
    ws.write_row(9, 3, ["OS family", "VMs"], fmt["head"])
    for i, (fam, n) in enumerate(agg.os_families):
        ws.write_row(10 + i, 3, [fam, n])
    base = 12 + max(len(top), len(agg.os_families), 1)
    ws.write_row(base, 0, ["Cluster", *LEVELS], fmt["head"])
    clusters = list(agg.by_cluster.items())
    for i, (name, counts) in enumerate(clusters):
        ws.write_row(base + 1 + i, 0, [name, *(counts[lv] for lv in LEVELS)])
    if report.capacity:
        row = base + len(clusters) + 3
        ws.write_row(row, 0, ["Target capacity", "needed", "available"], fmt["head"])
        for i, (name, c) in enumerate(report.capacity.items(), start=1):
            ws.write_row(row + i, 0, [name, c["needed"], c["available"] if c["available"] is not None else "not given"])
    sheet.set_column(0, 0, 44)
    sheet.set_column(3, 3, 24)
    ws.flush(sheet)
    ws = sheet

    pie = wb.add_chart({"type": "pie"})
    pie.add_series({"name": "Readiness", "categories": ["Summary", 4, 0, 6, 0], "values": ["Summary", 4, 1, 6, 1],
                    "points": [{"fill": {"color": c}} for c in ("#2E7D32", "#F9A825", "#C62828")]})  # fmt: skip
    pie.set_title({"name": "Readiness"})
    ws.insert_chart("H2", pie)
    sev = wb.add_chart({"type": "column"})
    sev.add_series({"name": "Findings", "categories": ["Summary", 4, 3, 6, 3], "values": ["Summary", 4, 4, 6, 4]})
    sev.set_title({"name": "Findings by severity"})
    sev.set_legend({"none": True})
    ws.insert_chart("P2", sev)
    if top:
        rules = wb.add_chart({"type": "bar"})
        rules.add_series({"name": "VMs", "categories": ["Summary", 10, 0, 9 + len(top), 0],
                          "values": ["Summary", 10, 1, 9 + len(top), 1]})  # fmt: skip
        rules.set_title({"name": "VMs per rule"})
        rules.set_legend({"none": True})
        ws.insert_chart("H18", rules, {"x_scale": 1.4, "y_scale": 1.4})
    if agg.os_families:
        os_chart = wb.add_chart({"type": "bar"})
        n = len(agg.os_families)
        os_chart.add_series(
            {"name": "VMs", "categories": ["Summary", 10, 3, 9 + n, 3], "values": ["Summary", 10, 4, 9 + n, 4]}
        )
        os_chart.set_title({"name": "OS distribution"})
        os_chart.set_legend({"none": True})
        ws.insert_chart("P18", os_chart)
    if clusters:
        stacked = wb.add_chart({"type": "bar", "subtype": "stacked"})
        for j, (lv, colour) in enumerate(zip(LEVELS, ("#2E7D32", "#F9A825", "#C62828"), strict=True)):
            stacked.add_series({"name": lv, "categories": ["Summary", base + 1, 0, base + len(clusters), 0],
                                "values": ["Summary", base + 1, 1 + j, base + len(clusters), 1 + j],
                                "fill": {"color": colour}})  # fmt: skip
        stacked.set_title({"name": "Readiness by cluster"})
        ws.insert_chart("H40", stacked, {"x_scale": 1.4, "y_scale": 1.2})


def _vms(wb: Any, report: RiskReport, fmt: dict[str, Any]) -> None:
    ws = wb.add_worksheet("VMs")
    headers = ["source", "id", "name", "provider", "cluster", "OS", "level", "score", "migratable", "critical",
               "warnings", "information", "rules fired", "not evaluated", "target name"]  # fmt: skip
    rows = []
    for v in report.vms:
        sev = [sum(1 for f in v.findings if f.severity == s) for s in SEVERITIES]
        rules = ", ".join(dict.fromkeys(f.id for f in v.findings))
        rows.append([v.source, v.id, v.name, v.provider, v.cluster or "", v.os, v.level, v.score, v.migratable,
                     *sev, rules, ", ".join(v.not_evaluated), v.target_name or ""])  # fmt: skip
    _table(ws, headers, rows, fmt, [14, 16, 28, 9, 20, 30, 20, 7, 10, 8, 9, 11, 60, 40, 28])
    _colour_by(ws, 6, len(rows), _LEVEL_FILL, "level:", fmt)


def _findings(wb: Any, report: RiskReport, fmt: dict[str, Any]) -> None:
    from risk.registry import RULES_BY_ID

    ws = wb.add_worksheet("Findings")
    headers = ["source", "vm id", "vm name", "rule", "label", "severity", "subject", "message", "remediation"]
    rows = [
        [v.source, v.id, v.name, f.id, RULES_BY_ID[f.id].label, f.severity, f.subject or "", f.message, f.remediation]
        for v in report.vms
        for f in v.findings
    ]
    _table(ws, headers, rows, fmt, [14, 16, 28, 40, 36, 12, 20, 70, 70])
    _colour_by(ws, 5, len(rows), _SEV_FILL, "sev:", fmt)


def _coverage(wb: Any, agg: Aggregates, fmt: dict[str, Any]) -> None:
    ws = wb.add_worksheet("Rule coverage")
    keys = ["id", "label", "category", "origin", "providers", "needs", "requires", "fired", "not_evaluated", "skipped",
            "rationale", "remediation"]  # fmt: skip
    headers = ["rule", "label", "category", "origin", "providers", "model fields", "requires", "VMs fired",
               "VMs not evaluated", "skipped", "rationale", "remediation"]  # fmt: skip
    rows = [[row[k] for k in keys] for row in agg.coverage]
    _table(ws, headers, rows, fmt, [42, 40, 12, 9, 14, 40, 16, 10, 16, 30, 70, 70])
    _colour_by(ws, 2, len(rows), _SEV_FILL, "sev:", fmt)
