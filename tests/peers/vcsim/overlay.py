"""Build-time fixes for two bugs of govmomi 0.24.2's simulator (both fixed upstream).

``go build -overlay`` compiles an edited copy of a file in place of the original, so the
Debian tree stays untouched. Each fix is an exact text replacement; if the anchor is missing
(a different govmomi version) the build fails loudly instead of silently running unpatched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

GOVMOMI = Path("/usr/share/gocode/src/github.com/vmware/govmomi")


@dataclass(frozen=True)
class Fix:
    file: str  # relative to the govmomi source root
    why: str
    old: str
    new: str


FIXES = (
    Fix(
        "simulator/property_collector.go",
        "Fetch indexes MissingSet[0] when a property is merely unset; pyvmomi reads lazy properties "
        "through Fetch, so `vm.snapshot` on a VM without snapshots dropped the connection.",
        """	if len(obj.PropSet) == 0 {
		fault := obj.MissingSet[0].Fault""",
        """	if len(obj.PropSet) == 0 {
		if len(obj.MissingSet) == 0 {
			body.Res = &internal.FetchResponse{}
			return body
		}
		fault := obj.MissingSet[0].Fault""",
    ),
    Fix(
        "simulator/virtual_machine.go",
        "updateDiskLayouts asserts every disk backing is FlatVer2: after an RDM disk is added, every "
        "later reconfigure of that VM panicked. Non-flat backings get no file layout.",
        """		diskBacking := disk.Backing.(*types.VirtualDiskFlatVer2BackingInfo)
""",
        """		diskBacking, isFlat := disk.Backing.(*types.VirtualDiskFlatVer2BackingInfo)
		if !isFlat {
			continue
		}
""",
    ),
    Fix(
        "simulator/virtual_machine.go",
        "Clone asserts the same; clone of a VM with an RDM panicked.",
        """				disk.Backing.(*types.VirtualDiskFlatVer2BackingInfo).FileName = ""
				disk.Backing.(*types.VirtualDiskFlatVer2BackingInfo).Parent = nil""",
        """				if flat, isFlat := disk.Backing.(*types.VirtualDiskFlatVer2BackingInfo); isFlat {
					flat.FileName = ""
					flat.Parent = nil
				}""",
    ),
)


def patched_sources(root: Path = GOVMOMI) -> dict[Path, str]:
    """Original path -> patched text, for every file a fix touches."""
    texts: dict[Path, str] = {}
    for fix in FIXES:
        path = root / fix.file
        text = texts.get(path) or path.read_text(encoding="utf-8")
        if text.count(fix.old) != 1:
            raise RuntimeError(f"vcsim build fix does not apply to {path}: {fix.why}")
        texts[path] = text.replace(fix.old, fix.new)
    return texts


def write_overlay(build_dir: Path, root: Path = GOVMOMI) -> Path:
    """Write the patched copies and the overlay.json that maps originals to them."""
    replace: dict[str, str] = {}
    for original, text in patched_sources(root).items():
        copy = build_dir / "overlay" / original.name
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(text, encoding="utf-8")
        replace[str(original)] = str(copy)
    overlay = build_dir / "overlay.json"
    overlay.write_text(json.dumps({"Replace": replace}, indent=1), encoding="utf-8")
    return overlay
