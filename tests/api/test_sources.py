"""Sources through the live API: RVTools upload imported by the worker, secrets never shown."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import redis

from tests.api.live import Stack, wait_job
from tests.conftest import FIXTURES

RVTOOLS = FIXTURES / "rvtools" / "mjvincent-rvtools-small-complete.xlsx"
PASSWORD = "S3cr3t-Pa55w0rd-never-echo"


def test_rvtools_upload_runs_on_the_worker_and_lists_vms(stack: Stack) -> None:
    with stack.client() as api:
        with RVTOOLS.open("rb") as handle:
            response = api.post(
                "/api/v1/sources/rvtools",
                files={"file": (RVTOOLS.name, handle, "application/octet-stream")},
                data={"name": "small"},
            )
        assert response.status_code == 202, response.text
        job = response.json()
        assert job["kind"] == "import-rvtools" and job["state"] in ("queued", "running")
        done = wait_job(api, job["id"])
        assert done["state"] == "succeeded", done
        assert done["result"]["source"] == "small"
        # the worker process did the import, not the API (the worker log names the job)
        assert job["id"] in (stack.root / "worker.log").read_text()
        page = api.get("/api/v1/vms", params={"source": "small", "limit": 2}).json()
        total = done["result"]["counts"]["vms"] - done["result"]["counts"]["templates"]
        assert page["total"] == total > 2
        assert len(page["vms"]) == 2
        vm = page["vms"][0]
        assert set(vm) >= {"id", "source", "provider", "name", "power_state", "disks", "nics", "snapshots"}
        second = api.get("/api/v1/vms", params={"source": "small", "limit": 2, "offset": 1}).json()
        assert second["vms"][0] == page["vms"][1]
        detail = api.get(f"/api/v1/vms/small/{vm['id']}").json()
        assert detail["name"] == vm["name"] and detail["model"]["id"] == vm["id"]
        on = api.get("/api/v1/vms", params={"source": "small", "power_state": "on", "limit": 1000}).json()
        assert on["vms"] and all(v["power_state"] == "on" for v in on["vms"])
        runs = api.get("/api/v1/sources/small/runs").json()
        assert runs[-1]["status"] == "ok"


def test_not_an_export_fails_the_job_with_a_clear_error(stack: Stack, tmp_path) -> None:
    bogus = tmp_path / "not-rvtools.xlsx"
    bogus.write_bytes(b"PK\x03\x04 this is not a workbook")
    with stack.client() as api:
        response = api.post("/api/v1/sources/rvtools", files={"file": (bogus.name, bogus.read_bytes())})
        assert response.status_code == 202
        done = wait_job(api, response.json()["id"])
    assert done["state"] == "failed"
    assert done["error"] and "unexpected" not in done["error"]


def test_password_is_never_echoed_stored_or_queued(stack: Stack, api_redis: str) -> None:
    body = {
        "name": "vc-secret",
        "kind": "vsphere",
        "host": "127.0.0.1",
        "port": 9,  # discard port: nothing listens, the collection must fail cleanly
        "user": "administrator@vsphere.local",
        "password": PASSWORD,
        "insecure": True,
    }
    seen: list[str] = []
    with stack.client() as api:
        created = api.post("/api/v1/sources", json=body)
        assert created.status_code == 201, created.text
        seen.append(created.text)
        assert created.json()["user"] == body["user"] and "password" not in created.json()
        again = api.post("/api/v1/sources", json={**body, "port": "not-a-port"})
        assert again.status_code == 422
        seen.append(again.text)
        job = api.post("/api/v1/sources/vc-secret/collect")
        assert job.status_code == 202
        seen.append(job.text)
        done = wait_job(api, job.json()["id"])
        assert done["state"] == "failed"
        for path in ("/api/v1/sources", "/api/v1/sources/vc-secret/registration", "/api/v1/jobs",
                     f"/api/v1/jobs/{done['id']}", "/api/v1/sources/vc-secret/runs"):  # fmt: skip
            seen.append(api.get(path).text)
    for text in seen:
        assert PASSWORD not in text
    # the store (every table, as text), the data directory but the secret file, redis, logs
    with closing(sqlite3.connect(stack.db)) as conn:
        store_text = "\n".join(conn.iterdump())
    assert "vc-secret" in store_text  # the failed run was recorded...
    assert PASSWORD not in store_text  # ...without the password
    secret_file = stack.data / "secrets" / "vc-secret.password"
    assert secret_file.stat().st_mode & 0o077 == 0
    for path in stack.data.rglob("*"):
        if path.is_file() and path != secret_file:
            assert PASSWORD.encode() not in path.read_bytes(), path
    client = redis.Redis.from_url(api_redis.replace("/0", "/1"))
    for key in client.keys("*"):
        kind = client.type(key).decode()
        values = {
            "string": lambda k: [client.get(k)],
            "hash": lambda k: list(client.hgetall(k).values()),
            "list": lambda k: client.lrange(k, 0, -1),
            "set": lambda k: list(client.smembers(k)),
            "zset": lambda k: client.zrange(k, 0, -1),
        }.get(kind, lambda k: [])(key)
        assert all(PASSWORD.encode() not in (v or b"") for v in values), key
    assert PASSWORD not in stack.logs()
