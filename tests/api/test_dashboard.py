"""The live cutover dashboard in headless Chromium, against a real API and a real worker.

A wave of the demo estate is cut over with small real disks (qcow2, made with qemu-img)
that the worker downloads from a rate-limited HTTP server — like a datastore read over the
network — so the run lasts a few seconds. The test logs in through the page's own form,
reads the rendered progress twice and checks the bytes grew, takes a screenshot, and waits
for the page to show the finished wave.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mfactory.demo.disks import make_disk
from tests.api.browser import Browser
from tests.api.live import OPERATOR, Stack, seed_demo_estate
from tests.workers.httpd import FileServer

RATE = 2 * 1024 * 1024  # bytes/s per download: ~4 s per 8 MiB sample disk
TOTAL_BYTES = "Number(document.querySelector('.wave .total-bytes')?.dataset.bytes || -1)"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, api_redis: str) -> Iterator[Stack]:
    stack = Stack(root=tmp_path_factory.mktemp("dash"), redis_url=api_redis.replace("/0", "/4"))
    try:
        stack.start_api()
        # the two pools as deployed: the API's jobs (the wave run) and the disk pool
        stack.start_worker(concurrency=1, queues="mfactory-jobs", name="jobs")
        stack.start_disk_pool(concurrency=2)
        seed_demo_estate(stack)
        yield stack
    finally:
        stack.stop()


@pytest.mark.slow
def test_dashboard_shows_a_running_cutover_moving(live: Stack, tmp_path: Path) -> None:
    with live.client() as api:
        plan = api.post("/api/v1/waves/plan", json={"group_by": ["app"], "pilot_size": 4}).json()
        wave = plan["waves"][0]
        vms = {(v["source"], v["id"]): v for v in api.get("/api/v1/vms", params={"limit": 1000}).json()["vms"]}
    served = tmp_path / "datastore"
    disks: list[dict[str, str]] = []
    with FileServer(served) as server:
        server.behaviour.rate = RATE
        for n, ref in enumerate(wave["vms"]):
            for disk in vms[(ref["source"], ref["id"])]["disks"]:
                if disk["rdm"]:
                    continue
                name = f"disk-{n}-{len(disks)}.qcow2"
                sample = make_disk(served / name, "qcow2", virtual_mib=64, data_mib=8, seed=n)
                if n == len(wave["vms"]) - 1:  # the last VM's disk arrives truncated: a failure to show
                    with sample.path.open("r+b") as handle:
                        handle.truncate(sample.path.stat().st_size // 2)
                url = f"{server.url}/{name}"
                disks.append({"source": ref["source"], "vm": ref["id"], "disk": disk["key"], "url": url})
        assert len(disks) >= 4

        browser = Browser(tmp_path / "chromium")
        try:
            browser.goto(f"{live.url}/dashboard")
            assert browser.js("document.getElementById('login').hidden === false")  # no data before a token
            browser.js(
                f"document.getElementById('token').value = {OPERATOR!r};"
                "document.getElementById('login-form').requestSubmit(); true"
            )
            browser.wait("document.getElementById('who').textContent.includes('operator')")
            with live.client() as api:
                sources = {"disks": disks, "limits": {"host": {"default": 2}}}
                started = api.post("/api/v1/cutover/runs", json={"wave": wave["name"], "disk_sources": sources})
                assert started.status_code == 202, started.text
                run_id = started.json()["id"]

            # first snapshot: the run is on the page and has moved some bytes
            first = browser.wait(f"{TOTAL_BYTES} > 0 && {TOTAL_BYTES}", timeout=30)
            rows = browser.js("document.querySelectorAll('.wave tr.vm').length")
            assert rows == len(wave["vms"])
            # second snapshot: more bytes, while the wave is still running
            deadline = time.monotonic() + 20
            second = first
            while second <= first and time.monotonic() < deadline:
                time.sleep(0.5)
                second = browser.js(TOTAL_BYTES)
            assert second > first, (first, second)
            shot = browser.screenshot(live.root / "dashboard-running.png")
            assert shot.stat().st_size > 10_000
            text = browser.js("document.querySelector('.wave').innerText")
            for ref in wave["vms"]:
                assert ref["name"] in text
            assert "rate" in text and "ETA" in text and "failures" in text

            # the page follows the run to its end
            browser.wait("document.querySelector('.wave .run-state')?.textContent === 'completed with failures'", 60)
            done = browser.js("[...document.querySelectorAll('.wave tr.vm .phase')].map(e => e.textContent)")
            assert done == ["done"] * (len(wave["vms"]) - 1) + ["failed"]
            failure = browser.js("[...document.querySelectorAll('.wave tr.vm .fail')].at(-1).textContent")
            assert "damaged" in failure, failure
            assert browser.js("document.querySelector('.wave .kpi-failures').textContent") == "1"
            browser.screenshot(live.root / "dashboard-done.png")
        finally:
            browser.close()

    with live.client() as api:
        run = api.get(f"/api/v1/cutover/runs/{run_id}").json()
    assert run["state"] == "succeeded", run
    assert run["result"]["counts"] == {"done": len(wave["vms"]) - 1, "failed": 1}
    assert [vm["name"] for vm in run["result"]["vms"]] == [ref["name"] for ref in wave["vms"]]
    for vm in run["result"]["vms"][:-1]:
        for disk in vm["disks"]:
            assert disk["verified"] and Path(disk["dst"]).is_file()
    broken = run["result"]["vms"][-1]
    assert broken["status"] == "failed"
    for disk in broken["disks"]:  # nothing half-written under the final name
        assert disk["dst"] and not Path(disk["dst"]).exists()


@pytest.mark.slow
def test_event_stream_of_a_finished_run_sends_its_last_state_and_ends(live: Stack) -> None:
    with live.client() as api:
        runs = api.get("/api/v1/cutover/runs").json()
        assert runs, "runs from the dashboard test"
        run_id = runs[0]["id"]
        with api.stream("GET", f"/api/v1/cutover/runs/{run_id}/events", timeout=10) as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            chunks, deadline = [], time.monotonic() + 60
            for chunk in stream.iter_text():  # the stream ends with the run; keep-alives bound each wait
                chunks.append(chunk)
                assert time.monotonic() < deadline, "the event stream of a finished run did not end"
            text = "".join(chunks)
    events = [block for block in text.split("\n\n") if block.startswith("event: progress")]
    assert len(events) == 1
    doc = json.loads(events[0].split("data: ", 1)[1])
    assert doc["run"] == run_id and doc["state"] == "succeeded" and doc["totals"]["vms"] == len(doc["vms"])
