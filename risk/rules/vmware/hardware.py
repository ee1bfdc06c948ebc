"""vmware concerns about disks and devices (Forklift vmware/*.rego): same ids, categories, conditions."""

from __future__ import annotations

from factory.model import VM, SourceKind
from risk.context import Context
from risk.rule import CRITICAL, INFORMATION, NE, PASS, VSPHERE, WARNING, Outcome, disk_subject, hit, rule, scan
from risk.rules.common import DISK_LIMIT

_INDEPENDENT = frozenset({"independent_persistent", "independent_nonpersistent"})


@rule(
    "vmware.changed_block_tracking.disk.disabled",
    WARNING,
    "Disk does not have CBT enabled",
    providers=VSPHERE,
    needs=["disk.cbt"],
    rationale="Each disk needs its own CBT flag for warm precopies.",
    remediation="Enable CBT for the disk (scsiX:Y.ctkEnabled=TRUE) and take/delete a snapshot to activate it.",
)
def cbt_disk_disabled(vm: VM, ctx: Context) -> Outcome:
    # Inline loops rather than scan(): these per-disk rules run for every VM (see bench/).
    disks = vm.disks
    values = [d.cbt for d in disks]
    if False not in values:
        return NE if None in values else PASS
    return [
        hit(f"Disk {disk_subject(d)} has no Changed Block Tracking.", disk_subject(d)) for d in disks if d.cbt is False
    ]


@rule(
    "vmware.datastore.missing",
    CRITICAL,
    "Disk is not located on a datastore",
    providers=VSPHERE,
    needs=["disk.datastore", "disk.datastore_name"],
    rationale="MTV finds a disk's data through its datastore; without one there is nothing to copy.",
    remediation="Move the disk onto a datastore (Storage vMotion) or detach it before migrating.",
)
def datastore_missing(vm: VM, ctx: Context) -> Outcome:
    # A datastore id or name, or a "[datastore] path" backing file, places the disk. From a
    # live vCenter a disk with none of those is off any datastore. RVTools never carries
    # datastore ids, and its Disk Path column is sometimes trimmed or anonymised: there a
    # path without a datastore prefix (or none at all) only means we cannot tell.
    rvtools = ctx.kind is SourceKind.RVTOOLS
    hits, unknown = [], False
    for d in vm.disks:
        if d.datastore or d.datastore_name or (d.file or "").startswith("["):
            continue
        if d.file is None or rvtools:
            unknown = True
        else:
            hits.append(
                hit(f"Disk {disk_subject(d)} ({d.file or 'no backing file'}) is on no datastore.", disk_subject(d))
            )
    return hits or (NE if unknown else PASS)


@rule(
    "vmware.disk.count.exceeds.limit",
    WARNING,
    "VM disk count exceeds the limit of 165",
    providers=VSPHERE,
    needs=["vm.disks"],
    rationale="OpenShift Virtualization supports at most 165 disks per VM (CNV-91554).",
    remediation="Consolidate volumes inside the guest so that the VM has 165 disks or fewer.",
)
def disk_count(vm: VM, ctx: Context) -> Outcome:
    n = len(vm.disks)
    return (hit(f"The VM has {n} disks; the target allows {DISK_LIMIT}."),) if n > DISK_LIMIT else PASS


@rule(
    "vmware.disk_mode.independent",
    WARNING,
    "Independent disk detected",
    providers=VSPHERE,
    needs=["disk.mode"],
    rationale="VDDK cannot read independent disks through a snapshot.",
    remediation="Switch the disk to Dependent mode, or migrate it with storage copy offload (XCOPY).",
)
def disk_independent(vm: VM, ctx: Context) -> Outcome:
    disks = vm.disks
    values = [d.mode for d in disks]
    if _INDEPENDENT.isdisjoint(values):
        return NE if None in values else PASS
    return [
        hit(f"Disk {disk_subject(d)} is in {d.mode.replace('_', ' ')} mode.", disk_subject(d))
        for d in disks
        if d.mode in _INDEPENDENT
    ]


@rule(
    "vmware.disk_serial.truncated",
    INFORMATION,
    "Disk serial numbers may be truncated",
    providers=VSPHERE,
    needs=["vm.disk_enable_uuid", "disk.bus"],
    rationale="With disk.EnableUUID the guest sees SCSI serials; KubeVirt limits serial length.",
    remediation="Check applications or udev rules that match disks by serial number.",
)
def disk_serial(vm: VM, ctx: Context) -> Outcome:
    if vm.disk_enable_uuid is None:
        return NE
    if not vm.disk_enable_uuid:
        return PASS
    return scan(
        vm.disks,
        "bus",
        frozenset({"scsi"}),
        lambda d: hit(f"SCSI disk {disk_subject(d)} exposes a serial that may be shortened.", disk_subject(d)),
    )


@rule(
    "vmware.disk.capacity.invalid",
    CRITICAL,
    "Disk has an invalid capacity",
    providers=VSPHERE,
    needs=["disk.capacity_bytes"],
    rationale="A PVC cannot be created for a disk of zero or negative size.",
    remediation="Fix or remove the disk in vSphere (check the VMDK descriptor) and collect again.",
)
def disk_capacity(vm: VM, ctx: Context) -> Outcome:
    disks = vm.disks
    values = [d.capacity_bytes for d in disks]
    bad = [d for d, v in zip(disks, values, strict=True) if v is not None and v <= 0]
    if not bad:
        return NE if None in values else PASS
    return [hit(f"Disk {disk_subject(d)} reports {d.capacity_bytes} bytes.", disk_subject(d)) for d in bad]


def _devices(vm: VM, kind: str, message: str) -> Outcome:
    if vm.devices is None:
        return NE
    return [hit(message.format(d.label or kind), d.label or kind) for d in vm.devices if d.kind == kind]


@rule(
    "vmware.passthrough_device.detected",
    CRITICAL,
    "Passthrough device detected",
    providers=VSPHERE,
    needs=["vm.devices"],
    rationale="A PCI device of the source host cannot follow the VM.",
    remediation="Remove the PCI passthrough device; attach an equivalent host device on OpenShift afterwards.",
)
def passthrough(vm: VM, ctx: Context) -> Outcome:
    return _devices(vm, "pci_passthrough", "PCI passthrough device {} is attached.")


@rule(
    "vmware.disk.rdm.detected",
    WARNING,
    "Raw Device Mapped disk detected",
    providers=VSPHERE,
    needs=["disk.rdm"],
    rationale="VDDK cannot copy raw device mappings.",
    remediation="Use storage copy offload (XCOPY), or detach the RDM and present the LUN to OpenShift after migration.",
)
def rdm(vm: VM, ctx: Context) -> Outcome:
    disks = vm.disks
    values = [d.rdm for d in disks]
    if True not in values:
        return NE if None in values else PASS
    return [
        hit(f"Disk {disk_subject(d)} is a raw device mapping ({d.rdm_mode or 'mode unknown'}).", disk_subject(d))
        for d in disks
        if d.rdm is True
    ]


@rule(
    "vmware.disk.shared.detected",
    WARNING,
    "Shared disk detected",
    providers=VSPHERE,
    needs=["disk.shared", "disk.file"],
    rationale="Multi-writer disks need one shared PVC and careful ordering of the VMs that use them.",
    remediation="Migrate the VMs sharing the disk together (same wave) with migrateSharedDisks, or detach it.",
)
def shared_disk(vm: VM, ctx: Context) -> Outcome:
    users = ctx.file_users
    disks = vm.disks
    flags = [d.shared for d in disks]
    if True not in flags and all(users.get(d.file, 0) < 2 for d in disks):  # the usual case
        return NE if None in flags else PASS
    hits, unknown = [], False
    own = [d.file for d in disks]
    for d in disks:
        # inventory's applySharedFlags: the file is used by another VM, not just listed twice here
        by_file = bool(d.file) and users.get(d.file, 0) > own.count(d.file)
        if d.shared or by_file:
            hits.append(hit(f"Disk {disk_subject(d)} is shared with other VMs.", disk_subject(d)))
        elif d.shared is None:
            unknown = True
    return hits or (NE if unknown else PASS)


@rule(
    "vmware.device.sriov.detected",
    WARNING,
    "SR-IOV passthrough adapter configuration detected",
    providers=VSPHERE,
    needs=["vm.devices", "nic.model"],
    rationale="SR-IOV adapters are host-bound; MTV migrates the VM without them.",
    remediation="Configure an SR-IOV network on OpenShift and attach it after migration.",
)
def sriov(vm: VM, ctx: Context) -> Outcome:
    hits = [
        hit(f"NIC {n.label or n.key} is an SR-IOV adapter.", n.label or n.key) for n in vm.nics if n.model == "sriov"
    ]
    if hits:
        return hits
    return _devices(vm, "sriov", "SR-IOV adapter {} is configured.")


@rule(
    "vmware.usb_controller.detected",
    WARNING,
    "USB controller detected",
    providers=VSPHERE,
    needs=["vm.devices"],
    rationale="USB devices attached through vSphere cannot be migrated.",
    remediation="Re-attach needed USB devices through KubeVirt host devices or USB redirection.",
)
def usb_controller(vm: VM, ctx: Context) -> Outcome:
    return _devices(vm, "usb_controller", "USB controller {} is present; attached devices will not move.")
