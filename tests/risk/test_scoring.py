"""Score and level invariants, property-based: blocked iff Critical, bounds, explainability,
and the engine's inline arithmetic equal to the reference in risk.scoring."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from risk import WEIGHTS, Finding, score
from risk.scoring import deductions, score_and_level
from tests.risk.builders import apply, build, clean
from tests.risk.rule_cases import CASES

findings_st = st.lists(
    st.builds(
        Finding,
        id=st.sampled_from(["a.rule", "b.rule", "c.rule", "d.rule", "e.rule"]),
        severity=st.sampled_from(["Critical", "Warning", "Information"]),
        message=st.text(min_size=1, max_size=10),
        subject=st.none() | st.text(max_size=5),
        remediation=st.just("fix it"),
    ),
    max_size=12,
)


@given(findings_st)
def test_score_and_level_invariants(findings: list[Finding]) -> None:
    points, level = score_and_level(findings)
    assert 0 <= points <= 100
    assert (level == "blocked") == any(f.severity == "Critical" for f in findings)
    if level != "blocked":
        assert (level == "ready-with-warnings") == any(f.severity == "Warning" for f in findings)
    explained = deductions(findings)
    assert points == max(0, 100 - sum(w for _, _, w in explained))
    assert {rid for rid, _, _ in explained} == {f.id for f in findings}
    if not findings:
        assert (points, level) == (100, "ready")
    if level == "blocked":
        assert points <= 100 - WEIGHTS["Critical"]


def test_one_rule_costs_once_at_its_worst_severity() -> None:
    many = [Finding("x", "Warning", f"disk {i}", f"d{i}", "r") for i in range(10)]
    assert score_and_level(many) == (90, "ready-with-warnings")
    assert score_and_level([*many, Finding("x", "Critical", "m", None, "r")]) == (50, "blocked")


# Cases that drop the whole profile or mapping do not combine with ones that patch inside it.
FAILS = [c for c in CASES if c.expect == "fail" and not {"profile", "mapping"} & set(c.patches)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["vsphere", "ovirt"]), st.data())
def test_engine_scores_agree_with_reference(provider: str, data: st.DataObject) -> None:
    cases = data.draw(st.lists(st.sampled_from([c for c in FAILS if c.provider == provider]), max_size=5))
    doc = clean(provider)
    for case in cases:
        for path, value in case.patches.items():
            apply(doc, path, value)
    inventory, profile, mapping = build(doc)
    report = score([inventory], profile, mapping)
    for vm in report.vms:
        assert (vm.score, vm.level) == score_and_level(vm.findings)
        assert vm.migratable == (vm.level != "blocked")
        assert vm.score == max(0, 100 - sum(w for _, _, w in vm.explain()))
        assert set(vm.not_evaluated).isdisjoint(f.id for f in vm.findings)
    blocked = report.blocked()
    assert set(blocked) == {(v.source, v.id) for v in report.vms if v.level == "blocked"}
    assert all(messages for messages in blocked.values())
