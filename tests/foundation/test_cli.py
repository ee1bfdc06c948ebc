"""CLI conventions every command shares: one-line errors, exit codes, --db, the JSON contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from factory.model import SourceKind
from factory.store import Store
from tests.foundation.test_store import make_inventory

CONTRACT_VM_KEYS = {
    "id", "source", "provider", "name", "power_state", "cpus", "memory_mib", "firmware", "secure_boot",
    "guest_os", "host", "cluster", "datacenter", "folder", "nested_virt", "labels", "disks", "nics", "snapshots",
}  # fmt: skip
CONTRACT_DISK_KEYS = {"key", "capacity_bytes", "used_bytes", "datastore", "mode", "rdm", "shared", "thin", "bus"}
CONTRACT_NIC_KEYS = {"model", "mac", "network", "connected"}


def test_list_json_contract(store: Store, run_cli) -> None:
    store.replace_snapshot(make_inventory("vc1", 3))
    result = run_cli("inventory", "list", "--json")
    assert result.exit_code == 0, result.stderr
    vms = json.loads(result.stdout)["vms"]
    assert [vm["name"] for vm in vms] == ["a-vm00000", "a-vm00001", "a-vm00002"]
    first = vms[0]
    assert set(first) >= CONTRACT_VM_KEYS
    assert set(first["disks"][0]) >= CONTRACT_DISK_KEYS
    assert set(first["nics"][0]) >= CONTRACT_NIC_KEYS
    assert first["provider"] == "vsphere"
    assert first["power_state"] == "off"
    assert first["host"] == "esx01" and first["cluster"] == "prod", "ids are shown by name"
    assert first["disks"][0]["datastore"] == "ds-1"
    assert first["disks"][1]["rdm"] is True and first["disks"][1]["rdm_mode"] == "physical"
    assert first["disks"][0]["thin"] is None, "unknown stays null"
    assert first["snapshots"] == 1 and vms[1]["snapshots"] == 0
    assert first["labels"] == {"app": "app0"}


def test_list_filters_by_source_and_show_resolves_names(store: Store, run_cli) -> None:
    store.replace_snapshot(make_inventory("vc1", 2))
    store.replace_snapshot(make_inventory("vc2", 2))
    only = json.loads(run_cli("inventory", "list", "--source", "vc2", "--json").stdout)["vms"]
    assert {vm["source"] for vm in only} == {"vc2"}
    ambiguous = run_cli("inventory", "show", "a-vm00001")
    assert ambiguous.exit_code == 2
    assert "names 2 VMs" in ambiguous.stderr and "vc1/vm-1" in ambiguous.stderr
    shown = run_cli("inventory", "show", "a-vm00001", "--source", "vc2", "--json")
    assert shown.exit_code == 0, shown.stderr
    detail = json.loads(shown.stdout)
    assert detail["source"] == "vc2" and detail["model"]["id"] == "vm-1"


def test_unknown_source_is_one_line_and_exit_2(run_cli) -> None:
    result = run_cli("inventory", "list", "--source", "nope")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines == ["error: no source named 'nope' in the store", "hint: see `mfactory inventory sources`"]


def test_sources_json_reports_runs(store: Store, run_cli) -> None:
    store.replace_snapshot(make_inventory("vc1", 2))
    sources = json.loads(run_cli("inventory", "sources", "--json").stdout)["sources"]
    assert sources[0]["name"] == "vc1" and sources[0]["kind"] == SourceKind.VSPHERE.value
    assert sources[0]["vms"] == 2
    assert sources[0]["last_run"]["status"] == "ok"
    assert sources[0]["last_run"]["warnings"] == ["vUSB sheet missing"]


def test_traceback_only_with_verbose(tmp_path: Path) -> None:
    bogus = tmp_path / "bad.db"
    bogus.write_bytes(b"garbage" * 100)
    base = [sys.executable, "-m", "mfactory", "--db", str(bogus)]
    quiet = subprocess.run([*base, "inventory", "sources"], capture_output=True, text=True)
    assert quiet.returncode == 2
    assert "Traceback" not in quiet.stderr and quiet.stderr.startswith("error: the store is not a usable database")
    loud = subprocess.run([*base[:2], base[2], "-v", *base[3:], "inventory", "sources"], capture_output=True, text=True)
    assert loud.returncode == 2 and "Traceback" in loud.stderr


def test_db_from_environment(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    Store.open(str(db)).replace_snapshot(make_inventory("envsrc", 1))
    env = {"MFACTORY_DB": str(db), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "mfactory", "inventory", "list", "--json"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["vms"][0]["source"] == "envsrc"


def test_usage_errors_exit_2(run_cli) -> None:
    assert run_cli("inventory", "list", "--no-such-flag").exit_code == 2
