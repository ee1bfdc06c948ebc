"""KubeVirt `VirtualMachine` + CDI `DataVolume` manifests for disks the factory converted
itself (outside MTV): each DataVolume imports one converted disk over HTTP from where the
workers' output is served; the VirtualMachine boots from those DataVolumes.

Pure builders (plain dicts in, plain dicts out) plus `validate`, which checks an object
against the schemas in `shared/schemas/kubevirt/` (the VirtualMachine openAPIV3Schema and
the DataVolume CRD) the way the API server would. virt-v2v's own `-o kubevirt` YAML is not
used: it is a bare VMI with a host path (see conversion.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from factory.naming import dns1123_name

MiB = 1 << 20


@dataclass(frozen=True)
class ConvertedDisk:
    key: str  # the source's disk key
    url: str  # where the converted image is served over HTTP(S)
    virtual_size: int  # bytes; the PVC must hold the whole virtual disk
    storage_class: str | None = None
    checksum: str | None = None  # "sha256:<hex>" for CDI to verify, when known


@dataclass(frozen=True)
class VmSpec:
    name: str
    namespace: str
    cpus: int = 1
    memory_mib: int = 1024
    firmware: str | None = None  # bios | efi
    disks: list[ConvertedDisk] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)


def _quantity(nbytes: int) -> str:
    return f"{max(1, -(-nbytes // MiB))}Mi"


def data_volume(vm: VmSpec, index: int, disk: ConvertedDisk) -> dict[str, Any]:
    http: dict[str, Any] = {"url": disk.url}
    if disk.checksum:
        http["checksum"] = disk.checksum
    storage: dict[str, Any] = {"resources": {"requests": {"storage": _quantity(disk.virtual_size)}}}
    if disk.storage_class:
        storage["storageClassName"] = disk.storage_class
    return {
        "apiVersion": "cdi.kubevirt.io/v1beta1",
        "kind": "DataVolume",
        "metadata": {"name": _dv_name(vm, index), "namespace": vm.namespace, "labels": _labels(vm)},
        "spec": {"source": {"http": http}, "storage": storage, "contentType": "kubevirt"},
    }


def virtual_machine(vm: VmSpec) -> dict[str, Any]:
    disks = [
        {"name": f"disk{i}", "disk": {"bus": "virtio"}, **({"bootOrder": 1} if i == 0 else {})}
        for i in range(len(vm.disks))
    ]
    volumes = [{"name": f"disk{i}", "dataVolume": {"name": _dv_name(vm, i)}} for i in range(len(vm.disks))]
    domain: dict[str, Any] = {
        "cpu": {"cores": vm.cpus},
        "memory": {"guest": f"{vm.memory_mib}Mi"},
        "devices": {"disks": disks, "interfaces": [{"name": "default", "masquerade": {}}]},
    }
    if vm.firmware == "efi":
        domain["firmware"] = {"bootloader": {"efi": {"secureBoot": False}}}
    return {
        "apiVersion": "kubevirt.io/v1",
        "kind": "VirtualMachine",
        "metadata": {"name": _vm_name(vm), "namespace": vm.namespace, "labels": _labels(vm)},
        "spec": {
            "runStrategy": "Halted",  # started by the operator after the cutover checks
            "template": {
                "metadata": {"labels": {"kubevirt.io/vm": _vm_name(vm)}},
                "spec": {"domain": domain, "networks": [{"name": "default", "pod": {}}], "volumes": volumes},
            },
        },
    }


def manifests(vm: VmSpec) -> list[dict[str, Any]]:
    """DataVolumes first (they must exist before the VM refers to them), then the VM."""
    return [*(data_volume(vm, i, d) for i, d in enumerate(vm.disks)), virtual_machine(vm)]


def dump(objects: list[dict[str, Any]]) -> str:
    return yaml.safe_dump_all(objects, sort_keys=False, default_flow_style=False)


def _vm_name(vm: VmSpec) -> str:
    return dns1123_name(vm.name)


def _dv_name(vm: VmSpec, index: int) -> str:
    return f"{_vm_name(vm)[:55]}-disk{index}"


def _labels(vm: VmSpec) -> dict[str, str]:
    return {"app.kubernetes.io/managed-by": "mfactory", **vm.labels}


@cache
def _schemas(folder: Path) -> dict[str, jsonschema.protocols.Validator]:
    vm_schema = yaml.safe_load((folder / "virtualmachine.openapiv3schema.yaml").read_text())["openAPIV3Schema"]
    crd = yaml.safe_load((folder / "cdi.kubevirt.io_datavolumes.yaml").read_text())
    dv_schema = next(v for v in crd["spec"]["versions"] if v["name"] == "v1beta1")["schema"]["openAPIV3Schema"]
    return {
        "VirtualMachine": jsonschema.Draft7Validator(vm_schema),
        "DataVolume": jsonschema.Draft7Validator(dv_schema),
    }


def validate(obj: dict[str, Any], folder: Path) -> list[str]:
    """Every schema problem of `obj` (empty when valid)."""
    validator = _schemas(folder.resolve()).get(obj.get("kind", ""))
    if validator is None:
        return [f"no schema for kind {obj.get('kind')!r}"]
    return [
        f"{'.'.join(str(p) for p in e.absolute_path) or '(object)'}: {e.message}"
        for e in sorted(validator.iter_errors(obj), key=lambda e: list(e.absolute_path))
    ]
