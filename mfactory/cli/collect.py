"""`mfactory inventory collect ...`: live collectors. Each provider adds its command here."""

from __future__ import annotations

import typer

from mfactory.cli import collect_ovirt, collect_vsphere

collect_app = typer.Typer(help="Collect a live inventory from vCenter or the RHV engine.", no_args_is_help=True)
collect_vsphere.register(collect_app)
collect_ovirt.register(collect_app)
