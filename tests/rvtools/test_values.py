"""Cell and header conventions of RVTools exports (../shared/docs/rvtools.md §4)."""

from __future__ import annotations

from datetime import datetime

import pytest

from factory.sources.rvtools.values import CellError, boolean, flag, normalize_header, number, text, timestamp


@pytest.mark.parametrize(
    ("header", "normal"),
    [
        ("In Use MB", "in use mib"),
        ("In use MiB", "in use mib"),
        ("Free % ", "free %"),
        ("  Capacity   MB ", "capacity mib"),
        ("Video Ram KB", "video ram kib"),
        ("OS according to the VMware tools", "os according to the vmware tools"),
        ("vCenter UUID", "vi sdk uuid"),
        ("disk.EnableUUID", "enableuuid"),
        ("Raw Com. Mode", "raw comp. mode"),
        ("\ufeffVM", "vm"),
    ],
)
def test_header_normalization(header, normal):
    assert normalize_header(header) == normal


@pytest.mark.parametrize(
    ("cell", "value"),
    [("True", True), ("False", False), ("TRUE", True), ("", None), (True, True), ("yes", True), ("No", False)],
)
def test_booleans(cell, value):
    assert boolean(cell) is value


def test_cbt_and_enableuuid_blank_means_disabled():
    assert flag("TRUE") is True
    assert flag("") is False


@pytest.mark.parametrize("cell", ["maybe", 2.0, "TRUEish"])
def test_bad_booleans_are_errors(cell):
    with pytest.raises(CellError):
        boolean(cell)


def test_numbers():
    assert number(2048.0) == 2048.0
    assert number(" 12.5 ") == 12.5
    assert number("") is None
    for bad in ("12 GB", "n/a", "nan", "1e999", float("inf"), 1e300, True):
        with pytest.raises(CellError):
            number(bad)


def test_dates_from_serials_datetimes_and_csv_text():
    assert timestamp(45737.5) == datetime(2025, 3, 21, 12, 0)
    assert timestamp("45737.5") == datetime(2025, 3, 21, 12, 0)
    assert timestamp(datetime(2025, 1, 2, 3, 4, 5)) == datetime(2025, 1, 2, 3, 4, 5)
    assert timestamp("2025-03-14 11:45:00") == datetime(2025, 3, 14, 11, 45)
    assert timestamp("14.03.2025 11:45:00") == datetime(2025, 3, 14, 11, 45)
    assert timestamp("someday") is None
    assert timestamp("") is None


def test_text_keeps_keys_integral():
    assert text(2000.0) == "2000"
    assert text(" a ") == "a"
    assert text("") is None


def test_reading_stops_after_a_long_run_of_blank_rows():
    from factory.sources.rvtools.reader import BLANK_RUN, _until_blank_run

    rows = [["VM"], ["a"], ["", ""], ["b"], *([["", ""]] * BLANK_RUN), ["far away"]]
    kept, stopped = _until_blank_run(iter(rows))
    assert stopped
    assert kept == [["VM"], ["a"], [], ["b"]]
    assert _until_blank_run(iter(rows[:3])) == ([["VM"], ["a"]], False)  # trailing blanks dropped


def test_error_names_the_spreadsheet_row_across_blank_rows():
    from factory.errors import InputError
    from factory.sources.rvtools.reader import _sheet, _until_blank_run
    from factory.sources.rvtools.table import records
    from factory.sources.rvtools.values import integer

    rows, _ = _until_blank_run(iter([["VM", "CPUs"], ["a", 1.0], ["", ""], ["b", "four"]]))
    with pytest.raises(InputError, match=r"vInfo row 4, column 'CPUs': 'four' is not a number"):
        list(records(_sheet("vInfo", rows), [("cpus", ("cpus",), integer)]))
