"""Guest OS support tiers for conversion (``factory.os.conversion_tier``).

MTV certifies few guests (vm_os.rego); virt-v2v converts many more; some it cannot convert
at all. The tier tells the architect how much trouble conversion will be:

- ``certified``: MTV-supported (RHEL 7-10, Windows 10/11, Windows Server 2016-2025) — no finding.
- ``convertible``: virt-v2v converts it, MTV does not certify it — Information.
- ``unknown``: the source says only "other" — Warning: nobody can tell before trying.
- ``unconvertible``: no virt-v2v inspection/conversion support (BSD, Solaris, macOS,
  NetWare, DOS, pre-XP Windows, ESXi) — Critical: conversion will fail; only a raw copy
  without conversion (skipGuestConversion) or a rebuild moves it.

The sources are the vSphere guest id, the configured and tools-reported names, and the
oVirt os type; all lower-cased and joined, then matched against precompiled patterns.
"""

from __future__ import annotations

import functools
import re
from typing import Literal

from factory.model import VM

Tier = Literal["certified", "convertible", "unknown", "unconvertible"]

_CERTIFIED = re.compile(
    r"rhel(7|8|9|10)(_64)?guest|red hat enterprise linux (7|8|9|10)\b|rhel_(7|8|9|10)x64|rhel_(7|8|9|10)\b"
    r"|windows1[01]|windows (10|11)\b|windows_(10|11)|windows201[69]|windows202[25]|windows server 20(16|19|22|25)"
    r"|windows_20(16|19|22|25)|windows9server64guest|windows2019srv|windows2022srv|windows9_64guest|windows9guest"
)
_UNCONVERTIBLE = re.compile(
    r"solaris|freebsd|netbsd|openbsd|darwin|mac ?os|netware|os2|\bdos\b|win31|win95|win98|winnt|win2000"
    r"|windows 2000|windows nt|windows 9[58]|vmkernel|esxi?\b|unixware|openserver|\bsco\b|ecomstation"
)
_CONVERTIBLE = re.compile(
    r"rhel|red ?hat|centos|oracle|scientific|fedora|sles|suse|opensuse|debian|ubuntu|\balt|rocky|alma"
    r"|windows|win(xp|net|vista|7|8|longhorn)|xp|photon|amazon"
)
_FAMILIES = (
    (re.compile(r"rhel|red ?hat"), "RHEL"),
    (re.compile(r"centos|rocky|alma|oracle|scientific"), "RHEL-like"),
    (re.compile(r"windows ?server|srv|server64|winnet|windows_20|windows20|longhorn"), "Windows Server"),
    (re.compile(r"win"), "Windows"),
    (re.compile(r"sles|suse"), "SUSE"),
    (re.compile(r"ubuntu"), "Ubuntu"),
    (re.compile(r"debian"), "Debian"),
    (re.compile(r"linux|fedora|photon|amazon|coreos"), "Other Linux"),
    (re.compile(r"solaris|bsd|darwin|mac|netware|dos|os2|unix|sco|esx|vmkernel"), "Other (no conversion)"),
)


def os_key(vm: VM) -> tuple[str | None, str | None, str | None, str | None]:
    """What the sources say about the guest OS; the cache key of :func:`classify`."""
    facts = vm.ovirt
    return (vm.guest_id, vm.guest_name, vm.guest_name_reported, facts.os_type if facts is not None else None)


@functools.lru_cache(maxsize=8192)  # estates have few distinct OS descriptions
def classify(key: tuple[str | None, str | None, str | None, str | None]) -> tuple[Tier | None, str, str]:
    """(tier or None when nothing is known, family, label) for an :func:`os_key`."""
    text = " ".join(p for p in key if p).lower()
    gid, conf, tools, ovirt_os = key
    label = tools or conf or gid or ovirt_os or "unknown"
    if not text:
        return None, "Unknown", label
    return tier(text), _family(text), label


def tier(text: str) -> Tier:
    """The tier of a lower-cased OS description."""
    if _CERTIFIED.search(text):
        return "certified"
    if _UNCONVERTIBLE.search(text):
        return "unconvertible"
    if _CONVERTIBLE.search(text):
        return "convertible"
    return "unknown"


def _family(text: str) -> str:
    for pattern, name in _FAMILIES:
        if pattern.search(text):
            return name
    return "Other"
