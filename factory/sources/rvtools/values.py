"""Cell values as RVTools writes them, turned into typed Python values.

xlsx cells arrive from python-calamine already typed (float, bool, datetime, str); CSV
cells are always text. Both go through the same converters so an export means the same
thing whichever way it was saved. Blank is ``None`` (unknown), never a default.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

MIB = 1024 * 1024

_SPACES = re.compile(r"\s+")
_MB = re.compile(r"\bmb\b")
_KB = re.compile(r"\bkb\b")

# Older RVTools names, and one misspelling public parsers carry, folded onto 4.7 names.
_LEGACY = {
    "vcenter uuid": "vi sdk uuid",
    "disk.enableuuid": "enableuuid",
    "raw com. mode": "raw comp. mode",
}

_TRUE = frozenset({"true", "yes", "1", "y", "on"})
_FALSE = frozenset({"false", "no", "0", "n", "off"})

# Excel's day zero for the 1900 date system (1899-12-30 absorbs the Lotus leap-year bug).
_EXCEL_EPOCH = datetime(1899, 12, 30)
_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p",
    "%d.%m.%Y %H:%M:%S",
    "%d-%m-%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M",
    "%d.%m.%Y %H:%M",
)


def normalize_header(name: object) -> str:
    """Trim, case-fold and collapse whitespace; legacy ``MB``/``KB`` names become the
    ``MiB``/``KiB`` names RVTools 4.x uses (the old names meant binary units too)."""
    text = _SPACES.sub(" ", str(name).replace("\ufeff", "")).strip().casefold()
    text = _KB.sub("kib", _MB.sub("mib", text))
    return _LEGACY.get(text, text)


class CellError(ValueError):
    """A cell that cannot mean what its column says; the reader adds sheet, row and column."""


def text(value: Any) -> str | None:
    """A cell as text; blank is ``None``. Whole floats print without ``.0`` (keys, VLANs)."""
    if value.__class__ is str:  # the common case first: this runs once per text cell
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


# 2**43 MiB = 8 EiB: the most a MiB figure can be and still fit, as bytes, in the store's
# signed 64-bit columns. No real RVTools figure comes near it; beyond it a cell is garbage.
_LIMIT = float(2**43)


def number(value: Any) -> float | None:
    """A numeric cell; blank is ``None``; anything else that is not a number is an error."""
    if value.__class__ is float and -_LIMIT <= value <= _LIMIT:  # calamine's numbers: the common case
        return value
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(f"{value!r} is not a number")
    if isinstance(value, str):
        stripped = value.strip()
        if not stripped:
            return None
        try:
            value = float(stripped)
        except ValueError:
            raise CellError(f"{_show(stripped)} is not a number") from None
    if isinstance(value, int | float):
        if -_LIMIT <= value <= _LIMIT:  # also false for NaN
            return float(value)
        raise CellError(f"{_show(value)} is out of range")
    raise CellError(f"{_show(value)} is not a number")


def integer(value: Any) -> int | None:
    result = number(value)
    return None if result is None else round(result)


def mib_to_bytes(value: Any) -> int | None:
    result = number(value)
    return None if result is None else round(result * MIB)


_BOOL_SPELLINGS = {"True": True, "False": False, "TRUE": True, "FALSE": False, "": None}


def boolean(value: Any) -> bool | None:
    """``True``/``False``/``TRUE``/``Yes``/``No``/1/0; blank is ``None``."""
    if value.__class__ is str and value in _BOOL_SPELLINGS:  # RVTools' own spellings first
        return _BOOL_SPELLINGS[value]
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise CellError(f"{_show(value)} is not true/false")
    folded = str(value).strip().casefold()
    if not folded:
        return None
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise CellError(f"{_show(value)} is not true/false")


def flag(value: Any) -> bool:
    """RVTools' CBT and EnableUUID columns: ``TRUE`` or blank, and blank means disabled."""
    result = boolean(value)
    return bool(result)


def timestamp(value: Any) -> datetime | None:
    """A date cell: a datetime from calamine, an Excel serial number, or CSV text in one of
    the formats RVTools writes in common locales. Unreadable text is ``None`` (the caller
    counts it), because date formats in CSV depend on the exporting machine's locale."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, timedelta):
        return _EXCEL_EPOCH + value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(float(value))
    raw = str(value).strip()
    if not raw:
        return None
    try:
        return _serial(float(raw))
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        return None


def _serial(days: float) -> datetime | None:
    if not 1 <= days < 2958466:  # 1900-01-01 .. 9999-12-31
        return None
    return _EXCEL_EPOCH + timedelta(days=days)


def _show(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


__all__ = [
    "MIB",
    "CellError",
    "boolean",
    "flag",
    "integer",
    "mib_to_bytes",
    "normalize_header",
    "number",
    "text",
    "timestamp",
]
