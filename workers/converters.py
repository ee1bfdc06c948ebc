"""Disk converters behind one Protocol, so the convert step does not care which tool runs.

`QemuImgConverter` copies/converts the image (the fast path, used for every disk);
`workers.v2v.V2vConverter` additionally converts the guest (virtio drivers, VMware tools
removal) when virt-v2v is installed. Each reports progress as a fraction and writes exactly
the file it is given (a temporary name; publishing is the caller's job).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from workers import qemu


@dataclass(frozen=True)
class Source:
    path: Path | str  # a local file, or a URL qemu-img can stream
    format: str
    virtual_size: int
    actual_size: int | None


class Converter(Protocol):
    name: str

    def available(self) -> bool: ...

    def convert(self, src: Source, dst: Path, dst_format: str, on_fraction: Callable[[float], None]) -> None: ...


class QemuImgConverter:
    """`qemu-img convert` with the measured flags (see `workers.qemu`). The target is a new
    sparse file, so neither `-n` nor preallocation is used."""

    name = "qemu-img"

    def available(self) -> bool:
        import shutil

        return shutil.which(qemu.QEMU_IMG) is not None

    def convert(self, src: Source, dst: Path, dst_format: str, on_fraction: Callable[[float], None]) -> None:
        cmd = qemu.convert_command(src.path, src.format, dst, dst_format)
        qemu.run_convert(cmd, lambda pct: on_fraction(pct / 100.0))


def probe(src: Path | str, fmt: str | None) -> Source:
    """Facts about the source from `qemu-img info` (format detected when not given)."""
    facts = qemu.info(src, fmt)
    return Source(
        path=src,
        format=fmt or facts["format"],
        virtual_size=int(facts["virtual-size"]),
        actual_size=facts.get("actual-size"),
    )
