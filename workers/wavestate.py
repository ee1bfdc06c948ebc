"""A running wave's state, readable from another terminal (`mfactory cutover status`).

Redis hash `mf:cutover:<index>`: `meta` (the wave's plan: VMs, disks, job keys, deadline),
`vm:<source>/<id>` (each VM's final report, written by the per-VM task), `finished`. Per-disk
progress lives in `workers.progress` under each job's key. In the in-process mode the same
layout lives in a dict of this process.
"""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any

import redis

from workers import progress

PREFIX = "mf:cutover:"
KEEP_SECONDS = 30 * 86400
_local: dict[str, dict[str, str]] = {}
_local_progress: dict[str, dict[str, Any]] = {}


def _on_progress(key: str, fields: dict[str, Any]) -> None:
    _local_progress[key] = {k: str(v) for k, v in fields.items()}


progress.add_listener(_on_progress)


class WaveState:
    def __init__(self, client: redis.Redis | None, index: int) -> None:
        self.client = client
        self.key = f"{PREFIX}{index}"

    def _set(self, field: str, value: str) -> None:
        if self.client is None:
            _local.setdefault(self.key, {})[field] = value
            return
        pipe = self.client.pipeline()
        pipe.hset(self.key, field, value)
        pipe.expire(self.key, KEEP_SECONDS)
        pipe.execute()

    def _all(self) -> dict[str, str]:
        if self.client is None:
            return dict(_local.get(self.key, {}))
        return {k.decode(): v.decode() for k, v in self.client.hgetall(self.key).items()}

    def start(self, meta: dict[str, Any]) -> None:
        if self.client is not None:
            self.client.delete(self.key)
        else:
            _local.pop(self.key, None)
        self._set("meta", json.dumps(meta))

    def record_vm(self, vm_ref: str, report: dict[str, Any]) -> None:
        self._set(f"vm:{vm_ref}", json.dumps(report))

    def finish(self) -> None:
        self._set("finished", str(time.time()))

    def snapshot(self) -> dict[str, Any] | None:
        """meta + VM reports + live progress of every disk, or None when no such wave ran."""
        raw = self._all()
        if "meta" not in raw:
            return None
        meta = json.loads(raw["meta"])
        reports = {k[3:]: json.loads(v) for k, v in raw.items() if k.startswith("vm:")}
        disks: dict[str, dict[str, str]] = {}
        for vm in meta["vms"]:
            for disk in vm["disks"]:
                if disk.get("job"):
                    disks[disk["job"]] = self._progress(disk["job"])
        return {"meta": meta, "reports": reports, "progress": disks, "finished": raw.get("finished")}

    def _progress(self, job_key: str) -> dict[str, str]:
        if self.client is None:
            return dict(_local_progress.get(job_key, {}))
        with contextlib.suppress(redis.RedisError):
            return progress.read(self.client, job_key)
        return {}
