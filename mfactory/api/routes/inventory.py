"""Inventory: VMs in the `inventory list --json` shape, filtered and paged."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from factory.views import names_by_id, vm_detail_json, vm_json
from mfactory.api.deps import Svc, Viewer
from mfactory.api.errors import NotFound

router = APIRouter(prefix="/api/v1/vms", tags=["inventory"])


class VmPage(BaseModel):
    total: int
    offset: int
    limit: int
    vms: list[dict[str, Any]]


def all_vm_rows(svc: Any, source: str | None = None) -> list[dict[str, Any]]:
    """Every non-template VM as ``vm_json``, in store order (source, then name)."""
    inventories = [svc.store.inventory(source)] if source else svc.store.inventories()
    rows: list[dict[str, Any]] = []
    for inventory in inventories:
        names = names_by_id(inventory)
        rows.extend(vm_json(vm, inventory.source.kind, names) for vm in inventory.vms if not vm.template)
    return rows


@router.get("", response_model=VmPage, summary="List VMs with filters and pagination")
def list_vms(
    svc: Svc,
    _role: Viewer,
    source: str | None = Query(None, max_length=200, description="Only this source"),
    provider: Literal["vsphere", "ovirt"] | None = None,
    power_state: Literal["on", "off", "suspended", "unknown"] | None = None,
    cluster: str | None = Query(None, max_length=200),
    host: str | None = Query(None, max_length=200),
    name: str | None = Query(None, max_length=200, description="Case-insensitive substring of the VM name"),
    label: str | None = Query(None, max_length=400, description="key=value: VMs with this label"),
    offset: int = Query(0, ge=0),
    limit: int = Query(100, ge=1, le=1000),
) -> VmPage:
    if source is not None and source not in svc.store.source_names():
        raise NotFound(f"source: no source named {source!r}", hint="see GET /api/v1/sources")
    label_key, _, label_value = (label or "").partition("=")
    needle = name.lower() if name else None
    rows = [
        vm
        for vm in all_vm_rows(svc, source)
        if (provider is None or vm["provider"] == provider)
        and (power_state is None or vm["power_state"] == power_state)
        and (cluster is None or vm["cluster"] == cluster)
        and (host is None or vm["host"] == host)
        and (needle is None or needle in vm["name"].lower())
        and (label is None or vm["labels"].get(label_key) == label_value)
    ]
    return VmPage(total=len(rows), offset=offset, limit=limit, vms=rows[offset : offset + limit])


@router.get("/{source}/{vm_id}", summary="Everything known about one VM")
def get_vm(source: str, vm_id: str, svc: Svc, _role: Viewer) -> dict[str, Any]:
    if source not in svc.store.source_names():
        raise NotFound(f"source: no source named {source!r}", hint="see GET /api/v1/sources")
    inventory = svc.store.inventory(source)
    for vm in inventory.vms:
        if vm.id == vm_id:
            return vm_detail_json(vm, inventory.source.kind, names_by_id(inventory))
    raise NotFound(f"vm_id: no VM {vm_id!r} in source {source!r}", hint="see GET /api/v1/vms")
