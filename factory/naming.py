"""Target names for migrated VMs: DNS-1123 renaming and collision-free assignment.

Shared by the risk scorer (which warns about renames and collisions) and the MTV emitter
(which writes ``targetName``), so that both agree on the name a VM will get.

The renaming follows Forklift's own ``ChangeVmName`` (pkg/controller/plan/util): lower-case,
``_ + * space / \\`` become ``-``, anything else outside ``[a-z0-9-]`` is dropped, dots
separate labels, runs of dashes collapse, 63 characters at most. Where Forklift appends a
random suffix (empty names, names already taken) we use a deterministic one, so that two
runs over the same inventory produce the same CRs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Protocol

MAX_LENGTH = 63  # Forklift caps target names at a DNS-1123 label length
_DASHED = re.compile(r"[_+* /\\]")
_NOT_ALLOWED = re.compile(r"[^a-z0-9-]")
_DASH_RUNS = re.compile(r"-{2,}")
_VALID = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")


class _Named(Protocol):
    source: str
    id: str
    name: str


def is_dns1123_name(name: str) -> bool:
    """True when ``name`` can be used as a target VM name unchanged."""
    return len(name) <= MAX_LENGTH and _VALID.match(name) is not None and ".." not in name


def _suffix(seed: str) -> str:
    return hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest()[:4]


def dns1123_name(name: str, seed: str | None = None) -> str:
    """The name Forklift would give a VM called ``name`` (deterministic for empty results:
    ``vm-`` plus four hex digits derived from ``seed`` or the name)."""
    return _rename(name) or f"vm-{_suffix(seed if seed is not None else name)}"


def _rename(name: str) -> str:
    if len(name) <= MAX_LENGTH and _VALID.match(name) and ".." not in name:
        return name  # already valid: the fast path for most estates
    labels = []
    for part in name.lower().strip(".-").split("."):
        part = _NOT_ALLOWED.sub("", _DASHED.sub("-", part))
        part = _DASH_RUNS.sub("-", part).strip("-")
        if len(part) > MAX_LENGTH:
            part = part[:MAX_LENGTH].strip("-")
        if part:
            labels.append(part)
    result = ".".join(labels)
    if len(result) > MAX_LENGTH:
        result = result[:MAX_LENGTH].strip(".-")
    return result


def unique_target_names(vms: Iterable[_Named]) -> dict[tuple[str, str], str]:
    """``(source, id) -> target name``, unique across ``vms`` (one target namespace).

    The first VM (in the given order) keeps the plain renamed name; later ones get ``-2``,
    ``-3``... (shortened to stay within 63 characters). A VM whose renamed name equals its
    own name is served first, so that a valid name is never the one that changes."""
    return renamed_and_unique(vms)[1]


def renamed_and_unique(vms: Iterable[_Named]) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], str]]:
    """Both ``(source, id) -> dns1123_name`` and :func:`unique_target_names`, in one pass."""
    base: dict[tuple[str, str], str] = {}
    first: list[tuple[tuple[str, str], str]] = []  # names that stay as they are go first
    later: list[tuple[tuple[str, str], str]] = []
    for vm in vms:
        key = (vm.source, vm.id)
        name = _rename(vm.name) or f"vm-{_suffix(f'{vm.source}/{vm.id}')}"
        base[key] = name
        (first if name == vm.name else later).append((key, name))
    taken: set[str] = set()
    result: dict[tuple[str, str], str] = {}
    for key, plain in first + later:
        name, n = plain, 1
        while name in taken:
            n += 1
            tail = f"-{n}"
            name = plain[: MAX_LENGTH - len(tail)].rstrip(".-") + tail
        taken.add(name)
        result[key] = name
    return base, {key: result[key] for key in base}
