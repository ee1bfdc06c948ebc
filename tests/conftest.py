"""Shared fixtures: a fresh store per test and an in-process CLI runner."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from factory.store import Store

# Real peers, each started as a process by its own fixture module.
pytest_plugins = [
    "tests.peers.vcsim_fixtures",
    "tests.peers.ovirt_fixtures",
    "tests.peers.redis_fixtures",
    "tests.peers.postgres_fixtures",
]

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MFACTORY_SHARED", REPO.parent / "shared"))
FIXTURES = SHARED / "fixtures"
SCHEMAS = SHARED / "schemas"


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "factory.db"


@pytest.fixture
def store(db_path: Path) -> Store:
    return Store.open(str(db_path))


@pytest.fixture
def run_cli(db_path: Path) -> Callable[..., CliResult]:
    """Run `mfactory ARGS` in-process against the test's store; returns code and output."""
    from mfactory.cli import main

    def run(*args: str, env: dict[str, str] | None = None, db: bool = True) -> CliResult:
        argv = (["--db", str(db_path)] if db else []) + [str(a) for a in args]
        runner = CliRunner()
        with runner.isolation(env=env) as streams:
            out, err = streams[0], streams[1]
            try:
                main(argv)
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            return CliResult(code, out.getvalue().decode(), err.getvalue().decode())

    return run
