"""RVTools import benchmark: 10,000 VMs, every sheet the importer reads.

Generates the workbook once (XlsxWriter, constant memory), then measures in the same run
  (a) python-calamine alone reading every cell of every sheet (the floor: any xlsx importer
      built on calamine pays this), and
  (b) the full import as `mfactory inventory import-rvtools` runs it: RVToolsSource.collect()
      and the atomic snapshot replace into a fresh SQLite store.
Prints VMs/s and the ratio b/a. Goals: b/a <= 2 and 10,000 VMs in <= 10 s.

    python bench/rvtools_import.py [--vms 10000] [--repeat 3] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import statistics
import tempfile
import time
from pathlib import Path

import python_calamine

from factory.samples.estate import synthetic
from factory.samples.generator import write_xlsx
from factory.sources import ingest
from factory.sources.rvtools import RVToolsSource
from factory.store import Store


def read_all_cells(path: Path) -> int:
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    cells = 0
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python()
        cells += sum(len(r) for r in rows)
    return cells


def fresh_store(db: Path) -> Store:
    """An empty, migrated store: schema creation is a one-off per database, not an import."""
    for leftover in db.parent.glob(db.name + "*"):
        leftover.unlink()
    store = Store.open(str(db))
    store.migrate()
    return store


def full_import(path: Path, store: Store) -> tuple[int, int]:
    inventory, _ = ingest(store, RVToolsSource(path=path, name="bench"))
    return len(inventory.vms), inventory.templates_skipped


def read_all_cells_gc_paused(path: Path) -> int:
    gc.disable()
    try:
        return read_all_cells(path)
    finally:
        gc.enable()


def timed(fn, *args) -> tuple[float, float, object]:
    """Wall-clock and CPU seconds of this process. The CPU figure is the steadier one on a
    shared machine: other processes stretch wall time, not the work done here."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def median(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in pairs), statistics.median(c for _, c in pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vms", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one full import")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        workbook = Path(tmp) / "bench-rvtools.xlsx"
        db = Path(tmp) / "bench.db"
        seconds, _, _ = timed(write_xlsx, synthetic(args.vms), workbook)
        print(f"generated {workbook.name}: {args.vms} VMs, {workbook.stat().st_size / 1e6:.1f} MB in {seconds:.1f} s")

        runs: dict[str, list[tuple[float, float]]] = {"a": [], "a'": [], "b": []}
        for _ in range(args.repeat):
            wall, cpu, cells = timed(read_all_cells, workbook)
            runs["a"].append((wall, cpu))
            wall, cpu, _ = timed(read_all_cells_gc_paused, workbook)
            runs["a'"].append((wall, cpu))
            store = fresh_store(db)
            wall, cpu, (vms, templates) = timed(full_import, workbook, store)
            runs["b"].append((wall, cpu))
            store.engine.dispose()
        (a, a_cpu), (a_gc, a_gc_cpu), (b, b_cpu) = (median(runs[k]) for k in ("a", "a'", "b"))
        rows = vms + templates
        print(f"median of {args.repeat} runs, wall-clock s (CPU s of this process)")
        print(f"(a)  calamine reads every cell:          {a:.2f} ({a_cpu:.2f})  {cells:,} cells")
        print(f"(a') the same with the cyclic GC paused: {a_gc:.2f} ({a_gc_cpu:.2f})  (the importer pauses it too)")
        print(f"(b)  full import into SQLite:            {b:.2f} ({b_cpu:.2f})  {rows:,} VMs, {rows / b:,.0f} VMs/s")
        print(f"     ({vms:,} VMs stored, {templates} templates counted and skipped)")
        line = f"b/a = {b / a:.2f} (CPU {b_cpu / a_cpu:.2f}; goal <= 2)"
        line += f", b/a' = {b / a_gc:.2f} (CPU {b_cpu / a_gc_cpu:.2f})"
        if rows >= 10_000:
            line += f"; 10,000 VMs in <= 10 s: {'met' if b * 10_000 / rows <= 10 else 'MISSED'}"
        print(line)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(full_import, workbook, fresh_store(db))
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
