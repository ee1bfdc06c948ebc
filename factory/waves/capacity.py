"""Target capacity, cumulative per wave: what the cluster holds after each wave lands.

Disks count at their provisioned capacity (a PVC is sized to the source disk, not to its
used bytes) in the storage class the mapping file gives their datastore, or the profile's
default class. vCPUs are compared 1:1 to the profile's cores — conservative: KubeVirt can
overcommit CPU, but a migration plan should not quietly rely on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from factory.model import VM
from factory.target import MappingFile, TargetProfile

GIB = 1 << 30


class CapacityTracker:
    def __init__(self, profile: TargetProfile | None, mapping: MappingFile | None) -> None:
        self.profile = profile
        self.mapping = mapping
        self.storage: dict[str, float] = defaultdict(float)
        self.cpus = 0
        self.memory_gib = 0.0

    def _class_of(self, vm: VM, datastore: str | None, datastore_name: str | None) -> str:
        if self.mapping is not None:
            dest = self.mapping.storage_for(datastore, datastore_name)
            if dest is not None:
                return dest.storage_class
        default = self.profile.default_storage_class if self.profile else None
        return default.name if default else "(unmapped)"

    def add_wave(self, vms: Sequence[VM]) -> dict | None:
        """Add a wave and return its capacity block (None without a target profile)."""
        for vm in vms:
            self.cpus += vm.cpus or 0
            self.memory_gib += (vm.memory_mib or 0) / 1024
            for disk in vm.disks:
                size = disk.capacity_bytes if disk.capacity_bytes is not None else disk.used_bytes or 0
                self.storage[self._class_of(vm, disk.datastore, disk.datastore_name)] += size / GIB
        if self.profile is None:
            return None
        storage = []
        for name in sorted(self.storage):
            sc = self.profile.storage_class(name)
            limit = sc.capacity_gib if sc else None
            used = round(self.storage[name], 1)
            storage.append(
                {
                    "storage_class": name,
                    "cumulative_gib": used,
                    "capacity_gib": limit,
                    "overflow": limit is not None and used > limit,
                }
            )
        nodes = self.profile.nodes
        cpu = {"cumulative": self.cpus, "capacity": nodes.cpu_cores}
        cpu["overflow"] = nodes.cpu_cores is not None and self.cpus > nodes.cpu_cores
        mem = {"cumulative_gib": round(self.memory_gib, 1), "capacity_gib": nodes.memory_gib}
        mem["overflow"] = nodes.memory_gib is not None and self.memory_gib > nodes.memory_gib
        overflow = cpu["overflow"] or mem["overflow"] or any(s["overflow"] for s in storage)
        return {"overflow": overflow, "storage": storage, "cpu": cpu, "memory": mem}
