"""The per-VM step after all its disks: the VM's report and, when every disk is converted,
its KubeVirt manifests (DataVolumes importing the converted disks over HTTP + the VM)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import redis

from mappings.kubevirt import ConvertedDisk, VmSpec, dump, manifests
from workers import atomic, qemu
from workers.jobs import DiskJob, client
from workers.wavestate import WaveState

RESULT_PREFIX = "mf:result:"


def vm_status(disks: list[DiskJob]) -> str:
    states = {d.status for d in disks}
    if states <= {"done", "skipped"}:
        return "done"
    if "failed" in states:
        return "failed"
    return "refused" if "refused" in states else "incomplete"


def remember(result: dict[str, Any]) -> None:
    """Keep each disk's final result in Redis (7 days) for `complete_results`."""
    rc = client()
    if rc is None:
        return
    for _ in range(60):  # ride out a broker restart
        try:
            rc.set(RESULT_PREFIX + DiskJob.model_validate(result).key, json.dumps(result), ex=7 * 86400)
            return
        except redis.RedisError:
            time.sleep(1)


def complete_results(results: list[dict[str, Any]], info: dict[str, Any]) -> list[dict[str, Any]] | None:
    """One result per expected disk (duplicates dropped), or None while some are missing."""
    by_job = {DiskJob.model_validate(r).key: r for r in results}
    rc = client()
    for job in info.get("jobs", []):
        if job not in by_job and rc is not None:
            raw = rc.get(RESULT_PREFIX + job)
            if raw is None:
                return None
            by_job[job] = json.loads(raw)
    order = info.get("jobs") or list(by_job)
    return [by_job[j] for j in order if j in by_job]


def finish_vm(results: list[dict[str, Any]], info: dict[str, Any]) -> dict[str, Any]:
    disks = [DiskJob.model_validate(r) for r in results]
    status = vm_status(disks)
    vm = info["vm"]
    report: dict[str, Any] = {
        "vm": vm["id"],
        "source": vm["source"],
        "name": vm["name"],
        "status": status,
        "bytes": sum(d.bytes for d in disks),
        "seconds": round(sum(d.seconds for d in disks), 3),
        "disks": [
            {
                "key": d.disk_key,
                "status": d.status,
                "dst": d.dst,
                "bytes": d.bytes,
                "seconds": round(d.seconds, 3),
                "verified": d.verified,
                "attempts": d.attempts,
                "error": d.error,
            }
            for d in disks
        ],
        "manifests": None,
    }
    if status == "done" and info.get("serve_url"):
        report["manifests"] = str(_write_manifests(disks, info))
    WaveState(client(), int(info["wave"])).record_vm(info["ref"], report)
    return report


def _write_manifests(disks: list[DiskJob], info: dict[str, Any]) -> Path:
    vm = info["vm"]
    base = info["serve_url"].rstrip("/") + "/"
    root = Path(info["disks_dir"])
    converted = []
    for d in disks:
        path = Path(d.dst)
        rel = os.path.relpath(path, root)
        size = int(qemu.info(path, d.dst_format)["virtual-size"])
        converted.append(ConvertedDisk(d.disk_key or path.stem, base + rel, size, d.storage_class))
    spec = VmSpec(
        name=vm["name"] or vm["id"],
        namespace=info.get("namespace") or "migrated",
        cpus=vm.get("cpus") or 1,
        memory_mib=vm.get("memory_mib") or 1024,
        firmware=vm.get("firmware"),
        disks=converted,
        labels={"mfactory/wave": str(info["wave"])},
    )
    out = Path(disks[0].dst).parent / "kubevirt.yaml"
    tmp = atomic.temp_path(out)
    tmp.write_text(dump(manifests(spec)), encoding="utf-8")
    atomic.publish(tmp, out)
    return out
