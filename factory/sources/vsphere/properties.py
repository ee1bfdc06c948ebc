"""What the collector asks vCenter for: one property list per managed object type.

Only the paths the model needs, never whole ``config`` or ``summary`` objects: a real VM's
``config`` carries hundreds of fields, and deserializing them is most of the cost of a
collection. The VM list follows the vSphere column of the Forklift concern table
(`shared/docs/forklift-concerns.md` §1.2).
"""

from __future__ import annotations

VM_PATHS: tuple[str, ...] = (
    "name",
    "parent",
    "resourcePool",
    "parentVApp",
    "customValue",
    "datastore",
    "network",
    "snapshot",
    "config.template",
    "config.uuid",
    "config.instanceUuid",
    "config.guestId",
    "config.guestFullName",
    "config.annotation",
    "config.firmware",
    "config.bootOptions",
    "config.nestedHVEnabled",
    "config.cpuHotAddEnabled",
    "config.cpuHotRemoveEnabled",
    "config.memoryHotAddEnabled",
    "config.cpuAffinity",
    "config.ftInfo",
    "config.changeTrackingEnabled",
    "config.extraConfig",
    "config.hardware.numCPU",
    "config.hardware.numCoresPerSocket",
    "config.hardware.memoryMB",
    "config.hardware.device",
    "layoutEx.file",
    "layoutEx.disk",
    "guest.net",
    "guest.disk",
    "guest.hostName",
    "guest.ipAddress",
    "guest.toolsStatus",
    "guest.guestFullName",
    "runtime.host",
    "runtime.powerState",
    "runtime.connectionState",
    "runtime.consolidationNeeded",
)

# summary.config.tpmPresent exists from API 6.7 on; asking an older vCenter for a property it
# does not know fails the whole request (InvalidProperty), so it is added only when supported.
VM_PATHS_67: tuple[str, ...] = ("summary.config.tpmPresent",)

HOST_PATHS = (
    "name",
    "parent",
    "runtime.inMaintenanceMode",
    "runtime.connectionState",
    "summary.hardware.numCpuCores",
    "summary.hardware.cpuMhz",
    "summary.hardware.memorySize",
    "summary.config.product.fullName",
)

# Keyed by pyVmomi type name (vim.<name>). A property spec for a base type also covers its
# subtypes (Network -> DistributedVirtualPortgroup, OpaqueNetwork), whose own specs add to it.
PATHS: dict[str, tuple[str, ...]] = {
    "VirtualMachine": VM_PATHS,
    "HostSystem": HOST_PATHS,
    "ComputeResource": ("name", "parent"),  # a standalone host's parent: its datacenter chain
    "ClusterComputeResource": ("name", "parent", "configurationEx"),
    "Datacenter": ("name", "parent"),
    "Folder": ("name", "parent"),  # includes StoragePod (datastore clusters), a Folder subtype
    "VirtualApp": ("name", "parent"),
    "Datastore": ("name", "parent", "summary.type", "summary.capacity", "summary.freeSpace"),
    "Network": ("name", "parent"),
    "DistributedVirtualPortgroup": (
        "name",
        "parent",
        "key",
        "config.distributedVirtualSwitch",
        "config.defaultPortConfig",
    ),
    "OpaqueNetwork": ("name", "parent", "summary.opaqueNetworkId", "summary.opaqueNetworkType"),
    "DistributedVirtualSwitch": ("name", "parent", "uuid"),
}


def api_at_least(api_version: str | None, wanted: tuple[int, int]) -> bool:
    """``"6.7.3"`` >= (6, 7)? Unknown or unparsable versions count as old."""
    try:
        parts = tuple(int(p) for p in (api_version or "").split(".")[:2])
    except ValueError:
        return False
    return len(parts) == 2 and parts >= wanted


def paths_for(api_version: str | None) -> dict[str, tuple[str, ...]]:
    paths = dict(PATHS)
    if api_at_least(api_version, (6, 7)):
        paths["VirtualMachine"] = VM_PATHS + VM_PATHS_67
    return paths
