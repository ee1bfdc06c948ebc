"""`mfactory mtv ...`: emit MTV custom resources per wave as a GitOps tree, and apply it."""

from __future__ import annotations

from pathlib import Path

import typer

from factory.errors import InputError
from factory.target import load_mapping_file, load_target_profile
from factory.waves import load_waves
from mappings import EmitOptions, build_tree, validate, write_tree
from mappings.apply import apply_tree, client_from
from mfactory.cli.state import STATE, console

mtv_app = typer.Typer(
    help="MTV: emit Providers, maps, Plans and Migrations per wave; apply them.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(mtv_app, name="mtv")


@mtv_app.command("emit")
def emit(
    waves: Path = typer.Option(Path("waves.json"), "--waves", help="The wave plan."),
    target: Path = typer.Option(..., "--target", help="Target profile YAML (target namespace)."),
    mapping: Path = typer.Option(..., "--mapping", help="Mapping file YAML (networks and storage)."),
    out: Path = typer.Option(..., "--out", help="Folder for the GitOps tree (replaced whole)."),
    namespace: str = typer.Option("openshift-mtv", "--namespace", help="Namespace of MTV's objects."),
    destination: str = typer.Option("host", "--destination-provider", help="MTV's Provider for this cluster."),
    warm: bool = typer.Option(False, "--warm", help="Warm migrations (cutover at each wave's window start)."),
    schemas: Path = typer.Option(None, "--schemas", help="Validate every object against the CRDs in this folder."),
) -> None:
    """Write DIR/<wave>/ with NetworkMap, StorageMap, Plans and Migrations, plus providers/."""
    doc = load_waves(waves)
    profile = load_target_profile(target)
    mapping_file = load_mapping_file(mapping)
    tree = build_tree(
        doc,
        STATE.store().inventories(),
        profile,
        mapping_file,
        EmitOptions(namespace=namespace, destination_provider=destination, warm=warm),
    )
    if schemas is not None:
        problems = [
            f"{path}: {p}" for path, objs in sorted(tree.objects.items()) for o in objs for p in validate(o, schemas)
        ]
        if problems:
            raise InputError(f"{len(problems)} schema problems, first: {problems[0]}", hint="nothing was written")
    write_tree(tree, out)
    waves_written = sum(1 for p in tree.files if p.endswith("/kustomization.yaml") and not p.startswith("providers/"))
    plans = sum(1 for p in tree.files if "/plan-" in p)
    console.print(f"{waves_written} waves, {plans} plans written to {out}")
    for item in tree.left_out:
        console.print(
            f"[yellow]left out:[/] {item['wave']} {item['source']}/{item['name']} ({item['id']}): {item['reason']}",
            highlight=False,
        )


@mtv_app.command("apply")
def apply(
    folder: Path = typer.Argument(..., help="A tree written by `mfactory mtv emit`."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Server-side dry run: validate, change nothing."),
    kubeconfig: Path = typer.Option(None, "--kubeconfig", help="[default: $KUBECONFIG, ~/.kube/config, in-cluster]"),
    context: str = typer.Option(None, "--context", help="Kubeconfig context."),
    force: bool = typer.Option(False, "--force", help="Take over fields other managers own (apply conflicts)."),
) -> None:
    """Server-side apply, in wave order: providers, then each wave's maps, Plans, Migrations."""
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder", hint="pass the --out folder of `mfactory mtv emit`")
    api = client_from(kubeconfig, context)
    with api:
        done = apply_tree(
            folder,
            api,
            dry_run=dry_run,
            force=force,
            progress=lambda a: console.print(f"{a.kind.lower()}/{a.name} {a.status}", highlight=False),
        )
    console.print(f"{len(done)} objects applied{' (dry run)' if dry_run else ''}")
