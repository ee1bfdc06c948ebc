"""Pytest fixtures for the local oVirt engine API server (registered in tests/conftest.py).

``ovirt_engine`` (session scope) is one HTTPS engine on 127.0.0.1 with a free port and a test
CA. It yields an :class:`OvirtEngine`:

* ``url`` — the API URL (``https://127.0.0.1:PORT/ovirt-engine/api``), ``user``, ``password``,
  ``ca_file`` (PEM of the test CA; the system does not trust it, so a client without
  ``ca_file`` / ``insecure`` fails TLS verification);
* ``load(inventory)`` — serve another :class:`~tests.peers.ovirt_engine.EngineInventory`
  (build one with ``tests.peers.ovirt_engine.generate(n)`` or the ``make_*`` helpers); tests
  share the server, so each test loads what it needs first;
* ``log`` — the :class:`~tests.peers.ovirt_engine.RequestLog`: ``clear()``, ``snapshot()``,
  ``api_calls()`` (requests under ``/ovirt-engine/api``) with method, path, query, status;
* ``register_disk_file(disk_id, path)`` — make ``path`` the bytes of that disk for image
  transfers: ``POST .../imagetransfers`` (``<image_transfer><disk id=".."/><direction>download
  </direction></image_transfer>``), poll ``GET .../imagetransfers/{id}`` until ``phase`` is
  ``transferring``, GET ``transfer_url`` or ``proxy_url`` (``Range`` supported, no token), then
  ``POST .../imagetransfers/{id}/finalize``;
* ``revoke_tokens()`` — forget the SSO tokens, so the next API call gets a 401.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.peers.ovirt_engine import EngineInventory, EngineServer, RequestLog, make_certificates

USER = "admin@internal"
PASSWORD = "Engine-Pa55-7f3c"  # distinctive, so tests can grep for leaks


@dataclass
class OvirtEngine:
    server: EngineServer
    url: str
    user: str
    password: str
    ca_file: Path

    @property
    def log(self) -> RequestLog:
        return self.server.log

    def load(self, inventory: EngineInventory) -> None:
        self.server.load(inventory)

    def register_disk_file(self, disk_id: str, path: Path) -> None:
        self.server.register_disk_file(disk_id, path)

    def revoke_tokens(self) -> None:
        self.server.revoke_tokens()


@pytest.fixture(scope="session")
def ovirt_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OvirtEngine]:
    certs = make_certificates(tmp_path_factory.mktemp("ovirt-engine-tls"))
    server = EngineServer(EngineInventory(), certs, user=USER, password=PASSWORD).start()
    try:
        yield OvirtEngine(server, server.url, USER, PASSWORD, certs.ca_file)
    finally:
        server.stop()
