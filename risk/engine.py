"""Run the registry over inventories: the :func:`score` entry point.

Hot path for 100,000 VMs (bench/risk_score.py): rules are pre-selected per provider and
flattened into tuples, lookups are built once per inventory (:mod:`risk.context`), a rule
that passes allocates nothing, and the score is summed while the findings are collected.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence

from factory.model import Inventory
from factory.target import MappingFile, TargetProfile
from risk.context import build_run
from risk.registry import RULES, RULESET_VERSION
from risk.result import Finding, Level, RiskReport, VmRisk
from risk.rule import CRITICAL, INFORMATION, NE, WARNING, Rule
from risk.scoring import WEIGHTS

_new = tuple.__new__  # Finding(...) without the Python-level NamedTuple __new__: ~3x cheaper
_RANK = {CRITICAL: 0, WARNING: 1, INFORMATION: 2}
_WEIGHT_BY_RANK = (WEIGHTS[CRITICAL], WEIGHTS[WARNING], WEIGHTS[INFORMATION])
_LEVEL_BY_RANK: tuple[Level, ...] = ("blocked", "ready-with-warnings", "ready", "ready")


def _runnable(profile: TargetProfile | None, mapping: MappingFile | None) -> tuple[list[Rule], dict[str, str]]:
    have = {"profile": profile is not None, "mapping": mapping is not None}
    runnable, skipped = [], {}
    for r in RULES:
        missing = sorted(need for need in r.requires if not have[need])
        if missing:
            skipped[r.id] = "needs " + " and ".join(
                f"a {m} (--{'target' if m == 'profile' else 'mapping'})" for m in missing
            )
        else:
            runnable.append(r)
    return runnable, skipped


def score(
    inventories: Sequence[Inventory],
    profile: TargetProfile | None = None,
    mapping: MappingFile | None = None,
) -> RiskReport:
    """Score every non-template VM of ``inventories`` against every applicable rule."""
    # The run allocates up to a million small acyclic objects (findings). Each allocation
    # burst would trigger the cyclic GC, which then walks the whole inventory graph —
    # measured at more than half of the run time for 100,000 VMs. Nothing here makes cycles.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _score(inventories, profile, mapping)
    finally:
        if was_enabled:
            gc.enable()


def _score(inventories: Sequence[Inventory], profile: TargetProfile | None, mapping: MappingFile | None) -> RiskReport:
    runnable, skipped = _runnable(profile, mapping)
    run, contexts = build_run(inventories, profile, mapping)
    out: list[VmRisk] = []
    for inv, ctx in zip(inventories, contexts, strict=True):
        kind = inv.source.kind
        mine = [r for r in runnable if ctx.provider in r.providers]
        # Rules that never have data in this kind of source are not evaluated, for every VM.
        no_data = [r.id for r in mine if kind in r.no_data_in]
        plan = [(r.check, r.id, r.category, r.remediation) for r in mine if kind not in r.no_data_in]
        cluster_names = {c.id: c.name for c in inv.clusters}
        for vm in inv.vms:
            if vm.template:
                continue
            findings: list[Finding] = []
            not_evaluated: list[str] = list(no_data)
            penalty, worst_level = 0, 3
            for check, rid, cat, fix in plan:
                outcome = check(vm, ctx)
                if outcome is NE:
                    not_evaluated.append(rid)
                elif outcome:
                    # Same arithmetic as risk.scoring.score_and_level (tests hold them equal),
                    # done here to spare a second pass over the findings.
                    worst = 3
                    for message, subject, severity in outcome:
                        sev = severity or cat
                        findings.append(_new(Finding, (rid, sev, message, subject, fix)))
                        rank = _RANK[sev]
                        if rank < worst:
                            worst = rank
                    penalty += _WEIGHT_BY_RANK[worst]
                    if worst < worst_level:
                        worst_level = worst
            points = 100 - penalty if penalty < 100 else 0
            level = _LEVEL_BY_RANK[worst_level]
            _, os_family, os_name = ctx.os_for(vm)
            out.append(
                VmRisk(  # positional: keyword calls cost measurably at 100,000 VMs
                    vm.source,
                    vm.id,
                    vm.name,
                    points,
                    level,
                    findings,
                    not_evaluated,
                    ctx.provider,
                    cluster_names.get(vm.cluster, vm.cluster) if vm.cluster else None,
                    os_name,
                    os_family,
                    run.target_names.get((vm.source, vm.id)),
                    vm.power_state.value,
                )
            )
    return RiskReport(
        vms=out,
        ruleset_version=RULESET_VERSION,
        profile=profile is not None,
        mapping=mapping is not None,
        skipped_rules=skipped,
        capacity=None if profile is None else _capacity(inventories, profile, run.class_demand_gib),
    )


def _capacity(
    inventories: Sequence[Inventory], profile: TargetProfile, demand: dict[str, float]
) -> dict[str, dict[str, float | None]]:
    """What the estate asks of the target against what the profile offers (None: not given).
    vCPUs are compared with cores as they are; the overcommit ratio is the reader's call."""
    cpus = mem_mib = 0
    for inv in inventories:
        for vm in inv.vms:
            if not vm.template:
                cpus += vm.cpus or 0
                mem_mib += vm.memory_mib or 0
    out: dict[str, dict[str, float | None]] = {
        "vcpus": {"needed": cpus, "available": profile.nodes.cpu_cores},
        "memory_gib": {"needed": round(mem_mib / 1024, 1), "available": profile.nodes.memory_gib},
    }
    for sc in profile.storage_classes:
        out[f"storage_gib:{sc.name}"] = {"needed": round(demand.get(sc.name, 0.0), 1), "available": sc.capacity_gib}
    return out
