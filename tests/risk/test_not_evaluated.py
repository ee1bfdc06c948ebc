"""Missing data is reported, never passed silently; missing inputs skip rules visibly."""

from __future__ import annotations

import pytest

from factory.model import VM, Disk, Inventory, Nic, Source
from risk import report_json, rules_for, score

# Rules a VM with nothing but an id, a name, one bare disk and one bare NIC can still decide:
# its name, and how many disks it has.
DECIDABLE = {
    "factory.name.collision",
    "vmware.vm.name.invalid",
    "vmware.disk.count.exceeds.limit",
    "ovirt.name.invalid",
    "ovirt.disk.count.exceeds.limit",
}


@pytest.mark.parametrize("kind", ["vsphere", "rvtools", "ovirt"])
def test_a_vm_the_source_says_nothing_about_is_not_evaluated_rather_than_passed(kind: str) -> None:
    vm = VM(id="1", source="s", name="bare", disks=[Disk(key="d")], nics=[Nic(key="n")])
    report = score([Inventory(source=Source(name="s", kind=kind), vms=[vm])])
    risk = report.vms[0]
    provider = "ovirt" if kind == "ovirt" else "vsphere"
    applicable = {r.id for r in rules_for(provider) if not r.requires}
    passed = applicable - set(risk.not_evaluated) - {f.id for f in risk.findings}
    assert passed <= DECIDABLE
    assert "vmware.guestDisks.freespace" in risk.not_evaluated or provider == "ovirt"
    assert risk.level == "ready"  # nothing known to be wrong …
    assert len(risk.not_evaluated) > 20  # … and the report says how little is known


def test_missing_target_inputs_skip_rules_and_say_so() -> None:
    vm = VM(id="1", source="s", name="a", disks=[Disk(key="d", datastore_name="ds", capacity_bytes=1)])
    inv = Inventory(source=Source(name="s", kind="vsphere"), vms=[vm])
    doc = report_json(score([inv]))
    skipped = doc["summary"]["skipped_rules"]
    assert set(skipped) == {
        "factory.storage.unmapped",
        "factory.storage.class_missing",
        "factory.storage.rwo_only",
        "factory.storage.capacity",
        "factory.network.unmapped",
        "factory.network.pod_multiple",
        "factory.network.nad_missing",
    }
    assert "--mapping" in skipped["factory.storage.unmapped"] and "--target" in skipped["factory.storage.rwo_only"]
    assert not set(skipped) & set(doc["vms"][0]["not_evaluated"])
    assert doc["summary"]["not_evaluated"]["vmware.snapshot.detected"] == 1


def test_templates_are_not_scored() -> None:
    vms = [VM(id="1", source="s", name="t", template=True), VM(id="2", source="s", name="v")]
    report = score([Inventory(source=Source(name="s", kind="vsphere"), vms=vms)])
    assert [v.id for v in report.vms] == ["2"]
