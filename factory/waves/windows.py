"""Cutover windows: when a wave may run, and the dates it may not.

File format (YAML)::

    windows:
      - {start: "2026-12-05T22:00:00Z", duration: 8h}
    blackouts: ["2026-12-24", "2026-12-31"]

A window that touches a blackout date (UTC) anywhere between its start and end is skipped:
a change freeze forbids the whole night, not just the hours after midnight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from factory.errors import InputError
from factory.target import _explain, _load_yaml

_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


def parse_duration(text: str) -> timedelta:
    """``8h``, ``90m``, ``1h30m``, ``2d`` -> timedelta."""
    match = _DURATION.match(str(text).strip())
    if not match or not any(match.groups()):
        raise ValueError(f"duration {text!r} is not like 8h, 90m or 1h30m")
    days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    value = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    if value <= timedelta(0):
        raise ValueError(f"duration {text!r} must be positive")
    return value


class _WindowSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: datetime
    duration: timedelta

    @field_validator("duration", mode="before")
    @classmethod
    def _duration(cls, value: object) -> timedelta:
        return value if isinstance(value, timedelta) else parse_duration(str(value))

    @field_validator("start")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("start needs a time zone, e.g. 2026-12-05T22:00:00Z")
        return value.astimezone(UTC)


class _WindowsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    windows: list[_WindowSpec] = Field(min_length=1)
    blackouts: list[date] = Field(default_factory=list)


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()

    def dates(self) -> set[date]:
        last = (self.end - timedelta(microseconds=1)).date()
        days, current = set(), self.start.date()
        while current <= last:
            days.add(current)
            current += timedelta(days=1)
        return days

    def as_json(self) -> dict[str, str]:
        return {"start": iso(self.start), "end": iso(self.end)}


@dataclass(frozen=True)
class Windows:
    usable: list[Window]
    skipped: list[tuple[Window, str]]  # (window, why) — reported in settings


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_windows(specs: list[tuple[datetime, timedelta]], blackouts: list[date]) -> Windows:
    """Sort windows by start, drop those on blackout dates, and refuse overlaps (two waves
    cannot cut over at once in one change window)."""
    frozen = set(blackouts)
    usable, skipped = [], []
    for start, duration in sorted(specs):
        window = Window(start.astimezone(UTC), start.astimezone(UTC) + duration)
        hit = sorted(window.dates() & frozen)
        if hit:
            skipped.append((window, f"blackout {hit[0].isoformat()}"))
            continue
        if usable and window.start < usable[-1].end:
            raise InputError(
                f"windows overlap: {iso(usable[-1].start)} and {iso(window.start)}",
                hint="make every window end before the next one starts",
            )
        usable.append(window)
    return Windows(usable=usable, skipped=skipped)


def load_windows(path: Path) -> Windows:
    data = _load_yaml(path, "windows file")
    try:
        parsed = _WindowsFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"windows file {path}: {_explain(exc)}", hint="see README, 'Cutover windows'") from None
    return build_windows([(w.start, w.duration) for w in parsed.windows], parsed.blackouts)
