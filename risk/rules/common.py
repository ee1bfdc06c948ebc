"""Small facts shared by the vmware and ovirt rule families."""

from __future__ import annotations

import re

DISK_LIMIT = 165  # CNV-91554: the most disks a KubeVirt VM may have
# Forklift name.rego (vmware and ovirt): DNS-1123 subdomain shape, fewer than 64 characters.
NAME_RE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9.]*)?[A-Za-z0-9])?$")


def name_invalid(name: str) -> bool:
    return len(name) >= 64 or NAME_RE.match(name) is None
