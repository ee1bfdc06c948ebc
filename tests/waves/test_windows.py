"""Cutover windows: parsing, blackouts, placement, and what does not fit."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from factory.errors import InputError
from factory.waves import PlanSettings, load_windows, parse_duration, plan_waves
from tests.waves.estate import vsphere_inventory, vsphere_vm


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "windows.yaml"
    path.write_text(text)
    return path


WINDOWS = """
windows:
  - {start: "2026-12-05T22:00:00Z", duration: 8h}
  - {start: "2026-12-12T22:00:00Z", duration: 8h}
  - {start: "2026-12-23T22:00:00Z", duration: 4h}
  - {start: "2026-12-19T22:00:00Z", duration: 1h30m}
  - {start: "2026-12-30T20:00:00Z", duration: 8h}
blackouts: ["2026-12-24", "2026-12-31"]
"""


def test_windows_are_sorted_and_blackouts_skip_the_whole_window(tmp_path: Path) -> None:
    windows = load_windows(_write(tmp_path, WINDOWS))
    starts = [w.start.isoformat() for w in windows.usable]
    assert starts == ["2026-12-05T22:00:00+00:00", "2026-12-12T22:00:00+00:00", "2026-12-19T22:00:00+00:00"]
    assert windows.usable[2].seconds == 5400
    # 23rd 22:00 + 4h ends on the 24th; 30th 20:00 + 8h runs into the 31st: both skipped.
    assert [(w.start.day, why) for w, why in windows.skipped] == [
        (23, "blackout 2026-12-24"),
        (30, "blackout 2026-12-31"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("windows: []", "windows: List should have at least 1 item"),
        ('windows: [{start: "2026-12-05T22:00:00", duration: 8h}]', "start needs a time zone"),
        ('windows: [{start: "2026-12-05T22:00:00Z", duration: soon}]', "is not like 8h"),
        ('windows: [{start: "2026-12-05T22:00:00Z", duration: 8h, end: x}]', "windows.0.end"),
        (
            'windows: [{start: "2026-12-05T22:00:00Z", duration: 8h}, {start: "2026-12-06T01:00:00Z", duration: 1h}]',
            "windows overlap",
        ),
    ],
)
def test_bad_windows_files_are_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_windows(_write(tmp_path, text))


def test_durations() -> None:
    assert parse_duration("8h") == timedelta(hours=8)
    assert parse_duration("1h30m") == timedelta(minutes=90)
    assert parse_duration("2d") == timedelta(days=2)
    with pytest.raises(ValueError):
        parse_duration("0h")


def test_waves_fill_windows_greedily_and_report_what_does_not_fit(tmp_path: Path) -> None:
    windows = load_windows(_write(tmp_path, WINDOWS))
    # Each VM: 200 GiB at 250 MiB/s = 819.2 s, plus 90 s per round of 10 in flight on its host.
    # A 10-VM app on esx00 needs 8192 + 90 s = 2h18m: it fits the 8h windows only.
    vms = [vsphere_vm("vc1", 100 + i, used_gib=200, host=0, labels={"app": "big"}) for i in range(10)]
    # 80 single VMs on esx02: an 8h window holds 34 of them (34 x 819.2 + 4 x 90 = 28213 s <= 28800 s).
    vms += [vsphere_vm("vc1", i, used_gib=200, host=2) for i in range(80)]
    # A 40 TiB app fits no window at all.
    vms += [vsphere_vm("vc1", 200 + i, used_gib=20000, host=1, labels={"app": "huge"}) for i in range(2)]
    inv = vsphere_inventory("vc1", vms)
    doc = plan_waves([inv], blocked={}, settings=PlanSettings(group_by=["app"], pilot_size=0), windows=windows)
    assert [w["window"]["start"] for w in doc["waves"]] == [
        "2026-12-05T22:00:00Z",
        "2026-12-12T22:00:00Z",
        "2026-12-19T22:00:00Z",
    ]
    for wave in doc["waves"]:
        length = datetime.fromisoformat(wave["window"]["end"]) - datetime.fromisoformat(wave["window"]["start"])
        assert 0 < wave["estimated_seconds"] <= length.total_seconds()
    first = doc["waves"][0]
    assert {v["group"] for v in first["vms"]} == {"label app=big", None}
    assert first["bottleneck"]["name"] == "esx02", "34 VMs on esx02 outlast the 10 of the big app on esx00"
    # The 1h30m window holds 6: 6 x 819.2 + 90 = 5005 s <= 5400 s.
    assert [len(w["vms"]) for w in doc["waves"]] == [10 + 34, 34, 6]
    huge = [r for r in doc["unplaced"] if r["group"] == "label app=huge"]
    assert len(huge) == 2 and all("does not fit the longest window: needs" in r["reason"] for r in huge)
    left = [r for r in doc["unplaced"] if r["group"] is None]
    assert len(left) == 6 and {r["reason"] for r in left} == {"no cutover window left for it"}
    assert doc["settings"]["skipped_windows"][0]["reason"] == "blackout 2026-12-24"


def test_no_window_left_is_reported(tmp_path: Path) -> None:
    windows = load_windows(_write(tmp_path, 'windows: [{start: "2026-12-05T22:00:00Z", duration: 1h}]'))
    inv = vsphere_inventory("vc1", [vsphere_vm("vc1", i, used_gib=200) for i in range(6)])
    doc = plan_waves([inv], blocked={}, settings=PlanSettings(pilot_size=0), windows=windows)
    assert len(doc["waves"]) == 1 and doc["waves"][0]["estimated_seconds"] <= 3600
    assert doc["unplaced"] and {r["reason"] for r in doc["unplaced"]} == {"no cutover window left for it"}
    assert len(doc["waves"][0]["vms"]) + len(doc["unplaced"]) == 6


def test_without_windows_waves_are_sized_by_count() -> None:
    inv = vsphere_inventory("vc1", [vsphere_vm("vc1", i, host=i % 4) for i in range(23)])
    doc = plan_waves([inv], blocked={}, settings=PlanSettings(pilot_size=3, max_vms_per_wave=10, max_vms_per_plan=4))
    assert [len(w["vms"]) for w in doc["waves"]] == [3, 10, 10]
    assert doc["waves"][0]["pilot"] is True and all(w["window"] is None for w in doc["waves"])
    assert [len(p["vms"]) for p in doc["waves"][1]["plans"]] == [4, 4, 2]
    assert doc["waves"][1]["explanation"][-1] == "3 plans started 30 s apart"
