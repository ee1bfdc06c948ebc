"""Scoring real imports: the RVTools fixtures (vSphere rules on what RVTools carries, the
rest not evaluated — never a silent pass)."""

from __future__ import annotations

import pytest

from factory.model import SourceKind
from factory.sources.rvtools import RVToolsSource
from risk import RULES, score
from tests.conftest import FIXTURES

RVTOOLS = FIXTURES / "rvtools"


@pytest.mark.parametrize("name", ["migration-planner-example1.xlsx", "mjvincent-rvtools-small-complete.xlsx"])
def test_rvtools_import_scores_with_vsphere_rules(name: str) -> None:
    inventory = RVToolsSource(path=RVTOOLS / name, name="rv").collect()
    assert inventory.source.kind is SourceKind.RVTOOLS
    report = score([inventory])
    assert len(report.vms) == sum(1 for vm in inventory.vms if not vm.template) > 0
    vsphere_ids = {r.id for r in RULES if "vsphere" in r.providers and not r.requires}
    for vm in report.vms:
        assert vm.provider == "vsphere"
        seen = {f.id for f in vm.findings} | set(vm.not_evaluated)
        assert not any(rid.startswith("ovirt.") for rid in seen)
        # RVTools has no DRS rules: host affinity can never be evaluated from it.
        assert "vmware.host_affinity.detected" in vm.not_evaluated
        assert seen <= vsphere_ids
    by_vm = {v.name: v for v in report.vms}
    source_vm = {vm.name: vm for vm in inventory.vms}
    for name_, risk in by_vm.items():
        vm = source_vm[name_]
        if vm.guest_filesystems is None:
            assert "vmware.guestDisks.freespace" in risk.not_evaluated
        if vm.snapshots is None:
            assert "vmware.snapshot.detected" in risk.not_evaluated
        elif vm.snapshots:
            assert "vmware.snapshot.detected" in {f.id for f in risk.findings}
