"""Parity with Forklift's ovirt Rego concerns (validation/policies/io/konveyor/forklift/ovirt).

oVirt-only VM settings live in ``vm.ovirt`` (:class:`factory.model.OvirtVmFacts`); when a
collector could not read them at all (``vm.ovirt is None``) every rule that needs them is
not evaluated. Inside those facts an unset optional string (custom CPU model, pinning
policy, placement affinity) means "not configured", as the engine API omits it.
Regexes are unanchored, as Rego's ``regex.match`` is.
"""

from __future__ import annotations

from risk.rules.ovirt.config import (
    ballooning,
    boot_menu,
    cpu_shares,
    cpu_tuning,
    custom_cpu,
    custom_props,
    ha,
    ha_reservation,
    host_devices,
    illegal_images,
    io_threads,
    ksm,
    name_rule,
    numa_tuning,
    online_snapshot,
    os_unsupported,
    pinning,
    placement,
    resume,
    secure_boot,
    spice,
    status,
    tpm,
    usb,
    watchdog,
)
from risk.rules.ovirt.hardware import (
    disk_capacity,
    disk_count,
    disk_interface,
    disk_status,
    disk_storage_type,
    nic_custom_properties,
    nic_interface,
    nic_network_filter,
    nic_passthrough,
    nic_port_mirroring,
    nic_qos,
    nic_unplugged,
    scsi_reservation,
    shared_disk,
)

# Forklift's order (its rego files, alphabetically).
RULES = (
    ballooning,
    boot_menu,
    custom_cpu,
    pinning,
    cpu_shares,
    cpu_tuning,
    custom_props,
    disk_count,
    disk_interface,
    disk_capacity,
    disk_status,
    disk_storage_type,
    spice,
    ha,
    ha_reservation,
    host_devices,
    illegal_images,
    io_threads,
    ksm,
    name_rule,
    nic_custom_properties,
    nic_interface,
    nic_network_filter,
    nic_passthrough,
    nic_unplugged,
    nic_port_mirroring,
    nic_qos,
    numa_tuning,
    online_snapshot,
    placement,
    scsi_reservation,
    secure_boot,
    shared_disk,
    resume,
    tpm,
    usb,
    os_unsupported,
    status,
    watchdog,
)
