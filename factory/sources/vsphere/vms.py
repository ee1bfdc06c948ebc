"""One VirtualMachine's retrieved properties -> a :class:`factory.model.VM`.

Absent properties stay ``None`` (unknown) — except where the property was read and its absence
has a meaning: no ``snapshot`` means no snapshots, no ``config.cpuAffinity`` means no affinity,
no ``numa.nodeAffinity`` / ``disk.EnableUUID`` key in a read ``extraConfig`` means unset.
"""

from __future__ import annotations

from typing import Any

from factory.model import VM, GuestFilesystem, PowerState, Snapshot
from factory.sources.vsphere import devices
from factory.sources.vsphere.retrieve import SKIPPED
from factory.sources.vsphere.topology import Tree, ref_id

POWER = {"poweredOn": PowerState.ON, "poweredOff": PowerState.OFF, "suspended": PowerState.SUSPENDED}


def _ints(text: str | None) -> list[int]:
    return [int(part) for part in (text or "").replace(";", ",").split(",") if part.strip().isdigit()]


def snapshots(snapshot_info: Any) -> list[Snapshot]:
    """The snapshot tree, flattened parent-first; ``persist_memory`` when the snapshot kept memory."""
    out: list[Snapshot] = []
    stack = [(tree, None) for tree in reversed((snapshot_info.rootSnapshotList if snapshot_info else None) or [])]
    while stack:
        node, parent = stack.pop()
        moid = ref_id(node.snapshot)
        out.append(
            Snapshot(
                id=moid,
                name=node.name,
                created_at=node.createTime,
                parent=parent,
                persist_memory=node.state == "poweredOn" if node.state else None,
            )
        )
        stack.extend((child, moid) for child in reversed(node.childSnapshotList or []))
    return out


def guest_filesystems(guest_disks: list[Any] | None) -> list[GuestFilesystem]:
    out = []
    for entry in guest_disks or ():
        mappings = getattr(entry, "mappings", None) or ()
        key = mappings[0].key if mappings else None
        out.append(
            GuestFilesystem(
                path=entry.diskPath,
                capacity_bytes=entry.capacity,
                free_bytes=entry.freeSpace,
                disk_key=None if key is None else str(key),
            )
        )
    return out


def guest_ips(props: dict[str, Any]) -> list[str]:
    ips: list[str] = []
    for entry in props.get("guest.net") or ():
        ips.extend(ip for ip in entry.ipAddress or () if ip not in ips)
    primary = props.get("guest.ipAddress")
    if primary and primary not in ips:
        ips.insert(0, primary)
    return ips


def convert(
    moid: str,
    props: dict[str, Any],
    *,
    source: str,
    tree: Tree,
    host_cluster: dict[str, str | None],
    field_names: dict[int, str],
    lookups: devices.Lookups,
) -> VM:
    skipped: set[str] = props.get(SKIPPED, set())
    hardware = None if "config.hardware.device" in skipped else props.get("config.hardware.device")
    config_read = hardware is not None  # every readable VM config has devices; none: config unknown
    extra_list = props.get("config.extraConfig")
    extra_read = config_read and "config.extraConfig" not in skipped
    extra = {o.key: str(o.value) for o in extra_list or ()} if extra_read else None
    device_list = list(hardware or ())
    host = ref_id(props.get("runtime.host"))
    folder = ref_id(props.get("parent"))
    vapp = ref_id(props.get("parentVApp"))
    boot = props.get("config.bootOptions")
    tpm = props.get("summary.config.tpmPresent")
    if any(devices.role(d._wsdlName).kind == "tpm" for d in device_list):
        tpm = True
    elif tpm is None and config_read:
        tpm = False  # a vTPM is a device: none in a readable device list means none
    cbt = props.get("config.changeTrackingEnabled")
    if cbt is None and extra is not None:
        cbt = devices.flag(extra.get("ctkEnabled"))
    affinity = props.get("config.cpuAffinity")
    firmware = props.get("config.firmware")
    return VM(
        id=moid,
        source=source,
        name=props.get("name", moid),
        uuid=props.get("config.uuid"),
        instance_uuid=props.get("config.instanceUuid"),
        power_state=POWER.get(props.get("runtime.powerState") or "", PowerState.UNKNOWN),
        connection_state=props.get("runtime.connectionState"),
        template=bool(props.get("config.template")),
        cpus=props.get("config.hardware.numCPU"),
        cores_per_socket=props.get("config.hardware.numCoresPerSocket"),
        memory_mib=props.get("config.hardware.memoryMB"),
        firmware=firmware if firmware in ("bios", "efi") else None,
        secure_boot=getattr(boot, "efiSecureBootEnabled", None),
        guest_id=props.get("config.guestId"),
        guest_name=props.get("config.guestFullName"),
        guest_name_reported=props.get("guest.guestFullName"),
        tools_status=props.get("guest.toolsStatus"),
        nested_virt=props.get("config.nestedHVEnabled"),
        cpu_hot_add=props.get("config.cpuHotAddEnabled"),
        cpu_hot_remove=props.get("config.cpuHotRemoveEnabled"),
        memory_hot_add=props.get("config.memoryHotAddEnabled"),
        cpu_affinity=list(affinity.affinitySet or []) if affinity is not None else ([] if config_read else None),
        numa_affinity=None if extra is None else _ints(extra.get("numa.nodeAffinity")),
        cbt=cbt,
        disk_enable_uuid=None if extra is None else bool(devices.flag(extra.get("disk.EnableUUID"))),
        fault_tolerance=(props.get("config.ftInfo") is not None) if config_read else None,
        consolidation_needed=props.get("runtime.consolidationNeeded"),
        tpm=tpm,
        host=host,
        cluster=host_cluster.get(host or ""),
        datacenter=tree.datacenter(folder) or tree.datacenter(host),
        folder=tree.path(folder),
        vapp=tree.names.get(vapp or "", vapp),
        annotation=props.get("config.annotation") or None,
        labels={
            field_names.get(cv.key, str(cv.key)): str(cv.value)
            for cv in props.get("customValue") or ()
            if getattr(cv, "value", None) is not None
        },
        guest_ips=None if "guest.net" in skipped else guest_ips(props),
        guest_hostname=props.get("guest.hostName"),
        guest_filesystems=None if "guest.disk" in skipped else guest_filesystems(props.get("guest.disk")),
        disks=devices.disks(device_list, extra, props, lookups),
        nics=devices.nics(device_list, props.get("guest.net"), lookups),
        snapshots=None if "snapshot" in skipped else snapshots(props.get("snapshot")),
        devices=devices.notable_devices(device_list) if config_read else None,
    )
