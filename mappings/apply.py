"""Server-side apply of an emitted GitOps tree, in wave order, with the kubernetes client.

Order: providers/ first (Secrets, then Providers), then each wave as the root
kustomization lists them, and within a wave NetworkMaps and StorageMaps, then Plans, then
Migrations — a Migration starts its Plan, so it must come last. Every request is an
``application/apply-patch+yaml`` PATCH with field manager ``mfactory``; ``force`` only when
asked. Errors become one line naming the object.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from factory.errors import FactoryError, InputError

FIELD_MANAGER = "mfactory"
APPLY_PATCH = "application/apply-patch+yaml"
KIND_ORDER = {"Secret": 0, "Provider": 1, "NetworkMap": 2, "StorageMap": 3, "Plan": 4, "Migration": 5}
PLURALS = {"Provider": "providers", "NetworkMap": "networkmaps", "StorageMap": "storagemaps", "Plan": "plans"}
PLURALS["Migration"] = "migrations"


@dataclass(frozen=True)
class Applied:
    kind: str
    namespace: str
    name: str
    status: str  # created | configured (| unchanged-dry-run)
    path: str


def _kustomization(folder: Path) -> list[str]:
    path = folder / "kustomization.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError:
        raise InputError(f"{path} not found", hint="pass a folder written by `mfactory mtv emit`") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path} is not valid YAML: {exc}", hint="emit the tree again") from None
    return list(data.get("resources") or [])


def collect(root: Path) -> list[tuple[str, dict]]:
    """(relative path, object) in apply order, following the kustomizations."""
    out: list[tuple[str, dict]] = []

    def visit(folder: Path) -> None:
        here = []
        for entry in _kustomization(folder):
            target = folder / entry
            if target.is_dir():
                visit(target)
                continue
            try:
                docs = [d for d in yaml.safe_load_all(target.read_text(encoding="utf-8")) if d]
            except OSError:
                raise InputError(f"{target} is listed but missing", hint="emit the tree again") from None
            except yaml.YAMLError as exc:
                raise InputError(f"{target} is not valid YAML: {exc}", hint="emit the tree again") from None
            here += [(str(target.relative_to(root)), d) for d in docs]
        here.sort(key=lambda item: KIND_ORDER.get(item[1].get("kind"), 99))  # stable: file order within a kind
        out.extend(here)

    visit(root)
    for path, obj in out:
        if obj.get("kind") not in KIND_ORDER:
            raise InputError(
                f"{path}: kind {obj.get('kind')!r} is not one mfactory applies", hint="emit the tree again"
            )
    return out


def client_from(kubeconfig: Path | None, context: str | None):
    """A kubernetes ApiClient from a kubeconfig (``--kubeconfig``, ``$KUBECONFIG`` or
    ~/.kube/config) or, inside a pod, the service account."""
    from kubernetes import client, config
    from kubernetes.config.config_exception import ConfigException

    cfg = client.Configuration()
    try:
        if kubeconfig is None and context is None and os.environ.get("KUBERNETES_SERVICE_HOST"):
            config.load_incluster_config(client_configuration=cfg)
        else:
            config.load_kube_config(
                config_file=str(kubeconfig) if kubeconfig else None, context=context, client_configuration=cfg
            )
    except (ConfigException, OSError, TypeError, ValueError) as exc:
        raise InputError(f"cannot load Kubernetes credentials: {exc}", hint="pass --kubeconfig / --context") from None
    cfg.retries = 1  # one retry on a dropped connection, not urllib3's default of three
    return client.ApiClient(cfg)


def _error(exc: Exception, kind: str, namespace: str, name: str, host: str) -> FactoryError:
    from kubernetes.client.exceptions import ApiException

    what = f"{kind} {namespace}/{name}"
    if isinstance(exc, ApiException):
        message = exc.reason or ""
        with contextlib.suppress(ValueError, AttributeError):
            message = json.loads(exc.body or "{}").get("message") or message
        if exc.status == 404 and kind != "Secret":
            return FactoryError(
                f"{what}: the API server does not serve {kind} (404: {message})",
                hint="is MTV (Forklift) installed on this cluster?",
            )
        if exc.status in (401, 403):
            return FactoryError(f"{what}: {exc.status} {message}", hint="check the credentials' RBAC rights")
        return FactoryError(f"{what}: {exc.status} {message}", hint="see the message; --force takes over fields")
    from urllib3.exceptions import MaxRetryError, SSLError

    if isinstance(exc, SSLError) or (isinstance(exc, MaxRetryError) and isinstance(exc.reason, SSLError)):
        return FactoryError(
            f"TLS verification of the API server at {host} failed",
            hint="put the cluster's CA in the kubeconfig (certificate-authority or certificate-authority-data)",
        )
    return FactoryError(f"cannot reach the API server at {host}: {type(exc).__name__}", hint="check --kubeconfig")


def apply_tree(
    root: Path,
    api_client,
    *,
    dry_run: bool = False,
    force: bool = False,
    progress: Callable[[Applied], None] | None = None,
) -> list[Applied]:
    from kubernetes import client
    from kubernetes.client.exceptions import ApiException
    from urllib3.exceptions import HTTPError

    objects = collect(root)
    custom, core = client.CustomObjectsApi(api_client), client.CoreV1Api(api_client)
    common = {"field_manager": FIELD_MANAGER, "_content_type": APPLY_PATCH}
    if dry_run:
        common["dry_run"] = "All"
    if force:
        common["force"] = True
    host = api_client.configuration.host
    done = []
    for path, obj in objects:
        kind, meta = obj["kind"], obj.get("metadata", {})
        name, namespace = meta.get("name", ""), meta.get("namespace", "default")
        try:
            if kind == "Secret":
                response = core.patch_namespaced_secret_with_http_info(name, namespace, obj, **common)
            else:
                group, version = obj["apiVersion"].split("/")
                response = custom.patch_namespaced_custom_object_with_http_info(
                    group, version, namespace, PLURALS[kind], name, obj, **common
                )
        except (ApiException, HTTPError) as exc:
            raise _error(exc, kind, namespace, name, host) from None
        # The client returns (data, status, headers) or an ApiResponse, by version.
        code = response[1] if isinstance(response, tuple) else response.status_code
        status = "created" if code == 201 else "configured"
        result = Applied(kind, namespace, name, status + (" (dry run)" if dry_run else ""), path)
        done.append(result)
        if progress:
            progress(result)
    return done
