"""Pure mapping rules of the oVirt collector (no server needed)."""

from __future__ import annotations

import pytest

from factory.sources.ovirt.connection import check_url, translate
from factory.sources.ovirt.fetch import numa_pins
from factory.sources.ovirt.vms import cpu_set, firmware


@pytest.mark.parametrize(
    ("spec", "cpus"),
    [("0-3", {0, 1, 2, 3}), ("0-3,^2,8", {0, 1, 3, 8}), ("5", {5}), ("", set()), ("x,2", {2})],
)
def test_cpu_set(spec: str, cpus: set[int]) -> None:
    assert cpu_set(spec) == cpus


@pytest.mark.parametrize(
    ("bios", "cluster", "expected"),
    [
        ("i440fx_sea_bios", None, ("bios", False)),
        ("q35_sea_bios", "q35_secure_boot", ("bios", False)),
        ("q35_ovmf", None, ("efi", False)),
        ("q35_secure_boot", None, ("efi", True)),
        ("cluster_default", "q35_secure_boot", ("efi", True)),
        ("cluster_default", "i440fx_sea_bios", ("bios", False)),
        ("cluster_default", None, (None, None)),
        (None, "q35_ovmf", (None, None)),
    ],
)
def test_firmware(bios: str | None, cluster: str | None, expected: tuple) -> None:
    assert firmware(bios, cluster) == expected


def test_numa_pins_from_page_xml() -> None:
    body = (
        b'<vms><vm id="a"><numa_nodes><vm_numa_node id="n0"><numa_node_pins><numa_node_pin><index>1</index>'
        b"</numa_node_pin></numa_node_pins></vm_numa_node><vm_numa_node id='n1'><numa_node_pins><numa_node_pin>"
        b'<index>0</index></numa_node_pin></numa_node_pins></vm_numa_node></numa_nodes></vm><vm id="b"/></vms>'
    )
    assert numa_pins(body) == {"a": [0, 1]}


def test_url_checks_and_secret_scrubbing() -> None:
    from pydantic import SecretStr

    from factory.sources.credentials import Credentials

    assert check_url("https://rhv.example.com/ovirt-engine/api/") == "https://rhv.example.com/ovirt-engine/api"
    with pytest.raises(Exception, match="does not end in /ovirt-engine/api"):
        check_url("https://rhv.example.com/")
    creds = Credentials("admin@internal", SecretStr("hunter2"))
    err = translate(RuntimeError("engine said hunter2 (500)"), "https://e/ovirt-engine/api", creds)
    assert "hunter2" not in err.message and "***" in err.message


def test_affinity_groups_old_and_new_shapes() -> None:
    import ovirtsdk4.types as t

    from factory.sources.ovirt.topology import cluster

    vms = [t.Vm(id="a"), t.Vm(id="b")]
    old = t.AffinityGroup(name="old", positive=False, enforcing=True, vms=vms)
    off = t.AffinityGroup(name="off", vms_rule=t.AffinityRule(enabled=False, positive=True), vms=vms)
    hosts = t.AffinityGroup(name="pin", vms=vms[:1], hosts=[t.Host(id="h")],
                            hosts_rule=t.AffinityRule(enabled=True, positive=True, enforcing=False))  # fmt: skip
    rules = cluster(t.Cluster(id="c", name="c", affinity_groups=[old, off, hosts])).affinity_rules
    assert [(r.name, r.kind, r.mandatory, r.vms, r.hosts) for r in rules] == [
        ("old", "vm_anti_affinity", True, ["a", "b"], []),
        ("pin", "vm_host", False, ["a"], ["h"]),
    ]
