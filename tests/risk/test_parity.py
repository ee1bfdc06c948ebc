"""Parity with the Forklift concern tables in the shared docs (§1.2 vmware, §1.3 ovirt):
every concern id there is a rule here, with the same category, and nothing extra."""

from __future__ import annotations

import re

from risk import RULES
from tests.conftest import SHARED


def _doc_concerns() -> dict[str, str]:
    text = (SHARED / "docs" / "forklift-concerns.md").read_text()
    section = text[text.index("### 1.2") : text.index("### 1.4")]
    out: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) < 5:
            continue
        ids = re.findall(r"`((?:vmware|ovirt)\.[A-Za-z0-9_.]+)`", cells[2])
        category = cells[3].strip("*")
        for concern in ids:
            out[concern] = category
    return out


def test_every_forklift_concern_is_a_rule_with_the_same_category() -> None:
    doc = _doc_concerns()
    assert len(doc) == 29 + 39  # the tables as written: 29 vmware ids, 39 ovirt ids
    ours = {r.id: r.category for r in RULES if r.origin == "forklift"}
    assert ours == doc


def test_parity_rules_serve_their_own_provider_only() -> None:
    for r in RULES:
        if r.id.startswith("vmware."):
            assert r.providers == {"vsphere"}
        elif r.id.startswith("ovirt."):
            assert r.providers == {"ovirt"}
        else:
            assert r.id.startswith("factory.")
