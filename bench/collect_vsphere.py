"""vSphere collector benchmark: vcsim with 2,000 VMs, three ways to read the same properties.

In one run, against one simulator and one logged-in session:
  (a) mfactory's collector: the paged PropertyCollector pass plus building the Inventory
      (`read_inventory`, everything `inventory collect vsphere` does before the store write);
  (b) a naive pyVmomi walk: for each VM, read the same property paths by attribute, as a
      script would (`vm.config.hardware.device`, `vm.guest.net`, ...: one SOAP call per path),
      and (b') the kindest naive walk: each top-level property (`vm.config`, `vm.guest`, ...)
      read once per VM;
  (c) one bare RetrievePropertiesEx of the same property set (pyVmomi deserialization
      included): the floor any pyVmomi collector pays.
Prints the times, SOAP calls, a/c, b/a and b'/a. Goals: b/a >= 10 and a/c <= 1.5.

    python bench/collect_vsphere.py [--vms 2000] [--repeat 3] [--naive-vms N] [--delay-ms 0] [--profile]

``--naive-vms`` walks only the first N VMs naively and scales time and calls to all of them
(stated in the output); the default walks every VM (~2 minutes for both walks).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the vcsim launcher lives in tests/peers

from pyVmomi import vim, vmodl  # noqa: E402

from factory.sources.vsphere import read_inventory  # noqa: E402
from factory.sources.vsphere.properties import paths_for  # noqa: E402
from tests.peers.vcsim.launcher import start_vcsim  # noqa: E402
from tests.peers.vcsim.soap_counter import SoapCallCounter  # noqa: E402

PC = vmodl.query.PropertyCollector


def bare_retrieve(content: Any) -> int:
    """(c): the same filter the collector uses, one RetrievePropertiesEx, nothing else."""
    paths = paths_for(content.about.apiVersion)
    view = content.viewManager.CreateContainerView(content.rootFolder, [getattr(vim, t) for t in paths], True)
    spec = PC.FilterSpec(
        objectSet=[
            PC.ObjectSpec(obj=view, skip=True, selectSet=[PC.TraversalSpec(type=vim.view.ContainerView, path="view")]),
            PC.ObjectSpec(obj=content.customFieldsManager, skip=False),
        ],
        propSet=[PC.PropertySpec(type=getattr(vim, t), pathSet=list(p)) for t, p in paths.items()]
        + [PC.PropertySpec(type=vim.CustomFieldsManager, pathSet=["field"])],
    )
    result = content.propertyCollector.RetrievePropertiesEx([spec], PC.RetrieveOptions(maxObjects=1000))
    count = len(result.objects)
    while result.token:
        result = content.propertyCollector.ContinueRetrievePropertiesEx(result.token)
        count += len(result.objects)
    view.DestroyView()
    return count


def _resolve(vm: Any, path: str) -> Any:
    value = vm
    for part in path.split("."):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def naive_walk(content: Any, limit: int | None, per_path: bool) -> int:
    """(b): VM by VM. ``per_path``: every property path read the way a script writes it
    (``vm.config.hardware.device``: each path one SOAP call); otherwise the kindest walk,
    each top-level property (``vm.config``, ``vm.guest``, ...) read once per VM."""
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
    paths = paths_for(content.about.apiVersion)["VirtualMachine"]
    reads = list(paths) if per_path else sorted({p.split(".")[0] for p in paths})
    machines = list(view.view)[:limit]
    for vm in machines:
        for path in reads:
            _resolve(vm, path)
    view.DestroyView()
    return len(machines)


def timed(fn: Any, repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vms", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive-vms", type=int, default=None)
    parser.add_argument("--delay-ms", type=int, default=0, help="simulated latency per SOAP call")
    parser.add_argument("--profile", action="store_true", help="profile (a) and print the top functions")
    args = parser.parse_args()

    with start_vcsim(vms=args.vms // 2, clusters=1, standalone_hosts=1, delay_ms=args.delay_ms) as sim:
        si = sim.connect()
        counter = SoapCallCounter.install(si)
        content = si.RetrieveContent()

        def collector() -> Any:
            return read_inventory(content, name="bench", endpoint=sim.url)

        # (c) and (a) alternate, so a burst of load on the shared machine hits both alike.
        times_a, times_c, calls_a, calls_c = [], [], 0, 0
        for _ in range(args.repeat):
            before = counter.calls
            elapsed, objects = timed(lambda: bare_retrieve(content), 1)
            times_c.append(elapsed)
            calls_c = counter.calls - before
            before = counter.calls
            elapsed, inventory = timed(collector, 1)
            times_a.append(elapsed)
            calls_a = counter.calls - before
        time_a, time_c = statistics.median(times_a), statistics.median(times_c)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(collector)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        limit = args.naive_vms
        naive = {}
        for per_path in (True, False):
            before = counter.calls
            elapsed, walked = timed(lambda per_path=per_path: naive_walk(content, limit, per_path), 1)
            scale = len(inventory.vms) / walked
            naive[per_path] = (elapsed * scale, int((counter.calls - before) * scale))

    vms = len(inventory.vms)
    time_b, calls_b = naive[True]
    time_k, calls_k = naive[False]
    print(
        f"vcsim: {vms} VMs, {objects} objects, {args.delay_ms} ms simulated latency; (a), (c): median of {args.repeat}"
    )
    print(f"(a)  mfactory collector             {time_a:8.2f} s  {calls_a:6d} SOAP calls  {vms / time_a:6.0f} VMs/s")
    print(f"(b)  naive walk, each path per VM   {time_b:8.2f} s  {calls_b:6d} SOAP calls")
    print(f"(b') naive walk, each top-level     {time_k:8.2f} s  {calls_k:6d} SOAP calls")
    print(f"(c)  bare RetrievePropertiesEx      {time_c:8.2f} s  {calls_c:6d} SOAP calls")
    if limit:
        print(f"     (naive walks timed on the first {limit} VMs and scaled to {vms})")
    print(f"a/c  = {time_a / time_c:5.2f}  (goal <= 1.5)")
    print(f"b/a  = {time_b / time_a:5.1f}  (goal >= 10)")
    print(f"b'/a = {time_k / time_a:5.1f}")


if __name__ == "__main__":
    main()
