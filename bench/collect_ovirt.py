"""oVirt collector benchmark: 2,000 VMs on the local engine API server (tests/peers/ovirt_engine).

Measures in the same run, against the same HTTPS server and through the real SDK:
  (a) the collector as `mfactory inventory collect ovirt` runs it: OvirtSource.collect() —
      every collection in one request each, VMs with `follow=` in pages of 1,000;
  (b) a naive walk reading the same data VM by VM: list the VMs, then follow every link
      (NICs and their reported devices, disk attachments and each disk, snapshots, host
      devices, watchdogs, CD-ROMs, vNUMA nodes).
Prints requests and seconds for both and the ratios b/a. The server runs in this process, so
both sides pay the same rendering cost per byte; the difference is the round trips.

    python bench/collect_ovirt.py [--vms 2000] [--naive-vms N] [--latency-ms MS]

``--latency-ms`` adds that much to every API reply, as a remote engine's round trip and
database query would (the default 0 is loopback: the least favourable case for the collector).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import ovirtsdk4 as sdk
from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the test peer lives in tests/

from factory.sources.credentials import Credentials, TlsSettings
from factory.sources.ovirt import OvirtSource
from tests.peers.ovirt_engine import EngineServer, generate, make_certificates

USER, PASSWORD = "admin@internal", "bench-password"


def naive_walk(url: str, ca_file: Path, limit: int) -> int:
    """Read what the collector reads, one link at a time; returns the number of VMs read."""
    connection = sdk.Connection(url=url, username=USER, password=PASSWORD, ca_file=str(ca_file))
    system = connection.system_service()
    system.get()
    for service in (system.data_centers_service(), system.clusters_service(), system.hosts_service(),
                    system.storage_domains_service(), system.networks_service(), system.vnic_profiles_service(),
                    system.network_filters_service()):  # fmt: skip
        service.list()
    vms = system.vms_service().list()[:limit]
    for vm in vms:
        for nic in connection.follow_link(vm.nics):
            connection.follow_link(nic.reported_devices)
        for attachment in connection.follow_link(vm.disk_attachments):
            connection.follow_link(attachment.disk)
        for link in (vm.snapshots, vm.host_devices, vm.watchdogs, vm.cdroms, vm.numa_nodes):
            connection.follow_link(link)
    connection.close()
    return len(vms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms", type=int, default=2000)
    parser.add_argument("--naive-vms", type=int, default=None, help="walk only this many VMs naively (extrapolated)")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added to every API reply")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        certs = make_certificates(Path(tmp))
        t0 = time.perf_counter()
        inventory = generate(args.vms)
        server = EngineServer(inventory, certs, user=USER, password=PASSWORD).start()
        server.state.latency = args.latency_ms / 1000
        print(f"engine server: {args.vms} VMs generated and serving in {time.perf_counter() - t0:.2f} s, "
              f"{args.latency_ms:g} ms added per API reply")  # fmt: skip
        try:
            source = OvirtSource(url=server.url, credentials=Credentials(USER, SecretStr(PASSWORD)),
                                 tls=TlsSettings(ca_file=certs.ca_file), name="bench")  # fmt: skip
            server.log.clear()
            t0 = time.perf_counter()
            collected = source.collect()
            a_time = time.perf_counter() - t0
            a_requests = len(server.log.snapshot())
            assert len(collected.vms) == args.vms
            print(f"(a) collector:  {a_requests:6d} requests  {a_time:7.2f} s  "
                  f"({args.vms / a_time:,.0f} VMs/s, {sum(len(v.disks) for v in collected.vms)} disks, "
                  f"{sum(len(v.nics) for v in collected.vms)} NICs)")  # fmt: skip

            limit = args.naive_vms or args.vms
            server.log.clear()
            t0 = time.perf_counter()
            walked = naive_walk(server.url, certs.ca_file, limit)
            b_time = time.perf_counter() - t0
            b_requests = len(server.log.snapshot())
            scale = args.vms / walked
            note = f" (walked {walked}, scaled x{scale:.1f})" if walked != args.vms else ""
            b_time, b_requests = b_time * scale, round(b_requests * scale)
            print(f"(b) naive walk: {b_requests:6d} requests  {b_time:7.2f} s{note}")
            print(f"b/a: {b_requests / a_requests:.0f}x requests, {b_time / a_time:.1f}x time")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
