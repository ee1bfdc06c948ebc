"""vmware concerns about VM settings, the guest and the cluster (Forklift vmware/*.rego)."""

from __future__ import annotations

import functools
import re

from factory.model import VM, SourceKind
from risk.context import Context
from risk.rule import CRITICAL, INFORMATION, NE, PASS, VSPHERE, WARNING, Outcome, flag, hit, rule
from risk.rules.common import name_invalid

MIB = 1024 * 1024
# vm_os.rego: supported guest ids, then name substrings.
SUPPORTED_ID_RE = re.compile(
    r"rhel7guest|rhel7_64guest|rhel8guest|rhel8_64guest|rhel9guest|rhel9_64guest|rhel10guest|rhel10_64guest"
    r"|windows10.*guest|windows11.*guest|windows2016.*guest|windows2019.*guest|windows2022.*guest|windows2025.*guest"
)
SUPPORTED_NAMES = (
    "red hat enterprise linux 7",
    "red hat enterprise linux 8",
    "red hat enterprise linux 9",
    "red hat enterprise linux 10",
    "windows 10",
    "windows 11",
    "windows server 2016",
    "windows server 2019",
    "windows server 2022",
    "windows server 2025",
)


@rule(
    "vmware.changed_block_tracking.disabled",
    WARNING,
    "Changed Block Tracking (CBT) not enabled",
    providers=VSPHERE,
    needs=["vm.cbt"],
    rationale="Warm migration copies only changed blocks, which vSphere reports through CBT.",
    remediation="Enable CBT (ctkEnabled=TRUE) on the VM, or plan a cold migration.",
)
def cbt_disabled(vm: VM, ctx: Context) -> Outcome:
    return flag(vm.cbt, vm.cbt is False, "Changed Block Tracking is off for this VM, so it can only move cold.")


@rule(
    "vmware.consolidation_needed",
    WARNING,
    "Snapshot consolidation required",
    providers=VSPHERE,
    needs=["vm.consolidation_needed"],
    rationale="Unconsolidated delta disks slow or break warm precopies.",
    remediation="Run Snapshot > Consolidate on the VM in vSphere before migrating.",
)
def consolidation_needed(vm: VM, ctx: Context) -> Outcome:
    v = vm.consolidation_needed
    return flag(v, v is True, "vSphere says this VM's snapshots need consolidation.")


@rule(
    "vmware.cpu_affinity.detected",
    WARNING,
    "CPU affinity detected",
    providers=VSPHERE,
    needs=["vm.cpu_affinity"],
    rationale="Scheduling affinity is host-specific and is not carried to the target.",
    remediation="Re-create the placement with dedicated CPUs or node affinity on OpenShift after migration.",
)
def cpu_affinity(vm: VM, ctx: Context) -> Outcome:
    v = vm.cpu_affinity
    return flag(v, bool(v), "The VM is pinned to host CPUs {value}; the pinning will be dropped.")


@rule(
    "vmware.cpu_memory.hotplug.enabled",
    WARNING,
    "CPU/Memory hotplug detected",
    providers=VSPHERE,
    needs=["vm.cpu_hot_add", "vm.cpu_hot_remove", "vm.memory_hot_add"],
    rationale="MTV does not carry vSphere hot-plug settings over.",
    remediation="Expect fixed CPU and memory after migration; configure KubeVirt CPU/memory hot-plug if needed.",
)
def hotplug(vm: VM, ctx: Context) -> Outcome:
    values = (vm.cpu_hot_add, vm.cpu_hot_remove, vm.memory_hot_add)
    if True in values:
        on = [n for n, v in zip(("CPU hot-add", "CPU hot-remove", "memory hot-add"), values, strict=True) if v]
        return (hit(f"{', '.join(on).capitalize()} enabled; hot-plug is not carried over."),)
    return NE if None in values else PASS


def _cluster_flag(attr: str, message: str):
    def check(vm: VM, ctx: Context) -> Outcome:
        cluster = ctx.cluster(vm)
        value = None if cluster is None else getattr(cluster, attr)
        return flag(value, value is True, message)

    return check


dpm_enabled = rule(
    "vmware.dpm.enabled",
    INFORMATION,
    "vSphere DPM detected",
    providers=VSPHERE,
    needs=["cluster.dpm_enabled"],
    rationale="Distributed Power Management has no OpenShift counterpart.",
    remediation="Nothing to do for the VM; plan node power management separately.",
)(_cluster_flag("dpm_enabled", "The VM's cluster uses DPM, which does not exist on the target."))

drs_enabled = rule(
    "vmware.drs.enabled",
    INFORMATION,
    "VM running in a DRS-enabled cluster",
    providers=VSPHERE,
    needs=["cluster.drs_enabled"],
    rationale="DRS placement and rules are not carried over.",
    remediation="Use the descheduler and affinity rules on OpenShift where placement matters.",
)(_cluster_flag("drs_enabled", "The VM's cluster balances load with DRS; that does not carry over."))


@rule(
    "vmware.fault_tolerance.enabled",
    INFORMATION,
    "Fault tolerance",
    providers=VSPHERE,
    needs=["vm.fault_tolerance"],
    rationale="vSphere FT has no KubeVirt equivalent.",
    remediation="Provide availability at the application level or accept restart-based HA.",
)
def fault_tolerance(vm: VM, ctx: Context) -> Outcome:
    v = vm.fault_tolerance
    return flag(v, v is True, "Fault Tolerance is on; the target VM will not have a secondary copy.")


def _min_free(path: str) -> int:
    if path == "/":
        return 100
    if path == "/boot":
        return 50
    if path.lower() in ("c:\\", "c:", "c:/"):
        return 100
    return 10


@rule(
    "vmware.guestDisks.freespace",
    CRITICAL,
    "Insufficient free space for conversion",
    providers=VSPHERE,
    needs=["vm.guest_filesystems"],
    rationale="virt-v2v writes drivers and files into the guest; it fails on full filesystems.",
    remediation="Free space in the guest (100 MiB on / and C:, 50 MiB on /boot, 10 MiB elsewhere).",
)
def guest_freespace(vm: VM, ctx: Context) -> Outcome:
    if vm.guest_filesystems is None:
        return NE
    hits = []
    unknown = False
    for fs in vm.guest_filesystems:
        if fs.free_bytes is None:
            unknown = True
            continue
        need = _min_free(fs.path)
        if fs.free_bytes < need * MIB:
            hits.append(
                hit(f"{fs.path} has {round(fs.free_bytes / MIB)} MiB free; conversion needs {need} MiB.", fs.path)
            )
    return hits or (NE if unknown else PASS)


@rule(
    "vmware.guestDisks.key.not_found",
    INFORMATION,
    "Missing disk key mapping",
    providers=VSPHERE,
    needs=["vm.guest_id", "vm.guest_filesystems"],
    rationale="Without a disk key MTV cannot tell which Windows drive letter sits on which disk.",
    remediation="Do not use {{.WinDriveLetter}} in PVC name templates for this VM.",
)
def guest_disk_key(vm: VM, ctx: Context) -> Outcome:
    if vm.guest_id is None or vm.guest_filesystems is None:
        return NE
    if "windows" not in vm.guest_id.lower():
        return PASS
    return [
        hit(f"Guest volume {fs.path} cannot be matched to a disk.", fs.path)
        for fs in vm.guest_filesystems
        if not fs.disk_key or fs.disk_key == "0"
    ]


@rule(
    "vmware.host_affinity.detected",
    WARNING,
    "VM-Host affinity detected",
    providers=VSPHERE,
    needs=["cluster.affinity_rules"],
    no_data_in=[SourceKind.RVTOOLS],
    rationale="VM-to-host rules are not translated to node affinity.",
    remediation="Add node affinity or node selectors to the migrated VM where the rule matters (e.g. licensing).",
)
def host_affinity(vm: VM, ctx: Context) -> Outcome:
    cluster = ctx.cluster(vm)
    if cluster is None:
        return NE
    return [
        hit(f"VM-Host rule '{r.name}' pins the VM to hosts; it will not be kept.", r.name)
        for r in cluster.affinity_rules
        if r.kind == "vm_host" and vm.id in r.vms
    ]


@rule(
    "vmware.hostname.empty",
    WARNING,
    "Empty Host Name",
    providers=VSPHERE,
    needs=["vm.guest_hostname"],
    rationale="MTV names the guest after its reported hostname; with none the hostname may change.",
    remediation="Start the VM with VMware Tools running so the hostname is reported, or set it after migration.",
)
def hostname_empty(vm: VM, ctx: Context) -> Outcome:
    h = vm.guest_hostname
    return flag(h, h == "", "The guest reports an empty hostname.")


@rule(
    "vmware.hostname.default",
    WARNING,
    "Default Host Name",
    providers=VSPHERE,
    needs=["vm.guest_hostname"],
    rationale="A default hostname may be replaced during migration.",
    remediation="Give the guest a real hostname before migrating.",
)
def hostname_default(vm: VM, ctx: Context) -> Outcome:
    h = vm.guest_hostname
    return flag(h, h == "localhost.localdomain", "The guest still uses the default hostname localhost.localdomain.")


@rule(
    "vmware.vm_missing_ip.detected",
    WARNING,
    "VM is missing IP addresses",
    providers=VSPHERE,
    needs=["vm.guest_ips"],
    rationale="Preserving static IPs needs the guest's addresses, reported by running VMware Tools.",
    remediation="Power the VM on with VMware Tools running before migration, or do not preserve static IPs.",
)
def missing_ip(vm: VM, ctx: Context) -> Outcome:
    ips = vm.guest_ips
    return flag(ips, not ips, "The guest reports no IP address, so static IPs cannot be preserved.")


@rule(
    "vmware.vm.name.invalid",
    WARNING,
    "Invalid VM Name",
    providers=VSPHERE,
    needs=["vm.name"],
    rationale="Target VM names must be DNS-1123 (lower-case letters, digits, '-', '.', at most 63).",
    remediation="Rename the VM, or set targetName; otherwise MTV renames it automatically.",
)
def name_rule(vm: VM, ctx: Context) -> Outcome:
    if not name_invalid(vm.name):
        return PASS
    new = ctx.run.target_names.get((vm.source, vm.id))
    return (hit(f"'{vm.name}' is not a valid target name; it will become '{new}'."),)


@rule(
    "vmware.numa_affinity.detected",
    WARNING,
    "NUMA node affinity detected",
    providers=VSPHERE,
    needs=["vm.numa_affinity"],
    rationale="NUMA node pinning is host-specific and is dropped.",
    remediation="Use KubeVirt guest NUMA (dedicated CPUs, hugepages) on capable nodes if the workload needs it.",
)
def numa_affinity(vm: VM, ctx: Context) -> Outcome:
    v = vm.numa_affinity
    return flag(v, bool(v), "The VM is bound to NUMA nodes {value}; the binding will be dropped.")


@rule(
    "vmware.snapshot.detected",
    INFORMATION,
    "VM snapshot detected",
    providers=VSPHERE,
    needs=["vm.snapshots"],
    rationale="MTV copies the current state; snapshots themselves are not migrated.",
    remediation="Delete snapshots you do not need; warm migration requires none.",
)
def snapshot(vm: VM, ctx: Context) -> Outcome:
    s = vm.snapshots
    return flag(s, bool(s), "The VM has {count} snapshot(s); only the current state moves.")


@rule(
    "vmware.tpm.detected",
    WARNING,
    "TPM detected",
    providers=VSPHERE,
    needs=["vm.tpm"],
    rationale="The contents of a vTPM (keys, BitLocker sealing) are not transferred.",
    remediation="Have BitLocker/LUKS recovery keys ready; the target VM gets a new, empty TPM.",
)
def tpm(vm: VM, ctx: Context) -> Outcome:
    return flag(vm.tpm, vm.tpm is True, "The VM has a virtual TPM whose contents will not be copied.")


@rule(
    "vmware.os.unsupported",
    WARNING,
    "Unsupported operating system detected",
    providers=VSPHERE,
    needs=["vm.guest_id", "vm.guest_name", "vm.guest_name_reported"],
    rationale="MTV supports RHEL 7-10, Windows 10/11 and Windows Server 2016-2025 guests.",
    remediation="Check the guest against Red Hat's virt-v2v support list; upgrade or accept best-effort conversion.",
)
def os_unsupported(vm: VM, ctx: Context) -> Outcome:
    # vm_os.rego: the tools name wins when non-empty; the configured name is read otherwise.
    return _os_verdict(vm.guest_id, vm.guest_name_reported or vm.guest_name)


@functools.lru_cache(maxsize=4096)  # few distinct (guest id, name) pairs per estate
def _os_verdict(gid: str | None, name: str | None) -> Outcome:
    if gid is None and not name:
        return NE
    if gid is not None and SUPPORTED_ID_RE.search(gid.lower()):
        return PASS
    if name and any(s in name.lower() for s in SUPPORTED_NAMES):
        return PASS
    return (hit(f"Guest OS '{name or gid}' is not on MTV's supported list."),)
