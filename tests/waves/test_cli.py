"""`mfactory waves plan / export / import`: the waves.json contract and the CSV round trip."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from factory.model import Disk
from factory.store import Store
from tests.waves.estate import GIB, ovirt_inventory, vsphere_inventory, vsphere_vm

WAVE_KEYS = {"name", "index", "window", "estimated_seconds", "bottleneck", "vms", "plans"}


def _estate(store: Store) -> None:
    vms = [vsphere_vm("vc1", i, host=i % 3, labels={"app": f"app{i % 5}", "env": "dev" if i % 5 == 0 else "prod"})
           for i in range(30)]  # fmt: skip
    # A disk whose backing file is on no datastore: vmware.datastore.missing, Critical.
    off = Disk(key="1", file="/tmp/vm99.vmdk", capacity_bytes=GIB, used_bytes=GIB, datastore=None)
    vms.append(vsphere_vm("vc1", 99, disks=[off]))
    store.replace_snapshot(vsphere_inventory("vc1", vms))
    store.replace_snapshot(ovirt_inventory("rhv", 8))


def test_plan_writes_the_contract_and_leaves_blocked_vms_out(store: Store, run_cli, tmp_path: Path) -> None:
    _estate(store)
    out = tmp_path / "waves.json"
    result = run_cli(
        "waves", "plan", "--group-by", "label:app", "--max-vms-per-wave", "12", "--max-vms-per-plan", "5",
        "--pilot-size", "6", "--env-order", "label:env=dev,test,prod", "--out", out, "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    doc = json.loads(out.read_text())
    assert json.loads(result.stdout) == doc
    assert set(doc) == {"settings", "waves", "excluded", "unplaced"}
    assert doc["settings"]["max_vms_per_plan"] == 5 and doc["settings"]["group_by"] == ["app"]
    assert [w["name"] for w in doc["waves"]] == [f"wave-{i:02d}" for i in range(1, len(doc["waves"]) + 1)]
    for wave in doc["waves"]:
        assert set(wave) >= WAVE_KEYS and wave["window"] is None
        assert {"name", "seconds", "source"} <= set(wave["bottleneck"])
        for vm in wave["vms"]:
            assert set(vm) >= {"id", "source", "name", "group"}
        for plan in wave["plans"]:
            assert set(plan) >= {"name", "vms"} and len(plan["vms"]) <= 5
    [blocked] = doc["excluded"]
    assert {k: blocked[k] for k in ("id", "source", "name", "group")} == {
        "id": "vm-99",
        "source": "vc1",
        "name": "app-vm0099",
        "group": None,
    }
    assert "is on no datastore" in blocked["reason"], "the risk scorer's Critical message is the reason"
    # The pilot: the one dev app (6 VMs) comes first.
    assert doc["waves"][0]["pilot"] is True
    assert {vm["group"] for vm in doc["waves"][0]["vms"]} == {"label app=app0"}
    planned = sum(len(w["vms"]) for w in doc["waves"])
    assert planned + len(doc["excluded"]) + len(doc["unplaced"]) == 39
    # Groups by app: every app's VMs share one wave.
    waves_of_app: dict[str, set[str]] = {}
    for wave in doc["waves"]:
        for vm in wave["vms"]:
            if vm["group"]:
                waves_of_app.setdefault(vm["group"], set()).add(wave["name"])
    assert waves_of_app and all(len(w) == 1 for w in waves_of_app.values())


def test_plan_table_output_and_bad_flags(store: Store, run_cli, tmp_path: Path) -> None:
    _estate(store)
    result = run_cli("waves", "plan", "--out", tmp_path / "w.json")
    assert result.exit_code == 0, result.stderr
    assert "1 excluded (blocked)" in result.stdout and "wave-01" in result.stdout
    bad = run_cli("waves", "plan", "--group-by", "app", "--out", tmp_path / "x.json")
    assert bad.exit_code == 2 and bad.stderr.startswith("error: --group-by 'app' is not label:KEY")
    assert not (tmp_path / "x.json").exists()


def test_plan_on_an_empty_store_is_an_input_error(run_cli, tmp_path: Path) -> None:
    result = run_cli("waves", "plan", "--out", tmp_path / "w.json")
    assert result.exit_code == 2 and result.stderr.startswith("error: the store holds no inventory")
    assert not (tmp_path / "w.json").exists()


def _plan(store: Store, run_cli, tmp_path: Path, *extra: str) -> Path:
    _estate(store)
    out = tmp_path / "waves.json"
    result = run_cli("waves", "plan", "--group-by", "label:app", "--max-vms-per-wave", "10", "--pilot-size", "0",
                     "--out", out, *extra)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return out


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _write(rows: list[dict], path: Path) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_csv_round_trip_accepts_a_whole_group_move(store: Store, run_cli, tmp_path: Path) -> None:
    waves = _plan(store, run_cli, tmp_path)
    exported = run_cli("waves", "export", "--waves", waves, "--csv")
    assert exported.exit_code == 0, exported.stderr
    rows = _rows(exported.stdout)
    to_file = run_cli("waves", "export", "--waves", waves, "--csv", "--out", tmp_path / "plan.csv")
    assert to_file.exit_code == 0 and (tmp_path / "plan.csv").read_text() == exported.stdout
    assert run_cli("waves", "export", "--waves", waves).exit_code == 2, "a format is required"
    assert list(rows[0]) == ["wave", "source", "id", "name", "group", "window_start", "status", "reason"]
    assert {r["status"] for r in rows} == {"planned", "excluded"}
    # Unchanged CSV: the same plan comes back.
    before = json.loads(waves.read_text())
    same = run_cli("waves", "import", _write(rows, tmp_path / "same.csv"), "--waves", waves)
    assert same.exit_code == 0, same.stderr
    after = json.loads(waves.read_text())
    assert [[v["id"] for v in w["vms"]] for w in after["waves"]] == [
        [v["id"] for v in w["vms"]] for w in before["waves"]
    ]
    # Move a whole group into a new wave (allowed without windows), and take a single VM out.
    group = next(r["group"] for r in rows if r["group"] and r["wave"] == "wave-01")
    last = "wave-90"
    solo = next(r for r in rows if r["status"] == "planned" and not r["group"])
    for row in rows:
        if row["group"] == group:
            row["wave"] = last
    solo["wave"] = ""
    out = run_cli("waves", "import", _write(rows, tmp_path / "moved.csv"), "--waves", waves, "--json")
    assert out.exit_code == 0, out.stderr
    doc = json.loads(waves.read_text())
    assert json.loads(out.stdout) == doc
    assert doc["waves"][-1]["name"] == "wave-90" and {v["group"] for v in doc["waves"][-1]["vms"]} == {group}
    assert doc["waves"][-1]["index"] == len(doc["waves"])
    assert all(v["group"] != group for w in doc["waves"][:-1] for v in w["vms"])
    assert {"id": solo["id"], "source": solo["source"], "name": solo["name"],
            "reason": "moved out of the waves by hand", "group": None} in doc["unplaced"]  # fmt: skip


def test_csv_import_rejects_split_groups_blocked_vms_and_limits(store: Store, run_cli, tmp_path: Path) -> None:
    waves = _plan(store, run_cli, tmp_path)
    original = waves.read_bytes()
    rows = _rows(run_cli("waves", "export", "--waves", waves, "--csv").stdout)

    def attempt(edit) -> str:
        edited = [dict(r) for r in rows]
        edit(edited)
        result = run_cli("waves", "import", _write(edited, tmp_path / "edit.csv"), "--waves", waves)
        assert result.exit_code == 2, result.stdout
        assert waves.read_bytes() == original, "a rejected import writes nothing"
        return result.stderr

    def split(edited):
        member = next(r for r in edited if r["group"])
        member["wave"] = "wave-02" if member["wave"] != "wave-02" else "wave-03"

    assert "would be split across" in attempt(split)

    def unblock(edited):
        next(r for r in edited if r["status"] == "excluded")["wave"] = "wave-01"

    message = attempt(unblock)
    assert "vc1/vm-99 is blocked (" in message and "it cannot join wave-01" in message

    def overfill(edited):
        for r in edited:
            if r["status"] == "planned":
                r["wave"] = "wave-01"

    assert "wave-01: more than --max-vms-per-wave 10 VMs" in attempt(overfill)

    def stranger(edited):
        edited.append({**edited[0], "id": "vm-12345"})

    assert "vc1/vm-12345 is not in the waves file" in attempt(stranger)


def test_csv_import_refuses_new_waves_when_windows_are_set(store: Store, run_cli, tmp_path: Path) -> None:
    windows = tmp_path / "windows.yaml"
    windows.write_text('windows: [{start: "2026-12-05T22:00:00Z", duration: 8h}]\n')
    waves = _plan(store, run_cli, tmp_path, "--windows", windows)
    rows = _rows(run_cli("waves", "export", "--waves", waves, "--csv").stdout)
    solo = next(r for r in rows if r["status"] == "planned" and not r["group"])
    solo["wave"] = "wave-77"
    result = run_cli("waves", "import", _write(rows, tmp_path / "e.csv"), "--waves", waves)
    assert result.exit_code == 2 and "wave-77 has no cutover window" in result.stderr


def test_plan_is_deterministic(store: Store, run_cli, tmp_path: Path) -> None:
    _estate(store)
    outputs = []
    for name in ("a.json", "b.json"):
        result = run_cli("waves", "plan", "--group-by", "label:app", "--out", tmp_path / name)
        assert result.exit_code == 0, result.stderr
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
