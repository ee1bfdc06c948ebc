"""RVTools import: an .xlsx export, or a directory / zip of the per-sheet CSV export."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from factory.model import Inventory, SourceKind


@dataclass
class RVToolsSource:
    path: Path
    name: str
    kind: SourceKind = SourceKind.RVTOOLS

    def collect(self) -> Inventory:
        raise NotImplementedError("RVTools import is being written")


def default_source_name(path: Path) -> str:
    return path.stem if path.suffix else path.name
