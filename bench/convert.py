"""Benchmark: one disk through the worker path vs bare `qemu-img convert` + fsync, same run.

A 4 GiB monolithicSparse VMDK holding 1 GiB of random data is converted to raw
(a) by `mfactory disk convert SRC DST --no-verify` with a running `mfactory worker` on a real
    redis-server (enqueue, progress, wait: the whole client-side wall time), and
(b) by bare `qemu-img convert -f vmdk -O raw` followed by fsync of the target.
Prints both throughputs (allocated bytes / s) and the ratio (goal >= 0.9).

Both sides start from the same memory state: every earlier output is deleted BEFORE the
pause, never right before a copy. This VM (Firecracker, virtio-balloon free page reporting)
hands guest memory that stays free for ~2 s back to the host; a copy that writes 1 GiB into
page cache right after deleting a 1 GiB file reuses still-backed pages and runs ~2x faster
than one that faults fresh pages in from the host. The old loop deleted the bare target
just before the bare copy (hot) while the worker path's copy began 1-2 s after its delete
(CLI start, enqueue, info, check: cold) -- that alone made the worker look 0.5x as fast.
`--show-hot` adds that unequal bare figure for contrast. Verification
(`qemu-img compare`) is then timed on its own through the worker path (--no-verify-run skips
it). Finally a 16 GiB VMDK with the same 1 GiB of data is converted the same way, to show the
time follows allocated, not virtual, size.

    python bench/convert.py [--dir /var/tmp] [--runs 4] [--pause 3] [--no-verify-run] [--show-hot]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GiB = 1 << 30
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.peers.redis_fixtures import RedisServer  # noqa: E402


def make_vmdk(path: Path, virtual: int, data: int) -> None:
    """Sparse raw with `data` random bytes in 4 extents spread over the disk, then VMDK."""
    raw = path.with_suffix(".raw")
    with raw.open("wb") as fh:
        fh.truncate(virtual)
        piece = data // 4
        for i in range(4):
            fh.seek(i * (virtual // 4))
            for _ in range(piece // (64 << 20)):
                fh.write(os.urandom(64 << 20))
    subprocess.run(["qemu-img", "convert", "-f", "raw", "-O", "vmdk", str(raw), str(path)], check=True)
    raw.unlink()


def clear(*paths: Path) -> None:
    """Delete earlier outputs (and markers); the caller pauses afterwards, see the docstring."""
    for path in paths:
        for p in (path, path.with_name(path.name + ".done.json")):
            p.unlink(missing_ok=True)


def bare(src: Path, dst: Path) -> float:
    dst.unlink(missing_ok=True)
    t0 = time.perf_counter()
    subprocess.run(["qemu-img", "convert", "-f", "vmdk", "-O", "raw", str(src), str(dst)], check=True)
    fd = os.open(dst, os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)
    return time.perf_counter() - t0


def worker_path(src: Path, dst: Path, env: dict[str, str], verify: bool, local: bool = False) -> tuple[float, str]:
    for p in (dst, dst.with_name(dst.name + ".done.json")):
        p.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "mfactory", "disk", "convert", str(src), str(dst), "--src-format", "vmdk"]
    cmd += ([] if verify else ["--no-verify"]) + (["--local"] if local else [])
    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - t0, out.strip()


def allocated(path: Path) -> int:
    return path.stat().st_blocks * 512


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="/var/tmp")
    ap.add_argument("--runs", type=int, default=4)
    ap.add_argument("--pause", type=float, default=3.0, help="seconds between delete and copy (> 2 s: see above)")
    ap.add_argument("--show-hot", action="store_true", help="also time bare with its target deleted just before")
    ap.add_argument("--pool", default="prefork", help="worker pool: prefork | threads | solo")
    ap.add_argument("--local", action="store_true", help="run `disk convert --local` (same task, in-process)")
    ap.add_argument("--no-verify-run", action="store_true", help="skip the separately timed verification")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mf-bench-convert-", dir=args.dir))
    redis = worker = None
    try:
        src = work / "disk4g.vmdk"
        make_vmdk(src, 4 * GiB, 1 * GiB)
        (work / "redis").mkdir()
        redis = RedisServer.launch(work / "redis", appendfsync="everysec")  # Redis' default durability
        env = os.environ | {"REDIS_URL": redis.url, "MFACTORY_DB": str(work / "factory.db")}
        worker = subprocess.Popen(
            [sys.executable, "-m", "mfactory", "worker", "-c", "1", "--pool", args.pool],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        print(worker.stdout.readline().strip())  # the worker's ready line
        bare(src, work / "warm.raw")  # warm the page cache for both sides
        data = allocated(work / "warm.raw")
        print(f"source: 4 GiB virtual VMDK, {data / GiB:.2f} GiB allocated after conversion; runs={args.runs}")
        tb, tw, tc, th = [], [], [], []
        outputs = [work / n for n in ("warm.raw", "bare.raw", "worker.raw", "hot.raw")]
        sides = ["bare", "worker"] + (["hot"] if args.show_hot else [])
        for i in range(args.runs):
            # Alternate who goes first. Delete every earlier output, THEN pause: each copy
            # starts on memory the VM has handed back to the host (see the module docstring).
            for side in sides[i % len(sides) :] + sides[: i % len(sides)]:
                clear(*outputs)
                time.sleep(args.pause)
                if side == "hot":
                    bare(src, work / "hot.raw")  # rewritten and deleted just before the timed copy
                    th.append(bare(src, work / "hot.raw"))
                elif side == "bare":
                    tb.append(bare(src, work / "bare.raw"))
                else:
                    wall, line = worker_path(src, work / "worker.raw", env, verify=False, local=args.local)
                    tw.append(wall)
                    tc.append(float(re.search(r"MB in ([\d.]+)s", line).group(1)))  # the task's convert + fsync
        b, w, c = statistics.median(tb), statistics.median(tw), statistics.median(tc)
        print(f"bare qemu-img convert + fsync : {b:6.2f} s  {data / b / 2**20:7.1f} MiB/s  (runs {_fmt(tb)})")
        print(f"worker task, copy + fsync     : {c:6.2f} s  {data / c / 2**20:7.1f} MiB/s  (runs {_fmt(tc)})")
        print(f"mfactory disk convert, wall   : {w:6.2f} s  {data / w / 2**20:7.1f} MiB/s  (runs {_fmt(tw)}; "
              "includes CLI start-up, enqueue, check, store write, result)")  # fmt: skip
        print(f"ratio copy: worker/bare       : {b / c:.2f}  (goal >= 0.9)")
        print(f"ratio end to end: CLI/bare    : {b / w:.2f}")
        if th:
            h = statistics.median(th)
            print(f"bare, target deleted just before (hot pages): {h:.2f} s  {data / h / 2**20:.1f} MiB/s "
                  f"(runs {_fmt(th)}); worker/hot {h / c:.2f} -- the old bench's unequal baseline")  # fmt: skip
        if not args.no_verify_run:
            clear(*outputs)
            time.sleep(args.pause)
            total, line = worker_path(src, work / "verified.raw", env, verify=True)
            found = re.search(r"verified in ([\d.]+)s", line)
            print(f"with verification             : {total:6.2f} s total; qemu-img compare {found.group(1)} s")
        big = work / "disk16g.vmdk"
        make_vmdk(big, 16 * GiB, 1 * GiB)
        bare(big, work / "warm16.raw")
        t16s = []
        for _ in range(args.runs):
            clear(*outputs, work / "verified.raw", work / "warm16.raw", work / "bare16.raw")
            time.sleep(args.pause)
            t16s.append(bare(big, work / "bare16.raw"))
        t16 = statistics.median(t16s)
        print(f"16 GiB virtual, same 1 GiB data: bare {t16:.2f} s vs {b:.2f} s for 4 GiB virtual "
              f"(x{t16 / b:.2f} time for x4 virtual size)")  # fmt: skip
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        if redis is not None:
            redis.kill()
        shutil.rmtree(work, ignore_errors=True)


def _fmt(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()
