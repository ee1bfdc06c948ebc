"""Write an :class:`~factory.samples.estate.Estate` as an RVTools export.

Headers are RVTools 4.7.1.4's own (``rvtools-4.7.1-headers.json``), custom attributes go
right after ``Annotation`` as RVTools puts them, booleans are the ``True``/``False`` text
RVTools writes and CBT/EnableUUID ``TRUE`` or blank. ``legacy=True`` writes the old ``MB``
header names (and ``Free % `` with its trailing space) of pre-4.x exports. The xlsx is
written with XlsxWriter in constant-memory mode, so 10,000-VM workbooks stay cheap.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from factory.samples.estate import Estate
from factory.samples.object_rows import ObjectRows
from factory.samples.vm_rows import VmRows

HEADERS: dict[str, list[str]] = json.loads(Path(__file__).with_name("rvtools-4.7.1-headers.json").read_text())["sheets"]
SHEETS = tuple(HEADERS)
_EXCEL_EPOCH = datetime(1899, 12, 30)
Cell = tuple[str, int, str]  # sheet, data row (1 = first row under the header), 4.7 column name


class _Writer(VmRows, ObjectRows):
    """Turns estates into sheets: header rows (custom attributes placed, legacy names if
    asked) and value rows, with single cells overridable for malformed-input tests."""

    def __init__(
        self, estates: list[Estate], *, legacy: bool, serial_dates: bool, cells: Mapping[Cell, Any] | None = None
    ) -> None:
        self.estates = estates
        self.cells = dict(cells or {})
        self.legacy = legacy
        self.serial_dates = serial_dates
        self.attributes = list(dict.fromkeys(a for e in estates for a in e.attributes))

    def keys(self, sheet: str) -> list[str]:
        """The 4.7 header names, custom attributes inserted after Annotation."""
        base = list(HEADERS[sheet])
        if "Annotation" in base:
            at = base.index("Annotation") + 1
            base[at:at] = self.attributes
        return base

    def headers(self, sheet: str) -> list[str]:
        base = self.keys(sheet)
        if self.legacy:
            base = [re.sub(r"\bMiB\b", "MB", h) for h in base]
            base = ["Free % " if h == "Free %" else h for h in base]
        return base

    def date(self, value: datetime) -> Any:
        return (value - _EXCEL_EPOCH).total_seconds() / 86400 if self.serial_dates else value

    def rows(self, sheet: str) -> Iterator[dict[str, Any]]:
        for estate in self.estates:
            yield from getattr(self, "_" + sheet)(estate)

    def table(self, sheet: str) -> tuple[list[str], Iterator[list[Any]]]:
        keys = self.keys(sheet)
        rows = ([row.get(k, "") for k in keys] for row in self.rows(sheet))
        patches = {(n, keys.index(col)): v for (s, n, col), v in self.cells.items() if s == sheet}
        if patches:
            rows = ([patches.get((n, c), v) for c, v in enumerate(row)] for n, row in enumerate(rows, start=1))
        return self.headers(sheet), rows


def _estates(estate: Estate | Iterable[Estate]) -> list[Estate]:
    return [estate] if isinstance(estate, Estate) else list(estate)


def write_xlsx(
    estate: Estate | Iterable[Estate],
    path: Path,
    *,
    sheets: Iterable[str] = SHEETS,
    legacy: bool = False,
    serial_dates: bool = False,
    cells: Mapping[Cell, Any] | None = None,
) -> Path:
    """Write the estate(s) as an RVTools .xlsx workbook with the given sheets; ``cells``
    overwrites single cells (tests use it to plant malformed values)."""
    estates = _estates(estate)
    writer = _Writer(estates, legacy=legacy, serial_dates=serial_dates, cells=cells)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    book.set_properties({"created": estates[0].exported_at})  # same bytes on every regeneration
    date_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for sheet in sheets:
        ws = book.add_worksheet(sheet)
        headers, rows = writer.table(sheet)
        ws.write_row(0, 0, headers)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if value == "":
                    continue
                if isinstance(value, datetime):
                    ws.write_datetime(r, c, value, date_format)
                elif isinstance(value, str):
                    ws.write_string(r, c, value)
                else:
                    ws.write_number(r, c, value)
    book.close()
    return path


def csv_members(
    estate: Estate | Iterable[Estate],
    *,
    sheets: Iterable[str] = SHEETS,
    legacy: bool = False,
    cells: Mapping[Cell, Any] | None = None,
) -> Iterator[tuple[str, bytes]]:
    """``(RVTools_tab<Sheet>.csv, UTF-8 bytes)`` for each sheet, as RVTools' CSV export names them."""
    writer = _Writer(_estates(estate), legacy=legacy, serial_dates=False, cells=cells)
    for sheet in sheets:
        headers, rows = writer.table(sheet)
        buffer = io.StringIO()
        out = csv.writer(buffer, lineterminator="\r\n")
        out.writerow(headers)
        for row in rows:
            out.writerow([v.strftime("%Y-%m-%d %H:%M:%S") if isinstance(v, datetime) else v for v in row])
        yield f"RVTools_tab{sheet}.csv", buffer.getvalue().encode("utf-8-sig")


def write_csv_dir(estate: Estate | Iterable[Estate], folder: Path, **options: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in csv_members(estate, **options):
        (folder / name).write_bytes(data)
    return folder


def write_csv_zip(estate: Estate | Iterable[Estate], path: Path, **options: Any) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in csv_members(estate, **options):
            archive.writestr(f"RVTools_export_all/{name}", data)
    return path
