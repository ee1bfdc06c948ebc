"""The live collector's command (registered on `mfactory inventory collect`)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Attach this collector's command."""
