"""`mfactory risk score|report|rules` against a real store: the JSON contract, filters, and
bad input (exit 2, one error line naming the field)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from factory.store import Store
from tests.risk.builders import apply, build, mapping_doc, ovirt_doc, profile_doc, vsphere_doc

VM_KEYS = {"id", "name", "source", "score", "level", "migratable", "findings"}
FINDING_KEYS = {"id", "severity", "message", "subject"}


@pytest.fixture
def estate(store: Store, tmp_path: Path) -> dict[str, Path]:
    vs = vsphere_doc()
    apply(vs, "vm.cbt", False)
    apply(vs, "vm.devices", [{"kind": "pci_passthrough", "label": "GPU"}])
    apply(vs, "others.+", {"id": "vm-7", "source": "vc1", "name": "plain", "disks": [], "nics": []})
    ov = ovirt_doc()
    apply(ov, "vm.nics.0.model", "spapr_vlan")
    for doc in (vs, ov):
        inventory, _, _ = build(doc)
        store.replace_snapshot(inventory)
    (tmp_path / "profile.yaml").write_text(yaml.safe_dump(profile_doc()))
    (tmp_path / "map.yaml").write_text(yaml.safe_dump(mapping_doc()))
    return {"profile": tmp_path / "profile.yaml", "mapping": tmp_path / "map.yaml"}


def test_score_json_contract(run_cli, estate) -> None:
    res = run_cli("risk", "score", "--json", "--target", estate["profile"], "--mapping", estate["mapping"])
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert set(doc) == {"vms", "summary"}
    assert {"total", "ready", "warnings", "blocked", "by_rule"} <= set(doc["summary"])
    assert len(doc["vms"]) == doc["summary"]["total"] == 3
    for vm in doc["vms"]:
        assert set(vm) >= VM_KEYS
        assert vm["level"] in ("ready", "ready-with-warnings", "blocked")
        assert vm["migratable"] == (vm["level"] != "blocked")
        assert 0 <= vm["score"] <= 100
        for f in vm["findings"]:
            assert set(f) >= FINDING_KEYS
            assert f["severity"] in ("Critical", "Warning", "Information")
    by_id = {vm["id"]: vm for vm in doc["vms"]}
    web = by_id["vm-101"]
    assert web["level"] == "blocked"
    assert {"vmware.passthrough_device.detected", "vmware.changed_block_tracking.disabled"} <= {
        f["id"] for f in web["findings"]
    }
    gpu = next(f for f in web["findings"] if f["id"] == "vmware.passthrough_device.detected")
    assert gpu["subject"] == "GPU" and gpu["severity"] == "Critical"
    ovirt_vm = by_id["6a7f7e5c-0000-4000-8000-000000000001"]
    nic = next(f for f in ovirt_vm["findings"] if f["id"] == "factory.nic.model_unsupported")
    assert nic["severity"] == "Critical" and nic["subject"] == "nic1"
    s = doc["summary"]
    assert s["ready"] + s["warnings"] + s["blocked"] == s["total"]
    assert s["by_rule"]["vmware.passthrough_device.detected"] == 1
    assert s["skipped_rules"] == {}
    cap = s["capacity"]  # the estate against the profile: 2 + 4 vCPUs, 4 + 8 GiB, 20 + 20 GiB on ceph-rbd
    assert cap["vcpus"] == {"needed": 6, "available": 512}
    assert cap["memory_gib"] == {"needed": 12.0, "available": 4096}
    assert cap["storage_gib:ceph-rbd"] == {"needed": 40.0, "available": 10000}
    assert cap["storage_gib:lvms"] == {"needed": 0.0, "available": None}


def test_without_target_the_profile_rules_are_listed_as_skipped(run_cli, estate) -> None:
    doc = json.loads(run_cli("risk", "score", "--json").stdout)
    skipped = doc["summary"]["skipped_rules"]
    assert "factory.storage.rwo_only" in skipped and "factory.network.unmapped" in skipped
    assert all(f["id"] not in skipped for vm in doc["vms"] for f in vm["findings"])


def test_source_filter_and_unknown_source(run_cli, estate) -> None:
    doc = json.loads(run_cli("risk", "score", "--json", "--source", "rhv1").stdout)
    assert {vm["source"] for vm in doc["vms"]} == {"rhv1"}
    res = run_cli("risk", "score", "--source", "nope")
    assert res.exit_code == 2 and "nope" in res.stderr and "hint:" in res.stderr


def test_table_output(run_cli, estate) -> None:
    res = run_cli("risk", "score")
    assert res.exit_code == 0
    assert "blocked" in res.stdout and "3 VMs" in res.stdout


def test_empty_store_is_bad_input(run_cli) -> None:
    res = run_cli("risk", "score", "--json")
    assert res.exit_code == 2 and "no inventory" in res.stderr


@pytest.mark.parametrize(
    ("which", "content", "field"),
    [
        (
            "target",
            {"storageClasses": [{"name": "x", "accessModes": ["ReadWriteSometimes"]}]},
            "storageClasses.0.accessModes",
        ),
        ("target", {"nodes": {"nestedVirtualisation": True}}, "nodes.nestedVirtualisation"),
        ("target", {"namespace": "Not_Valid"}, "namespace"),
        ("mapping", {"networks": [{"source": {}, "destination": {"type": "pod"}}]}, "networks.0.source"),
        ("mapping", {"storage": [{"source": {"name": "ds"}, "destination": {}}]}, "storage.0.destination.storageClass"),
    ],
)
def test_bad_profile_or_mapping_names_the_field(run_cli, estate, tmp_path, which, content, field) -> None:
    bad = tmp_path / f"bad-{which}.yaml"
    bad.write_text(yaml.safe_dump(content))
    out = tmp_path / "r.json"
    res = run_cli("risk", "report", "--format", "json", "--out", out, f"--{which}", bad)
    assert res.exit_code == 2
    assert field in res.stderr, res.stderr
    assert not out.exists()  # nothing half-written


def test_missing_profile_file(run_cli, estate, tmp_path) -> None:
    res = run_cli("risk", "score", "--target", tmp_path / "absent.yaml")
    assert res.exit_code == 2 and "absent.yaml" in res.stderr


def test_report_rejects_unknown_format(run_cli, estate, tmp_path) -> None:
    res = run_cli("risk", "report", "--format", "pdf", "--out", tmp_path / "r.pdf")
    assert res.exit_code == 2 and "pdf" in res.stderr


@pytest.mark.parametrize("fmt", ["html", "xlsx", "csv", "json"])
def test_report_formats_are_written(run_cli, estate, tmp_path, fmt) -> None:
    out = tmp_path / f"report.{fmt}"
    res = run_cli("risk", "report", "--format", fmt, "--out", out, "--target", estate["profile"])
    assert res.exit_code == 0, res.stderr
    assert out.stat().st_size > 200
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []  # no temp file left


def test_rules_listing(run_cli) -> None:
    doc = json.loads(run_cli("risk", "rules", "--json").stdout)
    ids = [r["id"] for r in doc["rules"]]
    assert "vmware.guestDisks.freespace" in ids and "ovirt.watchdog.enabled" in ids and "factory.cpu.nested_virt" in ids
