"""Conversion of the facts vcsim cannot be made to produce (guest IPs and filesystems, tools
state, FT, CPU affinity, vTPM, consolidation, an anti-affine VM-host rule, PVLANs), from
hand-written vim25 responses through the real parser, decoder and inventory builder."""

from __future__ import annotations

from factory.model import Source, SourceKind
from factory.sources.vsphere.collector import build_inventory
from tests.vsphere.soap_pages import DEVICES, page_of, prop, retrieved, vm_object


def _obj(kind: str, moid: str, *props: str) -> str:
    return f'<objects><obj type="{kind}">{moid}</obj>{"".join(props)}</objects>'


def _parent(kind: str, moid: str) -> str:
    return prop("parent", "ManagedObjectReference", moid, f' type="{kind}"')


TOPOLOGY = (
    _obj("Datacenter", "datacenter-1", prop("name", "xsd:string", "DC")),
    _obj(
        "Folder",
        "group-v1",
        prop("name", "xsd:string", "vm"),
        _parent("Datacenter", "datacenter-1"),
    ),
    _obj(
        "Folder",
        "group-v2",
        prop("name", "xsd:string", "Prod"),
        _parent("Folder", "group-v1"),
    ),
    _obj(
        "Folder",
        "group-h1",
        prop("name", "xsd:string", "host"),
        _parent("Datacenter", "datacenter-1"),
    ),
    _obj(
        "ClusterComputeResource",
        "domain-c1",
        prop("name", "xsd:string", "C1"),
        _parent("Folder", "group-h1"),
        prop(
            "configurationEx",
            "ClusterConfigInfoEx",
            "<dasConfig><enabled>true</enabled></dasConfig><drsConfig><enabled>false</enabled></drsConfig>"
            "<dpmConfigInfo><enabled>true</enabled></dpmConfigInfo>"
            '<group xsi:type="ClusterHostGroup"><name>avoid</name><host type="HostSystem">host-1</host></group>'
            '<group xsi:type="ClusterVmGroup"><name>dbs</name><vm type="VirtualMachine">vm-9</vm></group>'
            '<rule xsi:type="ClusterVmHostRuleInfo"><key>1</key><name>not-on-host-1</name><enabled>true</enabled>'
            "<mandatory>false</mandatory><vmGroupName>dbs</vmGroupName>"
            "<antiAffineHostGroupName>avoid</antiAffineHostGroupName></rule>",
        ),
    ),
    *(
        _obj(
            "HostSystem",
            f"host-{n}",
            prop("name", "xsd:string", f"esx{n}"),
            _parent("ClusterComputeResource", "domain-c1"),
            prop("runtime.connectionState", "HostSystemConnectionState", "disconnected" if n == 2 else "connected"),
        )
        for n in (1, 2, 3)
    ),
    _obj(
        "DistributedVirtualPortgroup",
        "dvportgroup-7",
        prop("name", "xsd:string", "pvlan-pg"),
        prop("key", "xsd:string", "dvportgroup-7"),
        prop(
            "config.defaultPortConfig",
            "VMwareDVSPortSetting",
            '<vlan xsi:type="VmwareDistributedVirtualSwitchPvlanSpec"><inherited>false</inherited>'
            "<pvlanId>7</pvlanId></vlan>",
        ),
    ),
    _obj(
        "DistributedVirtualPortgroup",
        "dvportgroup-8",
        prop("name", "xsd:string", "trunk-pg"),
        prop(
            "config.defaultPortConfig",
            "VMwareDVSPortSetting",
            '<vlan xsi:type="VmwareDistributedVirtualSwitchTrunkVlanSpec"><inherited>false</inherited>'
            "<vlanId><start>10</start><end>20</end></vlanId><vlanId><start>30</start><end>30</end></vlanId></vlan>",
        ),
    ),
    _obj(
        "CustomFieldsManager",
        "CustomFieldsManager",
        prop("field", "ArrayOfCustomFieldDef", "<CustomFieldDef><key>101</key><name>app</name></CustomFieldDef>"),
    ),
)

AFFINITY = "<affinitySet>0</affinitySet><affinitySet>2</affinitySet>"
NIC_AND_MORE = (
    '<VirtualDevice xsi:type="VirtualVmxnet3"><key>4000</key><macAddress>00:50:56:aa:bb:cc</macAddress>'
    '<backing xsi:type="VirtualEthernetCardDistributedVirtualPortBackingInfo"><port>'
    "<switchUuid>50 1a</switchUuid><portgroupKey>dvportgroup-7</portgroupKey></port></backing>"
    "<connectable><startConnected>true</startConnected><allowGuestControl>true</allowGuestControl>"
    "<connected>true</connected></connectable></VirtualDevice>"
    '<VirtualDevice xsi:type="VirtualCdrom"><key>3000</key><backing xsi:type="VirtualCdromIsoBackingInfo">'
    "<fileName>[ds] iso/rhel-8.iso</fileName></backing></VirtualDevice>"
    '<VirtualDevice xsi:type="VirtualTPM"><key>11000</key></VirtualDevice>'
)

VM = vm_object(
    "vm-9",
    prop("name", "xsd:string", "db01"),
    _parent("Folder", "group-v2"),
    prop("runtime.host", "ManagedObjectReference", "host-3", ' type="HostSystem"'),
    prop("runtime.powerState", "VirtualMachinePowerState", "poweredOn"),
    prop("runtime.consolidationNeeded", "xsd:boolean", "true"),
    prop("config.guestId", "xsd:string", "rhel8_64Guest"),
    prop("guest.guestFullName", "xsd:string", "Red Hat Enterprise Linux 8 (64-bit)"),
    prop("guest.toolsStatus", "VirtualMachineToolsStatus", "toolsOk"),
    prop("guest.hostName", "xsd:string", "db01.example.com"),
    prop("guest.ipAddress", "xsd:string", "10.0.0.5"),
    prop(
        "guest.net",
        "ArrayOfGuestNicInfo",
        "<GuestNicInfo><network>pvlan-pg</network><ipAddress>10.0.0.5</ipAddress><ipAddress>fe80::1</ipAddress>"
        "<macAddress>00:50:56:aa:bb:cc</macAddress><connected>true</connected>"
        "<deviceConfigId>4000</deviceConfigId></GuestNicInfo>",
    ),
    prop(
        "guest.disk",
        "ArrayOfGuestDiskInfo",
        "<GuestDiskInfo><diskPath>/</diskPath><capacity>10737418240</capacity><freeSpace>52428800</freeSpace>"
        "<mappings><key>2000</key></mappings></GuestDiskInfo>"
        "<GuestDiskInfo><diskPath>/boot</diskPath><capacity>1073741824</capacity>"
        "<freeSpace>900000000</freeSpace></GuestDiskInfo>",
    ),
    prop(
        "config.cpuAffinity", "VirtualMachineAffinityInfo", "<affinitySet>0</affinitySet><affinitySet>2</affinitySet>"
    ),
    prop(
        "config.ftInfo",
        "FaultTolerancePrimaryConfigInfo",
        "<role>1</role><instanceUuids>a</instanceUuids><instanceUuids>b</instanceUuids><configPaths>x</configPaths>",
    ),
    prop("summary.config.tpmPresent", "xsd:boolean", "true"),
    prop("config.hardware.device", "ArrayOfVirtualDevice", DEVICES.format(kb="4096") + NIC_AND_MORE),
    prop(
        "config.extraConfig",
        "ArrayOfOptionValue",
        '<OptionValue><key>scsi0:0.sharing</key><value xsi:type="xsd:string">multi-writer</value></OptionValue>',
    ),
    prop(
        "layoutEx.file",
        "ArrayOfVirtualMachineFileLayoutExFileInfo",
        "".join(
            f"<VirtualMachineFileLayoutExFileInfo><key>{k}</key><name>{n}</name><type>diskDescriptor</type>"
            f"<size>{s}</size></VirtualMachineFileLayoutExFileInfo>"
            for k, n, s in ((1, "[ds] a/a.vmdk", 100), (2, "[ds] a/a-flat.vmdk", 5000), (3, "[ds] a/a-0001.vmdk", 10))
        ),
    ),
    prop(
        "layoutEx.disk",
        "ArrayOfVirtualMachineFileLayoutExDiskLayout",
        "<VirtualMachineFileLayoutExDiskLayout><key>2000</key><chain><fileKey>1</fileKey><fileKey>2</fileKey>"
        "</chain><chain><fileKey>3</fileKey></chain></VirtualMachineFileLayoutExDiskLayout>",
    ),
    prop(
        "customValue",
        "ArrayOfCustomFieldValue",
        '<CustomFieldValue xsi:type="CustomFieldStringValue"><key>101</key><value>billing</value></CustomFieldValue>',
    ),
    prop(
        "snapshot",
        "VirtualMachineSnapshotInfo",
        '<currentSnapshot type="VirtualMachineSnapshot">snapshot-2</currentSnapshot>'
        '<rootSnapshotList><snapshot type="VirtualMachineSnapshot">snapshot-1</snapshot><vm type="VirtualMachine">'
        "vm-9</vm><name>base</name><createTime>2026-01-02T03:04:05.123456789Z</createTime><state>poweredOff</state>"
        '<childSnapshotList><snapshot type="VirtualMachineSnapshot">snapshot-2</snapshot><vm type="VirtualMachine">'
        "vm-9</vm><name>with-memory</name><createTime>2026-01-03T00:00:00Z</createTime><state>poweredOn</state>"
        "</childSnapshotList></rootSnapshotList>",
    ),
)


def test_guest_facts_ft_affinity_tpm_and_rules() -> None:
    topo_page, _ = page_of(*TOPOLOGY)
    vm_page, _ = page_of(VM)
    inventory = build_inventory(retrieved(topo_page), [retrieved(vm_page)], Source(name="s", kind=SourceKind.VSPHERE))
    assert inventory.warnings == []
    (vm,) = inventory.vms
    assert (vm.guest_id, vm.guest_name_reported, vm.tools_status) == (
        "rhel8_64Guest",
        "Red Hat Enterprise Linux 8 (64-bit)",
        "toolsOk",
    )
    assert (vm.guest_hostname, vm.guest_ips) == ("db01.example.com", ["10.0.0.5", "fe80::1"])
    assert [(f.path, f.free_bytes, f.disk_key) for f in vm.guest_filesystems or []] == [
        ("/", 52428800, "2000"),
        ("/boot", 900000000, None),
    ]
    assert (vm.cpu_affinity, vm.fault_tolerance, vm.consolidation_needed, vm.tpm) == ([0, 2], True, True, True)
    assert (vm.host, vm.cluster, vm.datacenter, vm.folder) == ("host-3", "domain-c1", "datacenter-1", "/DC/vm/Prod")
    assert vm.labels == {"app": "billing"}
    (disk,) = vm.disks
    assert (disk.shared, disk.used_bytes, disk.capacity_bytes, disk.datastore) == (
        True,
        5110,
        4096 * 1024,
        "datastore-1",
    )
    (nic,) = vm.nics
    assert (nic.model, nic.network, nic.network_name, nic.ips) == (
        "vmxnet3",
        "dvportgroup-7",
        "pvlan-pg",
        ["10.0.0.5", "fe80::1"],
    )
    assert (nic.connected, nic.start_connected, nic.mac) == (True, True, "00:50:56:aa:bb:cc")
    assert sorted((d.kind, d.iso) for d in vm.devices or []) == [("cdrom", "[ds] iso/rhel-8.iso"), ("tpm", None)]
    assert [(s.name, s.parent, s.persist_memory) for s in vm.snapshots or []] == [
        ("base", None, False),
        ("with-memory", "snapshot-1", True),
    ]
    assert vm.snapshots and vm.snapshots[0].created_at and vm.snapshots[0].created_at.year == 2026

    (cluster,) = inventory.clusters
    assert (cluster.ha_enabled, cluster.drs_enabled, cluster.dpm_enabled) == (True, False, True)
    (rule,) = cluster.affinity_rules
    assert (rule.kind, rule.vms, sorted(rule.hosts), rule.mandatory) == (
        "vm_host",
        ["vm-9"],
        ["host-2", "host-3"],
        False,
    )
    hosts = {h.name: h for h in inventory.hosts}
    assert hosts["esx2"].connection_state == "disconnected" and hosts["esx1"].cluster == "domain-c1"
    vlans = {n.name: n.vlan for n in inventory.networks}
    assert vlans == {"pvlan-pg": "pvlan:7", "trunk-pg": "10-20,30"}
