"""The one interface every inventory source satisfies, and the run that stores its result."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from factory.errors import FactoryError
from factory.model import Inventory, SourceKind
from factory.store import RunRecord, Store


class InventorySource(Protocol):
    """Produces one complete snapshot of one source. Raises :class:`InputError` for bad
    input (credentials, files) and :class:`FactoryError` for runtime failures; never puts a
    secret into a message."""

    name: str
    kind: SourceKind

    def collect(self) -> Inventory: ...


def ingest(store: Store, source: InventorySource) -> tuple[Inventory, RunRecord]:
    """Collect ``source`` and replace its stored snapshot in one transaction.

    A failure anywhere (collection or write) leaves the previous snapshot untouched and is
    recorded as a failed run before it propagates.
    """
    started = datetime.now(UTC)
    try:
        inventory = source.collect()
        record = store.replace_snapshot(inventory, started_at=started)
    except FactoryError as exc:
        store.record_failed_run(source.name, source.kind.value, exc.message, started_at=started)
        raise
    return inventory, record
