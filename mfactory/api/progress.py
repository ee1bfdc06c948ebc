"""The dashboard's view of a cutover run: per VM and disk, phase, bytes, rate, ETA, failures.

Built from the wave state the workers keep (``workers.wavestate``: the wave's VMs and disks,
each VM's final report) and their per-disk progress records (``workers.progress``: step,
state, bytes done and total, rate, error). Pure functions: the route reads, this shapes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

_ORDER = ["failed", "refused", "incomplete", "verify", "convert", "fetch", "running", "fetched", "waiting", "queued"]


def disk_phase(record: Mapping[str, Any] | None, outcome: str | None = None) -> str:
    if outcome in ("done", "skipped"):
        return "done"
    if outcome in ("failed", "refused"):
        return outcome
    if not record:
        return "queued"
    step, state = record.get("step", ""), record.get("state", "")
    if state in ("failed", "refused", "waiting"):
        return state
    if state == "verifying":
        return "verify"
    if state == "done":
        return "done" if step == "convert" else "fetched"
    return step or "running"


def _int(value: Any) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return 0


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _eta(done: int, total: int, rate: float) -> float | None:
    return round((total - done) / rate, 1) if rate > 0 and total > done else None


def disk_row(disk: Mapping[str, Any], record: Mapping[str, Any] | None) -> dict[str, Any]:
    """One disk: its plan entry (key, estimate, final status) and the worker's latest record."""
    record = record or {}
    phase = disk_phase(record, disk.get("status"))
    # until a worker reports, the inventory's estimate (used bytes when known, else capacity)
    total = _int(record.get("bytes_total")) or _int(disk.get("bytes_total"))
    done = total if phase == "done" else min(_int(record.get("bytes_done")), total)
    rate = _float(record.get("rate")) if phase in ("fetch", "convert", "verify", "running") else 0.0
    return {
        "key": disk.get("key"),
        "phase": phase,
        "bytes_done": done,
        "bytes_total": total,
        "rate_bps": round(rate, 1),
        "eta_seconds": _eta(done, total, rate),
        "error": disk.get("error") or record.get("error"),
    }


def vm_row(vm: Mapping[str, Any], records: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    disks = [disk_row(d, records.get(str(d.get("job_key")))) for d in vm.get("disks", [])]
    status = vm.get("status")
    phases = {d["phase"] for d in disks}
    if status in ("failed", "refused", "incomplete"):
        phase = status
    elif status == "done" or (phases and phases == {"done"}):
        phase = "done"
    else:
        phase = next((p for p in _ORDER if p in phases), "queued")
    done = sum(d["bytes_done"] for d in disks)
    total = sum(d["bytes_total"] for d in disks)
    rate = sum(d["rate_bps"] for d in disks)
    errors = [f"disk {d['key']}: {d['error']}" for d in disks if d["error"]]
    if vm.get("reason") and not errors:
        errors.append(str(vm["reason"]))
    return {
        "id": vm.get("id"),
        "name": vm.get("name"),
        "source": vm.get("source"),
        "phase": phase,
        "bytes_done": done,
        "bytes_total": total,
        "rate_bps": round(rate, 1),
        "eta_seconds": _eta(done, total, rate),
        "error": "; ".join(errors) or None,
        "disks": disks,
    }


def run_doc(
    run: Mapping[str, Any], vms: Iterable[Mapping[str, Any]], records: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """The whole run: ``vms`` in plan order (each with its ``disks``: key, job_key, estimate,
    final status and error); ``records`` maps job keys to the workers' progress records."""
    rows = [vm_row(vm, records) for vm in vms]
    done = sum(v["bytes_done"] for v in rows)
    total = sum(v["bytes_total"] for v in rows)
    rate = sum(v["rate_bps"] for v in rows)
    return {
        **run,
        "totals": {
            "vms": len(rows),
            "vms_done": sum(v["phase"] == "done" for v in rows),
            "failed": sum(v["phase"] in ("failed", "refused", "incomplete") for v in rows),
            "bytes_done": done,
            "bytes_total": total,
            "rate_bps": round(rate, 1),
            "eta_seconds": _eta(done, total, rate),
        },
        "vms": rows,
    }
