"""The collectors' progress display: drawn on a terminal, silent otherwise."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from factory.sources.progress import collection_progress, is_terminal
from tests.peers.vcsim.launcher import Vcsim


class TtyStream(io.StringIO):
    """Test double: a text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_terminal_detection() -> None:
    assert is_terminal(TtyStream()) is True
    assert is_terminal(io.StringIO()) is False


def test_silent_when_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    with collection_progress("vCenter x") as progress:  # pytest's stderr is not a terminal
        progress.update("retrieving properties", done=10, total=None)
        progress.update("building inventory", done=5, total=10)
    assert capsys.readouterr() == ("", "")


def test_drawn_on_a_terminal() -> None:
    terminal = TtyStream()
    with collection_progress("vCenter x", stream=terminal) as progress:
        progress.update("retrieving properties", done=10, total=None)
        progress.update("building inventory", done=5, total=10)
    drawn = terminal.getvalue()
    assert "vCenter x: building inventory" in drawn and "5/10" in drawn


@pytest.mark.slow
def test_collect_prints_only_the_summary_when_piped(vcsim: Vcsim, collect: Callable[..., Any]) -> None:
    result = collect(vcsim)
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.strip().startswith("127.0.0.1 (vsphere): 4 VMs")
