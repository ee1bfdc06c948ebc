"""Shared pieces of the ovirt rule family: the patterns (unanchored, as Rego's
``regex.match`` is) and small rule-body factories."""

from __future__ import annotations

import re
from typing import Any

from factory.model import VM
from risk.context import Context
from risk.rule import NE, OVIRT, PASS, Outcome, flag, hit, rule

PINNING = re.compile(r"resize_and_pin_numa|isolate_threads")
DISK_IFACE_OK = re.compile(r"sata|virtio_scsi|virtio")
NIC_IFACE_OK = re.compile(r"e1000|rtl8139|virtio")
PASSTHROUGH = re.compile(r"pci_passthrough")
MIGRATABLE = re.compile(r"\bmigratable\b")
TPM_OS = re.compile(r"windows_2022|windows_11")
RHEL6 = re.compile(r"rhel_6|rhel_6x64")
STATUS_OK = re.compile(r"up|down")
ILLEGAL = re.compile(r"illegal|locked")


def fact(attr: str, fires: Any, message: str, *, unset_is_off: bool = False):
    """A rule body over one ``vm.ovirt`` attribute."""

    def check(vm: VM, ctx: Context) -> Outcome:
        facts = vm.ovirt
        if facts is None:
            return NE
        value = getattr(facts, attr)
        if value is None:
            return PASS if unset_is_off else NE
        fired = value in fires if isinstance(fires, frozenset) else fires(value)
        return (hit(message.format(value=value)),) if fired else PASS

    return check


def ovirt_rule(id: str, cat: Any, label: str, needs: list[str], rationale: str, remediation: str):
    return rule(id, cat, label, providers=OVIRT, needs=needs, rationale=rationale, remediation=remediation)


def cluster_check(attr: str, message: str):
    def check(vm: VM, ctx: Context) -> Outcome:
        cluster = ctx.cluster(vm)
        value = None if cluster is None else getattr(cluster, attr)
        return flag(value, value is True, message)

    return check
