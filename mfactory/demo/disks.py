"""Small, real sample disk images for the demo (and the dashboard test), made with qemu-img.

Each image is sparse with a little real data at a few offsets, in the formats a source
estate hands the workers: VMDK monolithicSparse and streamOptimized (vSphere) and qcow2
(RHV). Content is deterministic (seeded), so a run can be compared with another.
"""

from __future__ import annotations

import random
import subprocess
from dataclasses import dataclass
from pathlib import Path

from factory.errors import FactoryError

MIB = 1024 * 1024

# qemu-img create/convert arguments per sample format
FORMATS: dict[str, tuple[str, list[str]]] = {
    "vmdk": ("vmdk", []),
    "vmdk-stream": ("vmdk", ["-o", "subformat=streamOptimized"]),
    "qcow2": ("qcow2", []),
}


@dataclass(frozen=True)
class SampleDisk:
    path: Path
    format: str  # qemu-img format name
    virtual_bytes: int
    data_bytes: int


def make_disk(path: Path, kind: str, *, virtual_mib: int = 64, data_mib: int = 8, seed: int = 0) -> SampleDisk:
    """Write a sparse raw image with ``data_mib`` of random data spread over it, then convert
    it to ``kind`` (a key of :data:`FORMATS`)."""
    fmt, options = FORMATS[kind]
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = path.with_name(f".{path.name}.raw")
    rng = random.Random(seed)
    chunk = MIB
    chunks = max(1, data_mib)
    slots = max(chunks, virtual_mib)
    with raw.open("wb") as handle:
        handle.truncate(virtual_mib * MIB)
        for slot in sorted(rng.sample(range(slots), chunks)):
            handle.seek(slot * chunk)
            handle.write(rng.randbytes(chunk))
    try:
        proc = subprocess.run(
            ["qemu-img", "convert", "-f", "raw", "-O", fmt, *options, str(raw), str(path)],
            capture_output=True,
            text=True,
        )
    except FileNotFoundError:
        raise FactoryError("qemu-img not found", hint="install the Debian package qemu-utils") from None
    finally:
        raw.unlink(missing_ok=True)
    if proc.returncode != 0:
        raise FactoryError(f"qemu-img could not write {path.name}: {proc.stderr.strip()}")
    return SampleDisk(path=path, format=fmt, virtual_bytes=virtual_mib * MIB, data_bytes=chunks * chunk)
