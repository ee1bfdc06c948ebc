"""One engine VM (with its followed NICs, disks, snapshots and devices) -> model :class:`VM`.

Every field an ``ovirt.*`` concern reads lands here: in ``VM`` where the model has a
provider-neutral place (firmware, CPU/NUMA pinning, disks, NICs, snapshots, devices), and in
``vm.ovirt`` (:class:`OvirtVmFacts`) for the settings only oVirt has.
"""

from __future__ import annotations

from collections.abc import Mapping

import ovirtsdk4.types as types

from factory.model import VM, Device, Disk, Nic, OvirtVmFacts, PowerState, Snapshot
from factory.sources.ovirt.topology import ref_id, text

MiB = 1024 * 1024
_POWER = {"up": PowerState.ON, "down": PowerState.OFF, "suspended": PowerState.SUSPENDED}
_EFI = {"q35_ovmf", "q35_secure_boot"}


def firmware(bios_type: str | None, cluster_bios: str | None) -> tuple[str | None, bool | None]:
    """(firmware, secure_boot) from the VM's BIOS type; ``cluster_default`` uses the cluster's."""
    effective = cluster_bios if bios_type == "cluster_default" else bios_type
    if effective is None or effective == "cluster_default":
        return None, None
    return ("efi" if effective in _EFI else "bios"), effective == "q35_secure_boot"


def cpu_set(spec: str) -> set[int]:
    """``"0-3,^2,8"`` (libvirt cpuset syntax) -> {0, 1, 3, 8}."""
    cpus: set[int] = set()
    excluded: set[int] = set()
    for part in filter(None, (p.strip() for p in spec.split(","))):
        target = excluded if part.startswith("^") else cpus
        part = part.lstrip("^")
        low, _, high = part.partition("-")
        if low.isdigit() and (not high or high.isdigit()):
            target.update(range(int(low), int(high or low) + 1))
    return cpus - excluded


def _cpu_affinity(vm: types.Vm) -> list[int]:
    tune = vm.cpu.cpu_tune if vm.cpu is not None else None
    pins: set[int] = set()
    for pin in (tune.vcpu_pins if tune is not None else None) or []:
        pins |= cpu_set(pin.cpu_set or "")
    return sorted(pins)


def _disk(att: types.DiskAttachment, sd_names: Mapping[str, str]) -> Disk:
    disk = att.disk or types.Disk(id=att.id)
    storage_type = text(disk.storage_type)
    luns = disk.lun_storage.logical_units if disk.lun_storage is not None else None
    lun_sizes = [lu.size or 0 for lu in luns or []]
    sds = disk.storage_domains or []
    sd = sds[0].id if sds else None
    capacity = disk.provisioned_size
    if capacity is None and storage_type == "lun" and lun_sizes:
        capacity = sum(lun_sizes)
    return Disk(
        key=disk.id or att.id,
        label=disk.alias or disk.name,
        capacity_bytes=capacity,
        used_bytes=disk.actual_size,
        datastore=sd,
        datastore_name=sd_names.get(sd) if sd else None,
        rdm=storage_type == "lun" if storage_type else None,
        shared=disk.shareable,
        thin=disk.sparse,
        bus=text(att.interface),
        cbt=None if disk.backup is None else text(disk.backup) == "incremental",
        status=text(disk.status),
        storage_type=storage_type,
        format=text(disk.format),
        scsi_reservation=att.uses_scsi_reservation,
        lun_sizes=lun_sizes,
    )


def _nic(nic: types.Nic, profiles: Mapping[str, tuple[str | None, str | None]]) -> Nic:
    profile = ref_id(nic.vnic_profile)
    network, network_name = profiles.get(profile, (None, None)) if profile else (None, None)
    ips = [ip.address for dev in nic.reported_devices or [] for ip in dev.ips or [] if ip.address]
    return Nic(
        key=nic.id,
        label=nic.name,
        model=text(nic.interface),
        mac=nic.mac.address if nic.mac is not None else None,
        network=network,
        network_name=network_name,
        connected=nic.linked,
        plugged=nic.plugged,
        profile=profile,
        ips=ips,
    )


def _snapshots(vm: types.Vm) -> list[Snapshot]:
    """Real snapshots only: the engine lists the running state as an ``active`` snapshot."""
    return [
        Snapshot(id=s.id, name=s.description or s.id, created_at=s.date, persist_memory=s.persist_memorystate)
        for s in vm.snapshots or []
        if text(s.snapshot_type) != "active"
    ]


def _devices(vm: types.Vm) -> list[Device]:
    devices: list[Device] = []
    for w in vm.watchdogs or []:
        model, action = text(w.model) or "", text(w.action) or ""
        devices.append(Device(kind="watchdog", label=model or None, detail={"model": model, "action": action}))
    for hd in vm.host_devices or []:
        detail = {"capability": hd.capability or "", "vendor": hd.vendor.name if hd.vendor else "",
                  "product": hd.product.name if hd.product else ""}  # fmt: skip
        devices.append(Device(kind="host_device", label=hd.name, detail={k: v or "" for k, v in detail.items()}))
    for cd in vm.cdroms or []:
        iso = cd.file.id if cd.file is not None else None
        devices.append(Device(kind="cdrom", label=cd.id, connected=iso is not None, iso=iso))
    if vm.usb is not None and vm.usb.enabled:
        devices.append(Device(kind="usb_controller", detail={"type": text(vm.usb.type) or ""}))
    if vm.tpm_enabled:
        devices.append(Device(kind="tpm"))
    return devices


def _facts(vm: types.Vm, status: str | None) -> OvirtVmFacts:
    bios = vm.bios
    return OvirtVmFacts(
        status=status,
        os_type=vm.os.type if vm.os is not None else None,
        bios_type=text(bios.type) if bios is not None else None,
        ballooned_memory=vm.memory_policy.ballooning if vm.memory_policy is not None else None,
        boot_menu_enabled=bios.boot_menu.enabled if bios is not None and bios.boot_menu is not None else None,
        custom_cpu_model=vm.custom_cpu_model or None,
        cpu_pinning_policy=text(vm.cpu_pinning_policy),
        cpu_shares=vm.cpu_shares,
        custom_properties={cp.name: cp.value or "" for cp in vm.custom_properties or [] if cp.name},
        display_type=text(vm.display.type) if vm.display is not None else None,
        ha_enabled=vm.high_availability.enabled if vm.high_availability is not None else None,
        has_illegal_images=vm.has_illegal_images,
        io_threads=vm.io.threads if vm.io is not None else None,
        placement_policy_affinity=text(vm.placement_policy.affinity) if vm.placement_policy is not None else None,
        storage_error_resume_behaviour=text(vm.storage_error_resume_behaviour),
        usb_enabled=vm.usb.enabled if vm.usb is not None else None,
    )


def vm_model(
    vm: types.Vm,
    source: str,
    *,
    clusters: Mapping[str, tuple[str | None, str | None]],
    profiles: Mapping[str, tuple[str | None, str | None]],
    sd_names: Mapping[str, str],
    numa_pins: Mapping[str, list[int]],
) -> VM:
    """``clusters``: id -> (datacenter id, BIOS type); ``profiles``: id -> (network id, name);
    ``numa_pins``: VM id -> host NUMA nodes (read beside the SDK, see fetch.py)."""
    status = text(vm.status)
    cluster_id = ref_id(vm.cluster)
    dc_id, cluster_bios = clusters.get(cluster_id, (None, None)) if cluster_id else (None, None)
    fw, secure = firmware(text(vm.bios.type) if vm.bios is not None else None, cluster_bios)
    topology = vm.cpu.topology if vm.cpu is not None else None
    cpus = cores = None
    if topology is not None and topology.sockets and topology.cores:
        cores = topology.cores
        cpus = topology.sockets * topology.cores * (topology.threads or 1)
    guest = vm.guest_operating_system
    reported = None
    if guest is not None and guest.distribution:
        version = guest.version.full_version if guest.version is not None else None
        reported = f"{guest.distribution} {version}" if version else guest.distribution
    nics = [_nic(n, profiles) for n in vm.nics or []]
    return VM(
        id=vm.id,
        source=source,
        name=vm.name or vm.id,
        uuid=vm.id,  # the engine uses the VM id as the SMBIOS UUID
        power_state=_POWER.get(status or "", PowerState.UNKNOWN),
        cpus=cpus,
        cores_per_socket=cores,
        memory_mib=None if vm.memory is None else vm.memory // MiB,
        firmware=fw,
        secure_boot=secure,
        guest_id=vm.os.type if vm.os is not None else None,
        guest_name_reported=reported,
        cpu_affinity=_cpu_affinity(vm),
        numa_affinity=list(numa_pins.get(vm.id, [])),
        tpm=vm.tpm_enabled,
        host=ref_id(vm.host),
        cluster=cluster_id,
        datacenter=dc_id,
        annotation=vm.description or None,
        guest_ips=[ip for n in nics for ip in n.ips],
        guest_hostname=vm.fqdn or None,
        disks=[_disk(a, sd_names) for a in vm.disk_attachments or []],
        nics=nics,
        snapshots=_snapshots(vm),
        devices=_devices(vm),
        ovirt=_facts(vm, status),
    )
