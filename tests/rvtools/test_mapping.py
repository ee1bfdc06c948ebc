"""Generated RVTools exports (xlsx, CSV folder, CSV zip) imported through the CLI: every
field of the `inventory list --json` contract, and the model details behind `show`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factory.samples import SAMPLE_RVTOOLS, make_sample
from factory.samples.generator import write_csv_dir, write_csv_zip, write_xlsx
from tests.rvtools.helpers import MIB, expected_vm, listed, vms_of

ESTATE = make_sample.build()
WRITERS = {
    "xlsx": lambda tmp: write_xlsx(ESTATE, tmp / "export.xlsx"),
    "xlsx-serial-dates": lambda tmp: write_xlsx(ESTATE, tmp / "export.xlsx", serial_dates=True),
    "xlsx-legacy-headers": lambda tmp: write_xlsx(ESTATE, tmp / "export.xlsx", legacy=True),
    "csv-folder": lambda tmp: write_csv_dir(ESTATE, tmp / "RVTools_export_all"),
    "csv-zip": lambda tmp: write_csv_zip(ESTATE, tmp / "export.zip"),
}


@pytest.mark.parametrize("form", list(WRITERS))
def test_contract_field_by_field(form, tmp_path, run_cli):
    path = WRITERS[form](tmp_path)
    result = run_cli("inventory", "import-rvtools", path, "--name", "east")
    assert result.exit_code == 0, result.stderr
    assert "39 VMs, 1 templates skipped" in result.stdout
    got = listed(run_cli)
    want = {vm.moref: expected_vm(vm, "east") for vm in vms_of(ESTATE)}
    assert set(got) == set(want)
    for vm_id, expected in want.items():
        assert list(got[vm_id]) == list(expected), "contract field names and order"
        for field, value in expected.items():
            assert got[vm_id][field] == value, (vm_id, field)


def test_risky_vms_in_detail(tmp_path, run_cli):
    assert run_cli("inventory", "import-rvtools", SAMPLE_RVTOOLS).exit_code == 0

    def show(ref: str) -> dict:
        result = run_cli("inventory", "show", ref, "--json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    rdm = show("reporting-01")["disks"][1]
    assert (rdm["rdm"], rdm["rdm_mode"], rdm["thin"]) == (True, "physical", False)
    assert show("reporting-02")["disks"][1]["mode"] == "independent_persistent"
    for node in ("sqlcluster-01", "sqlcluster-02"):
        assert show(node)["disks"][1]["shared"] is True
    assert show("mail-02")["nics"][0]["model"] == "e1000"
    assert show("hr-portal-01")["nics"][0]["model"] == "e1000e"
    hr = show("hr-portal-01")
    assert (hr["firmware"], hr["secure_boot"]) == ("efi", True)
    assert show("hr-portal-04")["power_state"] == "suspended"

    intranet = show("intranet-03")["model"]
    assert intranet["devices"] == [
        {
            "kind": "cdrom",
            "label": "CD/DVD drive 1",
            "connected": True,
            "iso": "[iso-library] images/rhel-8.9-x86_64-dvd.iso",
            "detail": {"type": "ISO [iso-library] images/rhel-8.9-x86_64-dvd.iso", "start_connected": "True"},
        }
    ]
    assert [d["kind"] for d in show("ci-02")["model"]["devices"]] == ["cdrom", "usb_controller"]

    crm = show("crm-01")["model"]
    assert crm["snapshots"][0]["name"] == "patch-tuesday"
    assert crm["snapshots"][0]["persist_memory"] is True
    assert crm["snapshots"][0]["created_at"] == "2025-03-11T21:00:00"
    assert crm["snapshots"][0]["size_bytes"] == 4096 * MIB
    assert show("ci-03")["snapshots"] == 2

    mail = show("mail-03")["model"]["guest_filesystems"][0]
    assert mail["free_bytes"] == 300 * MIB

    odd = show("CRM_Legacy App 05")
    assert odd["id"] == "vm-1011"
    assert show("vm-1011")["name"] == "CRM_Legacy App 05"  # by MoRef too

    billing = show("billing-01")["model"]
    assert billing["uuid"] == "42120001-7d3c-4b1a-9e2f-000000000001"
    assert billing["instance_uuid"] == "50120001-7d3c-4b1a-9e2f-000000000001"
    assert (billing["cpu_hot_add"], billing["memory_hot_add"], billing["cpu_hot_remove"]) == (True, True, False)
    assert (billing["cbt"], billing["disk_enable_uuid"]) == (True, False)
    assert billing["cores_per_socket"] == 2
    assert billing["tools_status"] == "toolsOk"
    assert billing["guest_ips"] == ["10.20.1.10"]
    assert billing["guest_hostname"] == "billing-01.corp.example"
    assert billing["annotation"] == "billing server 1 (prod); contact finance-it@corp.example"
    assert billing["host"] == "host-22"  # vHost Object ID
    assert billing["cluster"] == "domain-c8"
    assert billing["disks"][0]["datastore"] == "datastore-102"
    assert billing["nics"][0]["network"] == "dvportgroup-51"
    assert show("sqlcluster-03")["model"]["disk_enable_uuid"] is True
    assert show("mail-04")["model"]["tools_status"] == "toolsOld"
    assert show("intranet-01")["model"]["cbt"] is True
    assert show("ci-01")["model"]["cbt"] is False  # blank CBT cell: disabled


def test_topology_and_source(tmp_path, store):
    from factory.sources import ingest
    from factory.sources.rvtools import RVToolsSource

    ingest(store, RVToolsSource(path=SAMPLE_RVTOOLS, name="east"))
    inv = store.inventory("east")
    assert inv.source.endpoint == "vcenter.corp.example"
    assert inv.source.api_version == "8.0.2.0"
    assert inv.source.collected_at is not None and inv.source.collected_at.year == 2025
    hosts = {h.name: h for h in inv.hosts}
    assert hosts["esx04.corp.example"].in_maintenance is True
    assert (hosts["esx01.corp.example"].id, hosts["esx01.corp.example"].cluster) == ("host-21", "domain-c8")
    assert hosts["esx01.corp.example"].memory_bytes == 524288 * MIB
    assert hosts["esx01.corp.example"].cpu_cores == 32
    assert hosts["esx01.corp.example"].version.startswith("VMware ESXi 8.0.2")
    clusters = {c.name: c for c in inv.clusters}
    assert (clusters["Dev-Cluster"].drs_enabled, clusters["Dev-Cluster"].ha_enabled) == (False, True)
    assert clusters["Prod-Cluster"].datacenter == "Datacenter-East"
    datastores = {d.name: d for d in inv.datastores}
    assert datastores["dev-nfs-01"].type == "NFS"
    assert datastores["prod-vmfs-01"].free_bytes == 2097152 * MIB
    networks = {n.name: n for n in inv.networks}
    assert (networks["pg-db-120"].kind, networks["pg-db-120"].vlan, networks["pg-db-120"].id) == (
        "distributed_portgroup",
        "120",
        "dvportgroup-52",
    )
    run = store.runs("east")[-1]
    assert run.counts["templates"] == 1
    assert run.warnings == []


def test_missing_sheets_mean_unknown(tmp_path, run_cli, store):
    path = write_xlsx(ESTATE, tmp_path / "trimmed.xlsx", sheets=["vInfo", "vCD"])
    result = run_cli("inventory", "import-rvtools", path)
    assert result.exit_code == 0, result.stderr
    assert "warning: sheet vDisk missing" in result.stdout
    assert "warning: sheet vUSB missing: USB controllers unknown" in result.stdout
    vm = next(v for v in store.vms() if v.name == "intranet-03")
    assert vm.snapshots is None and vm.guest_filesystems is None and vm.tools_status is None
    assert vm.disks == [] and vm.nics == []
    assert vm.cpu_hot_add is None and vm.cores_per_socket is None
    assert [d.iso for d in vm.devices] == ["[iso-library] images/rhel-8.9-x86_64-dvd.iso"]
    runs = json.loads(run_cli("inventory", "sources", "--json").stdout)["sources"]
    assert any("vPartition" in w for w in runs[0]["last_run"]["warnings"])

    path = write_xlsx(ESTATE, tmp_path / "bare.xlsx", sheets=["vInfo"])
    assert run_cli("inventory", "import-rvtools", path).exit_code == 0
    vm = next(v for v in store.vms(source="bare") if v.name == "intranet-03")
    assert vm.devices is None


def test_sources_lists_the_run(tmp_path, run_cli):
    path = write_xlsx(ESTATE, tmp_path / "east.xlsx", sheets=["vInfo", "vDisk", "vNetwork"])
    assert run_cli("inventory", "import-rvtools", path).exit_code == 0
    data = json.loads(run_cli("inventory", "sources", "--json").stdout)["sources"]
    assert [s["name"] for s in data] == ["east"]
    east = data[0]
    assert (east["kind"], east["vms"], east["endpoint"]) == ("rvtools", 39, "vcenter.corp.example")
    assert east["last_run"]["status"] == "ok"
    assert east["last_run"]["counts"]["templates"] == 1
    assert east["last_run"]["counts"]["disks"] == sum(len(v.disks) for v in vms_of(ESTATE))
    assert "sheet vSnapshot missing: snapshots unknown" in east["last_run"]["warnings"]
    table = run_cli("inventory", "sources")
    assert "east" in table.stdout and "rvtools" in table.stdout


def test_reimport_replaces_the_snapshot(tmp_path, run_cli):
    from factory.samples.estate import synthetic

    assert run_cli("inventory", "import-rvtools", SAMPLE_RVTOOLS, "--name", "east").exit_code == 0
    before = listed(run_cli)
    smaller = write_xlsx(synthetic(3), Path(tmp_path) / "smaller.xlsx")
    assert run_cli("inventory", "import-rvtools", smaller, "--name", "east").exit_code == 0
    after = listed(run_cli)
    assert set(after) == {"vm-10000", "vm-10001", "vm-10002"}
    assert not set(after) & set(before)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(SAMPLE_RVTOOLS.read_bytes()[:5000])
    result = run_cli("inventory", "import-rvtools", broken, "--name", "east")
    assert result.exit_code == 2
    assert listed(run_cli) == after
    runs = json.loads(run_cli("inventory", "sources", "--json").stdout)["sources"]
    assert runs[0]["last_run"]["status"] == "failed"


def test_several_vcenters_get_qualified_ids(tmp_path, run_cli):
    from factory.samples.estate import VCenter, synthetic

    a = synthetic(4, vcenter=VCenter(server="vc-a.example", uuid="aaaaaaaa-0000-4000-8000-000000000001"))
    b = synthetic(4, vcenter=VCenter(server="vc-b.example", uuid="bbbbbbbb-0000-4000-8000-000000000002"))
    path = write_xlsx([a, b], tmp_path / "two.xlsx")
    result = run_cli("inventory", "import-rvtools", path)
    assert result.exit_code == 0, result.stderr
    assert "covers 2 vCenters" in result.stdout
    got = listed(run_cli)
    assert set(got) == {f"vm-1000{i}@vc-{x}.example" for i in range(4) for x in "ab"}
    shown = json.loads(run_cli("inventory", "show", "vm-10002@vc-b.example", "--json").stdout)
    assert shown["host"] == "esx-00-02.example.com"
    assert shown["model"]["host"] == "host-1002@vc-b.example"
    assert shown["model"]["disks"][0]["datastore"] == "datastore-202@vc-b.example"
    ambiguous = run_cli("inventory", "show", "vm00002")
    assert ambiguous.exit_code == 2 and "names 2 VMs" in ambiguous.stderr


def test_bundled_sample_is_what_make_sample_writes(tmp_path):
    make_sample.main([str(tmp_path / "again.xlsx")])
    assert (tmp_path / "again.xlsx").read_bytes() == SAMPLE_RVTOOLS.read_bytes()


@pytest.mark.parametrize(("encoding", "delimiter"), [("utf-8-sig", ","), ("utf-16", ","), ("cp1252", ";")])
def test_csv_text_quoting_encodings_and_delimiters(encoding, delimiter, tmp_path, store):
    import csv
    import io

    from factory.samples.estate import synthetic
    from factory.samples.generator import csv_members
    from factory.sources import ingest
    from factory.sources.rvtools import RVToolsSource

    estate = synthetic(2)
    estate.vms[0].annotation = 'Café app, "tier 1"\nsecond line, with commas'
    folder = tmp_path / "csv"
    folder.mkdir()
    for name, data in csv_members(estate, sheets=["vInfo", "vDisk"]):
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
        (folder / name).write_bytes(out.getvalue().encode(encoding))
    inventory, _ = ingest(store, RVToolsSource(path=folder, name="csv"))
    first = next(vm for vm in inventory.vms if vm.name == estate.vms[0].name)
    assert first.annotation == 'Café app, "tier 1"\nsecond line, with commas'
    assert first.labels == estate.vms[0].labels
    assert len(first.disks) == len(estate.vms[0].disks)
    assert first.cpus == estate.vms[0].cpus


def test_a_single_csv_file_points_to_its_folder(tmp_path, run_cli):
    from factory.samples.generator import write_csv_dir

    folder = write_csv_dir(ESTATE, tmp_path / "export")
    result = run_cli("inventory", "import-rvtools", folder / "RVTools_tabvInfo.csv")
    assert result.exit_code == 2
    assert "one file of a CSV export" in result.stderr and str(folder) in result.stderr


def test_repeated_ids_and_srm_placeholders_are_warned(tmp_path, run_cli):
    from factory.samples.estate import synthetic

    cells = {("vInfo", 2, "VM ID"): "vm-10000", ("vInfo", 3, "SRM Placeholder"): "True"}
    path = write_xlsx(synthetic(3), tmp_path / "odd.xlsx", sheets=["vInfo"], cells=cells)
    result = run_cli("inventory", "import-rvtools", path)
    assert result.exit_code == 0, result.stderr
    assert "1 vInfo rows repeat another VM's id" in result.stdout
    assert "1 VMs with SRM Placeholder set" in result.stdout
    assert set(listed(run_cli)) == {"vm-10000", "vm-10000#2", "vm-10002"}
