"""`mfactory inventory collect ovirt` against the local engine: the planted inventory must come
out of the store exactly as planted, in a number of requests that does not grow with VMs."""

from __future__ import annotations

import json

import pytest

from factory.model import Inventory, PowerState
from factory.store import Store
from tests.ovirt.scenario import FILTER_ID, QOS_ID, planted
from tests.peers.ovirt_engine import generate, uid
from tests.peers.ovirt_engine.inventory import GiB

SOURCE = "rhv-test"


def collect(run_cli, engine, *extra: str, name: str = SOURCE):
    return run_cli(
        "inventory", "collect", "ovirt", "--url", engine.url, "--user", engine.user,
        "--password-env", "RHV_PW", "--ca-file", str(engine.ca_file), "--name", name, *extra,
        env={"RHV_PW": engine.password},
    )  # fmt: skip


@pytest.fixture(scope="module")
def planted_store(ovirt_engine, tmp_path_factory) -> Inventory:
    """Collect the planted inventory once through the CLI; the tests read the stored result."""
    from click.testing import CliRunner

    from mfactory.cli import main

    db = tmp_path_factory.mktemp("ovirt-planted") / "factory.db"
    ovirt_engine.load(planted())
    runner = CliRunner()
    with runner.isolation(env={"RHV_PW": ovirt_engine.password}) as (out, _err, *_):
        try:
            main(["--db", str(db), "inventory", "collect", "ovirt", "--url", ovirt_engine.url, "--user",
                  ovirt_engine.user, "--password-env", "RHV_PW", "--ca-file", str(ovirt_engine.ca_file),
                  "--name", SOURCE])  # fmt: skip
        except SystemExit as exc:
            assert exc.code in (0, None), (out.getvalue(), _err.getvalue())
        summary = out.getvalue().decode()
    assert "6 VMs" in summary and "7 disks" in summary and "3 hosts" in summary, summary
    return Store.open(str(db)).inventory(SOURCE)


def vm(inventory: Inventory, name: str):
    return next(v for v in inventory.vms if v.name == name)


def test_source_and_topology(planted_store: Inventory) -> None:
    inv = planted_store
    assert inv.source.kind.value == "ovirt" and inv.source.api_version == "4.5.5-1.el8"
    assert inv.source.endpoint.endswith("/ovirt-engine/api")
    secure, plain = sorted(inv.clusters, key=lambda c: c.name)
    assert (secure.ksm_enabled, secure.ha_reservation, secure.bios_type) == (True, True, "q35_secure_boot")
    assert secure.cpu_type == "Secure Intel Cascadelake Server Family"
    assert (plain.ksm_enabled, plain.ha_reservation, plain.bios_type) == (False, False, "q35_ovmf")
    rules = {r.name: r for r in plain.affinity_rules}
    assert rules["web-together"].kind == "vm_affinity" and rules["web-together"].mandatory is True
    assert set(rules["web-together"].vms) == {uid("vm", "web1"), uid("vm", "web2")}
    assert rules["db-on-host1"].kind == "vm_host" and rules["db-on-host1"].hosts == [uid("host", 1)]
    hosts = {h.name: h for h in inv.hosts}
    assert hosts["host02.example.com"].in_maintenance is True and hosts["host01.example.com"].in_maintenance is False
    assert hosts["host00.example.com"].cpu_cores == 32 and hosts["host00.example.com"].datacenter == uid("dc", 0)
    sds = {d.name: d for d in inv.datastores}
    assert (sds["data1"].type, sds["data1"].capacity_bytes, sds["data1"].free_bytes) == ("iscsi", 2000 * GiB, 500 * GiB)
    assert {n.name: n.vlan for n in inv.networks} == {"ovirtmgmt": None, "prod": "100"}
    profiles = {p.name: p for p in inv.vnic_profiles}
    assert profiles["prod-sriov"].pass_through is True and profiles["ovirtmgmt"].pass_through is False
    assert profiles["prod-mirror"].port_mirroring is True and profiles["ovirtmgmt"].port_mirroring is False
    assert profiles["prod-qos"].qos == QOS_ID and profiles["ovirtmgmt"].qos is None
    assert profiles["prod-filtered"].network_filter == "vdsm-no-mac-spoofing" and FILTER_ID
    assert profiles["prod-custom"].custom_properties == {"SecurityGroups": "sg-1"}
    assert profiles["ovirtmgmt"].custom_properties == {}


def test_vm_level_concern_inputs(planted_store: Inventory) -> None:
    ks = vm(planted_store, "kitchen-sink")
    assert ks.id == uid("vm", "kitchen-sink") and ks.power_state is PowerState.ON
    assert (ks.cpus, ks.cores_per_socket, ks.memory_mib) == (16, 4, 16 * 1024)
    assert (ks.firmware, ks.secure_boot, ks.tpm) == ("efi", True, True)
    assert ks.guest_id == "windows_2022" and ks.guest_name_reported == "Microsoft Windows Server 2022 10.0.20348"
    assert ks.cpu_affinity == [0, 1, 6] and ks.numa_affinity == [1]
    assert ks.guest_ips == ["10.1.0.5", "fe80::1"] and ks.guest_hostname == "kitchen-sink.example.com"
    assert ks.annotation == "every oVirt-only setting at once"
    f = ks.ovirt
    assert f is not None
    assert (f.status, f.os_type, f.bios_type) == ("up", "windows_2022", "q35_secure_boot")
    assert (f.ballooned_memory, f.boot_menu_enabled, f.ha_enabled, f.has_illegal_images, f.usb_enabled) == (
        True, True, True, True, True)  # fmt: skip
    assert (f.custom_cpu_model, f.cpu_pinning_policy, f.cpu_shares) == (
        "Skylake-Server,+pcid",
        "resize_and_pin_numa",
        1024,
    )
    assert f.custom_properties == {"hugepages": "1048576", "sap_agent": "true"}
    assert (f.display_type, f.io_threads, f.placement_policy_affinity) == ("spice", 4, "migratable")
    assert f.storage_error_resume_behaviour == "leave_paused"

    plain = vm(planted_store, "web1").ovirt
    assert (plain.ballooned_memory, plain.boot_menu_enabled, plain.ha_enabled, plain.has_illegal_images) == (
        False, False, False, False)  # fmt: skip
    assert (plain.custom_cpu_model, plain.cpu_pinning_policy, plain.cpu_shares, plain.custom_properties) == (
        None, "none", 0, {})  # fmt: skip
    assert (plain.display_type, plain.io_threads, plain.placement_policy_affinity) == ("vnc", 1, "user_migratable")
    assert (plain.storage_error_resume_behaviour, plain.usb_enabled) == ("auto_resume", False)
    assert vm(planted_store, "web1").cpu_affinity == [] and vm(planted_store, "web1").numa_affinity == []


def test_status_power_os_and_firmware(planted_store: Inventory) -> None:
    legacy = vm(planted_store, "rhel6-legacy")
    assert (legacy.power_state, legacy.ovirt.status, legacy.ovirt.os_type) == (PowerState.OFF, "down", "rhel_6x64")
    assert (legacy.firmware, legacy.secure_boot) == ("bios", False)
    locked = vm(planted_store, "image-locked")
    assert (locked.power_state, locked.ovirt.status) == (PowerState.UNKNOWN, "image_locked")
    # cluster_default resolves through the cluster (q35_secure_boot); the raw type is kept
    assert (locked.firmware, locked.secure_boot, locked.ovirt.bios_type) == ("efi", True, "cluster_default")
    suspended = vm(planted_store, "suspended-app")
    assert (suspended.power_state, suspended.firmware, suspended.secure_boot) == (PowerState.SUSPENDED, "efi", False)
    web2 = vm(planted_store, "web2")
    assert (web2.power_state, web2.ovirt.status) == (PowerState.UNKNOWN, "migrating")
    assert web2.host == uid("host", 1) and web2.cluster == uid("cluster", 1) and web2.datacenter == uid("dc", 0)


def test_disks(planted_store: Inventory) -> None:
    disks = {d.label: d for d in vm(planted_store, "kitchen-sink").disks}
    assert len(vm(planted_store, "kitchen-sink").disks) == 4
    ide = disks["disk-ks-ide"]
    assert ide.key == uid("disk", "ks-ide")
    assert (ide.bus, ide.status, ide.storage_type, ide.capacity_bytes, ide.used_bytes) == (
        "ide", "illegal", "image", 40 * GiB, 12 * GiB)  # fmt: skip
    assert (ide.datastore, ide.datastore_name, ide.thin, ide.format, ide.shared) == (
        uid("sd", 0), "data0", True, "cow", False)  # fmt: skip
    lun = disks["disk-ks-lun"]
    assert (lun.storage_type, lun.lun_sizes, lun.capacity_bytes, lun.rdm) == ("lun", [10 * GiB, 0], 10 * GiB, True)
    assert (lun.scsi_reservation, lun.shared, lun.bus, lun.datastore) == (True, True, "virtio_scsi", None)
    cinder = disks["disk-ks-cinder"]
    assert (cinder.storage_type, cinder.status, cinder.bus) == ("cinder", "locked", "virtio")
    raw = disks["disk-ks-raw"]
    assert (raw.bus, raw.format, raw.thin, raw.datastore_name, raw.scsi_reservation) == (
        "sata",
        "raw",
        False,
        "data1",
        False,
    )
    assert vm(planted_store, "image-locked").disks[0].capacity_bytes == 0


def test_nics_snapshots_devices(planted_store: Inventory) -> None:
    ks = vm(planted_store, "kitchen-sink")
    nics = {n.label: n for n in ks.nics}
    assert [nics[f"nic{i}"].model for i in range(1, 6)] == [
        "pci_passthrough",
        "rtl8139",
        "e1000",
        "virtio",
        "spapr_vlan",
    ]
    assert (nics["nic2"].plugged, nics["nic2"].connected) == (False, False)
    assert (nics["nic1"].plugged, nics["nic1"].connected) == (True, True)
    assert nics["nic1"].network == uid("net", 1) and nics["nic1"].network_name == "prod"
    assert nics["nic1"].profile == uid("profile", 1) and nics["nic4"].ips == ["10.1.0.5", "fe80::1"]
    assert nics["nic1"].mac and nics["nic1"].mac.startswith("56:6f:")
    snaps = {s.name: s.persist_memory for s in ks.snapshots}
    assert snaps == {"with memory": True, "disk only": False}  # the engine's "Active VM" is not a snapshot
    assert vm(planted_store, "web1").snapshots == []
    kinds = {d.kind: d for d in ks.devices}
    assert kinds["watchdog"].detail == {"model": "i6300esb", "action": "reset"}
    assert kinds["host_device"].detail == {"capability": "pci", "vendor": "NVIDIA", "product": "Tesla T4"}
    assert kinds["cdrom"].iso == "virtio-win-1.9.40.iso" and kinds["usb_controller"].detail == {"type": "native"}
    assert "tpm" in kinds
    assert [d.kind for d in vm(planted_store, "web1").devices] == ["cdrom"]
    assert vm(planted_store, "web1").devices[0].iso is None


def test_list_json_contract(ovirt_engine, run_cli) -> None:
    ovirt_engine.load(planted())
    assert collect(run_cli, ovirt_engine).exit_code == 0
    result = run_cli("inventory", "list", "--source", SOURCE, "--json")
    assert result.exit_code == 0
    rows = {r["name"]: r for r in json.loads(result.stdout)["vms"]}
    assert len(rows) == 6
    ks = rows["kitchen-sink"]
    assert set(ks) >= {"id", "source", "provider", "name", "power_state", "cpus", "memory_mib", "firmware",
                       "secure_boot", "guest_os", "host", "cluster", "datacenter", "folder", "nested_virt", "labels",
                       "disks", "nics", "snapshots"}  # fmt: skip
    assert (ks["provider"], ks["source"], ks["power_state"], ks["id"]) == (
        "ovirt",
        SOURCE,
        "on",
        uid("vm", "kitchen-sink"),
    )
    assert (ks["host"], ks["cluster"], ks["datacenter"]) == ("host00.example.com", "Cluster0", "Default")
    assert (ks["snapshots"], ks["firmware"], ks["secure_boot"], ks["cpus"]) == (2, "efi", True, 16)
    assert ks["guest_os"] == "Microsoft Windows Server 2022 10.0.20348"
    ide = next(d for d in ks["disks"] if d["bus"] == "ide")
    assert (ide["datastore"], ide["capacity_bytes"], ide["thin"]) == ("data0", 40 * GiB, True)
    assert {n["network"] for n in ks["nics"]} == {"prod"}
    assert rows["rhel6-legacy"]["power_state"] == "off" and rows["image-locked"]["power_state"] == "unknown"


def _collect_counting(run_cli, engine, n_vms: int) -> tuple[int, list]:
    engine.load(generate(n_vms))
    engine.log.clear()
    result = collect(run_cli, engine, name=f"gen{n_vms}")
    assert result.exit_code == 0, result.stderr
    return len(engine.log.snapshot()), engine.log.api_calls()


@pytest.mark.slow
def test_request_count_does_not_grow_with_vms(ovirt_engine, run_cli, store) -> None:
    small, _ = _collect_counting(run_cli, ovirt_engine, 10)
    large, calls = _collect_counting(run_cli, ovirt_engine, 200)
    assert small == large  # token, API root, 7 collections, 1 page of VMs, logout
    vm_calls = [c for c in calls if c.path.endswith("/vms")]
    assert len(vm_calls) == 1 and "disk_attachments.disk" in vm_calls[0].query["follow"]
    assert not [c for c in calls if "/vms/" in c.path], "no per-VM request"
    stored = store.inventory("gen200")
    assert len(stored.vms) == 200 and sum(len(v.disks) for v in stored.vms) == sum(1 + i % 3 for i in range(200))


@pytest.mark.slow
def test_paging_reads_every_vm_once(ovirt_engine, store) -> None:
    from pydantic import SecretStr

    from factory.sources import ingest
    from factory.sources.credentials import Credentials, TlsSettings
    from factory.sources.ovirt import OvirtSource

    ovirt_engine.load(generate(120))
    ovirt_engine.log.clear()
    source = OvirtSource(
        url=ovirt_engine.url, credentials=Credentials(ovirt_engine.user, SecretStr(ovirt_engine.password)),
        tls=TlsSettings(ca_file=ovirt_engine.ca_file), name="paged", page_size=50,
    )  # fmt: skip
    inventory, _ = ingest(store, source)
    pages = [c.query["search"] for c in ovirt_engine.log.api_calls() if c.path.endswith("/vms")]
    assert pages == [f"sortby name asc page {n}" for n in (1, 2, 3)]
    assert sorted(v.name for v in inventory.vms) == [f"vm{i:05d}" for i in range(120)]


def test_default_source_name_is_the_engine_host(ovirt_engine, run_cli) -> None:
    ovirt_engine.load(generate(3))
    result = run_cli(
        "inventory", "collect", "ovirt", "--url", ovirt_engine.url + "/", "--user", ovirt_engine.user,
        "--password-env", "RHV_PW", "--ca-file", str(ovirt_engine.ca_file), env={"RHV_PW": ovirt_engine.password},
    )  # fmt: skip
    assert result.exit_code == 0 and result.stdout.startswith("127.0.0.1 (ovirt): 3 VMs"), result.stdout
    sources = json.loads(run_cli("inventory", "sources", "--json").stdout)["sources"]
    assert [(s["name"], s["kind"], s["endpoint"], s["vms"]) for s in sources] == [
        ("127.0.0.1", "ovirt", ovirt_engine.url, 3)
    ]
    assert sources[0]["last_run"]["status"] == "ok"


def test_every_ovirt_concern_fires_on_the_collected_inventory(planted_store: Inventory) -> None:
    """End to end: the collected facts are what the risk rules read (Forklift's concern ids)."""
    from risk import RULES, score

    report = score([planted_store])
    fired = {f.id for v in report.vms for f in v.findings}
    ovirt_ids = {r.id for r in RULES if r.id.startswith("ovirt.")}
    not_planted = {"ovirt.disk.count.exceeds.limit", "ovirt.name.invalid"}  # >165 disks; all names are valid
    assert len(ovirt_ids) >= 39 and ovirt_ids - not_planted - fired == set()
    by_name = {v.name: v for v in report.vms}
    assert not [f.id for f in by_name["web1"].findings if f.id.startswith("ovirt.")]
    assert not [r for r in by_name["kitchen-sink"].not_evaluated if r.startswith("ovirt.")]
