"""RVTools import: an .xlsx export, or a directory / zip of the per-sheet CSV export.

``reader`` opens the file (the only place that touches calamine, zip and csv), ``table``
reads rows column by column, ``identity`` decides VM ids, ``topology`` the hosts,
clusters, datastores and networks, ``vms``, ``hardware`` and ``devices`` the VMs, and
``build`` puts them into one validated :class:`~factory.model.Inventory`. Bad input of any
kind surfaces as one :class:`~factory.errors.InputError`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from factory.errors import FactoryError
from factory.model import Inventory, SourceKind
from factory.sources.rvtools.build import build_inventory
from factory.sources.rvtools.reader import read_export


@dataclass
class RVToolsSource:
    path: Path
    name: str
    kind: SourceKind = SourceKind.RVTOOLS

    def collect(self) -> Inventory:
        try:
            with _gc_paused():
                return build_inventory(read_export(Path(self.path)), self.name)
        except RecursionError as exc:  # a pathological file; never a traceback for the user
            raise FactoryError(f"cannot import {self.path}: {exc}", hint="run again with -v for details") from exc


@contextmanager
def _gc_paused() -> Iterator[None]:
    """An import allocates millions of short-lived cells and dicts and frees them by
    reference counting; the cyclic collector only re-scans them (30% of import time at
    10,000 VMs, measured by bench/rvtools_import.py), so it waits until we are done. The
    switch is process-wide: concurrent imports at worst re-enable it early."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def default_source_name(path: Path) -> str:
    return path.stem if path.suffix else path.name


__all__ = ["RVToolsSource", "default_source_name"]
