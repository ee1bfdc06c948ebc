"""`mfactory inventory ...`: import, collect, list and show the estate."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from factory.errors import InputError
from factory.model import Inventory, SourceKind
from factory.sources import ingest
from factory.sources.rvtools import RVToolsSource, default_source_name
from factory.store import RunRecord
from factory.views import names_by_id, vm_detail_json, vm_json
from mfactory.cli import collect
from mfactory.cli.state import STATE, console

inventory_app = typer.Typer(
    help="Inventory: import RVTools, collect from vCenter / RHV, list VMs.", no_args_is_help=True
)
inventory_app.add_typer(collect.collect_app, name="collect")


def register(app: typer.Typer) -> None:
    app.add_typer(inventory_app, name="inventory")


def print_run_summary(inventory: Inventory, record: RunRecord) -> None:
    """The import/collection summary: counts, then every warning."""
    counts = record.counts
    # counts["templates"] holds both templates a live source stored (listed with --templates) and
    # templates an importer skipped (RVTools), which are not in counts["vms"].
    stored_templates = counts["templates"] - inventory.templates_skipped
    listed = counts["vms"] - stored_templates
    templates = []
    if stored_templates:
        templates.append(f"{stored_templates} templates (list them with --templates)")
    if inventory.templates_skipped:
        templates.append(f"{inventory.templates_skipped} templates skipped")
    console.print(
        f"[bold]{inventory.source.name}[/] ({inventory.source.kind.value}): "
        f"{', '.join([f'{listed} VMs', *templates])}, "
        f"{counts['disks']} disks, {counts['nics']} NICs, {counts['hosts']} hosts, "
        f"{counts['clusters']} clusters, {counts['datastores']} datastores, {counts['networks']} networks"
    )
    for warning in record.warnings:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False)


@inventory_app.command("import-rvtools")
def import_rvtools(
    path: Path = typer.Argument(..., help="An RVTools .xlsx export, or a folder / .zip of its per-sheet CSV files."),
    name: str = typer.Option(None, "--name", help="Source name [default: the file name without extension]."),
) -> None:
    """Import an RVTools export, replacing that source's previous snapshot atomically."""
    if not path.exists():
        raise InputError(f"{path} does not exist", hint="pass the path of an RVTools .xlsx export or CSV folder")
    source = RVToolsSource(path=path, name=name or default_source_name(path))
    inventory, record = ingest(STATE.store(), source)
    print_run_summary(inventory, record)


@inventory_app.command("sources")
def sources(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the stored sources and their last run."""
    rows = STATE.store().sources()
    if as_json:
        out = [
            {
                "name": s.name,
                "kind": s.kind,
                "endpoint": s.endpoint,
                "collected_at": s.collected_at.isoformat() if s.collected_at else None,
                "vms": s.vms,
                "last_run": None
                if s.last_run is None
                else {
                    "status": s.last_run.status,
                    "finished_at": s.last_run.finished_at.isoformat(),
                    "counts": s.last_run.counts,
                    "warnings": s.last_run.warnings,
                    "error": s.last_run.error,
                },
            }
            for s in rows
        ]
        typer.echo(json.dumps({"sources": out}, indent=2))
        return
    table = Table("source", "kind", "endpoint", "VMs", "last run", "at", "warnings")
    for s in rows:
        run = s.last_run
        table.add_row(
            s.name,
            s.kind,
            s.endpoint or "",
            str(s.vms),
            run.status if run else "",
            run.finished_at.strftime("%Y-%m-%d %H:%M:%S") if run else "",
            str(len(run.warnings)) if run else "",
        )
    console.print(table)


def _inventories(source: str | None) -> list[Inventory]:
    store = STATE.store()
    if source is not None:
        return [store.inventory(source)]
    return store.inventories()


@inventory_app.command("list")
def list_vms(
    source: str = typer.Option(None, "--source", help="Only this source."),
    templates: bool = typer.Option(False, "--templates", help="Include templates (live sources only)."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON contract."),
) -> None:
    """List VMs (templates are left out unless --templates)."""
    rows = []
    for inventory in _inventories(source):
        names = names_by_id(inventory)
        kind = inventory.source.kind
        rows.extend(vm_json(vm, kind, names) for vm in inventory.vms if templates or not vm.template)
    if as_json:
        typer.echo(json.dumps({"vms": rows}, indent=1))
        return
    table = Table("source", "name", "power", "cpus", "memory MiB", "disks", "nics", "guest OS", "cluster", "host")
    for vm in rows:
        table.add_row(
            vm["source"],
            vm["name"],
            vm["power_state"],
            _text(vm["cpus"]),
            _text(vm["memory_mib"]),
            str(len(vm["disks"])),
            str(len(vm["nics"])),
            _text(vm["guest_os"]),
            _text(vm["cluster"]),
            _text(vm["host"]),
        )
    console.print(table)
    console.print(f"{len(rows)} VMs")


@inventory_app.command("show")
def show(
    vm_ref: str = typer.Argument(..., metavar="VM", help="VM id, UUID or name."),
    source: str = typer.Option(None, "--source", help="Look only in this source (names may repeat across sources)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show everything known about one VM."""
    store = STATE.store()
    matches = [vm for vm in store.find_vms(vm_ref) if source is None or vm.source == source]
    if not matches:
        raise InputError(f"no VM {vm_ref!r} in the store", hint="see `mfactory inventory list`")
    if len(matches) > 1:
        where = ", ".join(f"{vm.source}/{vm.id}" for vm in matches)
        raise InputError(f"{vm_ref!r} names {len(matches)} VMs ({where})", hint="pass the VM id or --source")
    vm = matches[0]
    inventory = store.inventory(vm.source)
    detail = vm_detail_json(vm, inventory.source.kind, names_by_id(inventory))
    if as_json:
        typer.echo(json.dumps(detail, indent=2))
        return
    _print_vm(detail, inventory.source.kind)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _print_vm(detail: dict, kind: SourceKind) -> None:
    table = Table(show_header=False, box=None)
    for key in (
        "id",
        "source",
        "provider",
        "name",
        "power_state",
        "cpus",
        "memory_mib",
        "firmware",
        "secure_boot",
        "guest_os",
        "datacenter",
        "cluster",
        "host",
        "folder",
        "nested_virt",
        "snapshots",
    ):
        table.add_row(f"[bold]{key}[/]", _text(detail[key]))
    for key, value in sorted(detail["labels"].items()):
        table.add_row(f"[bold]label[/] {key}", value)
    console.print(table)
    disks = Table("disk", "capacity", "used", "datastore", "mode", "rdm", "shared", "thin", "bus", title="disks")
    for d in detail["disks"]:
        disks.add_row(
            *(_text(d[k]) for k in ("key", "capacity_bytes", "used_bytes", "datastore", "mode")),
            *(_text(d[k]) for k in ("rdm", "shared", "thin", "bus")),
        )
    console.print(disks)
    nics = Table("model", "mac", "network", "connected", title="NICs")
    for n in detail["nics"]:
        nics.add_row(*(_text(n[k]) for k in ("model", "mac", "network", "connected")))
    console.print(nics)
