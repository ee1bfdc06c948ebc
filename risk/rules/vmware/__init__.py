"""Parity with Forklift's vmware Rego concerns (validation/policies/io/konveyor/forklift/vmware).

Same id, category and condition as MTV; messages are ours. Each predicate reads the
normalized model and answers ``NE`` when the fact it needs is unknown (``None``), so an
RVTools import without, say, vPartition shows the free-space rule as not evaluated.
"""

from __future__ import annotations

from risk.rules.vmware.config import (
    cbt_disabled,
    consolidation_needed,
    cpu_affinity,
    dpm_enabled,
    drs_enabled,
    fault_tolerance,
    guest_disk_key,
    guest_freespace,
    host_affinity,
    hostname_default,
    hostname_empty,
    hotplug,
    missing_ip,
    name_rule,
    numa_affinity,
    os_unsupported,
    snapshot,
    tpm,
)
from risk.rules.vmware.hardware import (
    cbt_disk_disabled,
    datastore_missing,
    disk_capacity,
    disk_count,
    disk_independent,
    disk_serial,
    passthrough,
    rdm,
    shared_disk,
    sriov,
    usb_controller,
)

# Forklift's order (its rego files, alphabetically).
RULES = (
    cbt_disabled,
    cbt_disk_disabled,
    consolidation_needed,
    cpu_affinity,
    hotplug,
    datastore_missing,
    disk_count,
    disk_independent,
    disk_serial,
    disk_capacity,
    dpm_enabled,
    drs_enabled,
    fault_tolerance,
    guest_freespace,
    guest_disk_key,
    host_affinity,
    hostname_empty,
    hostname_default,
    missing_ip,
    name_rule,
    numa_affinity,
    passthrough,
    rdm,
    shared_disk,
    snapshot,
    sriov,
    tpm,
    usb_controller,
    os_unsupported,
)
