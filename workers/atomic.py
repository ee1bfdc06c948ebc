"""Nothing half-written under a final name: temporary names, fsync, rename, done-markers.

A disk is written to `.NAME.part-<id>` in the target's own directory (same filesystem, so the
rename is atomic), fsynced (file, then directory after the rename), and only then renamed.
After verification a marker `NAME.done.json` records the job's identity and the output's
size and mtime; a repeated job with the same identity whose marker still matches the file
does nothing. The marker is the last thing written, so a crash at any point leaves either no
final file, or a final file without marker (redone, and replaced atomically), never a
marker over a partial file.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

MARKER_SUFFIX = ".done.json"


def temp_path(final: Path) -> Path:
    return final.parent / f".{final.name}.part-{uuid.uuid4().hex[:12]}"


def remove_stale_parts(final: Path) -> list[Path]:
    """Remove temporaries an earlier, dead attempt left behind (the caller holds the job's
    lock, so no live attempt owns them)."""
    removed = []
    for part in final.parent.glob(f".{final.name}.part-*"):
        part.unlink(missing_ok=True)
        removed.append(part)
    return removed


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(tmp: Path, final: Path) -> None:
    """fsync the data, rename into place, fsync the directory entry."""
    fsync_file(tmp)
    os.replace(tmp, final)
    fsync_dir(final.parent)


def marker_path(final: Path) -> Path:
    return final.with_name(final.name + MARKER_SUFFIX)


def write_marker(final: Path, identity: str, facts: dict[str, Any]) -> None:
    st = final.stat()
    body = {"identity": identity, "size": st.st_size, "mtime_ns": st.st_mtime_ns, **facts}
    tmp = temp_path(marker_path(final))
    tmp.write_text(json.dumps(body, indent=2, sort_keys=True), encoding="utf-8")
    publish(tmp, marker_path(final))


def read_done(final: Path, identity: str) -> dict[str, Any] | None:
    """The marker's facts when `final` is a finished, verified output of this same job."""
    try:
        body = json.loads(marker_path(final).read_text(encoding="utf-8"))
        st = final.stat()
    except (OSError, ValueError):
        return None
    if body.get("identity") != identity or body.get("size") != st.st_size or body.get("mtime_ns") != st.st_mtime_ns:
        return None
    return body


def invalidate(final: Path) -> None:
    """Drop the marker before redoing a job, so a crash mid-redo cannot pair the old marker
    with a new file."""
    marker_path(final).unlink(missing_ok=True)
