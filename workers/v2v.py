"""virt-v2v guest conversion (virtio drivers, VMware tools removal) when it is installed.

`virt-v2v -i disk SRC -o local -os DIR` or `-o kubevirt -os DIR` (virt-v2v 2.2 has both).
Its kubevirt YAML is not used as-is (a bare VMI with a host path, see conversion.md): the
factory writes its own manifests (mappings.kubevirt); the converted disk is what matters.
Argument building and output parsing are pure functions; without the binary the step
returns a plain "unavailable" result.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

_STAGE = re.compile(r"^\[\s*([\d.]+)\]\s+(.*)$")


@dataclass
class V2vResult:
    available: bool
    ok: bool = False
    stages: list[tuple[float, str]] = field(default_factory=list)  # (seconds since start, message)
    outputs: list[str] = field(default_factory=list)
    log_tail: str = ""
    reason: str | None = None


def available() -> bool:
    return shutil.which("virt-v2v") is not None


def command(src: Path, out_dir: Path, *, output: str = "local", name: str | None = None, fmt: str = "raw") -> list[str]:
    if output not in ("local", "kubevirt", "null"):
        raise ValueError(f"unsupported virt-v2v output {output!r}")
    cmd = ["virt-v2v", "-i", "disk", str(src), "-o", output]
    if output != "null":
        cmd += ["-os", str(out_dir), "-of", fmt]
    if name:
        cmd += ["-on", name]
    return cmd


def parse_stages(text: str) -> list[tuple[float, str]]:
    """virt-v2v prints `[  12.3] Converting ...` lines: its stages with elapsed seconds."""
    stages = []
    for line in text.splitlines():
        match = _STAGE.match(line.strip())
        if match:
            stages.append((float(match.group(1)), match.group(2).strip()))
    return stages


def run(src: Path, out_dir: Path, *, output: str = "local", name: str | None = None) -> V2vResult:
    if not available():
        return V2vResult(available=False, reason="guest conversion unavailable: virt-v2v is not installed")
    before = set(os.listdir(out_dir)) if out_dir.is_dir() else set()
    env = os.environ | {"LIBGUESTFS_BACKEND": "direct", "LIBGUESTFS_BACKEND_SETTINGS": "force_tcg"}
    proc = subprocess.run(command(src, out_dir, output=output, name=name), capture_output=True, text=True, env=env)
    text = proc.stdout + proc.stderr
    after = set(os.listdir(out_dir)) if out_dir.is_dir() else set()
    return V2vResult(
        available=True,
        ok=proc.returncode == 0,
        stages=parse_stages(text),
        outputs=sorted(after - before),
        log_tail=text[-4000:],
        reason=None if proc.returncode == 0 else f"virt-v2v exit {proc.returncode}",
    )
