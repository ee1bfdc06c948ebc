"""`mfactory inventory collect ovirt`: a live RHV / oVirt inventory through the engine API.

Exit codes: 2 for a rejected login, a certificate that does not verify or bad flags; 1 when
the engine cannot be reached or fails mid-collection. The source's previous snapshot stays
untouched on any failure, and the failed run is recorded.
"""

from __future__ import annotations

from pathlib import Path

import typer

from factory.sources import ingest
from factory.sources.credentials import Credentials, TlsSettings, read_password
from factory.sources.ovirt import OvirtSource
from mfactory.cli.state import STATE


def register(app: typer.Typer) -> None:
    """Attach this collector's command."""
    app.command("ovirt")(collect_ovirt)


def collect_ovirt(
    url: str = typer.Option(..., "--url", help="Engine API URL: https://ENGINE/ovirt-engine/api"),
    user: str = typer.Option(..., "--user", help="Engine user with its profile, e.g. admin@internal."),
    password_env: str = typer.Option(None, "--password-env", metavar="VAR", help="Read the password from $VAR."),
    password_file: Path = typer.Option(None, "--password-file", help="Read the password from this file."),
    ca_file: Path = typer.Option(None, "--ca-file", help="PEM file of the engine's CA."),
    insecure: bool = typer.Option(False, "--insecure", help="Do not verify the engine's certificate."),
    name: str = typer.Option(None, "--name", help="Source name [default: the engine host]."),
) -> None:
    """Collect VMs, clusters, hosts, storage domains, networks and vNIC profiles from the RHV
    engine, replacing that source's previous snapshot atomically."""
    from mfactory.cli.inventory import print_run_summary  # inventory imports this module

    credentials = Credentials(user=user, password=read_password(password_env, password_file))
    tls = TlsSettings(ca_file=ca_file, insecure=insecure)
    source = OvirtSource(url=url, credentials=credentials, tls=tls, name=name or "")
    inventory, record = ingest(STATE.store(), source)
    print_run_summary(inventory, record)
