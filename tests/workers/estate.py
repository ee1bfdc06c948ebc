"""A small estate for the cutover tests: an inventory in the store, a waves.json with one
wave, real disk images and the disk sources file that points at them."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from factory.model import VM, Disk, Inventory, Source, SourceKind
from factory.store import Store
from tests.workers.images import make_image


def make_estate(
    store: Store,
    root: Path,
    vms: int = 3,
    disks_per_vm: int = 2,
    data_mib: int = 4,
    base_url: str | None = None,
    limits: dict | None = None,
) -> tuple[Path, Path]:
    """Returns (waves.json, disk-sources.yaml). With `base_url`, sources are URLs under it
    (streamed by qemu-img) instead of local paths."""
    images = root / "images"
    images.mkdir(parents=True, exist_ok=True)
    inv_vms, entries = [], []
    for v in range(vms):
        disks = []
        for d in range(disks_per_vm):
            key = str(2000 + d)
            image = make_image(images / f"vm{v}-{key}.qcow2", "qcow2", size_mib=32, data_mib=data_mib)
            disks.append(Disk(key=key, capacity_bytes=32 * 2**20, used_bytes=data_mib * 2**20, datastore="ds-1"))
            url = f"{base_url}/{image.name}" if base_url else str(image)
            entries.append({"source": "vc1", "vm": f"vm-{v}", "disk": key, "url": url, "stream": bool(base_url)})
        inv_vms.append(VM(id=f"vm-{v}", source="vc1", name=f"app-{v}", host=f"host-{v % 2}", cpus=2, memory_mib=2048,
                          disks=disks))  # fmt: skip
    store.replace_snapshot(Inventory(source=Source(name="vc1", kind=SourceKind.VSPHERE), vms=inv_vms))
    waves = root / "waves.json"
    wave_vms = [{"id": f"vm-{v}", "source": "vc1", "name": f"app-{v}", "group": None} for v in range(vms)]
    doc = {
        "settings": {},
        "waves": [{"name": "wave-01", "index": 1, "window": None, "estimated_seconds": 60, "bottleneck": None,
                   "vms": wave_vms, "plans": [{"name": "p1", "vms": [f"vm-{v}" for v in range(vms)]}]}],
        "excluded": [],
        "unplaced": [],
    }  # fmt: skip
    waves.write_text(json.dumps(doc))
    sources = root / "disk-sources.yaml"
    sources.write_text(
        yaml.safe_dump(
            {
                "limits": limits or {"host": {"default": 2}, "datastore": {"default": 3}},
                "defaults": {"format": "raw", "storage_class": "standard", "namespace": "wave-01"},
                "serve_url": "http://disks.example:8080/",
                "disks": entries,
            }
        )
    )
    return waves, sources
