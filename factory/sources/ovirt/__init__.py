"""Live inventory from an RHV / oVirt engine through the official SDK (``ovirtsdk4``).

:class:`OvirtSource` is an :class:`~factory.sources.base.InventorySource`: ``collect()`` opens one
authenticated connection, reads every collection in a fixed number of requests
(:mod:`.fetch`), and maps the result onto the model (:mod:`.topology`, :mod:`.vms`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from factory.model import Inventory, Source, SourceKind
from factory.sources.credentials import Credentials, TlsSettings
from factory.sources.ovirt import topology
from factory.sources.ovirt.connection import check_url, engine_connection, engine_host
from factory.sources.ovirt.fetch import DEFAULT_PAGE_SIZE, EngineData, fetch
from factory.sources.ovirt.vms import vm_model
from factory.sources.progress import collection_progress

__all__ = ["OvirtSource", "build_inventory", "default_source_name"]


def default_source_name(url: str) -> str:
    """The engine's host name: what architects call the RHV environment."""
    return engine_host(url)


def build_inventory(data: EngineData, name: str, endpoint: str) -> Inventory:
    """Map what :func:`fetch` read onto the model (pure; no requests)."""
    clusters = [topology.cluster(c) for c in data.clusters]
    dc_of_cluster = {c.id: c.datacenter for c in clusters}
    networks = [topology.network(n) for n in data.networks]
    net_names = {n.id: n.name for n in networks}
    filter_names = {f.id: f.name for f in data.network_filters if f.id and f.name}
    profiles = [topology.vnic_profile(p, filter_names) for p in data.vnic_profiles]
    datastores = [topology.storage_domain(sd) for sd in data.storage_domains]
    cluster_info = {c.id: (c.datacenter, c.bios_type) for c in clusters}
    profile_net = {p.id: (p.network, net_names.get(p.network) if p.network else None) for p in profiles}
    sd_names = {d.id: d.name for d in datastores}
    version = data.api.product_info.version if data.api.product_info is not None else None
    return Inventory(
        source=Source(
            name=name,
            kind=SourceKind.OVIRT,
            endpoint=endpoint,
            collected_at=datetime.now(UTC),
            api_version=version.full_version if version is not None else None,
        ),
        datacenters=[topology.datacenter(dc) for dc in data.datacenters],
        clusters=clusters,
        hosts=[topology.host(h, dc_of_cluster) for h in data.hosts],
        datastores=datastores,
        networks=networks,
        vnic_profiles=profiles,
        vms=[
            vm_model(vm, name, clusters=cluster_info, profiles=profile_net, sd_names=sd_names, numa_pins=data.numa_pins)
            for vm in data.vms
        ],
    )


@dataclass
class OvirtSource:
    """One engine. ``url`` is the API URL (``https://ENGINE/ovirt-engine/api``)."""

    url: str
    credentials: Credentials
    tls: TlsSettings = field(default_factory=TlsSettings)
    name: str = ""
    page_size: int = DEFAULT_PAGE_SIZE
    kind: SourceKind = field(default=SourceKind.OVIRT, init=False)

    def __post_init__(self) -> None:
        self.url = check_url(self.url)
        self.name = self.name or default_source_name(self.url)

    def collect(self) -> Inventory:
        with collection_progress(self.name) as progress:
            with engine_connection(self.url, self.credentials, self.tls) as connection:
                data = fetch(connection, progress, self.page_size)
            progress.update("building inventory", done=len(data.vms), total=len(data.vms))
            return build_inventory(data, self.name, self.url)
