"""`mfactory mtv apply` with the real kubernetes client against the API-server test double
(tests/peers/k8s_api_double.py): order, apply-patch headers, fieldManager, dryRun, errors."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import yaml

from tests.mtv.conftest import Estate
from tests.peers.k8s_api_double import ApiDouble


def _emit(run_cli, estate: Estate) -> Path:
    out = estate.folder / "gitops"
    result = run_cli("mtv", "emit", "--waves", estate.waves, "--target", estate.profile, "--mapping", estate.mapping,
                     "--out", out)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return out


def _expected_order(out: Path) -> list[tuple[str, str]]:
    """(kind, name) in the order the tree says: providers, then each wave's kustomization."""
    rank = {"Secret": 0, "Provider": 1, "NetworkMap": 2, "StorageMap": 3, "Plan": 4, "Migration": 5}
    order = []
    for folder in yaml.safe_load((out / "kustomization.yaml").read_text())["resources"]:
        objs = [yaml.safe_load((out / folder / f).read_text())
                for f in yaml.safe_load((out / folder / "kustomization.yaml").read_text())["resources"]]  # fmt: skip
        order += [(o["kind"], o["metadata"]["name"]) for o in sorted(objs, key=lambda o: rank[o["kind"]])]
    return order


def test_apply_sends_server_side_apply_in_wave_order(estate: Estate, run_cli, k8s_api: ApiDouble) -> None:
    out = _emit(run_cli, estate)
    kubeconfig = k8s_api.kubeconfig(estate.folder)
    result = run_cli("mtv", "apply", out, "--kubeconfig", kubeconfig)
    assert result.exit_code == 0, result.stderr
    sent = k8s_api.requests
    expected = _expected_order(out)
    assert [(r.body["kind"], r.body["metadata"]["name"]) for r in sent] == expected
    kinds = [kind for kind, _ in expected]
    assert kinds[:4] == ["Secret", "Secret", "Provider", "Provider"] and kinds[-1] == "Migration"
    for request in sent:
        assert request.method == "PATCH"
        assert request.content_type == "application/apply-patch+yaml"
        assert request.query.get("fieldManager") == "mfactory"
        assert "dryRun" not in request.query and "force" not in request.query
        assert request.authorization == "Bearer double-token"
    plan = next(r for r in sent if r.body["kind"] == "Plan")
    name = plan.body["metadata"]["name"]
    assert plan.path == f"/apis/forklift.konveyor.io/v1beta1/namespaces/openshift-mtv/plans/{name}"
    secrets = {r.path for r in sent if r.body["kind"] == "Secret"}
    assert "/api/v1/namespaces/openshift-mtv/secrets/vc1-credentials" in secrets
    assert f"plan/{name} created" in result.stdout
    # Applying again: the API answers 200, reported as configured.
    again = run_cli("mtv", "apply", out, "--kubeconfig", kubeconfig)
    assert again.exit_code == 0 and f"plan/{name} configured" in again.stdout


def test_dry_run_and_force_are_passed_through(estate: Estate, run_cli, k8s_api: ApiDouble) -> None:
    out = _emit(run_cli, estate)
    kubeconfig = k8s_api.kubeconfig(estate.folder)
    result = run_cli("mtv", "apply", out, "--kubeconfig", kubeconfig, "--dry-run", "--force", "--context", "double")
    assert result.exit_code == 0, result.stderr
    assert k8s_api.requests and all(r.query.get("dryRun") == "All" for r in k8s_api.requests)
    assert all(r.query.get("force") == "true" for r in k8s_api.requests)
    assert k8s_api.objects == {}, "a dry run stores nothing"
    assert "(dry run)" in result.stdout


def test_missing_crd_is_one_clear_error(estate: Estate, run_cli, k8s_api: ApiDouble) -> None:
    out = _emit(run_cli, estate)
    k8s_api.served_crds = set()
    result = run_cli("mtv", "apply", out, "--kubeconfig", k8s_api.kubeconfig(estate.folder))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("error: Provider openshift-mtv/") and "does not serve Provider (404" in lines[0]
    assert lines[1] == "hint: is MTV (Forklift) installed on this cluster?"
    assert [r.body["kind"] for r in k8s_api.requests] == ["Secret", "Secret", "Provider"], "stops at the first error"


def test_forbidden_is_one_clear_error(estate: Estate, run_cli, k8s_api: ApiDouble) -> None:
    out = _emit(run_cli, estate)
    k8s_api.forbidden = {"plans"}
    result = run_cli("mtv", "apply", out, "--kubeconfig", k8s_api.kubeconfig(estate.folder))
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("error: Plan openshift-mtv/") and ": 403 plans is forbidden" in first
    assert "Traceback" not in result.stderr and "double-token" not in result.stderr


def test_unreachable_api_server_is_one_clear_error(estate: Estate, run_cli, tmp_path: Path) -> None:
    out = _emit(run_cli, estate)
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    double = ApiDouble(url=f"http://127.0.0.1:{port}")
    result = run_cli("mtv", "apply", out, "--kubeconfig", double.kubeconfig(tmp_path))
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first == f"error: cannot reach the API server at http://127.0.0.1:{port}: MaxRetryError"


def test_bad_kubeconfig_and_folder_are_input_errors(estate: Estate, run_cli, tmp_path: Path) -> None:
    out = _emit(run_cli, estate)
    missing = run_cli("mtv", "apply", out, "--kubeconfig", tmp_path / "nope")
    assert missing.exit_code == 2 and missing.stderr.startswith("error: cannot load Kubernetes credentials")
    not_tree = run_cli("mtv", "apply", tmp_path / "absent")
    assert not_tree.exit_code == 2


@pytest.mark.parametrize("k8s_api", ["https"], indirect=True)
def test_tls_is_verified_by_default(estate: Estate, run_cli, k8s_api: ApiDouble) -> None:
    assert k8s_api.ca_file is not None
    out = _emit(run_cli, estate)
    result = run_cli("mtv", "apply", out, "--kubeconfig", k8s_api.kubeconfig(estate.folder, trust=False))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"error: TLS verification of the API server at {k8s_api.url} failed"
    assert k8s_api.requests == []
