"""What a rule is: metadata plus a pure predicate over one VM.

A predicate returns :data:`PASS` (an empty tuple), a sequence of hits made by :func:`hit`
(the rule fires, once per subject — a disk, a NIC, a device — or once for the VM), or :data:`NE`
when the data it needs is missing. ``NE`` is what turns "we do not know" into *not
evaluated* in the report instead of a silent pass (house style: never guess).

Rules are plain frozen dataclasses built by the :func:`rule` decorator; the registry in
:mod:`risk.registry` lists them in one explicit order.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal

from factory.model import VM, SourceKind

if TYPE_CHECKING:
    from risk.context import Context

Severity = Literal["Critical", "Warning", "Information"]
CRITICAL: Final = "Critical"
WARNING: Final = "Warning"
INFORMATION: Final = "Information"
SEVERITIES: Final = (CRITICAL, WARNING, INFORMATION)

VSPHERE: Final = frozenset({"vsphere"})
OVIRT: Final = frozenset({"ovirt"})
BOTH: Final = frozenset({"vsphere", "ovirt"})


class _NotEvaluated:
    """Sentinel: the rule could not be evaluated (the data it needs is unknown)."""

    _instance: _NotEvaluated | None = None

    def __new__(cls) -> _NotEvaluated:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NE"

    def __bool__(self) -> bool:  # so that `if outcome:` never mistakes NE for a hit
        return False


NE: Final = _NotEvaluated()
PASS: Final[tuple[()]] = ()


Hit = tuple[str, str | None, Severity | None]  # (message, subject, severity override)


def hit(message: str, subject: str | None = None, severity: Severity | None = None) -> Hit:
    """One firing of a rule. ``severity`` overrides the rule's category for rules whose
    severity depends on the target (e.g. nested virtualization is Critical only when the
    profile says no node offers it). A plain tuple: a run creates close to a million of
    them, and a NamedTuple costs four times as much to build."""
    return (message, subject, severity)


Outcome = Sequence[Hit] | _NotEvaluated
Check = Callable[[VM, "Context"], Outcome]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: Severity
    label: str
    rationale: str
    remediation: str
    providers: frozenset[str]
    needs: tuple[str, ...]  # model fields read, e.g. "vm.cbt", "disk.mode", "profile.storageClasses"
    check: Check = field(repr=False, compare=False)
    requires: frozenset[str] = frozenset()  # "profile" and/or "mapping": skipped without them
    no_data_in: frozenset[SourceKind] = frozenset()  # sources that never carry the data: always NE

    @property
    def origin(self) -> str:
        """``forklift`` for MTV's own concern ids, ``factory`` for ours."""
        return "factory" if self.id.startswith("factory.") else "forklift"


def rule(
    id: str,
    category: Severity,
    label: str,
    *,
    providers: frozenset[str],
    needs: Iterable[str],
    rationale: str,
    remediation: str,
    requires: Iterable[str] = (),
    no_data_in: Iterable[SourceKind] = (),
) -> Callable[[Check], Rule]:
    """Decorator: turn a predicate function into a :class:`Rule`."""

    def wrap(check: Check) -> Rule:
        return Rule(
            id=id,
            category=category,
            label=label,
            rationale=rationale,
            remediation=remediation,
            providers=providers,
            needs=tuple(needs),
            check=check,
            requires=frozenset(requires),
            no_data_in=frozenset(no_data_in),
        )

    return wrap


Fires = frozenset[Any] | Callable[[Any], bool]


def scan(items: Sequence[Any], attr: str, fires: Fires, make: Callable[[Any], Hit]) -> Outcome:
    """The common per-item shape: a hit for each item whose ``attr`` fires (is in the set,
    or makes the callable true); ``NE`` when none fires but some value is unknown
    (``None``); otherwise ``PASS``. The set form stays in C for the usual all-clear case."""
    if not items:
        return PASS
    values = list(map(_GETTERS.get(attr) or _getter(attr), items))
    if isinstance(fires, frozenset):
        if fires.isdisjoint(values):
            return NE if None in values else PASS
        return [make(i) for i, v in zip(items, values, strict=True) if v in fires]
    hits = [make(i) for i, v in zip(items, values, strict=True) if v is not None and fires(v)]
    return hits or (NE if None in values else PASS)


_GETTERS: dict[str, Callable[[Any], Any]] = {}


def _getter(attr: str) -> Callable[[Any], Any]:
    getter = _GETTERS.get(attr)
    if getter is None:
        getter = _GETTERS[attr] = operator.attrgetter(attr)
    return getter


def flag(value: Any, fires: bool, message: str) -> Outcome:
    """The common VM-level shape: ``NE`` for an unknown value, else one hit when it fires.
    ``message`` may use ``{value}`` and ``{count}`` (len of the value); it is formatted only
    when the rule fires, so that passing VMs pay no string work."""
    if value is None:
        return NE
    if not fires:
        return PASS
    if "{" in message:
        message = message.format(value=value, count=len(value) if hasattr(value, "__len__") else value)
    return (hit(message),)


def disk_subject(disk: Any) -> str:
    return disk.label or disk.file or disk.key


def nic_subject(nic: Any) -> str:
    return nic.label or nic.mac or nic.key
