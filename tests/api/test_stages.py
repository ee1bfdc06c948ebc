"""Risk, waves and MTV through the live API, on the demo estate (vSphere + RHV)."""

from __future__ import annotations

import io
import tarfile
import zipfile
from collections import Counter
from collections.abc import Iterator

import pytest
import yaml

from tests.api.live import VIEWER, Stack, seed_demo_estate


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, api_redis: str) -> Iterator[Stack]:
    stack = Stack(root=tmp_path_factory.mktemp("stages"), redis_url=api_redis.replace("/0", "/3"))
    try:
        stack.start_api()
        seed_demo_estate(stack)
        yield stack
    finally:
        stack.stop()


def test_inventory_filters_and_pages(seeded: Stack) -> None:
    with seeded.client(VIEWER) as api:
        everything = api.get("/api/v1/vms", params={"limit": 1000}).json()
        assert everything["total"] == len(everything["vms"]) > 30
        assert {v["provider"] for v in everything["vms"]} == {"vsphere", "ovirt"}
        ovirt = api.get("/api/v1/vms", params={"provider": "ovirt", "limit": 1000}).json()
        assert 0 < ovirt["total"] < everything["total"]
        assert all(v["provider"] == "ovirt" for v in ovirt["vms"])
        shop = api.get("/api/v1/vms", params={"label": "app=shop", "limit": 1000}).json()
        assert shop["total"] and all(v["labels"]["app"] == "shop" for v in shop["vms"])
        pages = [api.get("/api/v1/vms", params={"limit": 7, "offset": o}).json()["vms"] for o in range(0, 70, 7)]
        assert [v["id"] for page in pages for v in page] == [v["id"] for v in everything["vms"]]
        missing = api.get("/api/v1/vms", params={"source": "nope"})
        assert missing.status_code == 404 and "source" in missing.json()["error"]


def test_risk_scores_findings_and_reports(seeded: Stack) -> None:
    with seeded.client(VIEWER) as api:
        summary = api.get("/api/v1/risk/summary").json()
        assert summary["total"] == summary["ready"] + summary["warnings"] + summary["blocked"]
        blocked = api.get("/api/v1/risk/scores", params={"level": "blocked", "limit": 1000}).json()
        assert blocked["total"] == summary["blocked"] > 0
        for vm in blocked["vms"]:
            assert not vm["migratable"] and any(f["severity"] == "Critical" for f in vm["findings"])
        critical = api.get("/api/v1/risk/findings", params={"severity": "Critical", "limit": 1000}).json()
        assert {f["vm"] for f in critical["findings"]} == {v["id"] for v in blocked["vms"]}
        rdm = api.get("/api/v1/risk/findings", params={"rule": "vmware.disk.rdm.detected"}).json()
        assert [f["vm_name"] for f in rdm["findings"]] == ["legacy-erp"]
        for fmt, magic in (("html", b"<"), ("xlsx", b"PK"), ("csv", None), ("json", b"{")):
            response = api.get("/api/v1/risk/report", params={"format": fmt})
            assert response.status_code == 200, (fmt, response.text[:200])
            assert response.content and (magic is None or response.content.lstrip()[:2].startswith(magic))
            assert f"readiness.{fmt}" in response.headers["content-disposition"]
        bad = api.get("/api/v1/risk/report", params={"format": "pdf"})
        assert bad.status_code == 422 and bad.json()["field"] == "query.format"


def test_plan_move_and_bundle(seeded: Stack) -> None:
    with seeded.client() as api:
        assert api.get("/api/v1/waves").status_code == 409  # no plan yet: says so, no 500
        body = {
            "group_by": ["app"],
            "pilot_size": 3,
            "windows": [
                {"start": "2026-12-05T22:00:00Z", "duration": "8h"},
                {"start": "2026-12-12T22:00:00Z", "duration": "8h"},
            ],
        }
        plan = api.post("/api/v1/waves/plan", json=body)
        assert plan.status_code == 200, plan.text
        doc = plan.json()
        assert [w["name"] for w in doc["waves"]] == ["wave-01", "wave-02"]
        assert api.get("/api/v1/waves").json()["waves"] == doc["waves"]
        # a lone VM can move; a member of a group cannot leave its group
        lone = next(v for v in doc["waves"][0]["vms"] if not v["group"])
        moved = api.post("/api/v1/waves/moves", json={"moves": [{**_key(lone), "wave": "wave-02"}]})
        assert moved.status_code == 200, moved.text
        assert lone["id"] in {v["id"] for v in moved.json()["waves"][1]["vms"]}
        groups = Counter(v["group"] for w in doc["waves"] for v in w["vms"] if v["group"])
        member = next(v for w in doc["waves"] for v in w["vms"] if v["group"] and groups[v["group"]] > 1)
        other = "wave-01" if member["id"] not in {v["id"] for v in doc["waves"][0]["vms"]} else "wave-02"
        refused = api.post("/api/v1/waves/moves", json={"moves": [{**_key(member), "wave": other}]})
        assert refused.status_code == 400 and "split" in refused.json()["error"]
        assert refused.json()["field"] == "body.moves"
        unknown = api.post("/api/v1/waves/moves", json={"moves": [{**_key(member), "wave": "wave-99"}]})
        assert unknown.status_code == 400 and unknown.json()["field"] == "body.moves.0.wave"
        # the MTV tree and its archives
        emitted = api.post("/api/v1/mtv/emit", json={"namespace": "openshift-mtv"})
        assert emitted.status_code == 200, emitted.text
        files = emitted.json()["files"]
        assert "kustomization.yaml" in files and any(f.startswith("wave-02/plan-") for f in files)
        with tarfile.open(fileobj=io.BytesIO(api.get("/api/v1/mtv/bundle").content), mode="r:gz") as tgz:
            assert sorted(m.name for m in tgz.getmembers()) == sorted(f"mtv/{f}" for f in files)
            plans = [yaml.safe_load(tgz.extractfile(f"mtv/{f}")) for f in files if "/plan-" in f]
        assert all(p["kind"] == "Plan" and p["spec"]["vms"] for p in plans)
        zipped = zipfile.ZipFile(io.BytesIO(api.get("/api/v1/mtv/bundle", params={"format": "zip"}).content))
        assert sorted(zipped.namelist()) == sorted(f"mtv/{f}" for f in files)


def test_bad_input_names_the_field(seeded: Stack) -> None:
    with seeded.client() as api:
        assert api.post("/api/v1/waves/plan", json={}).status_code == 200  # cutover checks need a plan
        cases = [
            ("post", "/api/v1/waves/plan", {"max_vms_per_plan": 0}, "body.max_vms_per_plan"),
            ("post", "/api/v1/waves/plan", {"windows": [{"start": "2026-12-05T22:00:00", "duration": "8h"}]},
             "body.windows.0.start"),
            ("post", "/api/v1/waves/plan", {"windows": [{"start": "2026-12-05T22:00:00Z", "duration": "eight"}]},
             "body.windows.0.duration"),
            ("put", "/api/v1/target/profile", {"namespace": "Not_DNS"}, "body.namespace"),
            ("put", "/api/v1/target/mapping", {"networks": [{"source": {"name": "x"}}]},
             "body.networks.0.destination"),
            ("post", "/api/v1/sources", {"name": "vc", "kind": "vsphere", "user": "u", "password": "p"}, "body.host"),
            ("post", "/api/v1/sources", {"name": "a/b", "kind": "vsphere", "host": "h", "user": "u", "password": "p"},
             "body.name"),
            ("post", "/api/v1/cutover/runs", {"wave": "wave-77"}, "body.wave"),
            ("post", "/api/v1/cutover/runs", {"wave": "wave-01", "until": "2020-01-01T00:00:00Z"}, "body.until"),
            ("post", "/api/v1/cutover/runs", {"wave": "wave-01", "disk_sources": {"disks": [OUTSIDE]}},
             "body.disk_sources.disks.0.url"),
            ("get", "/api/v1/vms?limit=0", None, "query.limit"),
        ]  # fmt: skip
        for method, path, body, field in cases:
            response = api.request(method.upper(), path, json=body)
            assert 400 <= response.status_code < 500, (path, response.status_code, response.text)
            error = response.json()
            assert error["field"] == field, (path, error)
            assert field.split(".")[-1] in error["error"], error
        upload = api.post("/api/v1/sources/rvtools", files={"file": ("inventory.pdf", b"%PDF-1.4")})
        assert upload.status_code == 400 and upload.json()["field"] == "file"


OUTSIDE = {"source": "s", "vm": "v", "disk": "d", "url": "/etc/passwd"}  # a worker file outside DATA/disks/source


def _key(vm: dict) -> dict:
    return {"source": vm["source"], "id": vm["id"]}
