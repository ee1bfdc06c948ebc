"""The Celery app worker processes load: the workers' app plus the API's job task.

One worker pool serves both the disk tasks (``workers.tasks``: fetch, convert, ...) and the
API's jobs (imports, collections, cutover runs)::

    celery --app mfactory.api.worker:celery_app worker --queues mfactory-jobs,celery

The API's jobs go to their own queue (``mfactory-jobs``) so that a long cutover run, which
waits for its disks, never sits in front of the disk tasks it is waiting for.
"""

from __future__ import annotations

from mfactory.api.tasks import register_celery_task
from workers.app import app as celery_app

run_job = register_celery_task(celery_app)

__all__ = ["celery_app", "run_job"]
