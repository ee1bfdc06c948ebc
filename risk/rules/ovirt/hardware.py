"""ovirt concerns about disks and NICs (Forklift ovirt/*.rego): same ids, categories, conditions."""

from __future__ import annotations

from typing import Any

from factory.model import VM
from risk.context import Context
from risk.rule import CRITICAL, NE, PASS, WARNING, Outcome, disk_subject, hit, scan
from risk.rules.common import DISK_LIMIT
from risk.rules.ovirt.base import (
    DISK_IFACE_OK,
    ILLEGAL,
    NIC_IFACE_OK,
    PASSTHROUGH,
    ovirt_rule,
)


@ovirt_rule(
    "ovirt.disk.count.exceeds.limit",
    WARNING,
    "VM disk count exceeds the limit of 165",
    ["vm.disks"],
    "OpenShift Virtualization supports at most 165 disks per VM.",
    "Consolidate disks to 165 or fewer.",
)
def disk_count(vm: VM, ctx: Context) -> Outcome:
    n = len(vm.disks)
    return (hit(f"The VM has {n} disks; the target allows {DISK_LIMIT}."),) if n > DISK_LIMIT else PASS


@ovirt_rule(
    "ovirt.disk.interface_type.unsupported",
    WARNING,
    "Unsupported disk interface type",
    ["disk.bus"],
    "Disks on other interfaces get a virtio interface on the target.",
    "Make sure the guest has virtio drivers and does not name disks by device path.",
)
def disk_interface(vm: VM, ctx: Context) -> Outcome:
    return scan(
        vm.disks,
        "bus",
        lambda v: not DISK_IFACE_OK.search(v),
        lambda d: hit(f"Disk {disk_subject(d)} uses the {d.bus} interface.", disk_subject(d)),
    )


@ovirt_rule(
    "ovirt.disk.capacity.invalid",
    CRITICAL,
    "Disk has an invalid capacity",
    ["disk.capacity_bytes", "disk.lun_sizes"],
    "A PVC cannot be created for a disk of zero or negative size.",
    "Fix the disk's provisioned size in oVirt.",
)
def disk_capacity(vm: VM, ctx: Context) -> Outcome:
    hits, unknown = [], False
    for d in vm.disks:
        if d.storage_type == "lun":
            bad = any(s <= 0 for s in d.lun_sizes)
        elif d.capacity_bytes is None:
            unknown = True
            continue
        else:
            bad = d.capacity_bytes <= 0
        if bad:
            hits.append(hit(f"Disk {disk_subject(d)} has a size of zero or less.", disk_subject(d)))
    return hits or (NE if unknown else PASS)


@ovirt_rule(
    "ovirt.disk.illegal_or_locked_status",
    CRITICAL,
    "Disk status is illegal or locked",
    ["disk.status"],
    "Transferring an illegal or locked disk is very likely to fail.",
    "Resolve the disk status in oVirt first.",
)
def disk_status(vm: VM, ctx: Context) -> Outcome:
    return scan(
        vm.disks,
        "status",
        lambda v: bool(ILLEGAL.search(v)),
        lambda d: hit(f"Disk {disk_subject(d)} is {d.status}.", disk_subject(d)),
    )


@ovirt_rule(
    "ovirt.disk.storage_type.unsupported",
    CRITICAL,
    "Unsupported disk storage type",
    ["disk.storage_type"],
    "Only image and LUN disks can be transferred.",
    "Move the disk to an image-based storage domain.",
)
def disk_storage_type(vm: VM, ctx: Context) -> Outcome:
    return scan(
        vm.disks,
        "storage_type",
        lambda v: v not in ("image", "lun"),
        lambda d: hit(f"Disk {disk_subject(d)} has storage type {d.storage_type}.", disk_subject(d)),
    )


def _nic_profiles(vm: VM, ctx: Context, fires: Any, message: str) -> Outcome:
    """vNIC-profile rules: a NIC whose profile is not named, or not in the inventory, leaves
    the rule not evaluated (an oVirt NIC on a network always has a profile)."""
    hits, unknown = [], False
    for n in vm.nics:
        prof = ctx.vnic_profiles.get(n.profile) if n.profile else None
        if prof is None:
            unknown = True
            continue
        if fires(prof):
            hits.append(hit(message.format(nic=n.label or n.key, profile=prof.name), n.label or n.key))
    return hits or (NE if unknown else PASS)


@ovirt_rule(
    "ovirt.nic.custom_properties.detected",
    WARNING,
    "vNIC profile custom properties",
    ["vnic_profile.custom_properties"],
    "vNIC profile custom properties are not supported.",
    "Reproduce the behaviour with NetworkAttachmentDefinitions.",
)
def nic_custom_properties(vm: VM, ctx: Context) -> Outcome:
    return _nic_profiles(
        vm, ctx, lambda p: bool(p.custom_properties), "NIC {nic}: profile {profile} has custom properties."
    )


@ovirt_rule(
    "ovirt.nic.interface_type.unsupported",
    WARNING,
    "Unsupported NIC interface type",
    ["nic.model"],
    "NICs on other interfaces need a model change on the target.",
    "Switch the NIC to virtio where the guest allows.",
)
def nic_interface(vm: VM, ctx: Context) -> Outcome:
    return scan(
        vm.nics,
        "model",
        lambda v: not NIC_IFACE_OK.search(v),
        lambda n: hit(f"NIC {n.label or n.key} uses the {n.model} interface.", n.label or n.key),
    )


@ovirt_rule(
    "ovirt.nic.network_filter.detected",
    WARNING,
    "vNIC network filter",
    ["vnic_profile.network_filter"],
    "Network filters are not supported.",
    "Use NetworkPolicies or multi-network policies on the target.",
)
def nic_network_filter(vm: VM, ctx: Context) -> Outcome:
    return _nic_profiles(
        vm, ctx, lambda p: bool(p.network_filter), "NIC {nic}: profile {profile} has a network filter."
    )


@ovirt_rule(
    "ovirt.nic.pci_passthrough.detected",
    WARNING,
    "PCI passthrough NIC",
    ["nic.model"],
    "A passthrough NIC becomes an SR-IOV interface.",
    "Prepare an SR-IOV network on the target and map it.",
)
def nic_passthrough(vm: VM, ctx: Context) -> Outcome:
    return scan(
        vm.nics,
        "model",
        lambda v: bool(PASSTHROUGH.search(v)),
        lambda n: hit(f"NIC {n.label or n.key} is a PCI passthrough NIC.", n.label or n.key),
    )


@ovirt_rule(
    "ovirt.nic.unplugged.detected",
    WARNING,
    "Unplugged NIC",
    ["nic.plugged"],
    "Unplugged NICs are not supported.",
    "Plug or remove the NIC before migrating.",
)
def nic_unplugged(vm: VM, ctx: Context) -> Outcome:
    return scan(
        vm.nics,
        "plugged",
        frozenset({False}),
        lambda n: hit(f"NIC {n.label or n.key} is unplugged.", n.label or n.key),
    )


@ovirt_rule(
    "ovirt.nic.port_mirroring.detected",
    WARNING,
    "vNIC port mirroring",
    ["vnic_profile.port_mirroring"],
    "Port mirroring is not supported.",
    "Use a traffic mirroring solution on the target network.",
)
def nic_port_mirroring(vm: VM, ctx: Context) -> Outcome:
    return _nic_profiles(vm, ctx, lambda p: p.port_mirroring is True, "NIC {nic}: profile {profile} mirrors traffic.")


@ovirt_rule(
    "ovirt.nic.qos.detected",
    WARNING,
    "vNIC QoS",
    ["vnic_profile.qos"],
    "Network QoS is not supported.",
    "Apply bandwidth limits on the target network instead.",
)
def nic_qos(vm: VM, ctx: Context) -> Outcome:
    return _nic_profiles(vm, ctx, lambda p: bool(p.qos), "NIC {nic}: profile {profile} has QoS.")


@ovirt_rule(
    "ovirt.disk.scsi_reservation.enabled",
    WARNING,
    "Shared disk detected (SCSI reservation)",
    ["disk.scsi_reservation"],
    "Disks with SCSI reservation are shared and not supported.",
    "Migrate the cluster members together or re-create the shared storage.",
)
def scsi_reservation(vm: VM, ctx: Context) -> Outcome:
    return scan(
        vm.disks,
        "scsi_reservation",
        frozenset({True}),
        lambda d: hit(f"Disk {disk_subject(d)} uses SCSI reservation.", disk_subject(d)),
    )


@ovirt_rule(
    "ovirt.disk.shared.detected",
    WARNING,
    "Shared disk detected",
    ["disk.shared"],
    "Shared disks are not supported.",
    "Detach the shared disk or migrate it separately.",
)
def shared_disk(vm: VM, ctx: Context) -> Outcome:
    return scan(
        vm.disks,
        "shared",
        frozenset({True}),
        lambda d: hit(f"Disk {disk_subject(d)} is shared.", disk_subject(d)),
    )
