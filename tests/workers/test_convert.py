"""The convert step with real qemu-img, in-process: formats, verification, the source
check that catches truncated images, idempotency markers and the measured flags."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.workers.images import file_sha256, make_image, raw_sha256, truncate
from workers import qemu
from workers.jobs import DiskJob
from workers.steps import convert_step, fetch_step


def _run(job: DiskJob) -> DiskJob:
    return convert_step(fetch_step(job))


@pytest.mark.parametrize(
    ("fmt", "subformat", "out"),
    [("vmdk", "monolithicSparse", "raw"), ("vmdk", "streamOptimized", "raw"), ("qcow2", None, "qcow2"),
     ("raw", None, "raw")],
)  # fmt: skip
def test_converts_and_verifies_each_source_format(tmp_path: Path, fmt: str, subformat: str | None, out: str) -> None:
    src = make_image(tmp_path / f"src.{fmt}", fmt, size_mib=64, data_mib=8, subformat=subformat)
    dst = tmp_path / "out" / f"disk.{out}"
    job = _run(DiskJob(src=str(src), dst=str(dst), dst_format=out, db=str(tmp_path / "f.db"), vm_id="vm-1"))
    assert job.status == "done" and job.verified is True, job.error
    assert qemu.info(dst)["format"] == out
    same, _ = qemu.compare(src, fmt, dst, out)
    assert same
    if out == "raw":
        assert file_sha256(dst) == raw_sha256(src, fmt, tmp_path)
        assert dst.stat().st_blocks * 512 < 32 * 2**20  # sparse: allocated follows the data, not 64 MiB
    marker = json.loads((dst.parent / f"disk.{out}.done.json").read_text())
    assert marker["verified"] is True and marker["size"] == dst.stat().st_size


def test_truncated_vmdk_fails_clearly_and_leaves_nothing(tmp_path: Path) -> None:
    src = truncate(make_image(tmp_path / "src.vmdk", "vmdk", size_mib=64, data_mib=16), 0.4)
    # the trap this guards against: qemu-img convert alone succeeds on it
    assert qemu.info(src)["format"] == "vmdk"
    dst = tmp_path / "out" / "disk.raw"
    job = _run(DiskJob(src=str(src), dst=str(dst)))
    assert job.status == "failed"
    assert "damaged" in (job.error or "") and "qemu-img check" in (job.error or "")
    assert not dst.exists() and list(dst.parent.iterdir()) == []


def test_repeat_is_a_no_op_and_a_changed_source_is_redone(tmp_path: Path) -> None:
    src = make_image(tmp_path / "src.qcow2", "qcow2", size_mib=32, data_mib=4)
    dst = tmp_path / "disk.raw"
    first = _run(DiskJob(src=str(src), dst=str(dst)))
    inode = dst.stat().st_ino
    again = _run(DiskJob(src=str(src), dst=str(dst)))
    assert (first.status, again.status) == ("done", "skipped")
    assert dst.stat().st_ino == inode  # untouched
    make_image(src, "qcow2", size_mib=32, data_mib=8)  # same path, new content
    redo = _run(DiskJob(src=str(src), dst=str(dst)))
    assert redo.status == "done" and dst.stat().st_ino != inode
    assert file_sha256(dst) == raw_sha256(src, "qcow2", tmp_path)


def test_no_verify_skips_compare_and_throughput_is_recorded(tmp_path: Path, store) -> None:
    src = make_image(tmp_path / "src.qcow2", "qcow2", size_mib=32, data_mib=4)
    db = str(store.engine.url.database)
    job = _run(DiskJob(src=str(src), dst=str(tmp_path / "d.raw"), verify=False, db=db, vm_id="vm-7", disk_key="2000"))
    assert job.status == "done" and job.verified is None and job.verify_seconds is None
    samples = store.throughput_samples()
    assert [(s.kind, s.vm_id, s.disk_key) for s in samples] == [("convert", "vm-7", "2000")]
    assert samples[0].bytes == job.bytes > 0


def test_refuses_to_start_when_the_estimate_exceeds_the_window(tmp_path: Path) -> None:
    import time

    src = make_image(tmp_path / "src.qcow2", "qcow2", size_mib=32, data_mib=4)
    job = _run(DiskJob(src=str(src), dst=str(tmp_path / "d.raw"), deadline=time.time() + 60, estimate_seconds=600))
    assert job.status == "refused" and "exceeds" in (job.error or "")
    assert not (tmp_path / "d.raw").exists()


def test_flags_follow_the_measurements() -> None:
    cmd = qemu.convert_command("a.qcow2", "qcow2", Path("b.raw"), "raw")
    assert cmd[:3] == ["qemu-img", "convert", "-p"] and "-W" in cmd
    assert "-t" not in cmd and "-S" not in cmd and "-n" not in cmd
    assert "-W" not in qemu.convert_command("a.vmdk", "vmdk", Path("b.raw"), "raw")
    pre = qemu.convert_command("a.vmdk", "vmdk", Path("b.raw"), "raw", precreated=True)
    assert pre[pre.index("-n") + 1] == "--target-is-zero"


def test_progress_parsing() -> None:
    assert qemu.parse_progress(b"    (12.34/100%)\r    (50.00/100%)\r") == 50.0
    assert qemu.parse_progress(b"    (100.00/100%)\r\n") == 100.0
    assert qemu.parse_progress(b"no progress here") is None
