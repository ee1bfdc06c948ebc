"""Fetch from a vSphere datastore through the `/folder` file API of a real vcsim, logged in
with the collector's connection code; the password only ever comes from the environment."""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx
import pytest

from tests.workers.images import make_image
from workers import qemu
from workers.jobs import DiskJob
from workers.sources import folder_url, vsphere_parts
from workers.steps import convert_step, fetch_step

pytestmark = pytest.mark.slow


def _upload(vcsim, image: Path, path: str) -> None:
    si = vcsim.connect()
    try:
        url = folder_url(vcsim.host, vcsim.port, "DC0", "LocalDS_0", path)
        ctx = ssl.create_default_context(cafile=str(vcsim.ca_file))
        r = httpx.put(url, content=image.read_bytes(), headers={"Cookie": si._stub.cookie}, verify=ctx)
        assert r.status_code in (200, 201), r.text
    finally:
        from pyVim.connect import Disconnect

        Disconnect(si)


def test_fetch_and_convert_from_a_datastore(vcsim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    image = make_image(tmp_path / "disk.vmdk", "vmdk", size_mib=32, data_mib=4)
    _upload(vcsim, image, "mf-fetch/disk.vmdk")
    monkeypatch.setenv("MFACTORY_VSPHERE_PASSWORD", vcsim.password)
    monkeypatch.setenv("MFACTORY_VSPHERE_CA_FILE", str(vcsim.ca_file))
    src = f"vsphere://{vcsim.user}@{vcsim.host}:{vcsim.port}/DC0/LocalDS_0/mf-fetch/disk.vmdk"
    job = fetch_step(DiskJob(src=src, dst=str(tmp_path / "out" / "disk.raw"), stage_dir=str(tmp_path / "stage")))
    assert job.status == "fetched", job.error
    assert Path(job.local_src).read_bytes() == image.read_bytes()
    done = convert_step(job)
    assert done.status == "done" and done.verified
    assert qemu.compare(image, "vmdk", Path(done.dst), "raw")[0]
    assert vcsim.password not in done.model_dump_json()


def test_wrong_password_is_a_clear_failure_without_the_secret(vcsim, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("MFACTORY_VSPHERE_PASSWORD", "not-the-Passw0rd-xyz")
    monkeypatch.setenv("MFACTORY_VSPHERE_CA_FILE", str(vcsim.ca_file))
    src = f"vsphere://{vcsim.user}@{vcsim.host}:{vcsim.port}/DC0/LocalDS_0/mf-fetch/none.vmdk"
    job = fetch_step(DiskJob(src=src, dst=str(tmp_path / "d.raw")))
    assert job.status == "failed" and "rejected the login" in (job.error or "")
    assert "not-the-Passw0rd-xyz" not in job.model_dump_json()


def test_locator_parsing() -> None:
    assert vsphere_parts("vsphere://admin@vc.example:8443/DC 1/ds-a/vm/x-flat.vmdk") == (
        "admin", "vc.example", 8443, "DC 1", "ds-a", "vm/x-flat.vmdk",
    )  # fmt: skip
    assert (
        folder_url("vc", 443, "DC 1", "ds-a", "vm/x.vmdk")
        == "https://vc:443/folder/vm/x.vmdk?dcPath=DC%201&dsName=ds-a"
    )
    from factory.errors import InputError

    with pytest.raises(InputError):
        vsphere_parts("vsphere://vc.example/DC/ds")  # no user, no path
