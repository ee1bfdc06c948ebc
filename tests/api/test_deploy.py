"""The deployment files, checked by reading them (no cluster or container runtime here)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"


def _objects() -> list[dict]:
    objects = []
    for path in sorted(DEPLOY.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        objects.extend(doc for doc in yaml.safe_load_all(path.read_text()) if doc)
    return objects


def test_kustomization_lists_every_manifest() -> None:
    kustomization = yaml.safe_load((DEPLOY / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    present = {p.name for p in DEPLOY.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == present


def test_manifests_have_the_pieces_and_no_secret_values() -> None:
    objects = _objects()
    kinds = {(o["kind"], o["metadata"]["name"]) for o in objects}
    for needed in [
        ("Deployment", "mfactory-api"),
        ("Deployment", "mfactory-worker"),
        ("Service", "mfactory-api"),
        ("Route", "mfactory-api"),
        ("ServiceAccount", "mfactory"),
        ("ConfigMap", "mfactory-config"),
    ]:
        assert needed in kinds, needed
    assert not [o for o in objects if o["kind"] == "Secret"], "secret values must not be in the repository"
    for o in objects:
        assert o["metadata"].get("namespace") or o["kind"] in ("Namespace", "ClusterRole", "ClusterRoleBinding")
        text = yaml.safe_dump(o).lower()
        assert not re.search(r"password:\s*\S", text)


def test_rbac_lets_the_service_account_apply_mtv_resources() -> None:
    objects = _objects()
    roles = {o["metadata"]["name"]: o for o in objects if o["kind"] in ("ClusterRole", "Role")}
    bindings = [o for o in objects if o["kind"] in ("RoleBinding", "ClusterRoleBinding")]
    mtv = [b for b in bindings if b["metadata"].get("namespace") == "openshift-mtv"]
    assert mtv and all(s["name"] == "mfactory" for b in mtv for s in b["subjects"])
    rules = [r for b in mtv for r in roles[b["roleRef"]["name"]]["rules"]]
    forklift = {res for r in rules if "forklift.konveyor.io" in r["apiGroups"] for res in r["resources"]}
    assert {"providers", "networkmaps", "storagemaps", "plans", "migrations"} <= forklift
    # server-side apply is a PATCH
    assert any("patch" in r["verbs"] and "plans" in r["resources"] for r in rules)
    assert any("secrets" in r["resources"] and "create" in r["verbs"] for r in rules)


def test_deployments_run_restricted_and_use_the_real_entry_points() -> None:
    deployments = {o["metadata"]["name"]: o for o in _objects() if o["kind"] == "Deployment"}
    for name in ("mfactory-api", "mfactory-worker", "mfactory-jobs"):
        spec = deployments[name]["spec"]["template"]["spec"]
        assert spec["serviceAccountName"] == "mfactory"
        for container in spec["containers"]:
            ctx = container["securityContext"]
            assert ctx["runAsNonRoot"] and not ctx["allowPrivilegeEscalation"]
            assert ctx["capabilities"]["drop"] == ["ALL"]
    api = deployments["mfactory-api"]["spec"]["template"]["spec"]["containers"][0]
    assert api["command"][:2] == ["mfactory", "serve"]
    assert api["readinessProbe"]["httpGet"]["path"] == "/healthz"
    disks = deployments["mfactory-worker"]["spec"]["template"]["spec"]["containers"][0]["command"]
    jobs = deployments["mfactory-jobs"]["spec"]["template"]["spec"]["containers"][0]["command"]
    _two_pools(disks, jobs)


def _two_pools(disks: list[str], jobs: list[str]) -> None:
    """The disk pool is the workers' own `mfactory worker` on the default queue; the API's jobs
    (which wait for disk tasks) have their own pool and queue, so they cannot starve them."""
    from mfactory.api.celery_link import QUEUE

    assert disks[:2] == ["mfactory", "worker"] and disks[disks.index("--queues") + 1] == "celery"
    assert jobs[jobs.index("--queues") + 1] == QUEUE
    _celery_app_resolves(jobs)


def _celery_app_resolves(command: list[str]) -> None:
    target = command[command.index("--app") + 1]
    module, _, attr = target.partition(":")
    app = getattr(importlib.import_module(module), attr)
    assert "mfactory.api.run_job" in app.tasks


def test_compose_services_use_the_same_entry_points() -> None:
    compose = yaml.safe_load((REPO / "compose.yaml").read_text())
    services = compose["services"]
    assert services["api"]["command"][:2] == ["mfactory", "serve"]
    _two_pools(services["worker"]["command"], services["jobs"]["command"])
    _celery_app_resolves(services["flower"]["command"])
    for name in ("worker", "jobs"):  # uploads, secret files, plans and disks are shared
        assert services[name]["volumes"] == services["api"]["volumes"]


def test_containerfile_copies_what_exists() -> None:
    text = (REPO / "Containerfile").read_text()
    for source in re.findall(r"^COPY (?!--from)(\S+)", text, flags=re.MULTILINE):
        assert (REPO / source).exists(), source
    assert "USER 1001" in text
