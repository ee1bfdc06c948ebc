"""`mfactory disk convert`, `mfactory cutover run|status` in-process, and the bad-input paths."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from mappings.kubevirt import validate
from tests.conftest import SCHEMAS
from tests.workers.estate import make_estate
from tests.workers.images import make_image, truncate
from workers import qemu


def test_disk_convert_local_then_skip(run_cli, tmp_path: Path, store) -> None:
    src = make_image(tmp_path / "s.vmdk", "vmdk", size_mib=32, data_mib=4)
    dst = tmp_path / "d.qcow2"
    first = run_cli("disk", "convert", src, dst, "--format", "qcow2", "--local")
    assert first.exit_code == 0, first.stderr
    assert first.stdout.startswith("done: ") and "verified in" in first.stdout
    assert qemu.compare(src, "vmdk", dst, "qcow2")[0]
    again = run_cli("disk", "convert", src, dst, "--format", "qcow2")  # no REDIS_URL: in-process too
    assert again.exit_code == 0 and again.stdout.startswith("skipped: ")
    assert [s.kind for s in store.throughput_samples()] == ["convert"]


def test_disk_convert_failure_and_bad_input(run_cli, tmp_path: Path) -> None:
    bad = truncate(make_image(tmp_path / "b.qcow2", "qcow2", size_mib=32, data_mib=8), 0.3)
    failed = run_cli("disk", "convert", bad, tmp_path / "b.raw", "--local")
    assert failed.exit_code == 1 and "damaged" in failed.stderr
    assert run_cli("disk", "convert", tmp_path / "missing.vmdk", tmp_path / "x.raw").exit_code == 2
    src = make_image(tmp_path / "s.qcow2", "qcow2", size_mib=8, data_mib=1)
    assert run_cli("disk", "convert", src, tmp_path / "x.raw", "--format", "vmdk").exit_code == 2
    (tmp_path / "mine.raw").write_bytes(b"precious")
    clash = run_cli("disk", "convert", src, tmp_path / "mine.raw")
    assert clash.exit_code == 2 and "not written by mfactory" in clash.stderr
    assert (tmp_path / "mine.raw").read_bytes() == b"precious"
    assert run_cli("worker").exit_code == 2  # no broker


def test_cutover_local_report_and_manifests(run_cli, tmp_path: Path, store) -> None:
    waves, sources = make_estate(store, tmp_path, vms=2, disks_per_vm=2)
    truncate(tmp_path / "images" / "vm1-2000.qcow2", 0.3)
    out = tmp_path / "out"
    res = run_cli("cutover", "run", "--wave", "1", "--waves", waves, "--disk-sources", sources, "--disks-dir", out,
                  "--local", "--json")  # fmt: skip
    assert res.exit_code == 1  # one VM failed
    report = json.loads(res.stdout)
    assert report == json.loads((out / "wave-1-report.json").read_text())
    assert report["counts"] == {"done": 1, "failed": 1}
    good = next(v for v in report["vms"] if v["status"] == "done")
    manifests = list(yaml.safe_load_all(Path(good["manifests"]).read_text()))
    assert [m["kind"] for m in manifests] == ["DataVolume", "DataVolume", "VirtualMachine"]
    assert all(validate(m, SCHEMAS / "kubevirt") == [] for m in manifests)
    url = manifests[0]["spec"]["source"]["http"]["url"]
    assert url == "http://disks.example:8080/wave-01/app-0/2000.raw"


def test_cutover_refuses_what_does_not_fit_the_window(run_cli, tmp_path: Path, store) -> None:
    waves, sources = make_estate(store, tmp_path, vms=1, disks_per_vm=1)
    doc = yaml.safe_load(sources.read_text())
    (tmp_path / "srv").mkdir()
    from datetime import UTC, datetime, timedelta

    until = (datetime.now(UTC) + timedelta(seconds=30)).isoformat()
    from factory.store.store import ThroughputSample

    store.record_throughput(ThroughputSample(kind="convert", bytes=1000, seconds=10.0))  # 100 B/s: far too slow
    sources.write_text(yaml.safe_dump(doc))
    res = run_cli("cutover", "run", "--wave", "1", "--waves", waves, "--disk-sources", sources,
                  "--disks-dir", tmp_path / "out", "--until", until, "--local", "--json")  # fmt: skip
    assert res.exit_code == 1
    vm = json.loads(res.stdout)["vms"][0]
    assert vm["status"] == "refused" and "left" in vm["reason"]
    assert not list((tmp_path / "out").rglob("*.raw"))


def test_cutover_status_reads_redis(run_cli, tmp_path: Path, store, redis_server) -> None:
    from workers.wavestate import WaveState

    WaveState(redis_server.client(), 3).start({"wave": "wave-03", "index": 3, "deadline": None, "started": 0,
                                                "vms": [{"ref": "vc1/vm-1", "name": "a", "disks": []}]})  # fmt: skip
    env = {"REDIS_URL": redis_server.url}
    res = run_cli("cutover", "status", "--wave", "3", "--json", env=env)
    assert res.exit_code == 0 and json.loads(res.stdout)["meta"]["wave"] == "wave-03"
    assert run_cli("cutover", "status", "--wave", "4", env=env).exit_code == 2
