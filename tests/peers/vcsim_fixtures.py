"""vcsim (govmomi's vCenter simulator) for tests: a real SOAP vCenter API on 127.0.0.1.

Fixtures (registered as a plugin in tests/conftest.py):

``vcsim`` (session)
    One running simulator: 1 datacenter ``DC0``, cluster ``DC0_C0`` of 3 hosts + standalone host
    ``DC0_H0``, 4 VMs (``DC0_H0_VM0``, ``DC0_H0_VM1``, ``DC0_C0_RP0_VM0``, ``DC0_C0_RP0_VM1``,
    powered on), datastores ``LocalDS_0`` / ``LocalDS_1``, standard network ``VM Network``,
    DV switch ``DVS0`` with portgroups ``DC0_DVPG0`` / ``DC0_DVPG1``, an NSX portgroup and an
    opaque network. Attributes: ``host``, ``port``, ``user``, ``password``, ``url``
    (``https://127.0.0.1:PORT/sdk``), ``ca_file`` (PEM of the CA that signed its certificate)
    and ``connect(host=None)`` -> a logged-in pyVmomi ServiceInstance (verified TLS). Treat it
    as read-only: other tests share it. ``vcsim.stop()`` is done for you at session end.

``vcsim_certs`` (session)
    The CA / server certificate / key files every instance uses (``.ca``, ``.cert``, ``.key``).

``vcsim_factory`` (session)
    ``vcsim_factory(vms=..., clusters=..., hosts=..., standalone_hosts=..., datastores=...,
    portgroups=..., host="127.0.0.2", delay_ms=..., extra_args=("-app=1",))`` starts another
    simulator (same handle type; ~0.1 s to start) for a test that changes the inventory, needs
    another size, or another loopback address. ``vms`` counts per resource-pool root: total =
    vms * (clusters + standalone_hosts). Every instance is stopped (SIGTERM) at session end;
    call ``.stop()`` to stop one earlier.

The binary is built from Debian's golang-go + golang-github-vmware-govmomi-dev on first use
(~25 s) and cached under ``~/.cache/mfactory/vcsim`` (``$MFACTORY_CACHE``), keyed by a hash
of its sources: see tests/peers/vcsim/build.py. The certificate covers IP 127.0.0.1 and
127.0.0.2 (pyvmomi itself skips verification for 127.0.0.1 when given no SSL context).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.peers.certs import CertFiles, make_certs
from tests.peers.vcsim.launcher import Vcsim, start_vcsim


@pytest.fixture(scope="session")
def vcsim_certs(tmp_path_factory: pytest.TempPathFactory) -> CertFiles:
    return make_certs(Path(tmp_path_factory.mktemp("vcsim-certs")))


@pytest.fixture(scope="session")
def vcsim_factory(vcsim_certs: CertFiles) -> Iterator[Callable[..., Vcsim]]:
    started: list[Vcsim] = []

    def start(**kwargs: Any) -> Vcsim:
        kwargs.setdefault("certs", vcsim_certs)
        instance = start_vcsim(**kwargs)
        started.append(instance)
        return instance

    yield start
    for instance in started:
        instance.stop()


@pytest.fixture(scope="session")
def vcsim(vcsim_factory: Callable[..., Vcsim]) -> Vcsim:
    return vcsim_factory()
