"""Write a readiness report with the risk stage's own writer, into DATA/reports."""

from __future__ import annotations

from pathlib import Path

from mfactory.api.services import Services
from risk import RiskReport
from risk.reports import write_report as write

MEDIA = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def write_report(svc: Services, report: RiskReport, fmt: str) -> tuple[Path, str]:
    """Written atomically by the risk stage, so a concurrent download never sees half a file."""
    folder = svc.settings.data_dir / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return write(report, fmt, folder / f"readiness.{fmt}"), MEDIA[fmt]
