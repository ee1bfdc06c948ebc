"""Progress display for live collectors: Rich on a terminal, silent otherwise.

Collections of tens of thousands of VMs take a while; an architect at a terminal wants to see
which step runs and how far it got. Under CI, pipes and tests the same code must print
nothing, so the display appears only when stderr is a TTY (stdout stays clean for `--json`).

Usage::

    with collection_progress("vcenter.example.com") as progress:
        progress.update("retrieving properties", done=500, total=None)
        progress.update("building inventory", done=10, total=2000)
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn


class CollectionProgress(Protocol):
    """What a collector calls; one implementation draws, the other does nothing."""

    def update(self, step: str, done: int | None = None, total: int | None = None) -> None: ...


class _Silent:
    def update(self, step: str, done: int | None = None, total: int | None = None) -> None:
        return None


class _RichProgress:
    """One Rich task whose description is the current step; ``total=None`` shows a spinner."""

    def __init__(self, progress: Progress, label: str) -> None:
        self._progress = progress
        self._label = label
        self._task: TaskID = progress.add_task(label, total=None)

    def update(self, step: str, done: int | None = None, total: int | None = None) -> None:
        self._progress.update(
            self._task,
            description=f"{self._label}: {step}",
            completed=done or 0,
            total=total,
        )


def is_terminal(stream: TextIO | None = None) -> bool:
    stream = stream if stream is not None else sys.stderr
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@contextmanager
def collection_progress(
    label: str, *, enabled: bool | None = None, stream: TextIO | None = None
) -> Iterator[CollectionProgress]:
    """Show a live progress line for ``label`` on ``stream`` (default stderr) while the block runs.

    ``enabled=None`` means "only when the stream is a terminal"; callers can force either way.
    """
    stream = stream if stream is not None else sys.stderr
    if enabled is None:
        enabled = is_terminal(stream)
    if not enabled:
        yield _Silent()
        return
    console = Console(file=stream, force_terminal=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        yield _RichProgress(progress, label)
