"""Small real disk images for the tests: `qemu-img create`, then data written with `qemu-io`
at a few offsets (distinct byte patterns, so a misplaced or missing block shows)."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

MiB = 1 << 20


def make_image(
    path: Path, fmt: str = "qcow2", size_mib: int = 64, data_mib: int = 16, subformat: str | None = None
) -> Path:
    """An image of `size_mib` virtual MiB with `data_mib` MiB written in 4 extents."""
    opts = ["-o", f"subformat={subformat}"] if subformat else []
    if subformat == "streamOptimized":  # qemu-io cannot write streamOptimized: convert from qcow2
        staging = make_image(path.with_suffix(".tmp.qcow2"), "qcow2", size_mib, data_mib)
        subprocess.run(["qemu-img", "convert", "-O", "vmdk", *opts, str(staging), str(path)], check=True)
        staging.unlink()
        return path
    subprocess.run(["qemu-img", "create", "-f", fmt, *opts, str(path), f"{size_mib}M"], check=True, capture_output=True)
    piece = max(data_mib // 4, 1)
    for i in range(4):
        offset = i * (size_mib // 4)
        cmd = f"write -P {0x41 + i} {offset}M {piece}M"
        subprocess.run(["qemu-io", "-f", fmt, "-c", cmd, str(path)], check=True, capture_output=True)
    return path


def raw_sha256(image: Path, fmt: str, tmp: Path) -> str:
    """SHA-256 of the image's guest-visible bytes (via an independent raw conversion)."""
    raw = tmp / (image.name + ".expected.raw")
    subprocess.run(["qemu-img", "convert", "-f", fmt, "-O", "raw", str(image), str(raw)], check=True)
    digest = hashlib.sha256(raw.read_bytes()).hexdigest()
    raw.unlink()
    return digest


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def truncate(path: Path, keep_fraction: float = 0.5) -> Path:
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.truncate(int(size * keep_fraction))
    return path
