"""`mfactory waves ...`: plan waves, and the CSV round trip for spreadsheet editing."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from factory.errors import InputError
from factory.target import MappingFile, TargetProfile, load_mapping_file, load_target_profile
from factory.waves import (
    PlanSettings,
    export_csv,
    import_csv,
    load_waves,
    load_windows,
    parse_env_order,
    parse_group_by,
    write_waves,
)
from factory.waves.document import atomic_write, dumps
from factory.waves.planner import Context
from mfactory.cli.state import STATE, console

waves_app = typer.Typer(help="Waves: plan migration waves into cutover windows; CSV round trip.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(waves_app, name="waves")


def _target(target: Path | None, mapping: Path | None) -> tuple[TargetProfile | None, MappingFile | None]:
    return (
        load_target_profile(target) if target else None,
        load_mapping_file(mapping) if mapping else None,
    )


@waves_app.command("plan")
def plan(
    target: Path = typer.Option(None, "--target", help="Target profile YAML (capacity checks, risk rules)."),
    mapping: Path = typer.Option(None, "--mapping", help="Mapping file YAML (storage classes for capacity)."),
    windows: Path = typer.Option(None, "--windows", help="Cutover windows YAML."),
    max_vms_per_plan: int = typer.Option(100, "--max-vms-per-plan", min=1, max=500),
    max_inflight_per_host: int = typer.Option(10, "--max-inflight-per-host", min=1),
    throughput_mibs: float = typer.Option(None, "--throughput-mibs", min=1, help="MiB/s per host [default: 250]."),
    group_by: list[str] = typer.Option([], "--group-by", help="Keep VMs with the same label together: label:KEY."),
    pilot_size: int = typer.Option(5, "--pilot-size", min=0, help="VMs in the pilot wave (0: no pilot)."),
    env_order: str = typer.Option(None, "--env-order", help="Environment order, e.g. label:env=dev,test,prod."),
    max_vms_per_wave: int = typer.Option(None, "--max-vms-per-wave", min=1, help="[default: 500 without windows]"),
    max_vms_per_host: int = typer.Option(None, "--max-vms-per-host", min=1, help="Cap VMs per source host per wave."),
    out: Path = typer.Option(Path("waves.json"), "--out", help="Where to write the plan."),
    as_json: bool = typer.Option(False, "--json", help="Also print the plan as JSON."),
) -> None:
    """Plan every VM of the store into waves; blocked VMs (Critical findings) are left out."""

    settings = PlanSettings(
        max_vms_per_plan=max_vms_per_plan,
        max_inflight_per_host=max_inflight_per_host,
        throughput_mibs=throughput_mibs,
        group_by=parse_group_by(group_by),
        pilot_size=pilot_size,
        env_order=parse_env_order(env_order),
        max_vms_per_wave=max_vms_per_wave,
        max_vms_per_host=max_vms_per_host,
    )
    profile, mapping_file = _target(target, mapping)
    cutover = load_windows(windows) if windows else None
    store = STATE.store()
    inventories = store.inventories()
    if not inventories:
        raise InputError("the store holds no inventory", hint="run `mfactory inventory import-rvtools` or collect")
    from mfactory.planning import plan_scored_waves  # imports the risk rules only when planning

    doc = plan_scored_waves(
        inventories,
        settings=settings,
        windows=cutover,
        profile=profile,
        mapping=mapping_file,
        samples=store.throughput_samples(),
    )
    doc["settings"]["target"] = str(target) if target else None
    doc["settings"]["mapping"] = str(mapping) if mapping else None
    write_waves(doc, out)
    if as_json:
        typer.echo(dumps(doc), nl=False)
        return
    _print(doc, out)


def _print(doc: dict, out: Path) -> None:
    table = Table("wave", "window", "VMs", "plans", "estimate", "bottleneck", "capacity")
    for wave in doc["waves"]:
        bn = wave["bottleneck"]
        cap = wave["capacity"]
        table.add_row(
            wave["name"],
            wave["window"]["start"] if wave["window"] else "",
            str(len(wave["vms"])),
            str(len(wave["plans"])),
            wave["estimate"],
            f"{bn['name']} ({bn['source']})" if bn else "",
            "" if cap is None else ("[red]overflow[/]" if cap["overflow"] else "ok"),
        )
    console.print(table)
    console.print(
        f"{sum(len(w['vms']) for w in doc['waves'])} VMs in {len(doc['waves'])} waves, "
        f"{len(doc['excluded'])} excluded (blocked), {len(doc['unplaced'])} unplaced; written to {out}"
    )
    for ref in doc["unplaced"][:20]:
        console.print(f"[yellow]unplaced:[/] {ref['source']}/{ref['name']}: {ref['reason']}", highlight=False)


@waves_app.command("export")
def export(
    waves: Path = typer.Option(Path("waves.json"), "--waves", help="The plan to export."),
    csv_format: bool = typer.Option(False, "--csv", help="CSV, one row per VM (the only format)."),
    out: Path = typer.Option(None, "--out", help="Write to FILE instead of stdout."),
) -> None:
    """Export the plan as CSV: edit the wave column, then `mfactory waves import`."""
    if not csv_format:
        raise InputError("choose an export format", hint="pass --csv")
    text = export_csv(load_waves(waves))
    if out is None:
        typer.echo(text, nl=False)
    else:
        atomic_write(out, text)


@waves_app.command("import")
def import_(
    path: Path = typer.Argument(..., help="The edited CSV."),
    waves: Path = typer.Option(Path("waves.json"), "--waves", help="The plan to update in place."),
    as_json: bool = typer.Option(False, "--json", help="Print the new plan as JSON."),
) -> None:
    """Re-import an edited CSV; moves that split a group or break a limit are refused."""
    doc = load_waves(waves)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}", hint="check the path") from None
    fields = PlanSettings.model_fields
    settings = PlanSettings.model_validate({k: v for k, v in doc.settings.items() if k in fields})
    target, mapping = doc.settings.get("target"), doc.settings.get("mapping")
    profile, mapping_file = _target(Path(target) if target else None, Path(mapping) if mapping else None)
    store = STATE.store()
    ctx = Context.build(store.inventories(), settings, store.throughput_samples(), profile, mapping_file)
    new = import_csv(doc, text, ctx)
    write_waves(new, waves)
    if as_json:
        typer.echo(json.dumps(new, indent=1))
        return
    _print(new, waves)
