"""The one ordered registry of rules.

Order is report order: Forklift's vmware concerns, Forklift's ovirt concerns, then ours.
Bump :data:`RULESET_VERSION` whenever a rule is added, removed or changes its condition or
category, so stored findings can be told apart and recomputed (as Forklift's
``rules_version.rego`` does).
"""

from __future__ import annotations

from types import MappingProxyType

from risk.rule import Rule
from risk.rules import mapping, ovirt, target, vmware

RULESET_VERSION = 1

RULES: tuple[Rule, ...] = (
    *vmware.RULES,
    *ovirt.RULES,
    target.conversion_tier,
    target.tools_not_running,
    target.nic_model,
    target.nested_virt,
    target.disk_bus,
    target.secure_boot_dropped,
    target.tpm_state,
    target.name_collision,
    mapping.storage_unmapped,
    mapping.storage_class_missing,
    mapping.storage_rwo_only,
    mapping.storage_capacity,
    mapping.network_unmapped,
    mapping.pod_multiple,
    mapping.nad_missing,
)

RULES_BY_ID = MappingProxyType({r.id: r for r in RULES})
assert len(RULES_BY_ID) == len(RULES), "duplicate rule id"


def rules_for(provider: str) -> tuple[Rule, ...]:
    """The rules that apply to a provider's VMs, in registry order."""
    return tuple(r for r in RULES if provider in r.providers)
