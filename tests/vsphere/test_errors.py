"""Wrong password, unreachable vCenter, TLS that does not verify: one clear line, the right exit
code, the previous snapshot untouched, the failed run recorded, and the password nowhere."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from factory.store import Store
from tests.peers.certs import make_certs
from tests.peers.ports import free_port
from tests.peers.vcsim.launcher import Vcsim

pytestmark = pytest.mark.slow


def _one_error_line(stderr: str, expected: str) -> None:
    lines = stderr.strip().splitlines()
    assert lines[0].startswith("error: ") and expected in lines[0], stderr
    assert len(lines) == 2 and lines[1].startswith("hint: "), stderr


@pytest.fixture(scope="module")
def sim_on_127_0_0_2(vcsim_factory: Callable[..., Vcsim]) -> Vcsim:
    """pyVmomi skips certificate checks for 127.0.0.1 when given no SSL context; a second
    loopback address makes sure verification is really exercised."""
    return vcsim_factory(host="127.0.0.2", vms=1)


def test_wrong_password_exits_2_and_keeps_the_previous_snapshot(
    vcsim: Vcsim, collect: Callable[..., Any], store: Store
) -> None:
    assert collect(vcsim, "--name", "vc").exit_code == 0
    before = store.inventory("vc")
    result = collect(vcsim, "--name", "vc", password="not-the-password")
    assert result.exit_code == 2
    _one_error_line(result.stderr, f"vCenter 127.0.0.1:{vcsim.port} rejected the login of user 'mfactory-admin'")
    after = store.inventory("vc")
    assert [vm.id for vm in after.vms] == [vm.id for vm in before.vms] and after.source == before.source
    assert [r.status for r in store.runs("vc")] in (["failed", "ok"], ["ok", "failed"])
    failed = next(r for r in store.runs("vc") if r.status == "failed")
    assert "rejected the login" in (failed.error or "")


def test_unreachable_vcenter_exits_1(collect: Callable[..., Any], vcsim: Vcsim, store: Store) -> None:
    port = free_port()
    result = collect(vcsim, "--port", str(port), "--name", "gone")
    assert result.exit_code == 1
    _one_error_line(result.stderr, f"cannot reach vCenter at 127.0.0.1:{port}: connection refused")
    assert [r.status for r in store.runs("gone")] == ["failed"]


def test_unverifiable_certificate_exits_2_without_ca_file(sim_on_127_0_0_2: Vcsim, collect: Callable) -> None:
    result = collect(sim_on_127_0_0_2, tls=False)
    assert result.exit_code == 2
    _one_error_line(result.stderr, "TLS certificate of 127.0.0.2:")
    assert "--ca-file" in result.stderr and "--insecure" in result.stderr


def test_verification_is_on_for_127_0_0_1_too(vcsim: Vcsim, collect: Callable) -> None:
    """pyVmomi would skip the check for 127.0.0.1; the collector always passes its own context."""
    result = collect(vcsim, tls=False)
    assert result.exit_code == 2
    _one_error_line(result.stderr, "TLS certificate of 127.0.0.1:")


def test_ca_file_verifies_the_certificate(sim_on_127_0_0_2: Vcsim, collect: Callable, store: Store) -> None:
    result = collect(sim_on_127_0_0_2, "--ca-file", str(sim_on_127_0_0_2.ca_file))
    assert result.exit_code == 0, result.stderr
    assert len(store.inventory("127.0.0.2").vms) == 2


def test_a_different_ca_does_not_verify(sim_on_127_0_0_2: Vcsim, collect: Callable, tmp_path: Path) -> None:
    other = make_certs(tmp_path / "other")
    result = collect(sim_on_127_0_0_2, "--ca-file", str(other.ca))
    assert result.exit_code == 2
    _one_error_line(result.stderr, "TLS certificate of 127.0.0.2:")


def test_insecure_skips_verification(sim_on_127_0_0_2: Vcsim, collect: Callable) -> None:
    assert collect(sim_on_127_0_0_2, "--insecure").exit_code == 0


def test_ca_file_and_insecure_exclude_each_other(vcsim: Vcsim, collect: Callable) -> None:
    result = collect(vcsim, "--insecure", "--ca-file", str(vcsim.ca_file))
    assert result.exit_code == 2
    _one_error_line(result.stderr, "--ca-file and --insecure exclude each other")


def test_password_from_a_file(vcsim: Vcsim, run_cli: Callable[..., Any], tmp_path: Path, store: Store) -> None:
    secret = tmp_path / "pw"
    secret.write_text(vcsim.password + "\n")
    result = run_cli(
        *("inventory", "collect", "vsphere", "--host", vcsim.host, "--port", str(vcsim.port)),
        *("--user", vcsim.user, "--password-file", str(secret), "--ca-file", str(vcsim.ca_file), "--name", "f"),
    )
    assert result.exit_code == 0, result.stderr
    assert len(store.inventory("f").vms) == 4


def test_missing_password_variable_exits_2(vcsim: Vcsim, run_cli: Callable[..., Any]) -> None:
    result = run_cli(
        *("inventory", "collect", "vsphere", "--host", vcsim.host, "--user", vcsim.user),
        *("--password-env", "MFACTORY_TEST_NO_SUCH_VARIABLE"),
    )
    assert result.exit_code == 2
    _one_error_line(result.stderr, "MFACTORY_TEST_NO_SUCH_VARIABLE is not set")


def test_the_password_appears_nowhere(
    vcsim: Vcsim,
    collect: Callable[..., Any],
    run_cli: Callable[..., Any],
    db_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    outputs = []
    for extra in ((), ("--name", "vc")):
        ok = run_cli("-v", *collect_args(vcsim, *extra), env={"VCPW": vcsim.password})
        assert ok.exit_code == 0, ok.stderr
        outputs += [ok.stdout, ok.stderr]
    bad = run_cli("-v", *collect_args(vcsim, "--name", "vc"), env={"VCPW": vcsim.password + "-wrong"})
    assert bad.exit_code == 2
    outputs += [bad.stdout, bad.stderr]
    for command in (("inventory", "list", "--json", "--templates"), ("inventory", "sources", "--json")):
        listed = run_cli(*command)
        json.loads(listed.stdout)
        outputs += [listed.stdout, listed.stderr]
    vm_id = json.loads(outputs[-4])["vms"][0]["id"]
    outputs.append(run_cli("inventory", "show", vm_id, "--source", "vc", "--json").stdout)
    outputs.append(caplog.text)
    assert any("DEBUG" in r.levelname for r in caplog.records)  # debug logging was really on
    for text in outputs:
        assert vcsim.password not in text
    for stored in db_path.parent.glob(db_path.name + "*"):
        assert vcsim.password.encode() not in stored.read_bytes()


def collect_args(sim: Vcsim, *extra: str) -> list[str]:
    return [
        *("inventory", "collect", "vsphere", "--host", sim.host, "--port", str(sim.port), "--user", sim.user),
        *("--password-env", "VCPW", "--ca-file", str(sim.ca_file), *extra),
    ]


def test_a_server_that_is_not_vcenter_exits_1(
    vcsim_certs: Any, collect: Callable[..., Any], vcsim: Vcsim, tmp_path: Path
) -> None:
    """A plain HTTPS server where vCenter should be: pyVmomi raises a bare Exception."""
    import ssl
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class NotFound(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_error(404)

        do_POST = do_GET

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), NotFound)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(vcsim_certs.cert, vcsim_certs.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = collect(vcsim, "--port", str(server.server_address[1]))
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 1
    _one_error_line(result.stderr, f"cannot log in to vCenter at 127.0.0.1:{server.server_address[1]}")


def test_vcenter_going_away_mid_collection_exits_1(
    vcsim_factory: Callable[..., Vcsim], collect: Callable[..., Any], store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import factory.sources.vsphere as vsphere

    sim = vcsim_factory(vms=1)
    real = vsphere.read_inventory

    def stop_then_read(content: Any, **kwargs: Any) -> Any:
        sim.stop()  # logged in; now the server is gone
        return real(content, **kwargs)

    monkeypatch.setattr(vsphere, "read_inventory", stop_then_read)
    result = collect(sim, "--name", "gone-mid-way")
    assert result.exit_code == 1
    _one_error_line(result.stderr, f"vCenter 127.0.0.1:{sim.port} failed during the collection")
    assert [r.status for r in store.runs("gone-mid-way")] == ["failed"]
