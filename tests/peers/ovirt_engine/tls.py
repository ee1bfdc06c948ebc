"""A throw-away certificate authority and server certificate for the engine test server.

The collector verifies TLS by default, so the tests need a real chain: a CA the client can
be given with ``--ca-file`` and a server certificate signed by it, with a SAN for
``IP:127.0.0.1`` (libcurl ignores the common name). Nothing here is trusted by the system,
which is exactly what the "TLS failure without --insecure" test relies on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.peers.certs import make_certs


@dataclass(frozen=True)
class TestCertificates:
    ca_file: Path
    cert_file: Path
    key_file: Path


def make_certificates(directory: Path, host: str = "127.0.0.1") -> TestCertificates:
    """Write ``ca.pem``, ``server.pem`` and ``server-key.pem`` into ``directory``."""
    files = make_certs(directory, addresses=(host,), dns_names=("localhost",), server_name=host)
    return TestCertificates(files.ca, files.cert, files.key)
