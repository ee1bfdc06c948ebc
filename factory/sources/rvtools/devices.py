"""Per-VM rows that say what a VM carries besides disks and NICs: snapshots (vSnapshot),
CD-ROMs (vCD) and USB controllers (vUSB)."""

from __future__ import annotations

from factory.sources.rvtools.identity import KEY_SPECS
from factory.sources.rvtools.table import records
from factory.sources.rvtools.values import boolean, mib_to_bytes, text, timestamp
from factory.sources.rvtools.vms import VmBuilder

SNAPSHOT_SPECS = (
    *KEY_SPECS,
    ("snapshot", ("name", "snapshot"), text),
    ("created", ("date / time",), lambda v: v),
    ("size", ("size mib (total)",), mib_to_bytes),
    ("state", ("state",), text),
)
CD_SPECS = (
    *KEY_SPECS,
    ("label", ("device node",), text),
    ("connected", ("connected",), boolean),
    ("start_connected", ("starts connected",), boolean),
    ("type", ("device type",), text),
)
USB_SPECS = (
    *KEY_SPECS,
    ("label", ("device node",), text),
    ("type", ("device type",), text),
    ("connected", ("connected",), boolean),
    ("family", ("family",), text),
    ("speed", ("speed",), text),
)


def add_snapshots(b: VmBuilder) -> None:
    """vSnapshot lists every snapshot, so with the sheet a VM without rows has none."""
    sheet = b.export.sheet("vSnapshot")
    if sheet is None:
        return
    for vm in b.vms.values():
        vm["snapshots"] = []
    unreadable = 0
    for _, _, r in records(sheet, SNAPSHOT_SPECS):
        vm = b.vm_for(r, "vSnapshot")
        if vm is None:
            continue
        created = timestamp(r.get("created"))
        unreadable += created is None and r.get("created") not in (None, "")
        state = (r.get("state") or "").casefold()
        vm["snapshots"].append(
            {
                "name": r.get("snapshot") or "",
                "created_at": created,
                "size_bytes": r.get("size"),
                # A snapshot records the power state it can restore: poweredOn only with memory.
                "persist_memory": {"poweredon": True, "poweredoff": False}.get(state),
            }
        )
    if unreadable:
        b.warnings.append(f"vSnapshot: {unreadable} dates could not be read (left unknown)")


def add_devices(b: VmBuilder) -> None:
    """CD-ROMs (vCD) and USB controllers (vUSB: one row = one controller). With neither
    sheet the VM's devices are unknown; with one, the list holds what that sheet says."""
    cd, usb = b.export.sheet("vCD"), b.export.sheet("vUSB")
    if cd is None and usb is None:
        return
    for vm in b.vms.values():
        vm["devices"] = []
    if cd is not None:
        for _, _, r in records(cd, CD_SPECS):
            vm = b.vm_for(r, "vCD")
            if vm is None:
                continue
            kind = r.get("type") or ""
            iso = kind[4:].strip() if kind.casefold().startswith("iso ") else None
            detail = {k: str(r[k]) for k in ("type", "start_connected") if r.get(k) is not None}
            vm["devices"].append(
                {
                    "kind": "cdrom",
                    "label": r.get("label"),
                    "connected": r.get("connected"),
                    "iso": iso,
                    "detail": detail,
                }
            )
    if usb is not None:
        for _, _, r in records(usb, USB_SPECS):
            vm = b.vm_for(r, "vUSB")
            if vm is None:
                continue
            detail = {k: r[k] for k in ("type", "family", "speed") if r.get(k) is not None}
            vm["devices"].append(
                {"kind": "usb_controller", "label": r.get("label"), "connected": r.get("connected"), "detail": detail}
            )
