"""`mfactory worker`: start a Celery worker of the disk pool on the Redis broker."""

from __future__ import annotations

import os

import typer

from factory.errors import InputError
from factory.store.store import resolve_url
from mfactory.cli.state import STATE


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.command("worker")(worker)


def worker(
    concurrency: int = typer.Option(2, "--concurrency", "-c", min=1, help="Jobs run at once by this worker."),
    queues: list[str] = typer.Option(["celery"], "--queues", "-Q", help="Queues to consume (repeat or comma list)."),
    hostname: str = typer.Option(None, "--hostname", "-n", help="Worker name [default: mfactory@<host>]"),
    pool: str = typer.Option("prefork", "--pool", help="prefork | threads | solo"),
    redis_url: str = typer.Option(None, "--redis-url", envvar="REDIS_URL", help="Broker [env REDIS_URL]"),
    loglevel: str = typer.Option(
        "WARNING", "--loglevel", envvar="MFACTORY_WORKER_LOGLEVEL", help="INFO logs every task"
    ),
) -> None:
    """Start a worker; prints one line when it is ready to take jobs."""
    if not redis_url:
        raise InputError(
            "no broker configured: a worker needs Redis",
            hint="set REDIS_URL=redis://HOST:6379/0 (without it, `mfactory disk convert` runs jobs in-process)",
        )
    if pool not in ("prefork", "threads", "solo"):
        raise InputError(f"unknown pool {pool!r}", hint="use prefork, threads or solo")
    if STATE.db:  # tasks without an explicit store record their throughput here
        os.environ["MFACTORY_DB"] = resolve_url(STATE.db)
    os.environ["REDIS_URL"] = redis_url
    from workers import ready
    from workers.app import configure

    app = configure(redis_url)
    ready.install()
    qlist = ",".join(q for item in queues for q in item.split(",") if q)
    argv = [
        "--quiet",
        "worker",
        f"--concurrency={concurrency}",
        f"--queues={qlist}",
        f"--pool={pool}",
        f"--loglevel={loglevel.upper()}",
    ]
    if hostname:
        argv.append(f"--hostname={hostname}")
    app.worker_main(argv)
