"""The three shared real-world workbooks (see ../shared/fixtures/rvtools/README.md)."""

from __future__ import annotations

import json

import python_calamine

from factory.sources import ingest
from factory.sources.rvtools import RVToolsSource
from factory.sources.rvtools.reader import read_export
from tests.conftest import FIXTURES

RVTOOLS = FIXTURES / "rvtools"
EXAMPLE1 = RVTOOLS / "migration-planner-example1.xlsx"
SIZING = RVTOOLS / "mjvincent-SizingWorkshop-RVTools.xlsx"
SMALL = RVTOOLS / "mjvincent-rvtools-small-complete.xlsx"
MIB = 1024 * 1024


def _raw(path, sheet):
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:] if any(r)]


def test_example1_real_trimmed_export(store):
    inventory, record = ingest(store, RVToolsSource(path=EXAMPLE1, name="example1"))
    vinfo = _raw(EXAMPLE1, "vInfo")
    assert len(inventory.vms) == len(vinfo) == 9
    ids = {vm.name: vm.id for vm in inventory.vms}
    # VM ID where present; vm-9 has a blank VM ID and VM UUID, so its name is its id.
    assert ids == {r["VM"]: r["VM ID"] or r["VM"] for r in vinfo}
    assert "1 VMs have no VM ID: their id is the name" in record.warnings
    # The custom attributes of this vCenter, found between Annotation and Datacenter.
    export = read_export(EXAMPLE1)
    for sheet in ("vMemory", "vDisk"):
        assert [name for _, name in export.sheet(sheet).custom_attribute_columns()] == ["owner", "mmtest-tags"]
    # Every owner / mmtest-tags cell is blank: not set on any VM, so no VM has a label.
    assert all(not r["owner"] and not r["mmtest-tags"] for r in _raw(EXAMPLE1, "vMemory"))
    assert all(vm.labels == {} for vm in inventory.vms)
    # vInfo lost its Annotation column; vMemory still has it (matched by VM ID).
    by_id = {vm.id: vm for vm in inventory.vms}
    assert by_id["vm-105889"].annotation == "admin   5.0.7.0-28213  https://10.46.29.190:8443"
    # CBT blank everywhere = disabled; EnableUUID TRUE on exactly one VM.
    assert {vm.cbt for vm in inventory.vms} == {False}
    assert [vm.id for vm in inventory.vms if vm.disk_enable_uuid] == ["vm-107051"]
    assert by_id["vm-89952"].firmware == "efi" and by_id["vm-92137"].firmware == "bios"
    # vDisk rows follow VM ID (the anonymised names disagree between sheets); vm-107051 has two disks.
    assert [d.key for d in by_id["vm-107051"].disks] == ["2000", "2001"]
    # vDisk's vm-9 row carries VM ID vm-111122, which vInfo lacks (its vm-9 has no VM ID): the name links them.
    assert sum(len(vm.disks) for vm in inventory.vms) == len(_raw(EXAMPLE1, "vDisk")) == 9
    assert [d.key for d in by_id["vm-9"].disks] == ["2000"]
    assert not any("not in vInfo" in w for w in record.warnings)
    assert by_id["vm-89952"].disks[0].capacity_bytes == 103424 * MIB
    assert by_id["vm-89952"].disks[0].controller == "VMware paravirtual SCSI"
    assert {h.name for h in inventory.hosts} >= {r["Host"] for r in _raw(EXAMPLE1, "vHost")}
    assert inventory.source.api_version == "8.0.3.0"
    for sheet in ("vNetwork", "vSnapshot", "vCD", "vUSB", "vTools"):
        assert any(w.startswith(f"sheet {sheet} missing") for w in record.warnings)
    assert all(vm.snapshots is None and vm.devices is None and vm.nics == [] for vm in inventory.vms)


def test_sizing_workshop_legacy_headers(store, run_cli):
    result = run_cli("inventory", "import-rvtools", SIZING, "--name", "sizing")
    assert result.exit_code == 0, result.stderr
    vinfo = _raw(SIZING, "vInfo")
    templates = sum(r["Template"] == "True" for r in vinfo)
    assert (len(vinfo), templates) == (805, 10)
    assert f"{805 - templates} VMs, {templates} templates skipped" in result.stdout
    vms = {vm.name: vm for vm in store.vms(source="sizing")}
    assert len(vms) == 795
    # No VM ID / VM UUID columns in this old export: names are the ids.
    assert all(vm.id == name for name, vm in vms.items())
    # vPartition uses the legacy "Capacity MB", "Consumed MB", "Free MB", "Free % " headers.
    first = _raw(SIZING, "vPartition")[0]
    assert "Capacity MB" in first and "Free % " in first
    fs = vms[first["VM"]].guest_filesystems[0]
    assert (fs.path, fs.capacity_bytes, fs.free_bytes) == (
        first["Disk"],
        first["Capacity MB"] * MIB,
        first["Free MB"] * MIB,
    )
    assert vms["wadfs1"].memory_mib == 4096 and vms["wadfs1"].cpus == 1
    assert vms["wadfs1"].nics[0].model == "vmxnet3"
    listed = json.loads(run_cli("inventory", "list", "--json").stdout)["vms"]
    assert len(listed) == 795


def test_small_complete_synthetic_is_read_tolerantly(store):
    inventory, record = ingest(store, RVToolsSource(path=SMALL, name="small"))
    vms = {vm.name: vm for vm in inventory.vms}
    assert sorted(vms) == ["sample-archive-01", "sample-db-01", "sample-web-01"]
    db, web = vms["sample-db-01"], vms["sample-web-01"]
    # vSnapshot calls its name column "Snapshot" here.
    assert [(s.name, s.size_bytes) for s in db.snapshots] == [("pre-maintenance", 512 * MIB)]
    assert web.snapshots == []
    assert (db.tools_status, db.memory_hot_add, db.firmware) == ("toolsOld", True, "efi")
    assert [d.kind for d in web.devices] == ["cdrom", "usb_controller"]
    assert web.devices[0].iso is None
    # Partitions carry Disk Key: used bytes per disk are their consumed space.
    assert [(d.key, d.used_bytes) for d in web.disks] == [("2000", 40960 * MIB), ("2001", 20480 * MIB)]
    networks = {n.name: n for n in inventory.networks}
    assert (networks["sample-backup-net"].kind, networks["sample-backup-net"].vlan) == ("distributed_portgroup", "103")
    # vPort (optional) lists standard portgroups with their VLAN.
    assert (networks["sample-app-net"].kind, networks["sample-app-net"].vlan) == ("standard", "101")
    assert {c.name for c in inventory.clusters} == {"sample-cluster-a"}
    hosts = {h.name: h for h in inventory.hosts}
    assert (hosts["sample-host-01"].cpu_mhz, hosts["sample-host-01"].cpu_cores) == (2400, 16)
    assert record.status == "ok"
