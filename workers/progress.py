"""Progress of one job (bytes done, total, rate, state), readable from any terminal.

With Redis, each job's progress is a hash `mf:progress:<job key>` (kept a day) so
`mfactory cutover status` and `mfactory disk convert` can read it from another process. In
the in-process mode the same updates go to listeners in this process (the CLI's Rich view).
Writes are throttled (every 0.25 s, plus every state change) so reporting never costs the
copy anything measurable.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any

import redis

PREFIX = "mf:progress:"
KEEP_SECONDS = 86400
Listener = Callable[[str, dict[str, Any]], None]
_listeners: list[Listener] = []


def add_listener(listener: Listener) -> None:
    _listeners.append(listener)


def remove_listener(listener: Listener) -> None:
    with contextlib.suppress(ValueError):
        _listeners.remove(listener)


class Progress:
    def __init__(self, client: redis.Redis | None, key: str, step: str, total: int | None = None) -> None:
        self.client = client
        self.key = key
        self.step = step
        self.total = total
        self.done = 0
        self.started = time.monotonic()
        self._last = 0.0

    @property
    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def update(self, done: int, *, state: str = "running", force: bool = False, **extra: Any) -> None:
        self.done = done
        now = time.monotonic()
        if not force and now - self._last < 0.25:
            return
        self._last = now
        self.emit(state, **extra)

    def emit(self, state: str, **extra: Any) -> None:
        fields = {
            "step": self.step,
            "state": state,
            "bytes_done": self.done,
            "bytes_total": self.total or 0,
            "rate": round(self.rate, 1),
            "updated": time.time(),
            **{k: v for k, v in extra.items() if v is not None},
        }
        for listener in list(_listeners):
            listener(self.key, fields)
        if self.client is not None:
            with contextlib.suppress(redis.RedisError):  # progress is best effort; the job is not
                pipe = self.client.pipeline()
                pipe.hset(PREFIX + self.key, mapping={k: str(v) for k, v in fields.items()})
                pipe.expire(PREFIX + self.key, KEEP_SECONDS)
                pipe.execute()


def read(client: redis.Redis, key: str) -> dict[str, str]:
    raw = client.hgetall(PREFIX + key)
    return {k.decode(): v.decode() for k, v in raw.items()}
