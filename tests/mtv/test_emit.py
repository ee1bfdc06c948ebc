"""`mfactory mtv emit`: the per-wave GitOps tree, valid against Forklift's CRDs, deterministic."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from factory.store import Store
from mappings import validate
from tests.conftest import SCHEMAS
from tests.mtv.conftest import Estate, build_estate

CRDS = SCHEMAS / "forklift"


def _emit(run_cli, estate: Estate, out: Path, *extra: str):
    return run_cli(
        "mtv", "emit", "--waves", estate.waves, "--target", estate.profile, "--mapping", estate.mapping,
        "--out", out, *extra,
    )  # fmt: skip


def _objects(out: Path) -> dict[str, list[dict]]:
    return {
        str(p.relative_to(out)): [d for d in yaml.safe_load_all(p.read_text()) if d]
        for p in sorted(out.rglob("*.yaml"))
    }


def test_every_object_of_every_wave_validates_for_vsphere_and_ovirt(estate: Estate, run_cli, tmp_path: Path) -> None:
    out = tmp_path / "gitops"
    result = _emit(run_cli, estate, out, "--schemas", CRDS)
    assert result.exit_code == 0, result.stderr
    objects = _objects(out)
    waves = json.loads(estate.waves.read_text())["waves"]
    root = objects["kustomization.yaml"][0]
    assert root["resources"] == ["providers"] + [w["name"] for w in waves]
    kinds_by_provider: dict[str, set[str]] = {"vsphere": set(), "ovirt": set()}
    provider_types = {o["metadata"]["name"]: o["spec"]["type"] for o in objects["providers/provider-vc1.yaml"]}
    provider_types |= {o["metadata"]["name"]: o["spec"]["type"] for o in objects["providers/provider-rhv-east.yaml"]}
    checked = 0
    for path, docs in objects.items():
        for obj in docs:
            assert validate(obj, CRDS) == [], (path, obj)
            checked += 1
            if obj["kind"] in ("NetworkMap", "StorageMap", "Plan"):
                source = obj["spec"]["provider"]["source"]["name"]
                kinds_by_provider[provider_types[source]].add(obj["kind"])
    assert kinds_by_provider == {p: {"NetworkMap", "StorageMap", "Plan"} for p in ("vsphere", "ovirt")}
    # Every wave: a folder whose kustomization lists maps, Plans and Migrations (one per Plan).
    for wave in waves:
        listed = objects[f"{wave['name']}/kustomization.yaml"][0]["resources"]
        plans = [r for r in listed if r.startswith("plan-")]
        assert plans and len([r for r in listed if r.startswith("migration-")]) == len(plans)
        assert listed.index(plans[0]) > max(i for i, r in enumerate(listed) if "map-" in r)
        for name in listed:
            assert (out / wave["name"] / name).is_file()
    assert checked > 20


def test_providers_secrets_and_urls(estate: Estate, run_cli, tmp_path: Path) -> None:
    out = tmp_path / "gitops"
    assert _emit(run_cli, estate, out).exit_code == 0
    objects = _objects(out)
    vc = objects["providers/provider-vc1.yaml"][0]
    assert vc["spec"] == {
        "type": "vsphere",
        "url": "https://vcenter.example.com/sdk",
        "secret": {"name": "vc1-credentials", "namespace": "openshift-mtv"},
    }
    rhv = objects["providers/provider-rhv-east.yaml"][0]
    assert rhv["spec"]["url"] == "https://engine.example.com/ovirt-engine/api" and rhv["spec"]["type"] == "ovirt"
    secret = objects["providers/secret-vc1.yaml"][0]
    assert secret["kind"] == "Secret" and "data" not in secret and "stringData" not in secret
    assert (out / "providers/secret-vc1.yaml").read_text().startswith("# Credentials for the vsphere Provider")


def test_plans_reference_vms_by_id_with_names_as_comments(estate: Estate, run_cli, tmp_path: Path) -> None:
    out = tmp_path / "gitops"
    result = _emit(run_cli, estate, out)
    assert result.exit_code == 0, result.stderr
    plans = {p: d[0] for p, d in _objects(out).items() if "/plan-" in p}
    entries = {e["id"]: (p, e) for p, plan in plans.items() for e in plan["spec"]["vms"]}
    assert entries["vm-500"][1] == {"id": "vm-500", "targetName": "sql-server-01"}
    assert entries["vm-1"][1] == {"id": "vm-1"}, "a valid name needs no targetName"
    uuid = "6f1b0000-0000-4000-8000-000000000000"
    assert entries[uuid][1] == {"id": uuid, "targetName": "rhv-vm-0"}
    text = (out / entries["vm-500"][0]).read_text()
    assert "- id: vm-500  # SQL_Server 01\n" in text
    for plan in plans.values():
        assert plan["spec"]["targetNamespace"] == "migrated"
        assert len(plan["spec"]["vms"]) <= 4
    # The VM with two NICs on the pod network is in no Plan, and reported.
    assert "vm-502" not in entries
    report = json.loads((out / "report.json").read_text())
    assert [(r["id"], r["reason"]) for r in report["left_out"]] == [
        ("vm-502", "2 NICs map to the pod network; MTV allows one (VMMultiplePodNetworkMappings)")
    ]
    assert "left out:" in result.stdout and "twin-pod" in result.stdout


def test_maps_follow_the_mapping_file(estate: Estate, run_cli, tmp_path: Path) -> None:
    out = tmp_path / "gitops"
    assert _emit(run_cli, estate, out).exit_code == 0
    objects = _objects(out)
    db_wave = next(
        path.split("/")[0]
        for path, docs in objects.items()
        if "/plan-" in path and any(e["id"] == "vm-501" for e in docs[0]["spec"]["vms"])
    )
    net = objects[f"{db_wave}/networkmap-vc1.yaml"][0]["spec"]["map"]
    multus = {"type": "multus", "name": "db-net", "namespace": "migrated"}
    assert {"source": {"id": "dvportgroup-2"}, "destination": multus} in net
    assert {"source": {"id": "net-1"}, "destination": {"type": "pod"}} in net
    storage = objects[f"{db_wave}/storagemap-vc1.yaml"][0]["spec"]["map"]
    assert storage == [
        {
            "source": {"id": "datastore-1"},
            "destination": {"storageClass": "ceph-rbd", "accessMode": "ReadWriteMany", "volumeMode": "Block"},
        }
    ]
    rhv_maps = [d[0] for p, d in objects.items() if p.endswith("storagemap-rhv-east.yaml")]
    pairs = {pair["source"]["id"]: pair["destination"] for m in rhv_maps for pair in m["spec"]["map"]}
    assert pairs == {"sd-0": {"storageClass": "nfs"}, "sd-1": {"storageClass": "ceph-rbd"}}


def test_migrations_cut_over_at_the_window_start(store: Store, run_cli, tmp_path: Path) -> None:
    estate = build_estate(store, tmp_path)
    doc = json.loads(estate.waves.read_text())
    doc["waves"][0]["window"] = {"start": "2026-12-05T22:00:00Z", "end": "2026-12-06T06:00:00Z"}
    estate.waves.write_text(json.dumps(doc))
    out = tmp_path / "gitops"
    assert _emit(run_cli, estate, out, "--schemas", CRDS).exit_code == 0
    objects = _objects(out)
    first = [d[0] for p, d in objects.items() if p.startswith("wave-01/migration-")]
    assert first and all(m["spec"]["cutover"] == "2026-12-05T22:00:00Z" for m in first)
    later = [d[0] for p, d in objects.items() if p.startswith("wave-02/migration-")]
    assert later and all("cutover" not in m["spec"] for m in later)
    assert first[0]["spec"]["plan"] == {"name": first[0]["metadata"]["name"], "namespace": "openshift-mtv"}


def test_output_is_byte_identical_across_runs(estate: Estate, run_cli, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    assert _emit(run_cli, estate, first).exit_code == 0
    assert _emit(run_cli, estate, second).exit_code == 0
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    # Emitting again over the same folder replaces it whole.
    assert _emit(run_cli, estate, first).exit_code == 0
    assert sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file()) == files


def test_unmapped_networks_and_datastores_are_one_error_listing_all(estate: Estate, run_cli, tmp_path: Path) -> None:
    estate.mapping.write_text("networks:\n  - {source: {name: VM Network}, destination: {type: pod}}\n")
    out = tmp_path / "gitops"
    result = _emit(run_cli, estate, out)
    assert result.exit_code == 2
    message = result.stderr.splitlines()[0]
    for missing in ("vc1/db-net (dvportgroup-2)", "rhv-east/ovirtmgmt (ovn-1)", "vc1/LocalDS_0 (datastore-1)",
                    "rhv-east/data0 (sd-0)", "rhv-east/data1 (sd-1)"):  # fmt: skip
        assert missing in message
    assert not out.exists(), "nothing is written"


def test_nads_outside_the_target_namespace_are_refused(estate: Estate, run_cli, tmp_path: Path) -> None:
    text = estate.mapping.read_text().replace("name: db-net, namespace: migrated", "name: db-net, namespace: infra")
    estate.mapping.write_text(text)
    result = _emit(run_cli, estate, tmp_path / "gitops")
    assert result.exit_code == 2 and "outside 'migrated' and 'default': infra/db-net" in result.stderr


def test_a_foreign_folder_is_never_replaced(estate: Estate, run_cli, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    result = _emit(run_cli, estate, out)
    assert result.exit_code == 2 and "was not written by mfactory" in result.stderr
    assert (out / "notes.txt").read_text() == "keep me"


def test_the_root_kustomization_declares_every_object_once(estate: Estate, run_cli, tmp_path: Path) -> None:
    """kustomize refuses a tree that declares the same object twice: Providers are shared."""
    from mappings.apply import collect

    out = tmp_path / "gitops"
    assert _emit(run_cli, estate, out).exit_code == 0
    ids = [(o["apiVersion"], o["kind"], o["metadata"]["namespace"], o["metadata"]["name"]) for _, o in collect(out)]
    assert len(ids) == len(set(ids))
    on_disk = sum(len(docs) for path, docs in _objects(out).items() if not path.endswith("kustomization.yaml"))
    assert len(ids) == on_disk, "every object file is reachable from the root kustomization"
