"""Malformed input, generated: every case must end in exit code 2, exactly one `error:`
line and one `hint:` line on stderr, no traceback, and the store exactly as before."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factory.samples import SAMPLE_RVTOOLS
from factory.samples.estate import synthetic
from factory.samples.generator import SHEETS, csv_members, write_xlsx

SMALL = synthetic(3)
_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def seeded(run_cli):
    """A store holding the sample import under the name every bad import reuses."""
    assert run_cli("inventory", "import-rvtools", SAMPLE_RVTOOLS, "--name", "prod").exit_code == 0


def _assert_clean_failure(run_cli, seeded, path: Path) -> None:
    before = run_cli("inventory", "list", "--json").stdout
    result = run_cli("inventory", "import-rvtools", path, "--name", "prod")
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("error: ") and lines[1].startswith("hint: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert run_cli("inventory", "list", "--json").stdout == before
    assert json.loads(before)["vms"], "the seeded snapshot is there"


@_SETTINGS
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".xlsx", ".zip", ".xls", ""]))
def test_random_bytes(data, suffix, tmp_path_factory, run_cli, seeded):
    path = tmp_path_factory.mktemp("rnd") / f"export{suffix or '.bin'}"
    path.write_bytes(data)
    _assert_clean_failure(run_cli, seeded, path)


def _small_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in csv_members(SMALL):
            archive.writestr(name, data)
    return buffer.getvalue()


WHOLE = {"xlsx": SAMPLE_RVTOOLS.read_bytes(), "zip": _small_zip()}


@_SETTINGS
@given(kind=st.sampled_from(sorted(WHOLE)), cut=st.floats(min_value=0.0, max_value=0.98))
def test_truncated_files(kind, cut, tmp_path_factory, run_cli, seeded):
    whole = WHOLE[kind]
    path = tmp_path_factory.mktemp("cut") / f"export.{kind}"
    path.write_bytes(whole[: int(len(whole) * cut)])
    _assert_clean_failure(run_cli, seeded, path)


@_SETTINGS
@given(sheets=st.lists(st.sampled_from([s for s in SHEETS if s != "vInfo"]), unique=True, max_size=4))
def test_workbook_without_vinfo(sheets, tmp_path_factory, run_cli, seeded):
    path = write_xlsx(SMALL, tmp_path_factory.mktemp("novinfo") / "export.xlsx", sheets=sheets)
    _assert_clean_failure(run_cli, seeded, path)


def test_vinfo_with_header_only(tmp_path, run_cli, seeded):
    empty = synthetic(0)
    _assert_clean_failure(run_cli, seeded, write_xlsx(empty, tmp_path / "empty.xlsx"))
    folder = tmp_path / "csv"
    folder.mkdir()
    for name, data in csv_members(empty, sheets=["vInfo", "vDisk"]):
        (folder / name).write_bytes(data)
    _assert_clean_failure(run_cli, seeded, folder)


def test_folder_without_csv(tmp_path, run_cli, seeded):
    (tmp_path / "notes.txt").write_text("not an export")
    _assert_clean_failure(run_cli, seeded, tmp_path)


NUMERIC = [
    ("vInfo", "CPUs"),
    ("vInfo", "Memory"),
    ("vDisk", "Capacity MiB"),
    ("vCPU", "Cores p/s"),
    ("vHost", "# Cores"),
]
# NUL is left out here: a CSV holding NUL is refused as a whole (tested by the random bytes).
cell_text = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), min_size=1, max_size=12)
garbage = cell_text.filter(lambda s: s.strip() != "" and not _is_number(s))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@_SETTINGS
@given(where=st.sampled_from(NUMERIC), junk=garbage, form=st.sampled_from(["xlsx", "csv-zip"]))
def test_garbage_in_numeric_columns(where, junk, form, tmp_path_factory, run_cli, seeded):
    sheet, column = where
    cells = {(sheet, 2, column): junk}
    folder = tmp_path_factory.mktemp("junk")
    if form == "xlsx":
        path = write_xlsx(SMALL, folder / "export.xlsx", cells=cells)
    else:
        path = folder / "export.zip"
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in csv_members(SMALL, cells=cells):
                archive.writestr(name, data)
    _assert_clean_failure(run_cli, seeded, path)
    result = run_cli("inventory", "import-rvtools", path, "--name", "prod")
    assert f"{sheet} row 3, column {column!r}" in result.stderr, result.stderr


def test_missing_path(tmp_path, run_cli, seeded):
    _assert_clean_failure(run_cli, seeded, tmp_path / "nope.xlsx")
