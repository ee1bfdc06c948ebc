"""The disk sources file: where each disk's bytes come from, and the resource limits.

The inventory says which disks a VM has (and their used size, host, datastore); it does not
say how to read them from here. This file does, per disk, so the same cutover code serves a
demo on local files, an HTTP mirror, or a provider's own download API:

```yaml
limits:                      # concurrent jobs; `default` applies to every name of that kind
  host: {default: 2, esx-07: 1}
  datastore: {default: 3}
  storage_class: {default: 4}
defaults: {format: raw, storage_class: standard, namespace: migrated}
serve_url: http://disks.example:8080/   # where --disks-dir is served (for the DataVolumes)
disks:
  - {source: vc1, vm: vm-101, disk: "2000", url: /data/vm-101.vmdk}
  - {source: vc1, vm: vm-101, disk: "2001", url: "https://mirror/vm-101-1.qcow2", checksum: "sha256:..."}
```

`url` is a local path, an http(s) URL, `vsphere://` or `ovirt://` (see workers.sources).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from factory.errors import InputError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DiskSource(_Strict):
    source: str
    vm: str
    disk: str
    url: str
    format: str | None = None  # source format; detected when absent
    checksum: str | None = None
    storage_class: str | None = None
    stream: bool = False


class Defaults(_Strict):
    format: Literal["raw", "qcow2"] = "raw"
    storage_class: str | None = None
    namespace: str = "migrated"


class DiskSources(_Strict):
    limits: dict[Literal["host", "datastore", "storage_class"], dict[str, int]] = Field(default_factory=dict)
    defaults: Defaults = Field(default_factory=Defaults)
    serve_url: str | None = None
    disks: list[DiskSource] = Field(default_factory=list)

    def find(self, source: str, vm: str, disk: str) -> DiskSource | None:
        return self._index().get((source, vm, disk))

    def _index(self) -> dict[tuple[str, str, str], DiskSource]:
        return {(d.source, d.vm, d.disk): d for d in self.disks}

    def limit(self, kind: Literal["host", "datastore", "storage_class"], name: str) -> int | None:
        table = self.limits.get(kind) or {}
        return table.get(name, table.get("default"))


def load_disk_sources(path: Path) -> DiskSources:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise InputError(
            f"cannot read disk sources file {path}: {exc.strerror}", hint="pass --disk-sources FILE"
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"disk sources file {path} is not YAML: {exc}", hint="see docs: disk sources file") from None
    try:
        sources = DiskSources.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(
            f"disk sources file {path}: {where}: {first['msg']}", hint="see docs: disk sources file"
        ) from None
    for kind, table in sources.limits.items():
        for name, value in table.items():
            if value < 1:
                raise InputError(f"disk sources file {path}: limit {kind}.{name} must be >= 1", hint="use 1 or more")
    return sources
