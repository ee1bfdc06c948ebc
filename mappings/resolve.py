"""Which networks and datastores the planned VMs use, and where the mapping file sends them.

MTV refuses a Plan whose VMs use an unmapped network or datastore (``VMNetworksNotMapped``,
``VMStorageNotMapped``) and a VM with two NICs on the pod network
(``VMMultiplePodNetworkMappings``). We find all of these before writing anything: unmapped
sources are one error listing them all; pod-network duplicates are left out of every Plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from factory.errors import InputError
from factory.model import VM, Inventory, SourceKind
from factory.target import MappingFile, NetworkDestination, StorageDestination, TargetProfile


@dataclass
class SourceUse:
    """The networks and datastores one source's VMs of one wave use (sorted, unique)."""

    networks: dict[str, tuple[str | None, NetworkDestination]] = field(default_factory=dict)  # id -> (name, dest)
    storage: dict[str, tuple[str | None, StorageDestination]] = field(default_factory=dict)


def check_namespaces(mapping: MappingFile, profile: TargetProfile) -> None:
    """NADs must live in the target namespace or ``default`` (MTV refuses others)."""
    bad = [
        f"{p.destination.namespace}/{p.destination.name}"
        for p in mapping.networks
        if p.destination.type == "multus" and p.destination.namespace not in (None, profile.namespace, "default")
    ]
    if bad:
        raise InputError(
            f"NetworkAttachmentDefinitions outside {profile.namespace!r} and 'default': {', '.join(bad)}",
            hint="MTV only attaches NADs from the target namespace or 'default'; fix the mapping file",
        )


class Resolver:
    def __init__(self, inventories: Iterable[Inventory], mapping: MappingFile, profile: TargetProfile) -> None:
        self.mapping = mapping
        self.profile = profile
        self.kinds: dict[str, SourceKind] = {}
        self.net_names: dict[tuple[str, str], str] = {}
        self.ds_names: dict[tuple[str, str], str] = {}
        for inv in inventories:
            src = inv.source.name
            self.kinds[src] = inv.source.kind
            self.net_names |= {(src, n.id): n.name for n in inv.networks}
            self.ds_names |= {(src, d.id): d.name for d in inv.datastores}
        self.unmapped_networks: set[tuple[str, str, str]] = set()
        self.unmapped_storage: set[tuple[str, str, str]] = set()

    def _nad_namespace(self, dest: NetworkDestination) -> NetworkDestination:
        if dest.type == "multus" and dest.namespace is None:
            return NetworkDestination(type="multus", name=dest.name, namespace=self.profile.namespace)
        return dest

    def use(self, vm: VM, into: SourceUse) -> str | None:
        """Record what ``vm`` uses into ``into``; return why it must be left out, if it must."""
        pod = 0
        for nic in vm.nics:
            if nic.network is None:
                continue
            name = self.net_names.get((vm.source, nic.network), nic.network_name)
            dest = self.mapping.network_for(nic.network, name)
            if dest is None:
                self.unmapped_networks.add((vm.source, nic.network, name or ""))
                continue
            pod += dest.type == "pod"
            into.networks[nic.network] = (name, self._nad_namespace(dest))
        for disk in vm.disks:
            # Forklift skips oVirt direct LUNs when checking storage: they have no storage domain.
            if disk.datastore is None or disk.storage_type == "lun":
                continue
            name = self.ds_names.get((vm.source, disk.datastore), disk.datastore_name)
            dest = self.mapping.storage_for(disk.datastore, name)
            if dest is None:
                self.unmapped_storage.add((vm.source, disk.datastore, name or ""))
                continue
            into.storage[disk.datastore] = (name, dest)
        if pod > 1:
            return f"{pod} NICs map to the pod network; MTV allows one (VMMultiplePodNetworkMappings)"
        return None

    def raise_unmapped(self) -> None:
        parts = []
        if self.unmapped_networks:
            listed = ", ".join(f"{s}/{name or i} ({i})" for s, i, name in sorted(self.unmapped_networks))
            parts.append(f"unmapped networks: {listed}")
        if self.unmapped_storage:
            listed = ", ".join(f"{s}/{name or i} ({i})" for s, i, name in sorted(self.unmapped_storage))
            parts.append(f"unmapped datastores/storage domains: {listed}")
        if parts:
            raise InputError("; ".join(parts), hint="add them to the mapping file (networks: / storage:)")
