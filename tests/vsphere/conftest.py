"""Fixtures of the vSphere collector tests: a vcsim with the planted scenario, and a helper
that runs `mfactory inventory collect vsphere` against a simulator."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import CliResult
from tests.peers.vcsim.launcher import Vcsim
from tests.vsphere.scenario import plant

PASSWORD_ENV = "MFACTORY_TEST_VC_PASSWORD"


@dataclass(frozen=True)
class Planted:
    sim: Vcsim
    ids: dict[str, str]


@pytest.fixture(scope="module")
def planted(vcsim_factory: Callable[..., Vcsim]) -> Planted:
    """A vcsim of its own (tests change it), with the scenario of tests/vsphere/scenario.py."""
    sim = vcsim_factory(vms=4)
    si = sim.connect()
    return Planted(sim, plant(si))


@pytest.fixture
def collect(run_cli: Callable[..., CliResult]) -> Callable[..., CliResult]:
    """``collect(sim, *extra_flags, name=None, host=None)``: the collect command with the
    password in an environment variable and the simulator's CA, unless flags say otherwise."""

    def run(sim: Vcsim, *extra: str, host: str | None = None, password: str | None = None, tls: bool = True) -> Any:
        args = ["inventory", "collect", "vsphere", "--host", host or sim.host, "--port", str(sim.port)]
        args += ["--user", sim.user, "--password-env", PASSWORD_ENV]
        if tls and "--insecure" not in extra and "--ca-file" not in extra:
            args += ["--ca-file", str(sim.ca_file)]
        return run_cli(*args, *extra, env={PASSWORD_ENV: password if password is not None else sim.password})

    return run


@pytest.fixture
def listed(run_cli: Callable[..., CliResult]) -> Callable[..., dict[str, dict[str, Any]]]:
    """``listed(*flags)``: `inventory list --json` as {VM name: row}."""

    def run(*flags: str) -> dict[str, dict[str, Any]]:
        result = run_cli("inventory", "list", "--json", *flags)
        assert result.exit_code == 0, result.stderr
        return {row["name"]: row for row in json.loads(result.stdout)["vms"]}

    return run
