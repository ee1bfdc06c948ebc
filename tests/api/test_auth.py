"""Bearer-token auth on the live server: no token 401, viewer cannot write, operator can."""

from __future__ import annotations

import httpx
import pytest

from tests.api.live import OPERATOR, VIEWER, Stack

READS = [
    "/api/v1/vms",
    "/api/v1/sources",
    "/api/v1/jobs",
    "/api/v1/whoami",
    "/api/v1/risk/summary",
    "/api/v1/risk/report?format=html",
    "/api/v1/waves",
    "/api/v1/mtv/bundle",
    "/api/v1/cutover/runs",
    "/api/v1/cutover/runs/any/events",
]


@pytest.mark.parametrize("path", READS)
def test_reads_need_a_token(stack: Stack, path: str) -> None:
    with stack.client(token=None) as anon:
        response = anon.get(path)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "vms" not in response.json()


def test_wrong_token_and_wrong_scheme_are_refused(stack: Stack) -> None:
    with stack.client(token=OPERATOR + "x") as wrong:
        assert wrong.get("/api/v1/vms").status_code == 401
    response = httpx.get(f"{stack.url}/api/v1/vms", headers={"Authorization": f"Basic {OPERATOR}"})
    assert response.status_code == 401


def test_health_openapi_and_the_bare_dashboard_page_are_open(stack: Stack) -> None:
    assert httpx.get(f"{stack.url}/healthz").json()["status"] == "ok"
    page = httpx.get(f"{stack.url}/dashboard")
    assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
    doc = httpx.get(f"{stack.url}/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert "/api/v1/vms" in doc["paths"]


def test_roles(stack: Stack) -> None:
    with stack.client(VIEWER) as viewer, stack.client(OPERATOR) as operator:
        assert viewer.get("/api/v1/whoami").json() == {"role": "viewer"}
        assert operator.get("/api/v1/whoami").json() == {"role": "operator"}
        body = {"name": "vc-roles", "kind": "vsphere", "host": "vc.example.com", "user": "u", "password": "pw-roles"}
        refused = viewer.post("/api/v1/sources", json=body)
        assert refused.status_code == 403
        assert "operator" in refused.json()["error"]
        assert operator.post("/api/v1/sources", json=body).status_code == 201
        assert viewer.get("/api/v1/sources/vc-roles/registration").status_code == 200
        assert viewer.delete("/api/v1/sources/vc-roles/registration").status_code == 403
        assert operator.delete("/api/v1/sources/vc-roles/registration").status_code == 204
