"""Cutover of one wave: from `waves.json` + the store's inventory + the disk sources file to a
Celery canvas, with the window enforced.

Per disk a chain `fetch -> convert` (convert verifies before it publishes); per VM a chord
over its disks whose callback (`finish_vm`) writes the KubeVirt manifests and the VM's
report; the wave is a group of those chords. A disk is refused up front when its estimate
(used bytes / the throughput the workers recorded in the store, else a default) exceeds what
is left of the window, and refused again at start by the task itself when the queue made it
late; a VM with a refused or unlocatable disk is not started at all (no half-moved VMs).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from celery import chain, chord, group

from factory.errors import InputError
from factory.model import VM
from factory.store.store import Store
from factory.waves.document import Wave, WavesDocument
from workers.jobs import DiskJob, TokenSpec, payload
from workers.locator import DiskSources

DEFAULT_THROUGHPUT = 150 * 2**20  # bytes/s until the workers have measured the real one


@dataclass
class VmWork:
    ref: str  # "<source>/<id>"
    vm: VM
    jobs: list[DiskJob] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # why it is not started
    estimate: float = 0.0

    def meta(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "id": self.vm.id,
            "source": self.vm.source,
            "name": self.vm.name,
            "estimate_seconds": round(self.estimate, 1),
            "problems": self.problems,
            "disks": [{"key": j.disk_key, "job": j.key, "dst": j.dst, "estimate_seconds": j.estimate_seconds}
                      for j in self.jobs],
        }  # fmt: skip


def throughput(store: Store) -> float:
    """Median convert throughput the workers recorded (bytes/s), or the default."""
    rates = [s.bytes / s.seconds for s in store.throughput_samples() if s.kind == "convert" and s.seconds > 0]
    rates = [r for r in rates if r > 0]
    return statistics.median(rates) if rates else DEFAULT_THROUGHPUT


def pick_wave(doc: WavesDocument, index: int) -> Wave:
    for wave in doc.waves:
        if wave.index == index:
            return wave
    raise InputError(f"no wave {index} in the waves file", hint=f"waves: {', '.join(str(w.index) for w in doc.waves)}")


def build(
    wave: Wave,
    store: Store,
    sources: DiskSources,
    disks_dir: Path,
    *,
    deadline: float | None,
    db: str | None,
    rate: float,
    verify: bool = True,
) -> list[VmWork]:
    vms = {(v.source, v.id): v for v in store.vms()}
    left = None if deadline is None else deadline - time.time()
    work: list[VmWork] = []
    for ref in wave.vms:
        vm = vms.get((ref.source, ref.id))
        if vm is None:
            raise InputError(f"VM {ref.source}/{ref.id} ({ref.name}) is not in the store", hint="collect or import it")
        item = VmWork(f"{vm.source}/{vm.id}", vm)
        for disk in vm.disks:
            loc = sources.find(vm.source, vm.id, disk.key)
            if loc is None:
                item.problems.append(f"disk {disk.key}: no entry in the disk sources file")
                continue
            job = _job(wave, vm, disk, loc, sources, disks_dir, deadline, db, verify)
            job.estimate_seconds = round(_bytes(disk.used_bytes, disk.capacity_bytes, loc.url) / rate, 1)
            item.estimate += job.estimate_seconds
            if left is not None and job.estimate_seconds > left:
                item.problems.append(f"disk {disk.key}: estimate {job.estimate_seconds:.0f}s > {left:.0f}s left")
            item.jobs.append(job)
        if not vm.disks:
            item.problems.append("the inventory lists no disks")
        work.append(item)
    return work


def _job(wave, vm, disk, loc, sources, disks_dir, deadline, db, verify) -> DiskJob:  # type: ignore[no-untyped-def]
    fmt = sources.defaults.format
    storage_class = loc.storage_class or sources.defaults.storage_class
    tokens = []
    for kind, name in (("host", vm.host), ("datastore", disk.datastore), ("storage_class", storage_class)):
        limit = sources.limit(kind, name) if name else None  # type: ignore[arg-type]
        if name and limit:
            tokens.append(TokenSpec(kind=kind, name=name, limit=limit))
    return DiskJob(
        src=loc.url,
        src_format=loc.format,
        checksum=loc.checksum,
        stream=loc.stream,
        dst=str(disks_dir / wave.name / _safe(vm.name or vm.id) / f"{_safe(disk.key)}.{fmt}"),
        dst_format=fmt,
        verify=verify,
        source=vm.source,
        vm_id=vm.id,
        vm_name=vm.name,
        disk_key=disk.key,
        host=vm.host,
        datastore=disk.datastore,
        storage_class=storage_class,
        tokens=tokens,
        db=db,
        stage_dir=str(disks_dir / ".staging"),
        deadline=deadline,
        wave=wave.name,
    )


def _bytes(used: int | None, capacity: int | None, url: str) -> int:
    if used:
        return used
    path = Path(url.removeprefix("file://"))
    if "://" not in url and path.is_file():
        return path.stat().st_blocks * 512
    return capacity or 0


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)


def vm_infos(wave_index: int, work: list[VmWork], vm_context: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What each startable VM's `finish_vm` step gets, by VM ref."""
    return {
        item.ref: {
            "wave": wave_index,
            "ref": item.ref,
            **vm_context,
            "vm": _vm_facts(item.vm),
            "jobs": [j.key for j in item.jobs],
        }
        for item in work
        if not item.problems
    }


def canvas(work: list[VmWork], infos: dict[str, dict[str, Any]]):  # type: ignore[no-untyped-def]
    """group(chord([fetch|convert per disk], finish_vm) per startable VM)."""
    from workers.tasks import convert, fetch, finish_vm

    chords = []
    for item in work:
        if item.ref in infos:
            header = group(chain(fetch.s(payload(j)), convert.s()) for j in item.jobs)
            chords.append(chord(header, finish_vm.s(infos[item.ref])))
    return group(chords)


class ChordWatchdog:
    """A chord whose counter update was lost in a broker restart never calls back. The CLI
    watching the wave calls `finish_vm` itself for a VM whose disks all have results but no
    report after `grace` seconds (finish_vm is idempotent; it reads the results from Redis)."""

    def __init__(self, rc: Any, infos: dict[str, dict[str, Any]], grace: float = 5.0) -> None:
        self.rc, self.infos, self.grace = rc, infos, grace
        self.ready_since: dict[str, float] = {}
        self.rescued: set[str] = set()

    def __call__(self, reports: dict[str, Any]) -> None:
        from workers.finish import RESULT_PREFIX
        from workers.tasks import finish_vm

        now = time.monotonic()
        for ref, info in self.infos.items():
            if ref in reports or ref in self.rescued:
                continue
            if all(self.rc.exists(RESULT_PREFIX + j) for j in info["jobs"]):
                since = self.ready_since.setdefault(ref, now)
                if now - since > self.grace:
                    finish_vm.apply_async(args=[[], info])
                    self.rescued.add(ref)


def _vm_facts(vm: VM) -> dict[str, Any]:
    return {
        "id": vm.id,
        "source": vm.source,
        "name": vm.name,
        "cpus": vm.cpus,
        "memory_mib": vm.memory_mib,
        "firmware": vm.firmware,
    }
