"""Everything the collector reads from the engine, in a fixed number of requests.

One list call per collection. VMs come with their NICs (and the guest-reported devices that
carry the IPs), disk attachments with the full disks, snapshots, host devices, watchdogs,
CD-ROMs and vNUMA nodes inline, through the engine's ``follow`` parameter, in pages of
``page_size`` (``max`` + ``search=... page N``). Walking links VM by VM instead costs 8+
requests per VM — minutes for a large estate (see bench/collect_ovirt.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

import ovirtsdk4 as sdk
import ovirtsdk4.types as types
from ovirtsdk4.services import VmsService

from factory.sources.progress import CollectionProgress

VM_FOLLOW = "nics.reported_devices,disk_attachments.disk,snapshots,host_devices,watchdogs,cdroms,numa_nodes"
CLUSTER_FOLLOW = "affinity_groups"
DEFAULT_PAGE_SIZE = 1000


@dataclass
class EngineData:
    api: types.Api
    datacenters: list[types.DataCenter]
    clusters: list[types.Cluster]
    hosts: list[types.Host]
    storage_domains: list[types.StorageDomain]
    networks: list[types.Network]
    vnic_profiles: list[types.VnicProfile]
    network_filters: list[types.NetworkFilter]
    vms: list[types.Vm]
    numa_pins: dict[str, list[int]] = field(default_factory=dict)  # VM id -> host NUMA nodes


class _VmPages(VmsService):
    """The SDK's VM list that also remembers NUMA pins from the XML it parses."""

    def __init__(self, connection: sdk.Connection) -> None:
        super().__init__(connection, "/vms")
        self.numa_pins: dict[str, list[int]] = {}

    def _internal_read_body(self, response: Any) -> Any:
        body = response.body or b""
        if b"numa_node_pins" in body:
            self.numa_pins.update(numa_pins(body))
        return super()._internal_read_body(response)


def numa_pins(body: bytes) -> dict[str, list[int]]:
    """VM id -> sorted host NUMA node indexes its virtual NUMA nodes are pinned to."""
    pins: dict[str, list[int]] = {}
    for vm in ET.fromstring(body).findall("vm"):
        indexes = {int(i.text) for i in vm.findall("numa_nodes/*/numa_node_pins/*/index") if (i.text or "").isdigit()}
        if indexes and vm.get("id"):
            pins[vm.get("id", "")] = sorted(indexes)
    return pins


def list_vms_paged(
    service: VmsService, page_size: int, progress: CollectionProgress, total: int | None
) -> list[types.Vm]:
    """All VMs, ``page_size`` at a time, sorted by name so that pages do not overlap."""
    vms: list[types.Vm] = []
    page = 1
    progress.update("reading VMs", done=0, total=total)
    while True:
        batch = service.list(follow=VM_FOLLOW, max=page_size, search=f"sortby name asc page {page}")
        vms.extend(batch)
        progress.update("reading VMs", done=len(vms), total=total)
        if len(batch) < page_size:
            return vms
        page += 1


def fetch(connection: sdk.Connection, progress: CollectionProgress, page_size: int = DEFAULT_PAGE_SIZE) -> EngineData:
    system = connection.system_service()
    progress.update("connecting")
    api = system.get()
    total = None
    if api.summary is not None and api.summary.vms is not None:
        total = api.summary.vms.total
    progress.update("reading data centers, clusters and hosts")
    datacenters = system.data_centers_service().list()
    clusters = system.clusters_service().list(follow=CLUSTER_FOLLOW)
    hosts = system.hosts_service().list()
    progress.update("reading storage domains and networks")
    storage_domains = system.storage_domains_service().list()
    networks = system.networks_service().list()
    vnic_profiles = system.vnic_profiles_service().list()
    network_filters = system.network_filters_service().list()
    pages = _VmPages(connection)
    vms = list_vms_paged(pages, page_size, progress, total)
    return EngineData(
        api=api,
        datacenters=list(datacenters),
        clusters=list(clusters),
        hosts=list(hosts),
        storage_domains=list(storage_domains),
        networks=list(networks),
        vnic_profiles=list(vnic_profiles),
        network_filters=list(network_filters),
        vms=vms,
        numa_pins=pages.numa_pins,
    )
