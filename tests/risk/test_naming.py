"""factory.naming: Forklift-compatible DNS-1123 renaming and collision-free target names."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factory.naming import MAX_LENGTH, dns1123_name, is_dns1123_name, unique_target_names


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("web-01", "web-01"),
        ("Web_01", "web-01"),
        ("Payroll DB (old)", "payroll-db-old"),
        ("..a..b..", "a.b"),
        ("srv+app*1/2\\3", "srv-app-1-2-3"),
        ("x" * 70, "x" * 63),
        ("--édition--", "dition"),
    ],
)
def test_dns1123_name(name: str, expected: str) -> None:
    assert dns1123_name(name) == expected


def test_empty_result_gets_a_stable_suffix() -> None:
    a = dns1123_name("___", seed="vc/vm-1")
    assert a.startswith("vm-") and len(a) == 7
    assert a == dns1123_name("___", seed="vc/vm-1") != dns1123_name("___", seed="vc/vm-2")


@dataclass
class _V:
    source: str
    id: str
    name: str


@given(st.lists(st.text(max_size=80), max_size=30))
def test_unique_target_names_are_valid_and_unique(names: list[str]) -> None:
    vms = [_V("s", str(i), n) for i, n in enumerate(names)]
    out = unique_target_names(vms)
    assert len(set(out.values())) == len(vms)
    assert all(is_dns1123_name(n) and len(n) <= MAX_LENGTH for n in out.values())


def test_a_valid_name_keeps_its_name_even_when_listed_second() -> None:
    out = unique_target_names([_V("a", "1", "Web_01"), _V("b", "2", "web-01")])
    assert out == {("a", "1"): "web-01-2", ("b", "2"): "web-01"}
