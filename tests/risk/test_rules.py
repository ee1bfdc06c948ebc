"""Every rule, every provider: one parametrised test over the fixture table in rule_cases.py."""

from __future__ import annotations

from collections import defaultdict

import pytest

from factory.model import SourceKind
from risk import RULES, RULES_BY_ID, score
from tests.risk.builders import apply, build, clean
from tests.risk.rule_cases import CASES, Case


def _variants() -> list[tuple[str, Case]]:
    out = []
    for case in CASES:
        out.append((case.provider, case))
        if case.provider == "vsphere":
            out.append(("rvtools", case))  # RVTools VMs are vSphere VMs
    return out


def _run(kind: str, case: Case):
    doc = clean(kind)
    doc["inv"]["source"]["kind"] = kind
    for path, value in case.patches.items():
        apply(doc, path, value)
    inventory, profile, mapping = build(doc)
    report = score([inventory], profile, mapping)
    return report.vm(doc["vm"]["source"], doc["vm"]["id"])


@pytest.mark.parametrize(("kind", "case"), _variants(), ids=lambda x: x if isinstance(x, str) else x.id)
def test_rule_case(kind: str, case: Case) -> None:
    rule = RULES_BY_ID[case.rule]
    vm = _run(kind, case)
    assert vm is not None
    fired = [f for f in vm.findings if f.id == case.rule]
    expect = "ne" if SourceKind(kind) in rule.no_data_in else case.expect
    if kind == "rvtools" and case.rvtools:
        expect = case.rvtools
    if expect == "fail":
        assert fired, f"{case.rule} did not fire; findings={[f.id for f in vm.findings]} ne={vm.not_evaluated}"
        assert case.rule not in vm.not_evaluated
        assert {f.severity for f in fired} == {case.severity or rule.category}
        if case.subject is not None:
            assert case.subject in {f.subject for f in fired}
        assert all(f.message and f.remediation for f in fired)
    elif expect == "pass":
        assert not fired, [f.message for f in fired]
        assert case.rule not in vm.not_evaluated
    else:
        assert not fired, [f.message for f in fired]
        assert case.rule in vm.not_evaluated


@pytest.mark.parametrize("kind", ["vsphere", "rvtools", "ovirt"])
def test_clean_vm_is_ready_with_every_rule_evaluated(kind: str) -> None:
    vm = _run(kind, Case("none", kind, "pass"))
    assert vm.findings == []
    assert vm.score == 100 and vm.level == "ready"
    no_data = [r.id for r in RULES if SourceKind(kind) in r.no_data_in]
    assert vm.not_evaluated == no_data


def test_every_rule_has_fail_and_pass_fixtures_for_each_provider() -> None:
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for case in CASES:
        seen[(case.rule, case.provider)].add(case.expect)
    missing = [
        f"{r.id}/{p}/{want}"
        for r in RULES
        for p in sorted(r.providers)
        for want in ("fail", "pass")
        if want not in seen[(r.id, p)]
    ]
    assert missing == []
    unknown = {c.rule for c in CASES} - set(RULES_BY_ID)
    assert unknown == set()


def test_fixture_rows_only_target_providers_the_rule_serves() -> None:
    wrong = [c.id for c in CASES if c.provider not in RULES_BY_ID[c.rule].providers]
    assert wrong == []
