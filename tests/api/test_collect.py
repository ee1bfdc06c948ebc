"""Collections started through the API run on the worker against real peers: vcsim (a real
vCenter SOAP API) and the project's oVirt engine server. Credentials go in once, in the
registration body, and never come back out."""

from __future__ import annotations

import pytest

from tests.api.live import Stack, wait_job
from tests.peers.ovirt_engine import generate


def _collect(stack: Stack, body: dict, password: str) -> tuple[dict, list[dict]]:
    seen = []
    with stack.client() as api:
        created = api.post("/api/v1/sources", json=body)
        assert created.status_code == 201, created.text
        seen.append(created.text)
        started = api.post(f"/api/v1/sources/{body['name']}/collect")
        assert started.status_code == 202
        job = wait_job(api, started.json()["id"], timeout=120)
        seen.append(api.get(f"/api/v1/jobs/{job['id']}").text)
        listed = api.get("/api/v1/vms", params={"source": body["name"], "limit": 1000})
        vms = listed.json()["vms"] if listed.status_code == 200 else []
        runs = api.get(f"/api/v1/sources/{body['name']}/runs")
        seen += [runs.text, api.get("/api/v1/sources").text]
    assert all(password not in text for text in seen)
    assert password not in stack.logs()
    return job, vms


@pytest.mark.slow
def test_collect_vcenter_through_the_api(stack: Stack, vcsim) -> None:
    body = {
        "name": "vcsim-api",
        "kind": "vsphere",
        "host": vcsim.host,
        "port": vcsim.port,
        "user": vcsim.user,
        "password": vcsim.password,
        "ca_pem": vcsim.ca_file.read_text(),
    }
    job, vms = _collect(stack, body, vcsim.password)
    assert job["state"] == "succeeded", job
    assert {v["name"] for v in vms} >= {"DC0_H0_VM0", "DC0_C0_RP0_VM0"}
    assert all(v["provider"] == "vsphere" for v in vms)


@pytest.mark.slow
def test_collect_rhv_through_the_api(stack: Stack, ovirt_engine) -> None:
    ovirt_engine.load(generate(6))
    body = {
        "name": "rhv-api",
        "kind": "ovirt",
        "url": ovirt_engine.url,
        "user": ovirt_engine.user,
        "password": ovirt_engine.password,
        "ca_pem": ovirt_engine.ca_file.read_text(),
    }
    job, vms = _collect(stack, body, ovirt_engine.password)
    assert job["state"] == "succeeded", job
    assert len(vms) == 6 and all(v["provider"] == "ovirt" for v in vms)


@pytest.mark.slow
def test_wrong_password_fails_the_job_clearly(stack: Stack, ovirt_engine) -> None:
    body = {
        "name": "rhv-wrong",
        "kind": "ovirt",
        "url": ovirt_engine.url,
        "user": ovirt_engine.user,
        "password": "Not-The-Password-9d1e",
        "ca_pem": ovirt_engine.ca_file.read_text(),
    }
    job, vms = _collect(stack, body, "Not-The-Password-9d1e")
    assert job["state"] == "failed" and vms == []
    assert job["error"] and "unexpected" not in job["error"]
    with stack.client() as api:
        runs = api.get("/api/v1/sources/rhv-wrong/runs").json()
    assert [r["status"] for r in runs] == ["failed"] and runs[0]["error"] == job["error"]
