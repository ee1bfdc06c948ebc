"""ovirt concerns about VM settings, snapshots and the cluster (Forklift ovirt/*.rego)."""

from __future__ import annotations

from factory.model import VM
from risk.context import Context
from risk.rule import CRITICAL, INFORMATION, NE, PASS, WARNING, Outcome, flag, hit, scan
from risk.rules.common import name_invalid
from risk.rules.ovirt.base import (
    MIGRATABLE,
    PINNING,
    RHEL6,
    STATUS_OK,
    TPM_OS,
    cluster_check,
    fact,
    ovirt_rule,
)

ballooning = ovirt_rule(
    "ovirt.memory.ballooning.enabled",
    INFORMATION,
    "Memory ballooning enabled",
    ["ovirt.ballooned_memory"],
    "KubeVirt does not balloon guest memory the way oVirt does.",
    "Size the VM's memory for its real peak.",
)(fact("ballooned_memory", frozenset({True}), "Memory ballooning is on; the target gives fixed memory."))

boot_menu = ovirt_rule(
    "ovirt.bios.boot_menu.enabled",
    WARNING,
    "VM has BIOS boot menu enabled",
    ["ovirt.boot_menu_enabled"],
    "The interactive boot menu is not enabled on the target.",
    "Do not rely on the boot menu for recovery steps.",
)(fact("boot_menu_enabled", frozenset({True}), "The BIOS boot menu is enabled; it will not be on the target."))

custom_cpu = ovirt_rule(
    "ovirt.cpu.custom_model.detected",
    WARNING,
    "Custom CPU model detected",
    ["ovirt.custom_cpu_model"],
    "The custom CPU model is applied on the target and may not exist on its nodes.",
    "Check that the CPU model is offered by the OpenShift nodes, or clear it.",
)(fact("custom_cpu_model", bool, "Custom CPU model '{value}' will be required on the target.", unset_is_off=True))

pinning = ovirt_rule(
    "ovirt.cpu.pinning_policy.unsupported",
    WARNING,
    "Unsupported CPU pinning policy",
    ["ovirt.cpu_pinning_policy"],
    "resize_and_pin_numa and isolate_threads have no KubeVirt equivalent.",
    "Use dedicatedCpuPlacement and guest NUMA on the target instead.",
)(
    fact(
        "cpu_pinning_policy",
        lambda v: bool(PINNING.search(v)),
        "CPU pinning policy '{value}' is not supported.",
        unset_is_off=True,
    )
)

cpu_shares = ovirt_rule(
    "ovirt.cpu.shares.defined",
    WARNING,
    "CPU shares defined",
    ["ovirt.cpu_shares"],
    "CPU shares are dropped.",
    "Use CPU requests/limits on the target VM.",
)(fact("cpu_shares", lambda v: v > 0, "CPU shares ({value}) will be dropped."))


@ovirt_rule(
    "ovirt.cpu.tuning.detected",
    WARNING,
    "CPU tuning detected",
    ["vm.cpu_affinity"],
    "Only a one-to-one vCPU to pCPU mapping is supported; other tuning is dropped.",
    "Use dedicatedCpuPlacement on the target if the VM needs pinned CPUs.",
)
def cpu_tuning(vm: VM, ctx: Context) -> Outcome:
    v = vm.cpu_affinity
    return flag(v, bool(v), "CPU pinning is configured and will be dropped.")


custom_props = ovirt_rule(
    "ovirt.vm.custom_properties.detected",
    WARNING,
    "VM custom properties detected",
    ["ovirt.custom_properties"],
    "VM custom properties (hooks) are not supported.",
    "Re-implement what the hooks do on the target.",
)(fact("custom_properties", bool, "VM custom properties are set: {value}."))


spice = ovirt_rule(
    "ovirt.display_type.spice.enabled",
    INFORMATION,
    "SPICE display detected",
    ["ovirt.display_type"],
    "The target offers VNC, not SPICE.",
    "Use the OpenShift console (VNC) after migration.",
)(fact("display_type", lambda v: v == "spice", "The VM uses a SPICE display."))

ha = ovirt_rule(
    "ovirt.ha.enabled",
    WARNING,
    "VM configured as HA",
    ["ovirt.ha_enabled"],
    "oVirt HA settings are not carried over.",
    "Set runStrategy: Always on the target VM.",
)(fact("ha_enabled", frozenset({True}), "The VM is highly available in oVirt; HA is not carried over."))


ha_reservation = ovirt_rule(
    "ovirt.ha.reservation.enabled",
    WARNING,
    "Cluster has HA reservation",
    ["cluster.ha_reservation"],
    "Cluster HA reservation is not supported.",
    "Plan spare capacity on the OpenShift cluster instead.",
)(cluster_check("ha_reservation", "The VM's cluster reserves capacity for HA; the target does not."))


@ovirt_rule(
    "ovirt.host_devices.mapped",
    WARNING,
    "VM has mapped host devices",
    ["vm.devices"],
    "Host devices are not attached on the target.",
    "Attach equivalent host devices on OpenShift after migration.",
)
def host_devices(vm: VM, ctx: Context) -> Outcome:
    if vm.devices is None:
        return NE
    n = sum(1 for d in vm.devices if d.kind == "host_device")
    return (hit(f"{n} host device(s) are mapped into the VM."),) if n else PASS


illegal_images = ovirt_rule(
    "ovirt.disk.illegal_images.detected",
    CRITICAL,
    "Illegal disk images detected",
    ["ovirt.has_illegal_images"],
    "Snapshots with ILLEGAL images make the transfer fail.",
    "Remove or repair the illegal snapshot images in oVirt.",
)(fact("has_illegal_images", frozenset({True}), "Some of the VM's snapshot images are ILLEGAL."))

io_threads = ovirt_rule(
    "ovirt.iothreads.configured",
    INFORMATION,
    "IO threads configured",
    ["ovirt.io_threads"],
    "IO threads must be configured again on the target.",
    "Set ioThreadsPolicy / dedicatedIOThread on the target.",
)(fact("io_threads", lambda v: v > 1, "{value} IO threads are configured; set them again on the target."))

ksm = ovirt_rule(
    "ovirt.cluster.ksm_enabled",
    WARNING,
    "Cluster has KSM enabled",
    ["cluster.ksm_enabled"],
    "Kernel same-page merging is not offered for the VM on the target.",
    "Plan memory without KSM savings.",
)(cluster_check("ksm_enabled", "The VM's cluster uses KSM; memory savings will not carry over."))


@ovirt_rule(
    "ovirt.name.invalid",
    WARNING,
    "Invalid VM Name",
    ["vm.name"],
    "Target VM names must be DNS-1123.",
    "Rename the VM or set targetName; otherwise MTV renames it.",
)
def name_rule(vm: VM, ctx: Context) -> Outcome:
    if not name_invalid(vm.name):
        return PASS
    new = ctx.run.target_names.get((vm.source, vm.id))
    return (hit(f"'{vm.name}' is not a valid target name; it will become '{new}'."),)


@ovirt_rule(
    "ovirt.numa.tuning.detected",
    WARNING,
    "NUMA tuning detected",
    ["vm.numa_affinity"],
    "The NUMA mapping is dropped.",
    "Use guest NUMA with dedicated CPUs on the target if needed.",
)
def numa_tuning(vm: VM, ctx: Context) -> Outcome:
    v = vm.numa_affinity
    return flag(v, bool(v), "NUMA node pinning is configured and will be dropped.")


@ovirt_rule(
    "ovirt.snapshot.online_memory.detected",
    WARNING,
    "Online snapshot with memory",
    ["snapshot.persist_memory"],
    "Snapshots with memory are not supported.",
    "Remove memory snapshots before migrating.",
)
def online_snapshot(vm: VM, ctx: Context) -> Outcome:
    if vm.snapshots is None:
        return NE
    return scan(
        vm.snapshots,
        "persist_memory",
        frozenset({True}),
        lambda s: hit(f"Snapshot '{s.name}' includes memory.", s.name),
    )


placement = ovirt_rule(
    "ovirt.placement_policy.affinity_set",
    WARNING,
    "Placement policy set to migratable",
    ["ovirt.placement_policy_affinity"],
    "A migratable VM expects live migration, which needs ReadWriteMany storage on the target.",
    "Map this VM's disks to a storage class with ReadWriteMany.",
)(
    fact(
        "placement_policy_affinity",
        lambda v: bool(MIGRATABLE.search(v)),
        "The VM is set to be live-migratable; the target storage must support ReadWriteMany.",
        unset_is_off=True,
    )
)


secure_boot = ovirt_rule(
    "ovirt.secure_boot.detected",
    WARNING,
    "UEFI secure boot detected",
    ["ovirt.bios_type"],
    "Secure boot is only partly supported: MTV turns it off on the target.",
    "Check that the guest boots without secure boot (BitLocker may ask for its recovery key).",
)(fact("bios_type", lambda v: v == "q35_secure_boot", "The VM boots with UEFI secure boot."))


resume = ovirt_rule(
    "ovirt.storage.resume_behavior.unsupported",
    INFORMATION,
    "Storage error resume behaviour",
    ["ovirt.storage_error_resume_behaviour"],
    "Only auto_resume matches KubeVirt's behaviour on storage errors.",
    "Accept the target's default behaviour.",
)(
    fact(
        "storage_error_resume_behaviour",
        lambda v: v != "auto_resume",
        "Storage error resume behaviour is '{value}'; the target resumes automatically.",
    )
)

tpm = ovirt_rule(
    "ovirt.tpm.required_by_os",
    WARNING,
    "TPM required by the OS",
    ["ovirt.os_type"],
    "The OS type needs a TPM, whose data is not transferred.",
    "Have BitLocker recovery keys ready.",
)(fact("os_type", lambda v: bool(TPM_OS.search(v)), "OS type {value} uses a TPM whose data will not be copied."))

usb = ovirt_rule(
    "ovirt.usb.enabled",
    WARNING,
    "USB enabled",
    ["ovirt.usb_enabled"],
    "USB attachment is not supported.",
    "Re-attach USB devices on the target if needed.",
)(fact("usb_enabled", frozenset({True}), "USB support is enabled for this VM."))

os_unsupported = ovirt_rule(
    "ovirt.os.unsupported",
    WARNING,
    "Unsupported operating system",
    ["ovirt.os_type"],
    "RHEL 6 guests are not supported by MTV.",
    "Upgrade the guest to a supported RHEL release first.",
)(fact("os_type", lambda v: bool(RHEL6.search(v)), "OS type {value} is not supported."))

status = ovirt_rule(
    "ovirt.vm.status_invalid",
    WARNING,
    "VM status is not up or down",
    ["ovirt.status"],
    "A VM in a transitional state may fail to migrate.",
    "Wait until the VM is up or down.",
)(fact("status", lambda v: not STATUS_OK.search(v), "The VM is in state '{value}'."))


@ovirt_rule(
    "ovirt.watchdog.enabled",
    WARNING,
    "Watchdog enabled",
    ["vm.devices"],
    "Watchdog devices are dropped.",
    "Add a KubeVirt watchdog (i6300esb) on the target if needed.",
)
def watchdog(vm: VM, ctx: Context) -> Outcome:
    if vm.devices is None:
        return NE
    n = sum(1 for d in vm.devices if d.kind == "watchdog")
    return (hit("A watchdog device is configured and will be dropped."),) if n else PASS
