"""No broker configured: the same API runs its jobs on the in-process worker (a thread pool in
the API process, and the workers' tasks in Celery eager mode) — still never in the request."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from mfactory.demo.disks import make_disk
from tests.api.live import Stack, seed_demo_estate, wait_job
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def solo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    stack = Stack(root=tmp_path_factory.mktemp("solo"), redis_url=None)
    try:
        stack.start_api()
        seed_demo_estate(stack)
        yield stack
    finally:
        stack.stop()


def test_health_says_in_process(solo: Stack) -> None:
    assert httpx.get(f"{solo.url}/healthz").json() == {"status": "ok", "workers": "in-process"}


def test_import_and_cutover_without_a_broker(solo: Stack) -> None:
    workbook = FIXTURES / "rvtools" / "mjvincent-rvtools-small-complete.xlsx"
    with solo.client() as api:
        started = api.post("/api/v1/sources/rvtools", files={"file": (workbook.name, workbook.read_bytes())})
        assert started.status_code == 202 and started.json()["state"] in ("queued", "running")
        assert wait_job(api, started.json()["id"])["state"] == "succeeded"

        wave = api.post("/api/v1/waves/plan", json={"group_by": ["app"], "pilot_size": 2}).json()["waves"][0]
        vms = {(v["source"], v["id"]): v for v in api.get("/api/v1/vms", params={"limit": 1000}).json()["vms"]}
        disks = []
        for n, ref in enumerate(wave["vms"]):
            for disk in vms[(ref["source"], ref["id"])]["disks"]:
                name = f"{n}-{len(disks)}.vmdk"
                make_disk(solo.data / "disks" / "source" / name, "vmdk", virtual_mib=32, data_mib=4, seed=n)
                disks.append({"source": ref["source"], "vm": ref["id"], "disk": disk["key"], "url": name})
        body = {"wave": wave["name"], "disk_sources": {"disks": disks}}
        run = api.post("/api/v1/cutover/runs", json=body)
        assert run.status_code == 202, run.text
        done = wait_job(api, run.json()["id"])
        progress = api.get(f"/api/v1/cutover/runs/{done['id']}/progress").json()
    assert done["state"] == "succeeded", done
    assert done["result"]["counts"] == {"done": len(wave["vms"])}
    assert progress["totals"]["vms_done"] == len(wave["vms"]) and progress["totals"]["failed"] == 0
    assert all(d["phase"] == "done" for vm in progress["vms"] for d in vm["disks"])
