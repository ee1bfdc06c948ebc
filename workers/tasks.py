"""Celery tasks: thin wrappers over `workers.steps`, `workers.inspect` and `workers.v2v`.

Every task takes and returns JSON dicts (a `DiskJob` dump), so chains pass one disk's state
from step to step. No automatic retries: a disk's own failure is a result, not an exception
(see `workers.steps`); an exception here is a bug or a lost broker, and Celery's late ack
redelivers the message when the worker itself dies.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from workers import finish
from workers.app import app
from workers.jobs import DiskJob, payload
from workers.steps import convert_step, fetch_step


@app.task(name="mfactory.fetch")
def fetch(job: dict[str, Any]) -> dict[str, Any]:
    return payload(fetch_step(DiskJob.model_validate(job)))


@app.task(name="mfactory.convert")
def convert(job: dict[str, Any]) -> dict[str, Any]:
    done = payload(convert_step(DiskJob.model_validate(job)))
    finish.remember(done)
    return done


@app.task(name="mfactory.finish_vm", bind=True, max_retries=None)
def finish_vm(self: Any, results: list[dict[str, Any]], info: dict[str, Any]) -> dict[str, Any]:
    """Chord callback: the VM's report and manifests once all its disks are through. A chord
    can fire early when a redelivered duplicate counted twice (broker restart); then the
    missing disks' results are read from Redis, and the callback waits for them."""
    complete = finish.complete_results(results, info)
    if complete is None:
        raise self.retry(countdown=2)
    return finish.finish_vm(complete, info)


@app.task(name="mfactory.inspect")
def inspect(path: str, fmt: str = "raw") -> dict[str, Any]:
    """Guest OS facts via libguestfs, or a plain "inspection unavailable" result."""
    from workers.inspect import inspect_disk

    return inspect_disk(Path(path), fmt)


@app.task(name="mfactory.v2v")
def v2v(path: str, out_dir: str, output: str = "local", name: str | None = None) -> dict[str, Any]:
    """virt-v2v guest conversion when installed; its stages and output files recorded."""
    from workers import v2v as tool

    return asdict(tool.run(Path(path), Path(out_dir), output=output, name=name))


@app.task(name="mfactory.noop")
def noop(n: int) -> int:
    """A trivial task for bench/tasks.py (broker round-trip cost)."""
    return n + 1
