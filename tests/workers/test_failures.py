"""Failure tests with real processes: redis-server, `mfactory worker` subprocesses, qemu-img.

Timeouts are short here (see procs.TEST_ENV): visibility 3 s, lease TTL 3 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from celery import chain, group

from tests.workers.estate import make_estate
from tests.workers.httpd import FileServer
from tests.workers.images import file_sha256, make_image, raw_sha256, truncate
from tests.workers.procs import TEST_ENV, Worker, wait_for, workers
from workers import progress
from workers.jobs import DiskJob, payload
from workers.tasks import convert, fetch

pytestmark = pytest.mark.slow


class FinalPathWatcher(threading.Thread):
    """Polls the final path every few ms; hashes every new file that appears there. Any
    partial file under the final name would hash differently from the expected content."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.seen: dict[int, str] = {}  # inode -> sha256 at first sight
        self.first_seen: float | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                st = os.stat(self.path)
                if st.st_ino not in self.seen:
                    self.first_seen = self.first_seen or time.monotonic()
                    self.seen[st.st_ino] = file_sha256(self.path)
            except FileNotFoundError:
                pass
            time.sleep(0.005)


def test_kill9_mid_conversion_redelivers_and_never_exposes_a_partial_file(broker, tmp_path: Path) -> None:
    src_dir = tmp_path / "src"
    src_dir.mkdir()
    image = make_image(src_dir / "disk.qcow2", "qcow2", size_mib=64, data_mib=32)
    expected = raw_sha256(image, "qcow2", tmp_path)
    final = tmp_path / "out" / "disk.raw"
    final.parent.mkdir()
    db = tmp_path / "factory.db"
    rc = broker.client()
    with FileServer(src_dir) as http:
        http.behaviour.rate = 3e6  # per response: the conversion takes a few seconds
        job = DiskJob(src=f"{http.url}/disk.qcow2", stream=True, src_format="qcow2", dst=str(final), vm_id="vm-9")
        watcher = FinalPathWatcher(final)
        watcher.start()
        first = Worker(broker.url, db, "first")
        first.wait_ready()
        result = chain(fetch.s(payload(job)), convert.s()).apply_async()

        def halfway() -> bool:
            fields = progress.read(rc, job.key)
            return fields.get("step") == "convert" and int(fields.get("bytes_done", 0)) > 0.2 * 64 * 2**20

        wait_for(halfway, 60, "the conversion to pass 20 %")
        first.kill9()
        killed_at = time.monotonic()
        assert not final.exists()
        assert list(final.parent.glob(".disk.raw.part-*")), "the killed attempt left its temporary file"
        second = Worker(broker.url, db, "second")
        try:
            second.wait_ready()
            out = result.get(timeout=120)
        finally:
            second.stop()
            watcher.stop.set()
            watcher.join()
    assert out["status"] == "done" and out["verified"] is True
    # Copies started: the killed one and the redelivered one. A further delivery (the 3 s
    # visibility timeout can pass during the second copy) must wait on the job lock and skip.
    assert int(rc.get(f"mf:attempts:convert-run:{job.key}")) == 2
    assert int(rc.get(f"mf:attempts:convert:{job.key}")) >= 2
    assert file_sha256(final) == expected
    assert watcher.seen == {final.stat().st_ino: expected}  # one file ever appeared there: the complete one
    assert watcher.first_seen is not None and watcher.first_seen > killed_at
    assert not list(final.parent.glob(".disk.raw.part-*"))  # the redelivery cleaned up


def test_token_limits_hold_under_five_workers(broker, tmp_path: Path) -> None:
    """12 disks on 2 source hosts (limit 2 each), one datastore (limit 3), 5 workers: the
    tasks record how many of them really ran at once per key."""
    src_dir = tmp_path / "src"
    src_dir.mkdir()
    images = [make_image(src_dir / f"d{i}.qcow2", "qcow2", size_mib=32, data_mib=8) for i in range(12)]
    db = tmp_path / "factory.db"
    rc = broker.client()
    with FileServer(src_dir) as http:
        http.behaviour.rate = 4e6
        jobs = []
        for i, image in enumerate(images):
            host = f"esx-{i % 2}"
            jobs.append(
                DiskJob(
                    src=f"{http.url}/{image.name}",
                    stream=True,
                    src_format="qcow2",
                    dst=str(tmp_path / "out" / f"d{i}.raw"),
                    vm_id=f"vm-{i}",
                    disk_key="2000",
                    verify=False,
                    tokens=[
                        {"kind": "host", "name": host, "limit": 2},
                        {"kind": "datastore", "name": "ds-1", "limit": 3},
                    ],
                )
            )
        with workers(broker.url, db, 5, concurrency=1):
            results = group(chain(fetch.s(payload(j)), convert.s()) for j in jobs).apply_async().get(timeout=180)
    # On a slow machine a job can wait on its tokens longer than the 3 s visibility timeout;
    # Redis then hands its message out again and the duplicate, after waiting on the job lock,
    # finds the disk finished: its result says "skipped". What must hold: every disk finished.
    assert {r["status"] for r in results} <= {"done", "skipped"}, results
    for job in jobs:
        assert int(rc.get(f"mf:attempts:convert-run:{job.key}")) >= 1, job.key
        assert Path(job.dst).stat().st_size == 32 * 2**20
        assert Path(job.dst).with_name(Path(job.dst).name + ".done.json").exists()
    observed = {k.decode(): int(v) for k, v in rc.hgetall("mf:observed:max").items()}
    assert observed["datastore:ds-1"] == 3  # reached, never above
    assert observed["host:esx-0"] == 2 and observed["host:esx-1"] == 2


def _cutover(redis_url: str, db: Path, waves: Path, sources: Path, out: Path) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "mfactory", "--db", str(db), "cutover", "run", "--wave", "1", "--waves", str(waves)]
    cmd += ["--disk-sources", str(sources), "--disks-dir", str(out), "--json"]
    env = os.environ | TEST_ENV | {"REDIS_URL": redis_url}
    err = (out.parent / "cutover.stderr").open("w")  # a file, not a pipe nobody drains
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=err, text=True)


def _finish(run: subprocess.Popen[str], redis_server, pool, timeout: float = 120) -> tuple[str, str]:
    """Wait for the cutover; on a hang, fail with what Redis and the workers show."""
    try:
        out, _ = run.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        run.kill()
        rc = redis_server.client()
        state = {k.decode(): v.decode()[:300] for k, v in rc.hgetall("mf:cutover:1").items()}
        queued = rc.llen("celery")
        logs = "\n".join(line for w in pool for line in w.lines[-20:])
        keys = sorted(rc.keys("*"))
        raise AssertionError(f"cutover hung; {queued} queued; state={state}\nkeys={keys}\n{logs}") from None
    return out, Path(run.args[run.args.index("--disks-dir") + 1]).parent.joinpath("cutover.stderr").read_text()


def test_redis_restart_mid_wave_loses_nothing(redis_server, tmp_path: Path, store) -> None:
    db = Path(store.engine.url.database)
    with FileServer(tmp_path / "images") as http:
        (tmp_path / "images").mkdir(exist_ok=True)
        waves, sources = make_estate(store, tmp_path, vms=4, disks_per_vm=2, data_mib=4, base_url=http.url)
        http.behaviour.rate = 2e6
        rc = redis_server.client()
        with workers(redis_server.url, db, 2, concurrency=1) as pool:
            run = _cutover(redis_server.url, db, waves, sources, tmp_path / "out")
            wait_for(lambda: len(list(rc.scan_iter("mf:attempts:convert-run:*"))) >= 2, 90, "two conversions")
            before = rc.dbsize()
            redis_server.restart(down_seconds=1.0)
            assert redis_server.client().dbsize() >= before - 5  # the append-only file kept the queue and state
            http.behaviour.rate = None
            out, err = _finish(run, redis_server, pool)
    assert run.returncode == 0, err[-3000:]
    report = json.loads(out)
    assert report["counts"] == {"done": 4}
    for vm in report["vms"]:
        assert sorted(d["key"] for d in vm["disks"]) == ["2000", "2001"]
        for disk in vm["disks"]:
            assert disk["status"] in ("done", "skipped")
            image = tmp_path / "images" / f"{vm['vm'].replace('-', '')}-{disk['key']}.qcow2"
            assert file_sha256(Path(disk["dst"])) == raw_sha256(image, "qcow2", tmp_path)


def test_corrupt_source_fails_alone_without_retry_storm(broker, tmp_path: Path, store) -> None:
    db = Path(store.engine.url.database)
    waves, sources = make_estate(store, tmp_path, vms=3, disks_per_vm=2, data_mib=4)
    truncate(tmp_path / "images" / "vm1-2001.qcow2", 0.3)
    rc = broker.client()
    with workers(broker.url, db, 2, concurrency=1) as pool:
        run = _cutover(broker.url, db, waves, sources, tmp_path / "out")
        out, _ = _finish(run, broker, pool)
        time.sleep(4)  # longer than the visibility timeout: a redelivery would show in the counts
    assert run.returncode == 1
    report = json.loads(out)
    assert report["counts"] == {"done": 2, "failed": 1}
    failed = next(vm for vm in report["vms"] if vm["status"] == "failed")
    assert failed["vm"] == "vm-1"
    bad = next(d for d in failed["disks"] if d["key"] == "2001")
    assert "damaged" in bad["error"] and "qemu-img check" in bad["error"]
    assert not Path(bad["dst"]).exists() and not list(Path(bad["dst"]).parent.glob(".2001.raw.part-*"))
    attempts = {k.decode(): int(rc.get(k)) for k in rc.scan_iter("mf:attempts:convert:*")}
    assert len(attempts) == 6 and set(attempts.values()) == {1}  # every disk exactly once: no retries
