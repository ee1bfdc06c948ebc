"""`mfactory inventory collect vsphere`: a live vCenter inventory in one PropertyCollector pass.

Exit codes: 2 for a rejected login, a certificate that does not verify or bad flags; 1 when
vCenter cannot be reached or fails mid-collection. The source's previous snapshot stays
untouched on any failure, and the failed run is recorded.
"""

from __future__ import annotations

from pathlib import Path

import typer

from factory.sources import ingest
from factory.sources.credentials import Credentials, TlsSettings, read_password
from factory.sources.vsphere import VSphereSource
from mfactory.cli.state import STATE


def register(app: typer.Typer) -> None:
    """Attach this collector's command."""
    app.command("vsphere")(collect_vsphere)


def collect_vsphere(
    host: str = typer.Option(..., "--host", help="vCenter host name or address."),
    port: int = typer.Option(443, "--port", help="vCenter HTTPS port."),
    user: str = typer.Option(..., "--user", help="vCenter user, e.g. administrator@vsphere.local."),
    password_env: str = typer.Option(None, "--password-env", metavar="VAR", help="Read the password from $VAR."),
    password_file: Path = typer.Option(None, "--password-file", help="Read the password from this file."),
    ca_file: Path = typer.Option(None, "--ca-file", help="PEM CA bundle that verifies the vCenter certificate."),
    insecure: bool = typer.Option(False, "--insecure", help="Do not verify the vCenter certificate."),
    name: str = typer.Option(None, "--name", help="Source name (default: the host)."),
) -> None:
    """Collect VMs, hosts, clusters, datastores and networks from vCenter, replacing that
    source's previous snapshot atomically."""
    from mfactory.cli.inventory import print_run_summary  # inventory imports this module

    credentials = Credentials(user=user, password=read_password(password_env, password_file))
    source = VSphereSource(
        host=host, port=port, credentials=credentials, tls=TlsSettings(ca_file=ca_file, insecure=insecure), name=name
    )
    inventory, record = ingest(STATE.store(), source)
    print_run_summary(inventory, record)
