"""Process-wide CLI state set by the root callback (global flags)."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from rich.console import Console

from factory.store import Store


@dataclass
class CliState:
    db: str | None = None
    verbose: bool = False
    _store: Store | None = None

    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.db)
        return self._store

    def configure_logging(self) -> None:
        logging.basicConfig(
            level=logging.DEBUG if self.verbose else logging.WARNING,
            format="%(levelname)s %(name)s: %(message)s",
            stream=sys.stderr,
        )


STATE = CliState()
console = Console()
err_console = Console(stderr=True)
