"""The planted scenario, collected through the CLI, read back from the store and the JSON list."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from pyVmomi import vim, vmodl

from factory.model import VM, Inventory, PowerState
from factory.store import Store
from tests.vsphere.conftest import Planted
from tests.vsphere.scenario import NOT_DNS_NAME

pytestmark = pytest.mark.slow


@pytest.fixture
def inventory(planted: Planted, collect: Callable[..., Any], store: Store) -> Inventory:
    result = collect(planted.sim, "--name", "vc-test")
    assert result.exit_code == 0, result.stderr
    return store.inventory("vc-test")


def _vm(inventory: Inventory, moid: str) -> VM:
    return next(vm for vm in inventory.vms if vm.id == moid)


def test_summary_and_source(planted: Planted, collect: Callable[..., Any], store: Store) -> None:
    result = collect(planted.sim)  # default source name: the host
    assert result.exit_code == 0, result.stderr
    printed = " ".join(result.stdout.split())
    assert "127.0.0.1 (vsphere): 7 VMs, 1 templates (list them with --templates)" in printed
    assert printed.count("warning:") == 1 and "property network: skipped a reference of unknown type" in printed
    assert result.stderr == ""  # warnings go with the summary, not into the log on stderr
    stored = store.inventory("127.0.0.1")
    assert stored.source.endpoint == f"https://127.0.0.1:{planted.sim.port}/sdk"
    assert stored.source.api_version == "6.5"
    assert len(stored.vms) == 8 and len(stored.hosts) == 4 and len(stored.datastores) == 2


def test_nic_models_and_their_networks(planted: Planted, inventory: Inventory) -> None:
    vm = _vm(inventory, planted.ids["nics"])
    assert sorted((n.model, n.network_name) for n in vm.nics) == [
        ("e1000", "DC0_DVPG0"),
        ("e1000e", "VM Network"),
        ("vmxnet3", "DC0_DVPG1"),
    ]
    kinds = {n.id: n.kind for n in inventory.networks}
    assert sorted(kinds[n.network] for n in vm.nics if n.network) == [
        "distributed_portgroup",
        "distributed_portgroup",
        "standard",
    ]
    assert all(n.mac for n in vm.nics)


def test_networks_switches_and_vlans(inventory: Inventory) -> None:
    by_name = {n.name: n for n in inventory.networks}
    assert by_name["VM Network"].kind == "standard"
    assert by_name["DC0_DVPG0"].kind == "distributed_portgroup" and by_name["DC0_DVPG0"].vlan == "0"
    assert by_name["DVS0"].kind == "distributed_switch"
    assert by_name["DC0_DVPG0"].switch == by_name["DVS0"].id
    assert by_name["DVS0-DVUplinks-9"].vlan == "0-4094"  # the uplink portgroup trunks every VLAN
    assert by_name["DC0_NSX0"].kind == "opaque"


def test_firmware_nested_virtualization_hot_plug_and_extra_config(planted: Planted, inventory: Inventory) -> None:
    vm = _vm(inventory, planted.ids["nics"])
    assert (vm.firmware, vm.secure_boot, vm.nested_virt) == ("efi", True, True)
    assert (vm.cpu_hot_add, vm.cpu_hot_remove, vm.memory_hot_add) == (True, True, True)
    assert (vm.cbt, vm.numa_affinity, vm.disk_enable_uuid) == (True, [0, 1], True)
    _, unit = planted.ids["slot"].removeprefix("scsi").split(":")
    assert [(d.bus, d.unit_number, d.cbt) for d in vm.disks] == [("scsi", int(unit), True)]
    plain = _vm(inventory, planted.ids["plain"])
    assert (plain.firmware, plain.secure_boot, plain.nested_virt) == ("bios", None, None)
    assert (plain.cbt, plain.numa_affinity, plain.disk_enable_uuid, plain.cpu_affinity) == (None, [], False, [])
    assert plain.disks[0].cbt is False


def test_disks_rdm_independent_second_datastore(planted: Planted, inventory: Inventory) -> None:
    vm = _vm(inventory, planted.ids["disks"])
    rows = [(d.file.split("] ")[1], d.datastore_name, d.mode, d.rdm, d.rdm_mode, d.thin, d.bus) for d in vm.disks]
    assert rows == [
        ("DC0_C0_RP0_VM1/disk1.vmdk", "LocalDS_0", "persistent", False, None, True, "scsi"),
        ("DC0_C0_RP0_VM1-second.vmdk", "LocalDS_1", "persistent", False, None, True, "scsi"),
        ("DC0_C0_RP0_VM1/independent.vmdk", "LocalDS_0", "independent_persistent", False, None, False, "scsi"),
        ("DC0_C0_RP0_VM1/rdm.vmdk", "LocalDS_0", "independent_persistent", True, "physical", None, "scsi"),
    ]
    assert [d.capacity_bytes for d in vm.disks] == [1024 * 1024, 2048 * 1024, 2048 * 1024, 2048 * 1024]
    assert [d.unit_number for d in vm.disks] == [0, 1, 2, 3]
    assert {d.datastore for d in vm.disks} == {ds.id for ds in inventory.datastores}
    assert vm.disks[3].used_bytes is None  # an RDM has no file layout to apportion
    assert (vm.cpus, vm.memory_mib) == (4, 4096)  # the reconfigure after the RDM went through


def test_a_disk_file_used_by_two_vms_is_shared(planted: Planted, inventory: Inventory) -> None:
    owner, sharer = _vm(inventory, planted.ids["disks"]), _vm(inventory, planted.ids["sharer"])
    assert owner.disks[0].shared is True
    assert [d.shared for d in sharer.disks] == [False, True]
    assert sharer.disks[1].file == owner.disks[0].file
    assert owner.disks[1].shared is False


def test_a_disk_on_a_shared_scsi_bus_is_shared(planted: Planted, inventory: Inventory) -> None:
    vm = _vm(inventory, planted.ids["renamed"])
    rows = [(d.bus, d.controller, d.unit_number, d.shared) for d in vm.disks]
    assert rows == [("scsi", "VMware paravirtual SCSI", 0, False), ("scsi", "LSI Logic SAS", 0, True)]


def test_notable_devices(planted: Planted, inventory: Inventory) -> None:
    vm = _vm(inventory, planted.ids["nics"])
    assert vm.devices is not None
    kinds = sorted(d.kind for d in vm.devices)
    assert kinds == ["cdrom", "nvme_controller", "pci_passthrough", "usb_controller"]
    passthrough = next(d for d in vm.devices if d.kind == "pci_passthrough")
    assert passthrough.detail == {"type": "VirtualPCIPassthrough", "device": "0000:3b:00.0"}
    plain = _vm(inventory, planted.ids["plain"])
    assert [d.kind for d in plain.devices or []] == ["cdrom"]


def test_snapshots_and_power_states(planted: Planted, inventory: Inventory, listed: Callable[..., Any]) -> None:
    snapped = _vm(inventory, planted.ids["snapped"])
    assert snapped.snapshots is not None
    assert [(s.name, s.parent) for s in snapped.snapshots] == [
        ("before-upgrade", None),
        ("after-upgrade", snapped.snapshots[0].id),
    ]
    assert all(s.id and s.id.startswith("snapshot-") and s.created_at for s in snapped.snapshots)
    assert snapped.power_state is PowerState.OFF
    assert _vm(inventory, planted.ids["sharer"]).power_state is PowerState.SUSPENDED
    assert _vm(inventory, planted.ids["plain"]).power_state is PowerState.ON
    rows = listed()
    assert rows["DC0_C0_RP0_VM2"]["snapshots"] == 2 and rows["DC0_H0_VM3"]["snapshots"] == 0
    assert rows["DC0_C0_RP0_VM2"]["power_state"] == "off" and rows["DC0_C0_RP0_VM3"]["power_state"] == "suspended"


def test_templates_are_listed_only_with_the_flag(planted: Planted, inventory: Inventory, listed: Callable) -> None:
    assert _vm(inventory, planted.ids["template"]).template is True
    assert "DC0_H0_VM1" not in listed()
    assert "DC0_H0_VM1" in listed("--templates")
    assert len(listed()) == 7 and len(listed("--templates")) == 8


def test_name_labels_folder_and_placement(planted: Planted, inventory: Inventory, listed: Callable) -> None:
    row = listed()[NOT_DNS_NAME]
    assert row["id"] == planted.ids["renamed"]
    assert row["labels"] == {"owner": "team-web", "migration-wave": "3"}
    assert (row["datacenter"], row["host"], row["cluster"], row["folder"]) == ("DC0", "DC0_H0", None, "/DC0/vm")
    clustered = listed()["DC0_C0_RP0_VM0"]
    assert clustered["cluster"] == "DC0_C0" and clustered["host"].startswith("DC0_C0_H")
    assert clustered["provider"] == "vsphere" and clustered["source"] == "vc-test"


def test_cluster_rules_and_host_maintenance(planted: Planted, inventory: Inventory) -> None:
    (cluster,) = inventory.clusters
    assert (cluster.drs_enabled, cluster.ha_enabled) == (True, None)  # what vcsim reports
    rules = {r.name: r for r in cluster.affinity_rules}
    assert (rules["keep-together"].kind, set(rules["keep-together"].vms)) == (
        "vm_affinity",
        {planted.ids["nics"], planted.ids["disks"]},
    )
    assert (rules["keep-apart"].kind, set(rules["keep-apart"].vms)) == (
        "vm_anti_affinity",
        {planted.ids["snapped"], planted.ids["sharer"]},
    )
    vm_host = rules["db-on-db-hosts"]
    assert (vm_host.kind, vm_host.vms, vm_host.mandatory) == ("vm_host", [planted.ids["disks"]], True)
    assert sorted(vm_host.hosts) == sorted(planted.ids["db_hosts"].split(","))
    hosts = {h.id: h for h in inventory.hosts}
    assert hosts[planted.ids["maintenance_host"]].in_maintenance is True
    assert sum(h.in_maintenance is True for h in hosts.values()) == 1
    assert all(h.connection_state == "connected" and h.cpu_cores and h.memory_bytes for h in hosts.values())
    assert {h.cluster for h in hosts.values()} == {cluster.id, None}
    assert all(h.datacenter == inventory.datacenters[0].id for h in hosts.values())


def test_datastores(inventory: Inventory) -> None:
    assert sorted(d.name for d in inventory.datastores) == ["LocalDS_0", "LocalDS_1"]  # LocalDS_1 is in a pod
    for ds in inventory.datastores:
        assert ds.datacenter == inventory.datacenters[0].id
        assert ds.type == "OTHER" and ds.capacity_bytes and ds.free_bytes is not None
        assert ds.free_bytes <= ds.capacity_bytes


def test_pyvmomi_itself_fails_on_the_opaque_network_vm(planted: Planted) -> None:
    """The premise of the next test: this scenario breaks pyVmomi's whole result."""
    si = planted.sim.connect()
    content = si.RetrieveContent()
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
    pc = vmodl.query.PropertyCollector
    spec = pc.FilterSpec(
        objectSet=[
            pc.ObjectSpec(obj=view, skip=True, selectSet=[pc.TraversalSpec(type=vim.view.ContainerView, path="view")])
        ],
        propSet=[pc.PropertySpec(type=vim.VirtualMachine, pathSet=["name", "network"])],
    )
    with pytest.raises(KeyError):
        content.propertyCollector.RetrievePropertiesEx([spec], pc.RetrieveOptions())


def test_the_opaque_network_vm_is_collected_and_the_bad_reference_logged(
    planted: Planted, inventory: Inventory, store: Store, run_cli: Callable[..., Any]
) -> None:
    vm = _vm(inventory, planted.ids["opaque"])
    opaque_nic = next(n for n in vm.nics if n.model == "vmxnet3")
    assert (opaque_nic.network, opaque_nic.network_name) == (planted.ids["opaque_network"], "DC0_NSX0")
    assert len(inventory.vms) == 8  # every other VM came through too
    expected = f"VirtualMachine {planted.ids['opaque']}: property network: skipped a reference of unknown type '' ()"
    (run,) = store.runs("vc-test")
    assert (run.status, run.warnings) == ("ok", [expected])
    sources = json.loads(run_cli("inventory", "sources", "--json").stdout)["sources"]
    assert sources[0]["last_run"]["warnings"] == [expected]
