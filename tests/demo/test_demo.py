"""`mfactory demo` end to end in a temp dir: every output exists and is consistent."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from factory.waves import load_waves

REPO = Path(__file__).resolve().parents[2]


def test_demo_writes_every_output_and_they_agree(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = subprocess.run(
        [sys.executable, "-m", "mfactory", "demo", "--out", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path), "COLUMNS": "200"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads((out / "summary.json").read_text())
    # the console names every output on a line of its own (never wrapped), and each exists
    lines = result.stdout.splitlines()
    for path in summary["outputs"].values():
        assert Path(path).exists(), path
        assert any(line.rstrip().endswith(str(path)) for line in lines), path
    for rel in ("reports/readiness.html", "reports/readiness.xlsx", "waves.json", "summary.json"):
        assert (out / rel).is_file() and (out / rel).stat().st_size > 0, rel
    # both kinds of source, counts consistent between the estate, the risk summary and the waves
    kinds = {s["kind"] for s in summary["estate"]["sources"]}
    assert kinds == {"vsphere", "ovirt", "rvtools"}
    assert summary["risk"]["total"] == summary["estate"]["vms_scored"]
    assert sum(s["vms"] for s in summary["estate"]["sources"]) == summary["estate"]["vms_scored"]
    levels = summary["risk"]
    assert levels["ready"] + levels["warnings"] + levels["blocked"] == levels["total"]
    assert summary["risk"]["blocked"] > 0 and summary["risk"]["warnings"] > 0
    waves = load_waves(out / "waves.json")
    planned = sum(len(w.vms) for w in waves.waves)
    assert summary["waves"]["planned"] == planned > 0
    assert summary["waves"]["count"] == len(waves.waves)
    assert planned + len(waves.excluded) + len(waves.unplaced) == summary["risk"]["total"]
    assert len(waves.excluded) == summary["risk"]["blocked"]
    # the MTV tree: shared Providers (one per source), one directory per wave, every YAML parses
    mtv = out / "mtv"
    root = yaml.safe_load((mtv / "kustomization.yaml").read_text())
    assert root["resources"] == ["providers", *[w.name for w in waves.waves]]
    providers = _kinds(mtv / "providers")
    planned_sources = {vm.source for w in waves.waves for vm in w.vms}
    assert len(planned_sources) == 3  # vSphere-like, RHV-like and the RVTools sample
    assert providers.count("Provider") == providers.count("Secret") == len(planned_sources)
    for wave in waves.waves:
        kinds = _kinds(mtv / wave.name)
        assert {"Plan", "Migration", "NetworkMap", "StorageMap"} <= set(kinds), (wave.name, kinds)
        assert kinds.count("Plan") == kinds.count("Migration") == len(wave.plans)
    assert summary["mtv"]["waves"] == [w.name for w in waves.waves]
    # the pilot wave cut over on the in-process worker: every disk converted and verified,
    # and each VM's KubeVirt manifests (DataVolumes + VirtualMachine) written beside them
    pilot = {vm.name for vm in waves.waves[0].vms}
    assert len(summary["disks"]) >= 2 and {d["vm"] for d in summary["disks"]} == pilot
    for disk in summary["disks"]:
        assert disk["state"] == "succeeded", disk
        assert Path(disk["target"]).is_file() and disk["bytes"] > 0
        kinds = [doc["kind"] for doc in yaml.safe_load_all(Path(disk["manifests"]).read_text()) if doc]
        assert "VirtualMachine" in kinds and "DataVolume" in kinds
    # reports are real documents
    html = (out / "reports" / "readiness.html").read_text()
    assert "<html" in html.lower() and "shop-web-01" in html and "fin-oracle-01" in html
    assert (out / "reports" / "readiness.xlsx").read_bytes()[:2] == b"PK"


def _kinds(folder: Path) -> list[str]:
    assert (folder / "kustomization.yaml").is_file(), folder
    kinds = []
    for path in sorted(folder.glob("*.yaml")):
        kinds += [doc["kind"] for doc in yaml.safe_load_all(path.read_text()) if doc and "kind" in doc]
    return kinds
