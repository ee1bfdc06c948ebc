"""Benchmark: 1,000 trivial tasks through Redis with 2 workers: tasks/s.

Baseline in the same run: the same 1,000 tasks in-process (Celery eager mode, the embedded
default), so the ratio is the cost of the broker round trip (publish, deliver, late ack,
result store, result fetch) per task.

    python bench/tasks.py [--tasks 1000] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from celery import group  # noqa: E402

from tests.peers.redis_fixtures import RedisServer  # noqa: E402
from workers.app import configure  # noqa: E402
from workers.tasks import noop  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mf-bench-tasks-"))
    procs: list[subprocess.Popen[str]] = []
    redis = RedisServer.launch(work, appendfsync="everysec")  # Redis' default durability
    try:
        env = os.environ | {"REDIS_URL": redis.url}
        for i in range(args.workers):
            cmd = [sys.executable, "-m", "mfactory", "worker", "-c", "1", "-n", f"bench{i}@%h"]
            procs.append(subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True))
        for p in procs:
            print(p.stdout.readline().strip())  # type: ignore[union-attr]

        configure(None)
        t0 = time.perf_counter()
        local = [noop.apply(args=[i]).get() for i in range(args.tasks)]
        t_local = time.perf_counter() - t0

        configure(redis.url)
        noop.delay(0).get(timeout=30)  # connections warm
        t0 = time.perf_counter()
        remote = group(noop.s(i) for i in range(args.tasks)).apply_async().get(timeout=600)
        t_remote = time.perf_counter() - t0
        assert remote == local == [i + 1 for i in range(args.tasks)]

        print(f"in-process (eager) : {args.tasks / t_local:9.0f} tasks/s  ({t_local:.2f} s)")
        print(f"redis, {args.workers} workers  : {args.tasks / t_remote:9.0f} tasks/s  ({t_remote:.2f} s)")
        print(f"ratio redis/in-process: {t_local / t_remote:.3f}")
    finally:
        configure(None)  # close the result subscription first: results still around would
        # otherwise retry their unsubscribe against the stopped Redis when collected at exit
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
        redis.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
