"""Build the vcsim binary offline from Debian's Go packages, once per source change.

The build takes ~25 s on 2 cores, so the binary is cached under
``$MFACTORY_CACHE`` (default ``~/.cache/mfactory``) in a directory named by a hash of
everything that goes into it: our main.go, the overlay fixes, the upstream files they
patch, the govmomi package version and the Go version. A file lock makes concurrent test
sessions wait for one build instead of racing.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.peers.vcsim import overlay

HERE = Path(__file__).resolve().parent
SOURCES = (HERE / "main.go", HERE / "overlay.py", HERE / "build.py")


def cache_root() -> Path:
    base = os.environ.get("MFACTORY_CACHE") or Path.home() / ".cache" / "mfactory"
    return Path(base) / "vcsim"


def _go() -> str:
    go = shutil.which("go") or "/usr/lib/go/bin/go"
    if not Path(go).exists():
        raise RuntimeError("`go` not found: install the Debian packages golang-go golang-github-vmware-govmomi-dev")
    return go


def source_hash() -> str:
    digest = hashlib.sha256()
    for path in SOURCES:
        digest.update(path.read_bytes())
    for original, text in sorted(overlay.patched_sources().items()):
        digest.update(str(original).encode())
        digest.update(text.encode())
    version = subprocess.run([_go(), "version"], capture_output=True, text=True, check=True).stdout
    digest.update(version.encode())
    return digest.hexdigest()[:16]


def ensure_binary() -> Path:
    """The path of a vcsim binary built from the current sources (building it if needed)."""
    root = cache_root()
    target = root / source_hash() / "vcsim"
    if target.exists():
        return target
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            _build(target, root)
    return target


def _build(target: Path, root: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root) as tmp:
        work = Path(tmp)
        overlay_json = overlay.write_overlay(work)
        env = {
            **os.environ,
            "GO111MODULE": "off",
            "GOPATH": f"{work / 'gopath'}:/usr/share/gocode",
            "GOCACHE": str(root / "gocache"),
            "GOFLAGS": "",
            "CGO_ENABLED": "0",
            "TMPDIR": tmp,
        }
        out = work / "vcsim"
        result = subprocess.run(
            [_go(), "build", f"-overlay={overlay_json}", "-o", str(out), "."],
            cwd=HERE,
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(f"building vcsim failed:\n{result.stderr[-4000:]}")
        os.replace(out, target)


if __name__ == "__main__":
    print(ensure_binary())
