"""Start and stop vcsim processes; used by the pytest fixtures and by bench/.

:func:`start_vcsim` builds (or reuses) the binary, starts it on a free port, waits for the URL
it prints, and returns a :class:`Vcsim` handle. ``stop()`` sends SIGTERM so vcsim removes its
datastore directories (which live under a TMPDIR we give it).
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.peers.certs import CertFiles, make_certs
from tests.peers.vcsim.build import ensure_binary

USER = "mfactory-admin"
PASSWORD = "vcsim-S3cret-passw0rd"  # distinctive, so tests can grep every output for it


@dataclass
class Vcsim:
    """A running vcsim. ``host`` is the address it listens on; ``ca_file`` verifies its cert."""

    host: str
    port: int
    user: str
    password: str = field(repr=False)
    url: str
    ca_file: Path
    process: subprocess.Popen[str] = field(repr=False)
    workdir: Path = field(repr=False)

    def connect(self, host: str | None = None) -> Any:
        """A pyvmomi ``ServiceInstance`` (insecure: this is for planting scenarios, not for
        testing TLS). Disconnect with ``pyVim.connect.Disconnect(si)``."""
        from pyVim.connect import SmartConnect

        context = ssl.create_default_context(cafile=str(self.ca_file))
        return SmartConnect(
            host=host or self.host,
            port=self.port,
            user=self.user,
            pwd=self.password,
            sslContext=context,
            disableSslCertValidation=False,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Vcsim:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_vcsim(
    *,
    host: str = "127.0.0.1",
    certs: CertFiles | None = None,
    vms: int = 2,
    clusters: int = 1,
    hosts: int = 3,
    standalone_hosts: int = 1,
    datastores: int = 2,
    portgroups: int = 2,
    nsx_portgroups: int = 1,
    opaque_networks: int = 1,
    delay_ms: int = 0,
    extra_args: tuple[str, ...] = (),
    timeout: float = 60.0,
) -> Vcsim:
    """Start one vcsim. ``vms`` is per resource-pool root: the total is
    ``vms * (clusters + standalone_hosts)``. Without ``certs`` a fresh CA is made."""
    binary = ensure_binary()
    workdir = Path(tempfile.mkdtemp(prefix="vcsim-"))
    certs = certs or make_certs(workdir / "certs")
    args = [
        str(binary),
        f"-l={host}:0",
        f"-username={USER}",
        f"-password={PASSWORD}",
        f"-tlscert={certs.cert}",
        f"-tlskey={certs.key}",
        f"-vm={vms}",
        f"-cluster={clusters}",
        f"-host={hosts}",
        f"-standalone-host={standalone_hosts}",
        f"-ds={datastores}",
        f"-pg={portgroups}",
        f"-nsx-pg={nsx_portgroups}",
        f"-nsx={opaque_networks}",
        f"-delay={delay_ms}",
        *extra_args,
    ]
    tmp = workdir / "tmp"
    tmp.mkdir()
    process = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp)},
        start_new_session=True,
    )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    line = process.stdout.readline().strip() if ready else ""
    if not line:
        process.kill()
        process.wait()
        shutil.rmtree(workdir, ignore_errors=True)
        raise RuntimeError(f"vcsim did not start within {timeout:.0f} s (exit code {process.poll()})")
    parts = urlsplit(line)
    assert parts.hostname is not None and parts.port is not None
    return Vcsim(parts.hostname, parts.port, USER, PASSWORD, line, certs.ca, process, workdir)


def main() -> None:
    """``python -m tests.peers.vcsim.launcher [--vms N] [--host 127.0.0.2]``: run one vcsim by
    hand (for a demo or to try the collector) until Ctrl-C."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--vms", type=int, default=2, help="VMs per resource-pool root (cluster or standalone host)")
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # unwind, so vcsim is stopped too
    with start_vcsim(vms=args.vms, host=args.host) as sim:
        print(f"url:      {sim.url}\nuser:     {sim.user}\npassword: {sim.password}\nca-file:  {sim.ca_file}")
        print(
            f"try:      VCPW={sim.password} mfactory inventory collect vsphere --host {sim.host} --port {sim.port} "
            f"--user {sim.user} --password-env VCPW --ca-file {sim.ca_file}",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            sim.process.wait()


if __name__ == "__main__":
    main()
