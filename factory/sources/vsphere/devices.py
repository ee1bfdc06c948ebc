"""Disks, NICs and notable devices of one VM, from ``config.hardware.device``.

Per-disk facts that live outside the device list are joined in here: CBT and multi-writer
sharing from ``config.extraConfig`` (``scsi0:1.ctkEnabled``, ``scsi0:1.sharing``), used
bytes from ``layoutEx`` and guest IPs from ``guest.net``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pyVmomi import vim

from factory.model import Device, Disk, Nic
from factory.sources.vsphere.soapxml import is_a, vmodl_type

dev = vim.vm.device
# Resolved once: every attribute of pyVmomi's lazy type modules is a Python-level lookup.
RDM_BACKING = dev.VirtualDisk.RawDiskMappingVer1BackingInfo
NETWORK_BACKING = dev.VirtualEthernetCard.NetworkBackingInfo
DVPORT_BACKING = dev.VirtualEthernetCard.DistributedVirtualPortBackingInfo
OPAQUE_BACKING = dev.VirtualEthernetCard.OpaqueNetworkBackingInfo
ISO_BACKING = dev.VirtualCdrom.IsoBackingInfo
NIC_MODELS = {
    "VirtualVmxnet3": "vmxnet3",
    "VirtualVmxnet3Vrdma": "vmxnet3vrdma",
    "VirtualVmxnet2": "vmxnet2",
    "VirtualVmxnet": "vmxnet",
    "VirtualE1000": "e1000",
    "VirtualE1000e": "e1000e",
    "VirtualPCNet32": "pcnet32",
    "VirtualSriovEthernetCard": "sriov",
}
CONTROLLERS = {
    "ParaVirtualSCSIController": "VMware paravirtual SCSI",
    "VirtualLsiLogicController": "LSI Logic Parallel",
    "VirtualLsiLogicSASController": "LSI Logic SAS",
    "VirtualBusLogicController": "BusLogic Parallel",
    "VirtualAHCIController": "AHCI",
    "VirtualIDEController": "IDE",
    "VirtualNVMEController": "NVMe",
}
RDM_MODES = {"physicalMode": "physical", "virtualMode": "virtual"}


@dataclass
class Lookups:
    """Inventory-wide maps the device conversion needs (built once per collection)."""

    datastore_names: dict[str, str] = field(default_factory=dict)
    network_names: dict[str, str] = field(default_factory=dict)
    portgroup_by_key: dict[str, str] = field(default_factory=dict)
    opaque_by_id: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Role:
    """What a device class is to the collector, worked out once per class name."""

    category: str | None  # "disk", "nic", "controller" or None
    bus: str | None = None  # for controllers: scsi, sata, ide, nvme
    kind: str | None = None  # a notable device kind (model.DeviceKind) or None


_BUSES = (
    (dev.VirtualSCSIController, "scsi"),
    (dev.VirtualSATAController, "sata"),
    (dev.VirtualIDEController, "ide"),
    (dev.VirtualNVMEController, "nvme"),
)
_KINDS = (
    (dev.VirtualUSBController, "usb_controller"),
    (dev.VirtualUSBXHCIController, "usb_controller"),
    (dev.VirtualUSB, "usb"),
    (dev.VirtualSriovEthernetCard, "sriov"),
    (dev.VirtualPCIPassthrough, "pci_passthrough"),
    (dev.VirtualCdrom, "cdrom"),
    (dev.VirtualTPM, "tpm"),
    (dev.VirtualNVMEController, "nvme_controller"),
)


@cache
def role(wsdl_name: str) -> Role:
    cls = vmodl_type(wsdl_name)
    if cls is None:
        return Role(None)
    kind = next((k for base, k in _KINDS if issubclass(cls, base)), None)
    if issubclass(cls, dev.VirtualDisk):
        return Role("disk")
    if issubclass(cls, dev.VirtualEthernetCard):
        return Role("nic", kind=kind)
    if issubclass(cls, dev.VirtualController):
        return Role("controller", bus=next((b for base, b in _BUSES if issubclass(cls, base)), None), kind=kind)
    return Role(None, kind=kind)


def flag(value: str | None) -> bool | None:
    return None if value is None else value.strip().lower() in ("true", "1", "yes")


def _used_bytes(layout: dict[int, list[int]], file_sizes: dict[int, int], key: int) -> int | None:
    """Sum of the files in the disk's chain (base + snapshot deltas); None if not in layoutEx."""
    keys = layout.get(key)
    if keys is None:
        return None
    return sum(file_sizes.get(k, 0) for k in keys)


def disks(devices: list[Any], extra: dict[str, str] | None, props: dict[str, Any], lk: Lookups) -> list[Disk]:
    controllers = {d.key: d for d in devices if role(d._wsdlName).category == "controller"}
    file_sizes = {f.key: f.size for f in props.get("layoutEx.file") or ()}
    layout = {
        d.key: [k for unit in d.chain or () for k in unit.fileKey or ()] for d in props.get("layoutEx.disk") or ()
    }
    out = []
    for d in devices:
        if role(d._wsdlName).category != "disk":
            continue
        backing = d.backing
        controller = controllers.get(d.controllerKey)
        bus = role(controller._wsdlName).bus if controller is not None else None
        slot = f"{bus}{controller.busNumber}:{d.unitNumber}" if bus and controller is not None else None
        rdm = is_a(backing, RDM_BACKING)
        datastore = getattr(getattr(backing, "datastore", None), "_moId", None)
        file_name = getattr(backing, "fileName", None)
        sharing = getattr(backing, "sharing", None)
        multi_writer = extra is not None and slot is not None and extra.get(f"{slot}.sharing") == "multi-writer"
        shared_bus = getattr(controller, "sharedBus", None) not in (None, "noSharing")  # SCSI bus sharing
        capacity = d.capacityInBytes or (d.capacityInKB * 1024 if d.capacityInKB is not None else None)
        out.append(
            Disk(
                key=str(d.key),
                label=d.deviceInfo.label if d.deviceInfo else None,
                file=file_name,
                capacity_bytes=capacity,
                used_bytes=_used_bytes(layout, file_sizes, d.key) if layout else None,
                datastore=datastore,
                datastore_name=lk.datastore_names.get(datastore or "") or _datastore_in_path(file_name),
                mode=getattr(backing, "diskMode", None),
                rdm=rdm,
                rdm_mode=RDM_MODES.get(backing.compatibilityMode) if rdm else None,
                # The API default of `sharing` is sharingNone; multi-writer can also come from extraConfig,
                # and a disk on a SCSI controller with bus sharing (guest clusters) is shared too.
                shared=(sharing not in (None, "sharingNone")) or multi_writer or shared_bus,
                thin=None if rdm else getattr(backing, "thinProvisioned", None),
                bus=bus,
                controller=CONTROLLERS.get(controller._wsdlName, controller._wsdlName) if controller else None,
                controller_key=d.controllerKey,
                unit_number=d.unitNumber,
                cbt=None if extra is None or slot is None else bool(flag(extra.get(f"{slot}.ctkEnabled"))),
            )
        )
    return out


def _datastore_in_path(file_name: str | None) -> str | None:
    if file_name and file_name.startswith("[") and "]" in file_name:
        return file_name[1 : file_name.index("]")]
    return None


def _nic_network(backing: Any, lk: Lookups) -> str | None:
    if is_a(backing, NETWORK_BACKING):
        return getattr(backing.network, "_moId", None)
    if is_a(backing, DVPORT_BACKING):
        return lk.portgroup_by_key.get(getattr(backing.port, "portgroupKey", None) or "")
    if is_a(backing, OPAQUE_BACKING):
        return lk.opaque_by_id.get(backing.opaqueNetworkId or "")
    return None


def nics(devices: list[Any], guest_net: list[Any] | None, lk: Lookups) -> list[Nic]:
    ips_by_key: dict[int, list[str]] = {}
    for entry in guest_net or ():
        if entry.deviceConfigId is not None:
            ips_by_key.setdefault(entry.deviceConfigId, []).extend(entry.ipAddress or ())
    out = []
    for d in devices:
        if role(d._wsdlName).category != "nic":
            continue
        network = _nic_network(d.backing, lk)
        connectable = d.connectable
        out.append(
            Nic(
                key=str(d.key),
                label=d.deviceInfo.label if d.deviceInfo else None,
                model=NIC_MODELS.get(d._wsdlName, d._wsdlName),
                mac=d.macAddress,
                network=network,
                network_name=lk.network_names.get(network or "") or getattr(d.backing, "deviceName", None),
                connected=connectable.connected if connectable else None,
                start_connected=connectable.startConnected if connectable else None,
                ips=ips_by_key.get(d.key, []),
            )
        )
    return out


def notable_devices(devices: list[Any]) -> list[Device]:
    """Devices the risk rules look at; ``detail["type"]`` keeps the vSphere class name."""
    out = []
    for d in devices:
        kind = role(d._wsdlName).kind
        if kind is None:
            continue
        connectable = d.connectable
        backing = d.backing
        iso = backing.fileName if is_a(backing, ISO_BACKING) else None
        detail = {"type": d._wsdlName}
        device_name = getattr(backing, "deviceName", None) or getattr(backing, "id", None)
        if device_name:
            detail["device"] = str(device_name)
        out.append(
            Device(
                kind=kind,
                label=d.deviceInfo.label if d.deviceInfo else None,
                connected=connectable.connected if connectable else None,
                iso=iso,
                detail=detail,
            )
        )
    return out
