"""`mfactory risk ...`: score the stored estate, and write the architects' reports."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from factory.errors import InputError
from factory.model import Inventory
from factory.target import MappingFile, TargetProfile, load_mapping_file, load_target_profile
from mfactory.cli.state import STATE, console
from risk import RULES, RiskReport, report_json, score
from risk.reports import FORMATS, write_report

risk_app = typer.Typer(help="Risk: MTV concerns and target-aware rules per VM; reports.", no_args_is_help=True)

_LEVEL_STYLE = {"ready": "green", "ready-with-warnings": "yellow", "blocked": "bold red"}
_SEV_STYLE = {"Critical": "red", "Warning": "yellow", "Information": "blue"}


def register(app: typer.Typer) -> None:
    app.add_typer(risk_app, name="risk")


def _inventories(source: str | None) -> list[Inventory]:
    store = STATE.store()
    if source is not None:
        if source not in store.source_names():
            raise InputError(f"no source {source!r} in the store", hint="see `mfactory inventory sources`")
        return [store.inventory(source)]
    inventories = store.inventories()
    if not inventories:
        raise InputError("the store holds no inventory", hint="import or collect one first (`mfactory inventory ...`)")
    return inventories


def _run(target: Path | None, mapping: Path | None, source: str | None) -> RiskReport:
    # Validate the inputs before touching the store: a bad file is the user's to fix.
    profile: TargetProfile | None = load_target_profile(target) if target else None
    mapfile: MappingFile | None = load_mapping_file(mapping) if mapping else None
    return score(_inventories(source), profile, mapfile)


_TARGET = typer.Option(None, "--target", help="Target profile YAML (storage classes, networks, nodes).")
_MAPPING = typer.Option(None, "--mapping", help="Mapping file YAML (networks and storage, as Forklift maps).")
_SOURCE = typer.Option(None, "--source", help="Only this source.")


@risk_app.command("score")
def score_cmd(
    target: Path = _TARGET,
    mapping: Path = _MAPPING,
    source: str = _SOURCE,
    as_json: bool = typer.Option(False, "--json", help="Print the JSON contract."),
) -> None:
    """Score every VM: a 0-100 score, a level (ready / ready-with-warnings / blocked) and the findings."""
    report = _run(target, mapping, source)
    if as_json:
        typer.echo(json.dumps(report_json(report), indent=1))
        return
    table = Table("source", "VM", "level", "score", "C/W/I", "worst finding", "n/e", title="VMs, worst first")
    order = ("Critical", "Warning", "Information")
    for v in sorted(report.vms, key=lambda v: (v.score, v.source, v.name)):
        counts = "/".join(str(sum(1 for f in v.findings if f.severity == s)) for s in order)
        worst = min(v.findings, key=lambda f: order.index(f.severity), default=None)
        table.add_row(
            v.source,
            v.name,
            f"[{_LEVEL_STYLE[v.level]}]{v.level}[/]",
            str(v.score),
            counts,
            f"[{_SEV_STYLE[worst.severity]}]{worst.id}[/]" if worst else "",
            str(len(v.not_evaluated)) if v.not_evaluated else "",
        )
    console.print(table)
    levels = report.by_level()
    console.print(
        f"{len(report.vms)} VMs: [green]{levels['ready']} ready[/], "
        f"[yellow]{levels['ready-with-warnings']} ready with warnings[/], [red]{levels['blocked']} blocked[/]"
    )
    if report.skipped_rules:
        console.print(f"[dim]{len(report.skipped_rules)} rules skipped: pass --target and --mapping to run them[/]")


@risk_app.command("report")
def report_cmd(
    fmt: str = typer.Option(..., "--format", help=f"One of: {', '.join(FORMATS)}."),
    out: Path = typer.Option(..., "--out", help="File to write (replaced atomically)."),
    target: Path = _TARGET,
    mapping: Path = _MAPPING,
    source: str = _SOURCE,
) -> None:
    """Write the readiness report: self-contained HTML, XLSX with charts, CSV or JSON."""
    if fmt not in FORMATS:
        raise InputError(f"unknown report format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")
    report = _run(target, mapping, source)
    write_report(report, fmt, out)
    levels = report.by_level()
    console.print(
        f"wrote {out} ({fmt}): {len(report.vms)} VMs, {levels['blocked']} blocked, "
        f"{levels['ready-with-warnings']} with warnings"
    )


@risk_app.command("rules")
def rules_cmd(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List every rule: id, category, providers and what it checks."""
    from risk.reports.tabular import rules_json

    if as_json:
        typer.echo(json.dumps({"rules": rules_json()}, indent=1))
        return
    table = Table("rule", "category", "providers", "label")
    for r in RULES:
        table.add_row(r.id, f"[{_SEV_STYLE[r.category]}]{r.category}[/]", ", ".join(sorted(r.providers)), r.label)
    console.print(table)
