"""The normalized, provider-neutral inventory model.

Every inventory source (vSphere, oVirt/RHV, RVTools) produces one :class:`Inventory`: a
snapshot of a single source. Each object keeps the id its own source gave it (a vSphere
MoRef such as ``vm-123``, an oVirt UUID, or for RVTools the ``VM ID`` column) so that MTV
CRs can reference VMs exactly as Forklift's inventory does.

Unknown values are ``None`` — never a guessed default. ``None`` is what lets the risk
scorer report a rule as *not evaluated* instead of silently passing it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class SourceKind(StrEnum):
    VSPHERE = "vsphere"
    OVIRT = "ovirt"
    RVTOOLS = "rvtools"


class PowerState(StrEnum):
    ON = "on"
    OFF = "off"
    SUSPENDED = "suspended"
    UNKNOWN = "unknown"


class _Model(BaseModel):
    """Base for every inventory value: unknown fields are refused, so a typo in a
    collector is an error rather than a silently dropped fact."""

    model_config = ConfigDict(extra="forbid")


class Source(_Model):
    name: str
    kind: SourceKind
    endpoint: str | None = None
    collected_at: datetime | None = None
    api_version: str | None = None


class Datacenter(_Model):
    id: str
    name: str


class AffinityRule(_Model):
    """A DRS rule (vSphere) or an affinity group (oVirt). The wave planner keeps the VMs of
    an ``vm_affinity`` rule in one wave."""

    name: str
    kind: Literal["vm_affinity", "vm_anti_affinity", "vm_host"]
    enabled: bool | None = None
    mandatory: bool | None = None
    vms: list[str] = Field(default_factory=list)
    hosts: list[str] = Field(default_factory=list)


class Cluster(_Model):
    id: str
    name: str
    datacenter: str | None = None
    ha_enabled: bool | None = None
    drs_enabled: bool | None = None
    dpm_enabled: bool | None = None
    # oVirt cluster facts read by the ovirt.* concerns.
    ksm_enabled: bool | None = None
    ha_reservation: bool | None = None
    bios_type: str | None = None
    cpu_type: str | None = None
    affinity_rules: list[AffinityRule] = Field(default_factory=list)


class Host(_Model):
    id: str
    name: str
    cluster: str | None = None
    datacenter: str | None = None
    in_maintenance: bool | None = None
    connection_state: str | None = None
    cpu_cores: int | None = None
    cpu_mhz: int | None = None
    memory_bytes: int | None = None
    version: str | None = None


class Datastore(_Model):
    """A vSphere datastore or an oVirt storage domain."""

    id: str
    name: str
    type: str | None = None
    capacity_bytes: int | None = None
    free_bytes: int | None = None
    datacenter: str | None = None


NetworkKind = Literal["standard", "distributed_portgroup", "distributed_switch", "opaque", "ovirt"]


class Network(_Model):
    id: str
    name: str
    kind: NetworkKind
    vlan: str | None = None
    switch: str | None = None
    datacenter: str | None = None


class VnicProfile(_Model):
    """oVirt vNIC profile: the ovirt.nic.* concerns read its settings."""

    id: str
    name: str
    network: str | None = None
    pass_through: bool | None = None
    port_mirroring: bool | None = None
    qos: str | None = None
    network_filter: str | None = None
    custom_properties: dict[str, str] = Field(default_factory=dict)


DiskMode = Literal[
    "persistent", "independent_persistent", "independent_nonpersistent", "nonpersistent", "undoable", "append"
]


class Disk(_Model):
    key: str
    label: str | None = None
    file: str | None = None
    capacity_bytes: int | None = None
    used_bytes: int | None = None
    datastore: str | None = None  # id of a Datastore of the same source
    datastore_name: str | None = None
    mode: str | None = None  # vSphere words: persistent, independent_persistent, ...
    rdm: bool | None = None
    rdm_mode: Literal["physical", "virtual"] | None = None
    shared: bool | None = None
    thin: bool | None = None
    bus: str | None = None  # scsi, sata, ide, nvme, virtio, virtio_scsi
    controller: str | None = None  # e.g. "VMware paravirtual SCSI"
    controller_key: int | None = None
    unit_number: int | None = None
    cbt: bool | None = None
    # oVirt facts
    status: str | None = None
    storage_type: str | None = None  # image, lun, cinder, managed_block_storage
    format: str | None = None  # cow, raw
    scsi_reservation: bool | None = None
    lun_sizes: list[int] = Field(default_factory=list)


class Nic(_Model):
    key: str
    label: str | None = None
    model: str | None = None  # vmxnet3, e1000, e1000e, virtio, rtl8139, sriov, pci_passthrough ...
    mac: str | None = None
    network: str | None = None  # id of a Network of the same source
    network_name: str | None = None
    connected: bool | None = None
    start_connected: bool | None = None
    plugged: bool | None = None
    profile: str | None = None  # oVirt vNIC profile id
    ips: list[str] = Field(default_factory=list)


class Snapshot(_Model):
    id: str | None = None
    name: str
    created_at: datetime | None = None
    parent: str | None = None
    persist_memory: bool | None = None
    size_bytes: int | None = None


DeviceKind = Literal[
    "usb_controller",
    "usb",
    "pci_passthrough",
    "sriov",
    "cdrom",
    "tpm",
    "watchdog",
    "host_device",
    "nvme_controller",
]


class Device(_Model):
    kind: DeviceKind
    label: str | None = None
    connected: bool | None = None
    iso: str | None = None  # CD-ROM backed by an ISO image
    detail: dict[str, str] = Field(default_factory=dict)


class GuestFilesystem(_Model):
    path: str
    capacity_bytes: int | None = None
    free_bytes: int | None = None
    disk_key: str | None = None


class OvirtVmFacts(_Model):
    """VM settings only oVirt has; read by the ovirt.* concerns."""

    status: str | None = None
    os_type: str | None = None
    bios_type: str | None = None
    ballooned_memory: bool | None = None
    boot_menu_enabled: bool | None = None
    custom_cpu_model: str | None = None
    cpu_pinning_policy: str | None = None
    cpu_shares: int | None = None
    custom_properties: dict[str, str] = Field(default_factory=dict)
    display_type: str | None = None
    ha_enabled: bool | None = None
    has_illegal_images: bool | None = None
    io_threads: int | None = None
    placement_policy_affinity: str | None = None
    storage_error_resume_behaviour: str | None = None
    usb_enabled: bool | None = None


class VM(_Model):
    id: str  # the source's own id: vSphere MoRef, oVirt UUID, RVTools "VM ID"
    source: str
    name: str
    uuid: str | None = None
    instance_uuid: str | None = None
    power_state: PowerState = PowerState.UNKNOWN
    connection_state: str | None = None
    template: bool = False
    cpus: int | None = None
    cores_per_socket: int | None = None
    memory_mib: int | None = None
    firmware: Literal["bios", "efi"] | None = None
    secure_boot: bool | None = None
    guest_id: str | None = None  # configured guest id, e.g. rhel8_64Guest or oVirt os type
    guest_name: str | None = None  # configured full name
    guest_name_reported: str | None = None  # what the guest tools report
    tools_status: str | None = None  # toolsOk, toolsNotRunning, toolsNotInstalled, toolsOld
    nested_virt: bool | None = None
    cpu_hot_add: bool | None = None
    cpu_hot_remove: bool | None = None
    memory_hot_add: bool | None = None
    cpu_affinity: list[int] | None = None
    numa_affinity: list[int] | None = None
    cbt: bool | None = None
    disk_enable_uuid: bool | None = None
    fault_tolerance: bool | None = None
    consolidation_needed: bool | None = None
    tpm: bool | None = None
    host: str | None = None  # Host id
    cluster: str | None = None  # Cluster id
    datacenter: str | None = None  # Datacenter id
    folder: str | None = None
    vapp: str | None = None
    annotation: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    guest_ips: list[str] | None = None
    guest_hostname: str | None = None
    guest_filesystems: list[GuestFilesystem] | None = None  # None: the source does not say
    disks: list[Disk] = Field(default_factory=list)
    nics: list[Nic] = Field(default_factory=list)
    snapshots: list[Snapshot] | None = None  # None: the source does not say
    devices: list[Device] | None = None  # None: the source does not say
    ovirt: OvirtVmFacts | None = None


class Inventory(_Model):
    """One source's complete snapshot: what a collector or importer produces and what the
    store replaces atomically."""

    source: Source
    datacenters: list[Datacenter] = Field(default_factory=list)
    clusters: list[Cluster] = Field(default_factory=list)
    hosts: list[Host] = Field(default_factory=list)
    datastores: list[Datastore] = Field(default_factory=list)
    networks: list[Network] = Field(default_factory=list)
    vnic_profiles: list[VnicProfile] = Field(default_factory=list)
    vms: list[VM] = Field(default_factory=list)
    templates_skipped: int = 0
    warnings: list[str] = Field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "datacenters": len(self.datacenters),
            "clusters": len(self.clusters),
            "hosts": len(self.hosts),
            "datastores": len(self.datastores),
            "networks": len(self.networks),
            "vms": len(self.vms),
            "templates": sum(1 for vm in self.vms if vm.template) + self.templates_skipped,
            "disks": sum(len(vm.disks) for vm in self.vms),
            "nics": sum(len(vm.nics) for vm in self.vms),
        }


def provider_of(kind: SourceKind) -> Literal["vsphere", "ovirt"]:
    """RVTools is a vSphere export: for rules and CRs it is a vSphere provider."""
    return "ovirt" if kind is SourceKind.OVIRT else "vsphere"


JsonDict = dict[str, Any]
