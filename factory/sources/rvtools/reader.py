"""Read an RVTools export into plain sheets: an .xlsx workbook, or the per-sheet CSV export
as a folder or a .zip (``RVTools_tabvInfo.csv``, ...).

This module is the I/O boundary: every way a file can be unreadable (not a workbook, a
truncated zip, bytes that are not text, a broken CSV) becomes one :class:`InputError` here,
so nothing above it ever sees a calamine, zip, csv or decoding exception.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from factory.errors import InputError
from factory.sources.rvtools.values import normalize_header

# The sheets the importer reads, in RVTools' own order. Optional extras: vMetaData dates the
# export, vPort gives standard portgroups their VLAN; their absence is not worth a warning.
SHEETS = (
    "vInfo",
    "vCPU",
    "vMemory",
    "vDisk",
    "vPartition",
    "vNetwork",
    "vCD",
    "vUSB",
    "vSnapshot",
    "vTools",
    "vSource",
    "vCluster",
    "vHost",
    "dvPort",
    "vDatastore",
)
OPTIONAL_SHEETS = ("vMetaData", "vPort")

# A sheet may claim a million formatted rows (the dimension of a styled template); real
# data never has this many blank rows in a row, so we stop there instead of walking on.
BLANK_RUN = 100

_CSV_NAME = re.compile(r"(?:^|[/\\])(?:rvtools_tab)?(v\w+|dv\w+)\.csv$", re.IGNORECASE)
_HINT = "pass an RVTools .xlsx export, or the folder / .zip of its CSV export (RVTools_tabvInfo.csv, ...)"


@dataclass
class Sheet:
    """One sheet: its header row as written and normalized, and its data rows."""

    name: str
    raw_headers: list[str]
    rows: list[list[Any]]
    headers: list[str] = field(init=False)
    _index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.headers = [normalize_header(h) for h in self.raw_headers]
        self._index = {}
        for i, h in enumerate(self.headers):
            self._index.setdefault(h, i)

    def col(self, *names: str) -> int | None:
        """Index of the first of ``names`` (normalized spelling) the sheet has."""
        for name in names:
            i = self._index.get(name)
            if i is not None:
                return i
        return None

    def has(self, name: str) -> bool:
        return name in self._index

    def custom_attribute_columns(self) -> list[tuple[int, str]]:
        """RVTools puts one column per vCenter custom attribute right after ``Annotation``
        (VM sheets; it ends at ``Datacenter``) or after ``Object ID`` (vHost, vCluster, ...)."""
        start = self.col("annotation")
        if start is None:
            return []
        end = self.col("datacenter")
        if end is None or end <= start:
            return []
        return [(i, self.raw_headers[i].strip()) for i in range(start + 1, end) if self.raw_headers[i].strip()]


@dataclass
class Export:
    sheets: dict[str, Sheet]  # keyed by case-folded sheet name
    origin: str
    notes: list[str] = field(default_factory=list)

    def sheet(self, name: str) -> Sheet | None:
        return self.sheets.get(name.casefold())


def read_export(path: Path) -> Export:
    """Open ``path`` whatever form the export takes."""
    try:
        if path.is_dir():
            return _csv_export(_dir_members(path), f"CSV folder {path}")
        if not path.is_file():
            raise InputError(f"{path} is neither a file nor a folder", hint=_HINT)
        if path.suffix.casefold() == ".csv":
            hint = f"pass the folder that holds all of them: {path.parent}"
            raise InputError(f"{path.name} is one file of a CSV export", hint=hint)
        with path.open("rb") as handle:
            magic = handle.read(4)
        if magic.startswith(b"PK") and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
                if not any(n.endswith(("xl/workbook.xml", "xl/workbook.bin")) for n in names):
                    return _csv_export(_zip_members(archive), f"CSV zip {path.name}")
        return _workbook(path)
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise InputError(f"{path.name} is a damaged zip archive: {exc}", hint=_HINT) from None
    except python_calamine.CalamineError as exc:
        raise InputError(f"{path.name} is not a readable workbook: {_oneline(exc)}", hint=_HINT) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name}: a CSV file is not text ({exc.reason})", hint=_HINT) from None
    except csv.Error as exc:
        raise InputError(f"{path.name}: a CSV file is malformed: {exc}", hint=_HINT) from None
    except OSError as exc:
        raise InputError(
            f"cannot read {path}: {exc.strerror or exc}", hint="check the path and its permissions"
        ) from None


def _workbook(path: Path) -> Export:
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    wanted = {s.casefold() for s in (*SHEETS, *OPTIONAL_SHEETS)}
    sheets: dict[str, Sheet] = {}
    notes: list[str] = []
    for title in workbook.sheet_names:
        key = title.strip().casefold()
        if key not in wanted or key in sheets:
            continue
        sheet = workbook.get_sheet_by_name(title)
        rows, stopped = _until_blank_run(sheet.iter_rows())
        if stopped:
            notes.append(f"{title}: stopped reading after {BLANK_RUN} blank rows (the sheet claims {sheet.height})")
        sheets[key] = _sheet(title.strip(), rows)
    return Export(sheets=sheets, origin=f"workbook {path.name}", notes=notes)


def _until_blank_run(rows: Iterable[list[Any]]) -> tuple[list[list[Any]], bool]:
    """Rows up to the last non-blank one; stops after :data:`BLANK_RUN` blank rows."""
    kept: list[list[Any]] = []
    blanks = 0
    for row in rows:
        # Column A holds the VM or object name, so a data row almost always stops at row[0].
        if row and (row[0] != "" or any(row)):
            if blanks:
                kept.extend([[]] * blanks)
                blanks = 0
            kept.append(row)
            continue
        blanks += 1
        if blanks >= BLANK_RUN:
            return kept, True
    return kept, False


def _sheet(title: str, rows: list[list[Any]]) -> Sheet:
    if not rows:
        return Sheet(title, [], [])
    headers = ["" if h is None else str(h) for h in rows[0]]
    width = len(headers)
    # Blank rows stay (as blank rows) so that error messages can name the spreadsheet row.
    body = [r if len(r) == width else (list(r) + [""] * (width - len(r)))[:width] for r in rows[1:]]
    return Sheet(title, headers, body)


# -- CSV --------------------------------------------------------------------------------


def _dir_members(folder: Path) -> Iterator[tuple[str, bytes]]:
    for entry in sorted(folder.iterdir()):
        if entry.is_file() and entry.suffix.casefold() == ".csv":
            yield entry.name, entry.read_bytes()


def _zip_members(archive: zipfile.ZipFile) -> Iterator[tuple[str, bytes]]:
    for info in archive.infolist():
        if not info.is_dir() and info.filename.casefold().endswith(".csv"):
            yield info.filename, archive.read(info)


def _csv_export(members: Iterable[tuple[str, bytes]], origin: str) -> Export:
    wanted = {s.casefold(): s for s in (*SHEETS, *OPTIONAL_SHEETS)}
    sheets: dict[str, Sheet] = {}
    seen = 0
    for name, data in members:
        seen += 1
        match = _CSV_NAME.search(name)
        key = match.group(1).casefold() if match else None
        if key not in wanted or key in sheets:
            continue
        rows, _ = _until_blank_run(_csv_rows(name, data))
        sheets[key] = _sheet(wanted[key], rows)
    if not seen:
        raise InputError(f"the {origin} holds no .csv files", hint=_HINT)
    return Export(sheets=sheets, origin=origin)


def _csv_rows(name: str, data: bytes) -> list[list[str]]:
    text = _decode(name, data)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    # newline="" semantics: keep quoted line breaks (Annotation may hold them, and commas).
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _decode(name: str, data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252: what a Windows tool writes."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise InputError(f"{name} is not a CSV text file (it holds NUL bytes)", hint=_HINT)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _oneline(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]
