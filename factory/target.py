"""The target side, as the user describes it: the target profile and the mapping file.

Both are YAML files with documented schemas (see README). They live in ``factory`` because
the risk scorer, the wave planner and the MTV emitter all read them, and imports only flow
from ``factory`` outwards. Invalid files raise :class:`InputError` naming the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from factory.errors import InputError

AccessMode = Literal["ReadWriteOnce", "ReadWriteMany", "ReadOnlyMany"]
VolumeMode = Literal["Filesystem", "Block"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class StorageClass(_Strict):
    name: str = Field(min_length=1)
    access_modes: list[AccessMode] = Field(alias="accessModes", min_length=1)
    volume_modes: list[VolumeMode] = Field(default_factory=lambda: ["Filesystem"], alias="volumeModes")
    capacity_gib: float | None = Field(default=None, alias="capacityGiB", ge=0)
    default: bool = False

    @property
    def rwx(self) -> bool:
        return "ReadWriteMany" in self.access_modes


class TargetNetwork(_Strict):
    """A NetworkAttachmentDefinition that exists on the target cluster."""

    name: str = Field(min_length=1)
    namespace: str = "default"


class TargetNodes(_Strict):
    nested_virtualization: bool = Field(default=False, alias="nestedVirtualization")
    cpu_cores: int | None = Field(default=None, alias="cpuCores", ge=0)
    memory_gib: float | None = Field(default=None, alias="memoryGiB", ge=0)


class TargetProfile(_Strict):
    namespace: str = Field(default="migrated-vms", pattern=r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", max_length=63)
    storage_classes: list[StorageClass] = Field(default_factory=list, alias="storageClasses")
    networks: list[TargetNetwork] = Field(default_factory=list)
    nodes: TargetNodes = Field(default_factory=TargetNodes)

    @model_validator(mode="after")
    def _one_default(self) -> TargetProfile:
        defaults = [sc.name for sc in self.storage_classes if sc.default]
        if len(defaults) > 1:
            raise ValueError(f"storageClasses: more than one default ({', '.join(defaults)})")
        return self

    def storage_class(self, name: str) -> StorageClass | None:
        return next((sc for sc in self.storage_classes if sc.name == name), None)

    @property
    def default_storage_class(self) -> StorageClass | None:
        return next((sc for sc in self.storage_classes if sc.default), None)


class SourceRef(_Strict):
    """A source network or datastore, by id or name (as in Forklift's map CRs)."""

    id: str | None = None
    name: str | None = None
    vlan: str | None = None

    @model_validator(mode="after")
    def _id_or_name(self) -> SourceRef:
        if not self.id and not self.name:
            raise ValueError("source needs an id or a name")
        return self

    def matches(self, obj_id: str | None, obj_name: str | None) -> bool:
        if self.id is not None:
            return self.id == obj_id
        return self.name == obj_name


class NetworkDestination(_Strict):
    type: Literal["pod", "multus", "ignored"]
    name: str | None = None
    namespace: str | None = None

    @model_validator(mode="after")
    def _multus_needs_name(self) -> NetworkDestination:
        if self.type == "multus" and not self.name:
            raise ValueError("a multus destination needs the NetworkAttachmentDefinition name")
        if self.type != "multus" and (self.name or self.namespace):
            raise ValueError(f"a {self.type} destination takes no name or namespace")
        return self


class NetworkPair(_Strict):
    source: SourceRef
    destination: NetworkDestination


class StorageDestination(_Strict):
    storage_class: str = Field(alias="storageClass", min_length=1)
    access_mode: AccessMode | None = Field(default=None, alias="accessMode")
    volume_mode: VolumeMode | None = Field(default=None, alias="volumeMode")


class StoragePair(_Strict):
    source: SourceRef
    destination: StorageDestination


class MappingFile(_Strict):
    networks: list[NetworkPair] = Field(default_factory=list)
    storage: list[StoragePair] = Field(default_factory=list)

    def network_for(self, net_id: str | None, net_name: str | None) -> NetworkDestination | None:
        pair = next((p for p in self.networks if p.source.matches(net_id, net_name)), None)
        return pair.destination if pair else None

    def storage_for(self, ds_id: str | None, ds_name: str | None) -> StorageDestination | None:
        pair = next((p for p in self.storage if p.source.matches(ds_id, ds_name)), None)
        return pair.destination if pair else None


def _load_yaml(path: Path, what: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {what} {path}: {exc.strerror}", hint="check the path") from None
    try:
        return yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"{what} {path} is not valid YAML: {exc}", hint="fix the YAML syntax") from None


def _explain(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "(top level)"
    return f"{where}: {first['msg']}"


def load_target_profile(path: Path) -> TargetProfile:
    data = _load_yaml(path, "target profile")
    try:
        return TargetProfile.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"target profile {path}: {_explain(exc)}", hint="see README, 'Target profile'") from None


def load_mapping_file(path: Path) -> MappingFile:
    data = _load_yaml(path, "mapping file")
    try:
        return MappingFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"mapping file {path}: {_explain(exc)}", hint="see README, 'Mapping file'") from None
