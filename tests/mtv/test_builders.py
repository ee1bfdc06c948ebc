"""The pure CR builders against golden YAML files (regenerate with MFACTORY_UPDATE_GOLDEN=1
after a deliberate change, and review the diff)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mappings import builders as b
from mappings import validate
from mappings.render import to_yaml
from tests.conftest import SCHEMAS

GOLDEN = Path(__file__).with_name("golden")
NS = "openshift-mtv"
SOURCE, HOST = b.Ref("vc1", NS), b.Ref("host", NS)
MAP = b.Ref("wave-01-vc1", NS)

CASES = {
    "provider-vsphere": (b.provider("vc1", NS, "vsphere", "vcenter.example.com", b.Ref("vc1-credentials", NS)), []),
    "provider-ovirt": (b.provider("rhv", NS, "ovirt", "https://engine.example.com/", b.Ref("rhv-credentials", NS)), []),
    "secret": (b.secret_template("vc1-credentials", NS, "vsphere"), []),
    "networkmap": (
        b.network_map(
            "wave-01-vc1", NS, "wave-01", SOURCE, HOST,
            [
                {"source": {"id": "dvportgroup-2"},
                 "destination": {"type": "multus", "name": "db", "namespace": "apps"}},
                {"source": {"id": "network-7"}, "destination": {"type": "pod"}},
                {"source": {"id": "network-9"}, "destination": {"type": "ignored"}},
            ],
        ),
        [],
    ),
    "storagemap": (
        b.storage_map(
            "wave-01-vc1", NS, "wave-01", SOURCE, HOST,
            [{"source": {"id": "datastore-1"}, "destination": {"storageClass": "ceph-rbd", "volumeMode": "Block"}}],
        ),
        [],
    ),
    "plan": (
        b.plan(
            "wave-01-p1", NS, "wave-01", source=SOURCE, destination=HOST, network_map=MAP, storage_map=MAP,
            target_namespace="apps", vms=[b.PlanVm("vm-12", "web01"), b.PlanVm("vm-13", "SQL Server", "sql-server")],
        ),
        ["web01", "SQL Server"],
    ),
    "migration": (b.migration("wave-01-p1", NS, "wave-01", b.Ref("wave-01-p1", NS), "2026-12-05T22:00:00Z"), []),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_builder_matches_golden_yaml(case: str) -> None:
    obj, comments = CASES[case]
    text = to_yaml(obj, id_comments=comments)
    path = GOLDEN / f"{case}.yaml"
    if os.environ.get("MFACTORY_UPDATE_GOLDEN"):
        path.write_text(text)
    assert text == path.read_text()
    assert validate(obj, SCHEMAS / "forklift") == []


def test_provider_url_forms() -> None:
    assert b.provider_url("vsphere", "https://vc.example.com/sdk") == "https://vc.example.com/sdk"
    assert b.provider_url("vsphere", "10.0.0.5") == "https://10.0.0.5/sdk"
    assert b.provider_url("ovirt", "engine.lab:8443") == "https://engine.lab:8443/ovirt-engine/api"


def test_schema_validation_catches_what_the_api_server_would() -> None:
    bad = b.migration("Wave_01", NS, "w", b.Ref("p", NS), "next friday")
    problems = validate(bad, SCHEMAS / "forklift")
    assert "metadata.name 'Wave_01' is not a DNS-1123 subdomain" in problems
    assert "spec.cutover: 'next friday' is not a 'date-time'" in problems
    net = CASES["networkmap"][0]
    broken = {**net, "spec": {**net["spec"], "map": [{"source": {"id": "x"}, "destination": {"type": "bridge"}}]}}
    assert validate(broken, SCHEMAS / "forklift") == [
        "spec.map.0.destination.type: 'bridge' is not one of ['pod', 'multus', 'ignored']"
    ]
