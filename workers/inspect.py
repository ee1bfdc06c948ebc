"""Guest inspection through libguestfs (Debian `python3-guestfs`), when importable.

The appliance boots under TCG here (~25 s per disk, see conversion.md), so inspection is an
optional step: without the module the result says so plainly instead of failing the wave.
`guestfs` is not on PyPI; Debian's module is found on `/usr/lib/python3/dist-packages`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

DEBIAN_DIST = "/usr/lib/python3/dist-packages"


def _guestfs() -> Any | None:
    try:
        import guestfs  # type: ignore[import-not-found]

        return guestfs
    except ImportError:
        pass
    if Path(DEBIAN_DIST, "guestfs.py").exists() and DEBIAN_DIST not in sys.path:
        sys.path.append(DEBIAN_DIST)
        try:
            import guestfs  # type: ignore[import-not-found]

            return guestfs
        except ImportError:
            return None
    return None


def available() -> bool:
    return _guestfs() is not None


def inspect_disk(path: Path, fmt: str = "raw") -> dict[str, Any]:
    """OS facts of the guest on `path`, or `{"available": False, "reason": ...}`."""
    module = _guestfs()
    if module is None:
        return {"available": False, "reason": "inspection unavailable: python3-guestfs (libguestfs) is not installed"}
    os.environ.setdefault("LIBGUESTFS_BACKEND", "direct")
    os.environ.setdefault("LIBGUESTFS_BACKEND_SETTINGS", "force_tcg")  # /dev/kvm cannot run guests here
    g = module.GuestFS(python_return_dict=True)
    try:
        g.add_drive_opts(str(path), format=fmt, readonly=1)
        g.launch()
        roots = g.inspect_os()
        guests = []
        for root in roots:
            guests.append(
                {
                    "root": root,
                    "type": g.inspect_get_type(root),
                    "distro": g.inspect_get_distro(root),
                    "product": g.inspect_get_product_name(root),
                    "major": g.inspect_get_major_version(root),
                    "minor": g.inspect_get_minor_version(root),
                    "mountpoints": g.inspect_get_mountpoints(root),
                }
            )
        return {"available": True, "guests": guests, "filesystems": g.list_filesystems()}
    finally:
        g.close()
