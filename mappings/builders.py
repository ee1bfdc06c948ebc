"""Pure MTV (Forklift ``forklift.konveyor.io/v1beta1``) object builders.

Each function returns a plain dict — no I/O, no cluster — so golden YAML files can pin the
output (house style, after virt-v2v's ``create_kubevirt_yaml``). References follow
``forklift-concerns.md`` §2: VMs by source id (a MoRef such as ``vm-123``, an oVirt UUID),
with ``targetName`` only where the source name is not a valid DNS-1123 name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

API_VERSION = "forklift.konveyor.io/v1beta1"
MANAGED_BY = {"app.kubernetes.io/managed-by": "mfactory"}


@dataclass(frozen=True)
class Ref:
    name: str
    namespace: str

    def json(self) -> dict:
        return {"name": self.name, "namespace": self.namespace}


@dataclass(frozen=True)
class PlanVm:
    id: str
    name: str  # the source name, written as a YAML comment only
    target_name: str | None = None


def _meta(name: str, namespace: str, wave: str | None = None) -> dict:
    labels = dict(MANAGED_BY)
    if wave is not None:
        labels["mfactory.io/wave"] = wave
    return {"name": name, "namespace": namespace, "labels": labels}


def provider_url(kind: str, endpoint: str) -> str:
    """vSphere: ``https://<vcenter>/sdk``; oVirt: ``https://<engine>/ovirt-engine/api``."""
    host = endpoint.strip().removeprefix("https://").removeprefix("http://").split("/")[0]
    return f"https://{host}/ovirt-engine/api" if kind == "ovirt" else f"https://{host}/sdk"


def provider(name: str, namespace: str, kind: str, endpoint: str, secret: Ref) -> dict:
    return {
        "apiVersion": API_VERSION,
        "kind": "Provider",
        "metadata": _meta(name, namespace),
        "spec": {"type": kind, "url": provider_url(kind, endpoint), "secret": secret.json()},
    }


def secret_template(name: str, namespace: str, kind: str) -> dict:
    """A Secret with no data. Applied server-side it creates the Secret when missing and
    never touches keys another field manager (the person who filled it in) owns."""
    metadata = _meta(name, namespace)
    metadata["labels"] |= {"createdForProviderType": kind, "createdForResourceType": "providers"}
    return {"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "type": "Opaque"}


def network_map(name: str, namespace: str, wave: str, source: Ref, destination: Ref, pairs: Sequence[dict]) -> dict:
    """``pairs``: ``{"source": {"id", "name"}, "destination": {"type", ["name", "namespace"]}}``."""
    return {
        "apiVersion": API_VERSION,
        "kind": "NetworkMap",
        "metadata": _meta(name, namespace, wave),
        "spec": {"provider": {"source": source.json(), "destination": destination.json()}, "map": list(pairs)},
    }


def storage_map(name: str, namespace: str, wave: str, source: Ref, destination: Ref, pairs: Sequence[dict]) -> dict:
    return {
        "apiVersion": API_VERSION,
        "kind": "StorageMap",
        "metadata": _meta(name, namespace, wave),
        "spec": {"provider": {"source": source.json(), "destination": destination.json()}, "map": list(pairs)},
    }


def plan(
    name: str,
    namespace: str,
    wave: str,
    *,
    source: Ref,
    destination: Ref,
    network_map: Ref,
    storage_map: Ref,
    target_namespace: str,
    vms: Sequence[PlanVm],
    warm: bool = False,
) -> dict:
    entries = []
    for vm in vms:
        entry = {"id": vm.id}
        if vm.target_name:
            entry["targetName"] = vm.target_name
        entries.append(entry)
    return {
        "apiVersion": API_VERSION,
        "kind": "Plan",
        "metadata": _meta(name, namespace, wave),
        "spec": {
            "provider": {"source": source.json(), "destination": destination.json()},
            "map": {"network": network_map.json(), "storage": storage_map.json()},
            "targetNamespace": target_namespace,
            "warm": warm,
            "vms": entries,
        },
    }


def migration(name: str, namespace: str, wave: str, plan: Ref, cutover: str | None) -> dict:
    """``cutover`` (RFC 3339) is the wave window's start: a warm migration finalizes then."""
    spec: dict = {"plan": plan.json()}
    if cutover:
        spec["cutover"] = cutover
    return {"apiVersion": API_VERSION, "kind": "Migration", "metadata": _meta(name, namespace, wave), "spec": spec}


def kustomization(resources: Sequence[str]) -> dict:
    return {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "resources": list(resources)}
