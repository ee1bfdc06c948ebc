"""Table-driven row reading: each sheet names the columns it wants and how to read them.

A column the sheet does not have is simply absent from the record (unknown, read as
``None``), which is how old exports and trimmed files are tolerated. A cell that cannot
mean what its column says stops the import with the sheet, row and column named: a
silently dropped number would make every later stage wrong without anyone noticing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from factory.errors import InputError
from factory.sources.rvtools.reader import Sheet
from factory.sources.rvtools.values import CellError, text

Converter = Callable[[Any], Any]
Spec = tuple[str, tuple[str, ...], Converter]  # record key, header spellings, converter


def records(sheet: Sheet, specs: Sequence[Spec]) -> Iterator[tuple[int, list[Any], dict[str, Any]]]:
    """Yield ``(spreadsheet row number, raw row, record)`` for every non-blank data row."""
    cols = [(key, i, conv) for key, names, conv in specs if (i := sheet.col(*names)) is not None]
    if not cols:
        return
    convert = _compile(cols)
    for number, row in enumerate(sheet.rows, start=2):
        if not row or (row[0] == "" and not any(row)):
            continue
        try:
            record = convert(row)
        except CellError:
            _raise_cell_error(sheet, number, row, cols)
        yield number, row, record


def _compile(cols: list[tuple[str, int, Converter]]) -> Callable[[list[Any]], dict[str, Any]]:
    """One function per sheet that builds the record in a single dict display, with the
    text case inlined. This is the importer's innermost loop (a million cells at 10,000
    VMs) and the generated function is a third faster than a loop over converters, the
    way :mod:`dataclasses` generates ``__init__``. Keys and indexes come from our own specs."""
    namespace: dict[str, Any] = {"text": text}
    parts = []
    for n, (key, i, conv) in enumerate(cols):
        if conv is text:
            parts.append(f"{key!r}: ((v.strip() or None) if (v := row[{i}]).__class__ is str else text(v))")
        else:
            namespace[f"c{n}"] = conv
            parts.append(f"{key!r}: c{n}(row[{i}])")
    exec("def convert(row):\n    return {" + ", ".join(parts) + "}", namespace)
    return namespace["convert"]


def _raise_cell_error(sheet: Sheet, number: int, row: list[Any], cols: list[tuple[str, int, Converter]]) -> None:
    """Find which cell failed (the fast path does not track it) and say so."""
    for _, i, conv in cols:
        try:
            conv(row[i])
        except CellError as exc:
            raise InputError(
                f"{sheet.name} row {number}, column {sheet.raw_headers[i].strip()!r}: {exc}",
                hint="fix that cell or re-export the file from RVTools",
            ) from None
