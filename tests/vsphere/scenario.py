"""Plant a known scenario into a running vcsim through pyVmomi, as an admin would.

Started with ``vms=4``: 4 VMs on the standalone host DC0_H0 and 4 in cluster DC0_C0. Every
change goes through the vSphere API (ReconfigVM_Task, CreateSnapshot_Task, ...); the tests
then check that the collected inventory says exactly what was planted. ``plant()`` returns
the MoRef ids of the VMs and hosts it used, by role.
"""

from __future__ import annotations

from typing import Any

from pyVim.task import WaitForTask
from pyVmomi import vim

dev = vim.vm.device
Spec = dev.VirtualDeviceSpec

NOT_DNS_NAME = "Web_Server 01 (PROD)"


def _objects(content: Any, kind: type) -> dict[str, Any]:
    view = content.viewManager.CreateContainerView(content.rootFolder, [kind], True)
    try:
        return {obj.name: obj for obj in view.view}
    finally:
        view.DestroyView()


def _reconfig(vm: Any, **spec: Any) -> None:
    WaitForTask(vm.ReconfigVM_Task(vim.vm.ConfigSpec(**spec)))


def _add(device: Any, file_operation: str | None = None) -> Any:
    return Spec(operation="add", device=device, fileOperation=file_operation)


def _scsi_controller(vm: Any) -> Any:
    return next(d for d in vm.config.hardware.device if isinstance(d, dev.VirtualSCSIController))


def _new_disk(vm: Any, backing: Any, unit: int, key: int, capacity_kb: int = 2048) -> Any:
    return dev.VirtualDisk(
        key=key, controllerKey=_scsi_controller(vm).key, unitNumber=unit, capacityInKB=capacity_kb, backing=backing
    )


def plant(si: Any) -> dict[str, str]:
    content = si.RetrieveContent()
    vms = _objects(content, vim.VirtualMachine)
    hosts = _objects(content, vim.HostSystem)
    networks = _objects(content, vim.Network)
    datastores = _objects(content, vim.Datastore)
    cluster = next(iter(_objects(content, vim.ClusterComputeResource).values()))
    pg1 = networks["DC0_DVPG1"]
    opaque = next(n for n in networks.values() if isinstance(n, vim.OpaqueNetwork))

    # -- devices: three NIC models on three kinds of network, USB, PCI passthrough ----------
    nics = vms["DC0_C0_RP0_VM0"]
    vmxnet3 = dev.VirtualVmxnet3(
        key=-1,
        backing=dev.VirtualEthernetCard.DistributedVirtualPortBackingInfo(
            port=vim.dvs.PortConnection(portgroupKey=pg1.key, switchUuid=pg1.config.distributedVirtualSwitch.uuid)
        ),
    )
    e1000e = dev.VirtualE1000e(
        key=-2,
        backing=dev.VirtualEthernetCard.NetworkBackingInfo(deviceName="VM Network", network=networks["VM Network"]),
    )
    usb = dev.VirtualUSBController(key=-3)
    passthrough = dev.VirtualPCIPassthrough(
        key=-4, backing=dev.VirtualPCIPassthrough.DeviceBackingInfo(id="0000:3b:00.0", deviceId="1eb8", vendorId=4318)
    )
    nvme = dev.VirtualNVMEController(key=-5, busNumber=0)
    _reconfig(nics, deviceChange=[_add(vmxnet3), _add(e1000e), _add(usb), _add(passthrough), _add(nvme)])

    # -- firmware, nested virtualization, hot-plug, extraConfig (CBT, NUMA, disk UUID) -------
    _reconfig(nics, firmware="efi", bootOptions=vim.vm.BootOptions(efiSecureBootEnabled=True))
    _reconfig(nics, nestedHVEnabled=True, cpuHotAddEnabled=True, cpuHotRemoveEnabled=True, memoryHotAddEnabled=True)
    disk = next(d for d in nics.config.hardware.device if isinstance(d, dev.VirtualDisk))
    controller = next(d for d in nics.config.hardware.device if d.key == disk.controllerKey)
    slot = f"scsi{controller.busNumber}:{disk.unitNumber}"
    extra = {"ctkEnabled": "TRUE", f"{slot}.ctkEnabled": "TRUE", "numa.nodeAffinity": "0,1", "disk.EnableUUID": "TRUE"}
    _reconfig(nics, extraConfig=[vim.option.OptionValue(key=k, value=v) for k, v in extra.items()])

    # -- disks: RDM (physical), independent, a disk on the second datastore -----------------
    disks = vms["DC0_C0_RP0_VM1"]
    ds1 = datastores["LocalDS_1"]
    second = _new_disk(
        disks,
        dev.VirtualDisk.FlatVer2BackingInfo(
            fileName=f"[{ds1.name}] DC0_C0_RP0_VM1-second.vmdk",
            datastore=ds1,
            diskMode="persistent",
            thinProvisioned=True,
        ),
        unit=1,
        key=-10,
    )
    independent = _new_disk(
        disks,
        dev.VirtualDisk.FlatVer2BackingInfo(
            fileName="[LocalDS_0] DC0_C0_RP0_VM1/independent.vmdk",
            datastore=datastores["LocalDS_0"],
            diskMode="independent_persistent",
            thinProvisioned=False,
        ),
        unit=2,
        key=-11,
    )
    _reconfig(disks, deviceChange=[_add(second, "create"), _add(independent, "create")])
    rdm = _new_disk(
        disks,
        dev.VirtualDisk.RawDiskMappingVer1BackingInfo(
            fileName="[LocalDS_0] DC0_C0_RP0_VM1/rdm.vmdk",
            datastore=datastores["LocalDS_0"],
            compatibilityMode="physicalMode",
            diskMode="independent_persistent",
            deviceName="/vmfs/devices/disks/naa.600000000000000000000000000000a1",
            lunUuid="0200000000600000000000000000000000000000a1",
        ),
        unit=3,
        key=-12,
    )
    _reconfig(disks, deviceChange=[_add(rdm, "create")])
    _reconfig(disks, numCPUs=4, memoryMB=4096)  # a reconfigure after the RDM: needs build fix 2

    # -- a disk file attached to a second VM (shared by use, not by sharing mode) ------------
    sharer = vms["DC0_C0_RP0_VM3"]
    shared_file = next(d for d in disks.config.hardware.device if isinstance(d, dev.VirtualDisk)).backing
    attached = _new_disk(
        sharer,
        dev.VirtualDisk.FlatVer2BackingInfo(
            fileName=shared_file.fileName, datastore=shared_file.datastore, diskMode="persistent"
        ),
        unit=1,
        key=-20,
    )
    _reconfig(sharer, deviceChange=[_add(attached)])

    # -- snapshots (nested), power states ----------------------------------------------------
    snapped = vms["DC0_C0_RP0_VM2"]
    WaitForTask(snapped.CreateSnapshot_Task(name="before-upgrade", memory=False, quiesce=False))
    WaitForTask(snapped.CreateSnapshot_Task(name="after-upgrade", memory=False, quiesce=False))
    WaitForTask(snapped.PowerOffVM_Task())
    WaitForTask(sharer.SuspendVM_Task())

    # -- a name that is not DNS-1123, custom attributes, a template -------------------------
    renamed = vms["DC0_H0_VM0"]
    # ... which also gets a guest-cluster disk: a SAS controller with physical bus sharing
    sas = dev.VirtualLsiLogicSASController(key=-40, busNumber=1, sharedBus="physicalSharing")
    quorum = dev.VirtualDisk(
        key=-41,
        controllerKey=-40,
        unitNumber=0,
        capacityInKB=1024,
        backing=dev.VirtualDisk.FlatVer2BackingInfo(
            fileName="[LocalDS_0] DC0_H0_VM0/quorum.vmdk", diskMode="independent_persistent", thinProvisioned=False
        ),
    )
    _reconfig(renamed, deviceChange=[_add(sas), _add(quorum, "create")])
    WaitForTask(renamed.Rename_Task(NOT_DNS_NAME))
    fields = content.customFieldsManager
    owner = fields.AddCustomFieldDef(name="owner", moType=vim.VirtualMachine)
    wave = fields.AddCustomFieldDef(name="migration-wave", moType=vim.VirtualMachine)
    fields.SetField(entity=renamed, key=owner.key, value="team-web")
    fields.SetField(entity=renamed, key=wave.key, value="3")
    template = vms["DC0_H0_VM1"]
    WaitForTask(template.PowerOffVM_Task())
    template.MarkAsTemplate()

    # -- a NIC on an NSX opaque network: vcsim then sends an empty-typed MoRef in vm.network --
    on_opaque = vms["DC0_H0_VM2"]
    opaque_nic = dev.VirtualVmxnet3(
        key=-30,
        backing=dev.VirtualEthernetCard.OpaqueNetworkBackingInfo(
            opaqueNetworkId=opaque.summary.opaqueNetworkId, opaqueNetworkType=opaque.summary.opaqueNetworkType
        ),
    )
    _reconfig(on_opaque, deviceChange=[_add(opaque_nic)])

    # -- DRS rules: VM-VM affinity and anti-affinity, a VM-host rule with groups; maintenance --
    cluster_hosts = sorted((h for h in hosts.values() if h.parent == cluster), key=lambda h: h.name)
    rules = vim.cluster.ConfigSpecEx(
        groupSpec=[
            vim.cluster.GroupSpec(operation="add", info=vim.cluster.VmGroup(name="db-vms", vm=[disks])),
            vim.cluster.GroupSpec(operation="add", info=vim.cluster.HostGroup(name="db-hosts", host=cluster_hosts[:2])),
        ],
        rulesSpec=[
            vim.cluster.RuleSpec(
                operation="add",
                info=vim.cluster.AffinityRuleSpec(name="keep-together", enabled=True, vm=[nics, disks]),
            ),
            vim.cluster.RuleSpec(
                operation="add",
                info=vim.cluster.AntiAffinityRuleSpec(name="keep-apart", enabled=True, vm=[snapped, sharer]),
            ),
            vim.cluster.RuleSpec(
                operation="add",
                info=vim.cluster.VmHostRuleInfo(
                    name="db-on-db-hosts",
                    enabled=True,
                    mandatory=True,
                    vmGroupName="db-vms",
                    affineHostGroupName="db-hosts",
                ),
            ),
        ],
    )
    WaitForTask(cluster.ReconfigureComputeResource_Task(rules, modify=True))
    maintenance = cluster_hosts[2]
    WaitForTask(maintenance.EnterMaintenanceMode_Task(timeout=0))

    # -- a datastore cluster: LocalDS_1 moves into a StoragePod -------------------------------
    datacenter = content.rootFolder.childEntity[0]
    pod = datacenter.datastoreFolder.CreateStoragePod(name="POD1")
    WaitForTask(pod.MoveIntoFolder_Task([ds1]))

    return {
        "nics": nics._moId,
        "disks": disks._moId,
        "snapped": snapped._moId,
        "sharer": sharer._moId,
        "renamed": renamed._moId,
        "template": template._moId,
        "opaque": on_opaque._moId,
        "plain": vms["DC0_H0_VM3"]._moId,
        "maintenance_host": maintenance._moId,
        "db_hosts": ",".join(h._moId for h in cluster_hosts[:2]),
        "cluster": cluster._moId,
        "slot": slot,
        "opaque_network": opaque._moId,
    }
