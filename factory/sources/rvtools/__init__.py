"""RVTools import: an .xlsx export, or a directory / zip of the per-sheet CSV export.

``reader`` opens the file (the only place that touches calamine, zip and csv), ``table``
reads rows column by column, ``identity`` decides VM ids, ``topology`` the hosts,
clusters, datastores and networks, ``vms``, ``hardware`` and ``devices`` the VMs, and
``build`` puts them into one validated :class:`~factory.model.Inventory`. Bad input of any
kind surfaces as one :class:`~factory.errors.InputError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from factory.errors import FactoryError
from factory.model import Inventory, SourceKind
from factory.sources.allocation import gc_paused
from factory.sources.rvtools.build import build_inventory
from factory.sources.rvtools.reader import read_export


@dataclass
class RVToolsSource:
    path: Path
    name: str
    kind: SourceKind = SourceKind.RVTOOLS

    def collect(self) -> Inventory:
        try:
            with gc_paused():
                return build_inventory(read_export(Path(self.path)), self.name)
        except RecursionError as exc:  # a pathological file; never a traceback for the user
            raise FactoryError(f"cannot import {self.path}: {exc}", hint="run again with -v for details") from exc


def default_source_name(path: Path) -> str:
    return path.stem if path.suffix else path.name


__all__ = ["RVToolsSource", "default_source_name"]
