"""The lenient SOAP decoder: it must read exactly what pyVmomi reads, and survive what pyVmomi
cannot (unknown types, unreadable values), losing only the bad part."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pyVmomi import VmomiSupport, vim, vmodl

from factory.model import Source, SourceKind
from factory.sources.vsphere.collector import build_inventory
from factory.sources.vsphere.properties import PATHS
from factory.sources.vsphere.retrieve import SKIPPED, Retrieved
from factory.sources.vsphere.soapxml import MoRef, Obj, is_a, vmodl_type
from factory.sources.vsphere.transport import FastPropertyCollector
from tests.vsphere.conftest import Planted
from tests.vsphere.soap_pages import DEVICES, page_of, prop, retrieved, vm_object

PC = vmodl.query.PropertyCollector


def normalize(value: Any) -> Any:
    """pyVmomi objects and decoder objects to the same plain structure."""
    if isinstance(value, MoRef | VmomiSupport.ManagedObject):
        return ("ref", value._wsdlName, value._moId)
    if isinstance(value, Obj | VmomiSupport.DataObject):
        cls = type(value) if isinstance(value, VmomiSupport.DataObject) else vmodl_type(value._wsdlName)
        names = [p.name for p in cls._GetPropertyList()]
        fields = {n: normalize(getattr(value, n)) for n in names}
        return (value._wsdlName, {n: v for n, v in fields.items() if v not in (None, [])})
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)  # enums are str subclasses in pyVmomi
    return value


@pytest.mark.slow
def test_decoder_reads_what_pyvmomi_reads(planted: Planted) -> None:
    content = planted.sim.connect().RetrieveContent()
    view = content.viewManager.CreateContainerView(content.rootFolder, [getattr(vim, t) for t in PATHS], True)
    readable = [o for o in view.view if o._moId != planted.ids["opaque"]]  # pyVmomi fails on that one
    spec = PC.FilterSpec(
        objectSet=[PC.ObjectSpec(obj=o) for o in readable],
        propSet=[PC.PropertySpec(type=getattr(vim, t), pathSet=list(p)) for t, p in PATHS.items()],
    )
    ours = FastPropertyCollector(content.propertyCollector).RetrievePropertiesEx([spec], PC.RetrieveOptions())
    theirs = content.propertyCollector.RetrievePropertiesEx([spec], PC.RetrieveOptions())
    assert not ours.token and not theirs.token
    assert all(not o.missingSet for o in ours.objects)

    def table(result: Any) -> dict:
        return {(o.obj._wsdlName, o.obj._moId): {p.name: normalize(p.val) for p in o.propSet} for o in result.objects}

    mine, reference = table(ours), table(theirs)
    assert mine.keys() == reference.keys() and len(mine) > 20
    for key, props in reference.items():
        assert mine[key] == props, key
    devices = [d for o in ours.objects for p in o.propSet if p.name == "config.hardware.device" for d in p.val]
    assert {d._wsdlName for d in devices} >= {"VirtualDisk", "VirtualVmxnet3", "VirtualPCIPassthrough", "VirtualE1000e"}


def test_unknown_types_and_unreadable_values_cost_only_themselves() -> None:
    page, notes = page_of(
        vm_object(
            "vm-1",
            prop("name", "xsd:string", "good"),
            prop("config.hardware.memoryMB", "xsd:int", "lots"),
            prop(
                "network",
                "ArrayOfManagedObjectReference",
                '<ManagedObjectReference type="Network">network-1</ManagedObjectReference>'
                '<ManagedObjectReference type="">x</ManagedObjectReference>'
                '<ManagedObjectReference type="FancyNewNetwork">y</ManagedObjectReference>',
            ),
            prop("config.hardware.device", "ArrayOfVirtualDevice", DEVICES.format(kb="2048")),
            missing='<missingSet><path>guest.net</path><fault><fault xsi:type="NoPermission"/>'
            "<localizedMessage/></fault></missingSet>",
        ),
        token="next-page",
    )
    assert page.token == "next-page"
    (content,) = page.objects
    props = {p.name: p.val for p in content.propSet}
    assert props["name"] == "good" and "config.hardware.memoryMB" not in props
    assert props["network"] == [MoRef("Network", "network-1")]
    missing = {(m.path, m.partial) for m in content.missingSet}
    assert missing == {("config.hardware.memoryMB", False), ("network", True), ("guest.net", False)}
    reasons = " ".join(m.reason for m in content.missingSet)
    assert "'lots'" in reasons and "NoPermission" in reasons and "'FancyNewNetwork'" in reasons
    disk, unknown = props["config.hardware.device"][1:]
    assert is_a(disk, vim.vm.device.VirtualDisk) and disk.capacityInKB == 2048 and disk.backing.thinProvisioned
    assert disk.backing.datastore == MoRef("Datastore", "datastore-1") and disk.shares is None
    assert unknown._wsdlName == "VirtualQuantumEntangler" and not is_a(unknown, vim.vm.device.VirtualDevice)
    assert unknown.flux == "7"  # unknown types keep their text
    assert notes == []


def test_one_unconvertible_vm_is_skipped_and_the_others_kept() -> None:
    page, _ = page_of(
        vm_object(
            "vm-1",
            prop("name", "xsd:string", "bad"),
            prop("config.hardware.device", "ArrayOfVirtualDevice", DEVICES.format(kb="huge")),
        ),
        vm_object(
            "vm-2",
            prop("name", "xsd:string", "good"),
            prop("config.hardware.device", "ArrayOfVirtualDevice", DEVICES.format(kb="4")),
        ),
    )
    vms = retrieved(page)
    inventory = build_inventory(Retrieved(), [vms], Source(name="t", kind=SourceKind.VSPHERE))
    assert [vm.name for vm in inventory.vms] == ["good"]
    assert inventory.vms[0].disks[0].capacity_bytes == 4096
    assert inventory.vms[0].devices == []  # the unknown device is not a notable one
    assert len(inventory.warnings) == 1 and inventory.warnings[0].startswith("VirtualMachine vm-1 skipped")


def test_skipped_properties_read_as_unknown_not_as_none() -> None:
    page, _ = page_of(
        vm_object(
            "vm-1",
            prop("name", "xsd:string", "v"),
            missing='<missingSet><path>snapshot</path><fault><fault xsi:type="NoPermission"/></fault></missingSet>',
        ),
        vm_object("vm-2", prop("name", "xsd:string", "w")),
    )
    vms = retrieved(page)
    assert vms.of("VirtualMachine")["vm-1"][SKIPPED] == {"snapshot"}
    inventory = build_inventory(Retrieved(), [vms], Source(name="t", kind=SourceKind.VSPHERE))
    by_name = {vm.name: vm for vm in inventory.vms}
    assert by_name["v"].snapshots is None and by_name["w"].snapshots == []


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_compressed_responses(encoding: str) -> None:
    """vCenter compresses when asked (the transport asks); vcsim never does."""
    plain, _ = page_of(vm_object("vm-1", prop("name", "xsd:string", "a")), token="t")
    packed, _ = page_of(vm_object("vm-1", prop("name", "xsd:string", "a")), token="t", encoding=encoding)
    assert packed.token == plain.token == "t"
    assert [(p.name, p.val) for p in packed.objects[0].propSet] == [("name", "a")]


@pytest.mark.slow
def test_server_faults_arrive_as_pyvmomi_faults(vcsim: Any) -> None:
    si = vcsim.connect()
    content = si.RetrieveContent()
    collector = FastPropertyCollector(content.propertyCollector)
    ghost = vim.VirtualMachine("vm-99999", si._stub)
    spec = PC.FilterSpec(
        objectSet=[PC.ObjectSpec(obj=ghost)], propSet=[PC.PropertySpec(type=vim.VirtualMachine, pathSet=["name"])]
    )
    with pytest.raises(vmodl.fault.ManagedObjectNotFound):
        collector.RetrievePropertiesEx([spec], PC.RetrieveOptions())
    spec.objectSet = [PC.ObjectSpec(obj=content.rootFolder)]
    spec.propSet = [PC.PropertySpec(type=vim.Folder, pathSet=["name"])]
    page = collector.RetrievePropertiesEx([spec], PC.RetrieveOptions())  # the session still works
    assert [(p.name, p.val) for p in page.objects[0].propSet] == [("name", "Datacenters")]
