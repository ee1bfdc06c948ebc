"""Fetch an oVirt disk through an image transfer served by the tests' engine API server,
with the real oVirt SDK and the collector's connection code."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workers.images import make_image
from workers import qemu
from workers.jobs import DiskJob
from workers.steps import convert_step, fetch_step

pytestmark = pytest.mark.slow
DISK_ID = "5f1c7a4e-0000-4000-8000-00000000d15c"


def test_fetch_by_image_transfer_and_convert(ovirt_engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    image = make_image(tmp_path / "disk.qcow2", "qcow2", size_mib=32, data_mib=4)
    ovirt_engine.register_disk_file(DISK_ID, image)
    monkeypatch.setenv("MFACTORY_OVIRT_PASSWORD", ovirt_engine.password)
    monkeypatch.setenv("MFACTORY_OVIRT_CA_FILE", str(ovirt_engine.ca_file))
    host = ovirt_engine.url.split("//", 1)[1].split("/", 1)[0]
    ovirt_engine.log.clear()
    src = f"ovirt://{ovirt_engine.user}@{host}/{DISK_ID}"
    job = fetch_step(DiskJob(src=src, dst=str(tmp_path / "out" / "disk.raw"), stage_dir=str(tmp_path / "stage")))
    assert job.status == "fetched", job.error
    assert Path(job.local_src).read_bytes() == image.read_bytes()
    calls = [(c.method, c.path.rsplit("/", 1)[-1]) for c in ovirt_engine.log.api_calls()]
    assert ("POST", "imagetransfers") in calls and ("POST", "finalize") in calls
    done = convert_step(job)
    assert done.status == "done" and qemu.compare(image, "qcow2", Path(done.dst), "raw")[0]
    assert ovirt_engine.password not in done.model_dump_json()
