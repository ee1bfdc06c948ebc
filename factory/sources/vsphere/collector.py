"""The collection: topology first, then VMs page by page, into one :class:`Inventory`.

Two filters over the same session: everything but VMs (small: hosts, clusters, datastores,
networks, folders, custom field names) read whole, then VMs read page by page, each page
converted and dropped before the next arrives, so memory holds one page of XML at a time.
A VM whose values cannot be converted is logged and skipped; the rest of the run goes on.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from factory.model import VM, Inventory, Source, SourceKind
from factory.sources.allocation import gc_paused
from factory.sources.progress import CollectionProgress
from factory.sources.vsphere import devices, topology, vms
from factory.sources.vsphere.properties import paths_for
from factory.sources.vsphere.retrieve import PropertyReader, Retrieved

log = logging.getLogger(__name__)


def read_inventory(
    content: Any,
    *,
    name: str,
    endpoint: str | None,
    page_size: int = 1000,
    collector: Any | None = None,
    progress: CollectionProgress | None = None,
) -> Inventory:
    """Collect the inventory behind ``content`` (a ServiceInstance's content).
    ``collector`` replaces the property collector (tests use a paging double)."""
    with gc_paused():
        return _read(content, name, endpoint, page_size, collector, progress)


def _read(
    content: Any,
    name: str,
    endpoint: str | None,
    page_size: int,
    collector: Any | None,
    progress: CollectionProgress | None,
) -> Inventory:
    api_version = getattr(content.about, "apiVersion", None)
    paths = paths_for(api_version)
    vm_paths = {"VirtualMachine": paths.pop("VirtualMachine")}
    reader = PropertyReader(content, page_size=page_size, collector=collector, progress=progress)
    source = Source(
        name=name, kind=SourceKind.VSPHERE, endpoint=endpoint, collected_at=datetime.now(UTC), api_version=api_version
    )
    builder = InventoryBuilder(reader.read(paths, custom_fields=True), source)
    for page in reader.pages(vm_paths):
        builder.add_vms(page)
    return builder.finish(reader.notes)


class InventoryBuilder:
    """Holds the topology and the lookups VM conversion needs; takes VMs a page at a time."""

    def __init__(self, topo: Retrieved, source: Source) -> None:
        self.topo = topo
        self.source = source
        self.tree = topology.Tree(topo)
        self.hosts = topology.hosts(topo, self.tree)
        self.networks = topology.networks(topo, self.tree)
        self.datastores = topology.datastores(topo, self.tree)
        self.lookups = devices.Lookups(
            datastore_names={d.id: d.name for d in self.datastores},
            network_names={n.id: n.name for n in self.networks},
            portgroup_by_key={p["key"]: moid for moid, p in topo.of(*topology.PORTGROUP_TYPES).items() if p.get("key")},
            opaque_by_id={
                p["summary.opaqueNetworkId"]: moid
                for moid, p in topo.of(*topology.OPAQUE_TYPES).items()
                if p.get("summary.opaqueNetworkId")
            },
        )
        self.field_names = {
            f.key: f.name for p in topo.of("CustomFieldsManager").values() for f in p.get("field") or ()
        }
        self.host_cluster = {h.id: h.cluster for h in self.hosts}
        self.vms: list[VM] = []
        self.warnings: list[str] = list(topo.warnings)

    def add_vms(self, page: Retrieved) -> None:
        self.warnings.extend(page.warnings)
        for moid, props in page.of("VirtualMachine").items():
            try:
                vm = vms.convert(
                    moid,
                    props,
                    source=self.source.name,
                    tree=self.tree,
                    host_cluster=self.host_cluster,
                    field_names=self.field_names,
                    lookups=self.lookups,
                )
            except (ValueError, TypeError, AttributeError, KeyError) as exc:
                # ValueError covers values the decoder cannot read and pydantic's ValidationError.
                message = f"VirtualMachine {moid} skipped: {type(exc).__name__}: {str(exc).splitlines()[0]}"
                log.info("%s", message)  # reported with the run summary; logged for -v
                self.warnings.append(message)
                continue
            self.vms.append(vm)

    def finish(self, notes: list[str] | None = None) -> Inventory:
        flag_shared_disks(self.vms)
        return Inventory(
            source=self.source,
            datacenters=topology.datacenters(self.topo),
            clusters=topology.clusters(self.topo, self.tree),
            hosts=self.hosts,
            datastores=self.datastores,
            networks=self.networks,
            vms=self.vms,
            warnings=self.warnings + list(notes or ()),
        )


def build_inventory(topo: Retrieved, vm_pages: list[Retrieved], source: Source) -> Inventory:
    """The conversion alone, for callers that already hold retrieved pages."""
    builder = InventoryBuilder(topo, source)
    for page in vm_pages:
        builder.add_vms(page)
    return builder.finish()


def flag_shared_disks(vm_list: list[VM]) -> None:
    """A disk file attached to more than one VM is shared, whatever its sharing mode says
    (Forklift's inventory does the same: watch.go ``applySharedFlags``)."""
    users = Counter(file for vm in vm_list for file in {d.file for d in vm.disks if d.file})
    for vm in vm_list:
        for disk in vm.disks:
            if disk.file and users[disk.file] > 1:
                disk.shared = True
