"""One line on stdout when a worker is ready (Celery's `worker_ready` signal), so operators
and tests can wait for it instead of sleeping."""

from __future__ import annotations

import sys

from celery.signals import worker_ready

_installed = False


def _safe_url(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('@', 1)[-1]}"  # never print a password


def _on_ready(sender: object = None, **_: object) -> None:
    consumer = sender
    worker = getattr(consumer, "controller", None)
    app = getattr(consumer, "app", None)
    name = getattr(consumer, "hostname", None) or getattr(worker, "hostname", "?")
    conc = getattr(worker, "concurrency", "?")
    queues = ",".join(sorted(q.name for q in consumer.task_consumer.queues)) if consumer is not None else "?"
    broker = _safe_url(str(app.conf.broker_url)) if app is not None else "?"
    print(f"worker {name} ready: concurrency={conc} queues={queues} broker={broker}", flush=True)
    sys.stdout.flush()


def install() -> None:
    global _installed
    if not _installed:
        worker_ready.connect(_on_ready, weak=False)
        _installed = True
