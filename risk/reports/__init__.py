"""Readiness reports in four formats. :func:`write_report` writes atomically: the file at
``path`` is either the complete new report or untouched."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Literal

from factory.errors import InputError
from risk.reports.html import render_html
from risk.reports.tabular import render_csv, render_json
from risk.reports.xlsx import write_xlsx
from risk.result import RiskReport

Format = Literal["html", "xlsx", "csv", "json"]
FORMATS: tuple[Format, ...] = ("html", "xlsx", "csv", "json")


def write_report(report: RiskReport, fmt: str, path: Path) -> Path:
    if fmt not in FORMATS:
        raise InputError(f"unknown report format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"folder {parent} does not exist", hint="create it or choose another --out")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=parent)
    tmp = Path(tmp_name)
    try:
        os.close(fd)
        if fmt == "xlsx":
            write_xlsx(report, tmp)
        elif fmt == "html":
            tmp.write_text(render_html(report), encoding="utf-8")
        elif fmt == "csv":
            tmp.write_text(render_csv(report), encoding="utf-8", newline="")
        else:
            tmp.write_text(json.dumps(render_json(report), indent=1), encoding="utf-8")
        tmp.chmod(0o644)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


__all__ = ["FORMATS", "render_csv", "render_html", "render_json", "write_report", "write_xlsx"]
