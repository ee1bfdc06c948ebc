"""Failures of `inventory collect ovirt`: one clear line naming the cause, a non-zero exit,
the previous snapshot untouched, a failed run recorded, and the password nowhere."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from factory.store import Store
from tests.ovirt.scenario import planted

SOURCE = "rhv-err"
WRONG = "Wrong-Pa55-91d2"


def _collect(run_cli, url: str, user: str, password_file: Path, *extra: str):
    return run_cli("-v", "inventory", "collect", "ovirt", "--url", url, "--user", user,
                   "--password-file", str(password_file), "--name", SOURCE, *extra)  # fmt: skip


@pytest.fixture
def good_snapshot(ovirt_engine, run_cli, store: Store, tmp_path: Path):
    """A first successful collection, so that each failure has something to leave untouched."""
    ovirt_engine.load(planted())
    pw = tmp_path / "pw"
    pw.write_text(ovirt_engine.password + "\n")
    result = _collect(run_cli, ovirt_engine.url, ovirt_engine.user, pw, "--ca-file", str(ovirt_engine.ca_file))
    assert result.exit_code == 0, result.stderr
    before = store.inventory(SOURCE)
    assert len(before.vms) == 6
    return before


def _assert_failed_cleanly(result, store: Store, before, db_path: Path, secrets: list[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, result.stderr
    assert "hint: " in result.stderr and result.stdout == ""
    after = store.inventory(SOURCE)
    assert after.model_dump() == before.model_dump()
    run = store.runs(SOURCE)[-1]
    assert run.status == "failed" and run.error == lines[0].removeprefix("error: ")
    blob = result.stdout + result.stderr + db_path.read_bytes().decode("latin-1")
    for secret in secrets:
        assert secret not in blob
    return lines[0]


def test_wrong_password(ovirt_engine, run_cli, store, db_path, good_snapshot, tmp_path) -> None:
    wrong = tmp_path / "wrong"
    wrong.write_text(WRONG)
    result = _collect(run_cli, ovirt_engine.url, ovirt_engine.user, wrong, "--ca-file", str(ovirt_engine.ca_file))
    assert result.exit_code == 2
    line = _assert_failed_cleanly(result, store, good_snapshot, db_path, [WRONG, ovirt_engine.password])
    assert "authentication failed" in line and "admin@internal" in line


def test_unreachable_engine(ovirt_engine, run_cli, store, db_path, good_snapshot, tmp_path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    pw = tmp_path / "pw"
    pw.write_text(ovirt_engine.password)
    url = f"https://127.0.0.1:{port}/ovirt-engine/api"
    result = _collect(run_cli, url, ovirt_engine.user, pw, "--ca-file", str(ovirt_engine.ca_file))
    assert result.exit_code == 1
    line = _assert_failed_cleanly(result, store, good_snapshot, db_path, [ovirt_engine.password])
    assert f"cannot reach the engine at 127.0.0.1:{port}" in line


def test_tls_failure_without_ca_file_then_insecure(
    ovirt_engine, run_cli, store, db_path, good_snapshot, tmp_path
) -> None:
    pw = tmp_path / "pw"
    pw.write_text(ovirt_engine.password)
    result = _collect(run_cli, ovirt_engine.url, ovirt_engine.user, pw)
    assert result.exit_code == 2
    line = _assert_failed_cleanly(result, store, good_snapshot, db_path, [ovirt_engine.password])
    assert "TLS verification of the engine at 127.0.0.1" in line and "--ca-file" in result.stderr
    ok = _collect(run_cli, ovirt_engine.url, ovirt_engine.user, pw, "--insecure")
    assert ok.exit_code == 0 and store.runs(SOURCE)[-1].status == "ok"


def test_bad_flags_are_input_errors(ovirt_engine, run_cli, tmp_path) -> None:
    pw = tmp_path / "pw"
    pw.write_text(ovirt_engine.password)
    wrong_path = ovirt_engine.url.replace("/ovirt-engine/api", "/api")
    result = _collect(run_cli, wrong_path, ovirt_engine.user, pw, "--insecure")
    assert result.exit_code == 2 and "does not end in /ovirt-engine/api" in result.stderr
    both = _collect(
        run_cli, ovirt_engine.url, ovirt_engine.user, pw, "--insecure", "--ca-file", str(ovirt_engine.ca_file)
    )
    assert both.exit_code == 2 and "exclude each other" in both.stderr
    env_missing = run_cli("inventory", "collect", "ovirt", "--url", ovirt_engine.url, "--user", "u",
                          "--password-env", "NO_SUCH_VAR_FOR_TEST")  # fmt: skip
    assert env_missing.exit_code == 2 and "NO_SUCH_VAR_FOR_TEST" in env_missing.stderr
