"""How the API reaches the Celery workers: by task name over the configured broker.

The API only sends; it needs no task code. ``mfactory.api.run_job`` is registered on the
workers' Celery app by :mod:`mfactory.api.worker`, which is what the worker processes load.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from celery import Celery

RUN_JOB = "mfactory.api.run_job"
QUEUE = "mfactory-jobs"


def sender(redis_url: str) -> Callable[[str, str, dict[str, Any]], None]:
    app = Celery("mfactory-api", broker=redis_url)
    app.conf.broker_connection_retry_on_startup = True
    app.conf.broker_transport_options = {"max_retries": 2}

    def send(job_id: str, kind: str, params: dict[str, Any]) -> None:
        app.send_task(RUN_JOB, args=[job_id, kind, params], task_id=job_id, queue=QUEUE, retry=False)

    return send
