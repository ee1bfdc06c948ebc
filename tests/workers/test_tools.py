"""inspect (libguestfs) and virt-v2v: argument building and output parsing without the
tools (not installed in CI on purpose: 1 GB), and the plain "unavailable" results."""

from __future__ import annotations

from pathlib import Path

import pytest

from workers import inspect, v2v


def test_v2v_command_building() -> None:
    assert v2v.command(Path("g.vmdk"), Path("/out"), output="kubevirt", name="web") == [
        "virt-v2v", "-i", "disk", "g.vmdk", "-o", "kubevirt", "-os", "/out", "-of", "raw", "-on", "web",
    ]  # fmt: skip
    assert v2v.command(Path("g.vmdk"), Path("/o"), output="null") == ["virt-v2v", "-i", "disk", "g.vmdk", "-o", "null"]
    with pytest.raises(ValueError):
        v2v.command(Path("g"), Path("/o"), output="libvirt")


def test_v2v_stage_parsing() -> None:
    text = "[   0.0] Setting up the source: -i disk g.vmdk\n[   2.1] Opening the source\nnoise\n[ 150.9] Finishing off"
    assert v2v.parse_stages(text) == [
        (0.0, "Setting up the source: -i disk g.vmdk"), (2.1, "Opening the source"), (150.9, "Finishing off"),
    ]  # fmt: skip


def test_unavailable_results_are_plain(tmp_path: Path) -> None:
    if not v2v.available():
        result = v2v.run(tmp_path / "g.vmdk", tmp_path)
        assert not result.available and "virt-v2v is not installed" in (result.reason or "")
    if not inspect.available():
        assert inspect.inspect_disk(tmp_path / "g.raw") == {
            "available": False,
            "reason": "inspection unavailable: python3-guestfs (libguestfs) is not installed",
        }
