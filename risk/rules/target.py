"""Our own rules (ids under ``factory.``): what Forklift does not check but the target decides.

They read KubeVirt facts (valid NIC models and disk buses), the target profile and the
mapping file. Rules that need a profile or a mapping declare it in ``requires`` and are
skipped (listed in the report's ``skipped_rules``) when it is not given. Where the severity
depends on the target, the hit carries it (see each rule's rationale).
"""

from __future__ import annotations

from factory.model import VM, PowerState
from risk.context import Context
from risk.rule import BOTH, CRITICAL, INFORMATION, NE, OVIRT, PASS, VSPHERE, WARNING, Outcome, disk_subject, hit, rule

# kubevirt pkg/network/admitter/netiface.go validInterfaceModels
KUBEVIRT_NIC_MODELS = frozenset({"e1000", "e1000e", "igb", "ne2k_pci", "pcnet", "rtl8139", "virtio"})
# kubevirt schema.go DiskBus*; oVirt's virtio_scsi maps to scsi.
KUBEVIRT_DISK_BUSES = frozenset({"virtio", "sata", "scsi", "usb", "virtio_scsi"})
_TOOLS_OK = frozenset({"toolsOk", "toolsOld"})


@rule(
    "factory.os.conversion_tier",
    CRITICAL,
    "Guest OS support tier for conversion",
    providers=BOTH,
    needs=["vm.guest_id", "vm.guest_name", "vm.guest_name_reported", "ovirt.os_type"],
    rationale="Information when virt-v2v converts the OS but MTV does not certify it; Warning when the "
    "source only says 'other'; Critical when virt-v2v cannot convert the OS at all.",
    remediation="Certified guests need nothing. Otherwise test a conversion early; for unconvertible guests "
    "use a raw copy without conversion (skipGuestConversion) or rebuild the workload.",
)
def conversion_tier(vm: VM, ctx: Context) -> Outcome:
    t = ctx.os_for(vm)[0]
    if t is None:
        return NE
    if t == "certified":
        return PASS
    if t == "convertible":
        return (hit("virt-v2v can convert this guest, but MTV does not certify it.", severity=INFORMATION),)
    if t == "unknown":
        return (hit("The source does not say which OS the guest runs; conversion is a gamble.", severity=WARNING),)
    return (hit("virt-v2v cannot convert this guest OS; a normal MTV migration will fail.", severity=CRITICAL),)


@rule(
    "factory.tools.not_running",
    CRITICAL,
    "VMware Tools not running on a powered-on VM",
    providers=VSPHERE,
    needs=["vm.power_state", "vm.tools_status"],
    rationale="MTV blocks the plan (GuestToolsIssue) for powered-on VMs whose Tools are not installed, "
    "not running or unknown: it needs them to shut the guest down and read its network settings.",
    remediation="Install or start VMware Tools (or open-vm-tools), or power the VM off before migrating.",
)
def tools_not_running(vm: VM, ctx: Context) -> Outcome:
    if vm.power_state is PowerState.OFF:
        return PASS
    if vm.power_state is not PowerState.ON or vm.tools_status is None:
        return NE
    if vm.tools_status in _TOOLS_OK:
        return PASS
    return (hit(f"The VM is powered on but VMware Tools report '{vm.tools_status}'."),)


@rule(
    "factory.nic.model_unsupported",
    WARNING,
    "NIC model not offered by KubeVirt",
    providers=BOTH,
    needs=["nic.model"],
    rationale="KubeVirt accepts e1000, e1000e, igb, ne2k_pci, pcnet, rtl8139 and virtio. vSphere NICs of "
    "other models become virtio (Warning: the guest needs virtio-net). oVirt's builder copies the model "
    "verbatim, so there a model KubeVirt rejects blocks the VM (Critical).",
    remediation="Make sure virtio drivers are in the guest (virt-v2v installs them when it converts); on "
    "oVirt change the NIC to virtio before migrating.",
)
def nic_model(vm: VM, ctx: Context) -> Outcome:
    ovirt = ctx.provider == "ovirt"
    hits, unknown = [], False
    for n in vm.nics:
        model = n.model
        if model is None:
            unknown = True
        elif model not in KUBEVIRT_NIC_MODELS and not (ovirt and model == "pci_passthrough"):
            subject = n.label or n.key
            if ovirt:
                hits.append(hit(f"NIC {subject} ({model}) would be rejected by KubeVirt.", subject, CRITICAL))
            else:
                hits.append(hit(f"NIC {subject} is {model}; it becomes virtio on the target.", subject))
    return hits or (NE if unknown else PASS)


@rule(
    "factory.cpu.nested_virt",
    CRITICAL,
    "Nested virtualization needed",
    providers=BOTH,
    needs=["vm.nested_virt", "profile.nodes.nestedVirtualization"],
    rationale="KubeVirt adds vmx/svm only as optional CPU features and does not steer the VM to nodes "
    "with nested KVM. Critical when the target profile says no node offers it; Warning otherwise.",
    remediation="Enable nested KVM on some nodes and pin the VM there (node selector), or run the nested "
    "workload elsewhere.",
)
def nested_virt(vm: VM, ctx: Context) -> Outcome:
    if vm.nested_virt is None:
        return NE
    if not vm.nested_virt:
        return PASS
    profile = ctx.profile
    if profile is not None and not profile.nodes.nested_virtualization:
        return (hit("The VM runs nested hypervisors but no target node offers nested KVM.", severity=CRITICAL),)
    return (
        hit("The VM runs nested hypervisors; KubeVirt will not pick nested-capable nodes for it.", severity=WARNING),
    )


@rule(
    "factory.disk.bus_unsupported",
    WARNING,
    "Disk bus the target does not accept",
    providers=BOTH,
    needs=["disk.bus"],
    rationale="KubeVirt rejects the IDE bus; MTV moves such disks to virtio (vSphere) or SATA (oVirt), so "
    "the guest needs drivers for the new controller and must not boot by device path. MTV's documentation "
    "lists NVMe disks on VMware as unsupported (Critical).",
    remediation="Check that the guest boots by UUID/label and has virtio drivers; move NVMe disks to a SCSI "
    "controller before migrating.",
)
def disk_bus(vm: VM, ctx: Context) -> Outcome:
    vsphere = ctx.provider == "vsphere"
    hits, unknown = [], False
    for d in vm.disks:
        bus = d.bus
        if bus is None:
            unknown = True
        elif bus == "nvme" and vsphere:
            hits.append(
                hit(
                    f"Disk {disk_subject(d)} is on NVMe, which MTV does not migrate from vSphere.",
                    disk_subject(d),
                    CRITICAL,
                )
            )
        elif bus not in KUBEVIRT_DISK_BUSES:
            new = "virtio" if vsphere else "sata"
            hits.append(hit(f"Disk {disk_subject(d)} is on {bus}; it moves to {new}.", disk_subject(d)))
    return hits or (NE if unknown else PASS)


@rule(
    "factory.firmware.secure_boot_dropped",
    WARNING,
    "Secure boot will be turned off",
    providers=OVIRT,
    needs=["ovirt.bios_type", "cluster.bios_type", "vm.secure_boot"],
    rationale="MTV always creates oVirt VMs with secureBoot=false (the NVRAM is not copied). Information "
    "when ovirt.secure_boot.detected already says so; Warning when secure boot comes from the cluster "
    "default, which the Forklift rule does not see.",
    remediation="Check that the guest boots without secure boot; have BitLocker recovery keys ready.",
)
def secure_boot_dropped(vm: VM, ctx: Context) -> Outcome:
    bios = vm.ovirt.bios_type if vm.ovirt is not None else None
    if bios == "q35_secure_boot":
        return (hit("Secure boot is on in oVirt and will be off on the target.", severity=INFORMATION),)
    if bios == "cluster_default":
        cluster = ctx.cluster(vm)
        if cluster is None or cluster.bios_type is None:
            return NE
        if cluster.bios_type == "q35_secure_boot":
            return (hit("Secure boot comes from the cluster default and will be off on the target."),)
        return PASS
    if bios is None and vm.secure_boot is None:
        return NE
    return (hit("Secure boot is on and will be off on the target."),) if vm.secure_boot else PASS


@rule(
    "factory.tpm.persistent_state",
    WARNING,
    "vTPM state on the target",
    providers=BOTH,
    needs=["vm.tpm", "ovirt.os_type", "profile.storageClasses"],
    rationale="The target VM gets a new persistent TPM whose state KubeVirt keeps on a Filesystem-mode PVC; "
    "the source TPM's keys are lost. Information normally; Warning when the profile offers no storage "
    "class with Filesystem volume mode for that state.",
    remediation="Keep BitLocker/LUKS recovery keys at hand; offer a Filesystem-mode storage class for VM state.",
)
def tpm_state(vm: VM, ctx: Context) -> Outcome:
    if ctx.provider == "ovirt":
        os_type = vm.ovirt.os_type if vm.ovirt is not None else None
        if os_type is None:
            return NE
        has_tpm = "windows_2022" in os_type or "windows_11" in os_type
    else:
        if vm.tpm is None:
            return NE
        has_tpm = vm.tpm
    if not has_tpm:
        return PASS
    profile = ctx.profile
    if (
        profile is not None
        and profile.storage_classes
        and not any("Filesystem" in sc.volume_modes for sc in profile.storage_classes)
    ):
        return (hit("The VM needs a persistent vTPM but no target storage class offers Filesystem mode."),)
    return (hit("The VM gets a fresh persistent vTPM; sealed keys must be recovered.", severity=INFORMATION),)


@rule(
    "factory.name.collision",
    WARNING,
    "Target name collides after renaming",
    providers=BOTH,
    needs=["vm.name"],
    rationale="Several source VMs become the same DNS-1123 name; MTV blocks duplicate target names, so "
    "all but one get a numbered suffix.",
    remediation="Rename the VMs at the source, or accept the suffixed target names shown here.",
)
def name_collision(vm: VM, ctx: Context) -> Outcome:
    clash = ctx.run.collisions.get((vm.source, vm.id))
    if clash is None:
        return PASS
    base, others = clash
    target = ctx.run.target_names[(vm.source, vm.id)]
    return (hit(f"'{vm.name}' renames to '{base}' like {', '.join(others)}; it will be '{target}'."),)
