"""Fetch: bring a disk's bytes where `qemu-img` can read them, resumable, with a checksum.

Sources (the job's `src`):
- a local path (or `file://`): read in place, nothing is copied;
- `http://` / `https://`: streamed to `<stage_dir>/<job key>.src`. The download lands in a
  `.partial` file that survives a crash or a dropped connection; the next attempt resumes
  with an HTTP Range request (when the server answers 206; otherwise it starts over). The
  SHA-256 of the whole file is checked against the job's `checksum` before the staged file
  takes its final name. With `stream=True` (`DiskJob.src` unchanged) qemu-img reads the URL
  itself through its curl driver and nothing is staged.
- vSphere datastore and oVirt image transfer downloads: `workers.sources` turns them into an
  HTTP download with the right session header.
"""

from __future__ import annotations

import hashlib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from factory.errors import FactoryError, InputError
from workers.atomic import fsync_dir, fsync_file

CHUNK = 1 << 20
RETRIES = 5


@dataclass(frozen=True)
class Download:
    url: str
    headers: dict[str, str]
    verify: bool | ssl.SSLContext = True  # TLS verification; off only with an explicit --insecure


def is_remote(src: str) -> bool:
    return src.startswith(("http://", "https://", "vsphere://", "ovirt://"))


def local_path(src: str) -> Path:
    path = Path(src.removeprefix("file://"))
    if not path.is_file():
        raise InputError(f"source disk {path} does not exist", hint="check the disk locator / path")
    return path


def download(
    dl: Download,
    dest: Path,
    checksum: str | None,
    on_progress: Callable[[int, int | None], None],
) -> tuple[int, float]:
    """Download `dl` to `dest` (resuming `dest.partial`); returns (bytes fetched now, seconds)."""
    partial = dest.with_name(dest.name + ".partial")
    dest.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    fetched = 0
    total: int | None = None
    for attempt in range(RETRIES):
        have = partial.stat().st_size if partial.exists() else 0
        headers = dict(dl.headers) | ({"Range": f"bytes={have}-"} if have else {})
        try:
            with httpx.stream("GET", dl.url, headers=headers, verify=dl.verify, timeout=60, follow_redirects=True) as r:
                if r.status_code == 416 and have:  # already complete
                    break
                if r.status_code not in (200, 206):
                    raise FactoryError(f"download of {_safe(dl.url)} failed: HTTP {r.status_code}")
                if r.status_code == 200 and have:  # the server ignored Range: start over
                    have = 0
                total = _total(r, have)
                with partial.open("r+b" if have else "wb") as fh:
                    fh.seek(have)
                    fh.truncate()
                    for chunk in r.iter_bytes(CHUNK):
                        fh.write(chunk)
                        fetched += len(chunk)
                        have += len(chunk)
                        on_progress(have, total)
            if total is None or have >= total:
                break
        except (httpx.TransportError, httpx.RemoteProtocolError):
            if attempt == RETRIES - 1:
                raise FactoryError(f"download of {_safe(dl.url)} kept failing after {RETRIES} attempts") from None
            time.sleep(min(2**attempt * 0.2, 5))
    if total is not None and partial.stat().st_size != total:
        raise FactoryError(f"download of {_safe(dl.url)} incomplete: {partial.stat().st_size} of {total} bytes")
    if checksum:
        _verify_checksum(partial, checksum)
    fsync_file(partial)
    partial.replace(dest)
    fsync_dir(dest.parent)
    return fetched, time.monotonic() - started


def _total(r: httpx.Response, have: int) -> int | None:
    if r.status_code == 206:
        rng = r.headers.get("content-range", "")
        if "/" in rng and not rng.endswith("/*"):
            return int(rng.rsplit("/", 1)[1])
    length = r.headers.get("content-length")
    return have + int(length) if length is not None else None


def _verify_checksum(path: Path, checksum: str) -> None:
    algo, _, expected = checksum.partition(":")
    if algo not in ("sha256", "sha1", "md5") or not expected:
        raise InputError(f"unsupported checksum {checksum!r}", hint="use sha256:<hex>")
    digest = hashlib.new(algo)
    with path.open("rb") as fh:
        while block := fh.read(CHUNK * 4):
            digest.update(block)
    if digest.hexdigest() != expected.lower():
        path.unlink(missing_ok=True)  # a wrong file must not be resumed from
        raise FactoryError(f"checksum mismatch for {path.name}: expected {algo} {expected}, got {digest.hexdigest()}")


def _safe(url: str) -> str:
    """URL without query string or credentials, for messages."""
    head = url.split("?", 1)[0]
    if "@" in head.split("//", 1)[-1].split("/", 1)[0]:
        scheme, rest = head.split("//", 1)
        head = f"{scheme}//{rest.split('@', 1)[1]}"
    return head
