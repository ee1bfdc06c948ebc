"""The import direction is a contract: factory <- risk <- mappings <- workers <- mfactory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def test_import_linter_contract_holds() -> None:
    result = subprocess.run(
        ["lint-imports", "--config", str(REPO / "pyproject.toml")],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_compose_file_parses_and_names_its_services() -> None:
    compose = yaml.safe_load((REPO / "compose.yaml").read_text())
    assert {"redis", "postgres", "api", "worker", "flower"} <= set(compose["services"])
    for name in ("api", "worker", "flower"):
        build = compose["services"][name]["build"]
        assert (REPO / build["context"] / build["dockerfile"]).is_file()


def test_ruff_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
