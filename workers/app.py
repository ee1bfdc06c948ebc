"""The Celery app: Redis broker and result backend, or the same tasks in-process.

`REDIS_URL` set -> broker and result backend on Redis. Unset (or `configure(None)`) -> the
embedded default: `task_always_eager`, every task runs in the calling process, synchronously,
with the same code, the same progress reporting (to in-process listeners) and no Redis.

Reliability settings, each on purpose:
- `task_acks_late`: a message is acknowledged when the task has finished, not when a worker
  takes it; a worker that dies mid-copy leaves it unacked, so it is delivered again.
- `task_reject_on_worker_lost`: when a pool child is killed, requeue its message instead of
  failing it (our tasks are idempotent, so running again is safe).
- `worker_prefetch_multiplier=1`: a worker reserves only what it runs; a long copy never sits
  behind another long copy in one worker's buffer while other workers idle.
- broker `visibility_timeout` (`MFACTORY_VISIBILITY_TIMEOUT`, default 12 h): an unacked
  message is redelivered after this long. It must be longer than the longest copy, or a
  live worker's job is handed out twice (a job lock in `workers.jobs` makes that harmless,
  but it wastes a worker); 12 h covers 2 TiB at 50 MB/s. Tests set a few seconds.
- time limits (`MFACTORY_WINDOW_SECONDS`): hard limit = the cutover window, soft limit 95 %
  of it — nothing may run past the window.
- results expire after 7 days; `broker_connection_retry_on_startup` and unlimited
  `broker_connection_max_retries` let workers ride out a broker restart.
"""

from __future__ import annotations

import contextlib
import os
import threading
from typing import Any

from celery import Celery

DEFAULT_VISIBILITY = 12 * 3600
DEFAULT_WINDOW = 8 * 3600

app = Celery("mfactory", include=["workers.tasks"])


def settings(redis_url: str | None, *, window_seconds: float | None = None, visibility: float | None = None) -> dict:
    window = float(window_seconds or os.environ.get("MFACTORY_WINDOW_SECONDS") or DEFAULT_WINDOW)
    vis = float(visibility or os.environ.get("MFACTORY_VISIBILITY_TIMEOUT") or DEFAULT_VISIBILITY)
    conf: dict[str, Any] = {
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_time_limit": int(window),
        "task_soft_time_limit": int(window * 0.95),
        "result_expires": 7 * 86400,
        "result_extended": True,
        "task_track_started": True,
        "broker_connection_retry_on_startup": True,
        "broker_connection_max_retries": None,
        "worker_hijack_root_logger": False,
        "worker_redirect_stdouts": False,
    }
    if redis_url:
        # Restore sweep every second (not every 100 s) so a short test timeout is honoured.
        transport = {"visibility_timeout": vis, "unacked_restore_interval": 1, "unacked_restore_throttle": 1}
        conf |= {
            "broker_url": redis_url,
            "result_backend": redis_url,
            "broker_transport_options": transport,
            "result_backend_transport_options": {"visibility_timeout": vis},
            "redis_backend_health_check_interval": 5,
            # A task finishing while Redis restarts waits for it (backoff up to ~2 min)
            # instead of losing its result, which would stall the chord of its VM.
            "result_backend_always_retry": True,
            "result_backend_max_retries": 40,
            "result_backend_base_sleep_between_retries_ms": 100,
            "result_backend_max_sleep_between_retries_ms": 3000,
            "redis_socket_keepalive": True,
            "task_always_eager": False,
        }
    else:
        conf |= {
            "broker_url": "memory://",
            "result_backend": "cache+memory://",
            "task_always_eager": True,
            "task_eager_propagates": False,
            "task_store_eager_result": False,
        }
    return conf


def configure(redis_url: str | None = None, **kwargs: Any) -> Celery:
    """(Re)configure the app; `redis_url=None` means in-process. Drops cached broker
    connections and result backend, so a reconfigured process never talks to the old broker."""
    old = app._backend_cache or getattr(app._local, "backend", None)
    consumer = getattr(old, "result_consumer", None)
    if consumer is not None and getattr(consumer, "_pubsub", None) is not None:
        # Results still referenced would unsubscribe through this connection when garbage
        # collected, retrying for minutes once that Redis is gone: close it now.
        with contextlib.suppress(Exception):
            consumer._pubsub.close()
        consumer._pubsub = None
    app.conf.update(settings(redis_url, **kwargs))
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app._backend_cache = None
    app._local = threading.local()
    app.__dict__.pop("amqp", None)
    return app


def redis_url() -> str | None:
    url = app.conf.broker_url
    return url if url and url.startswith(("redis://", "rediss://", "unix://")) else None


def is_local() -> bool:
    return bool(app.conf.task_always_eager)


configure(os.environ.get("REDIS_URL") or None)
