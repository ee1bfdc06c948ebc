"""vSphere rules on VMs collected from a real vCenter simulator (vcsim) by the collector.

Each scenario is planted through the vSphere API (pyvmomi ReconfigVM_Task and friends) on
its own VM of a private vcsim, then the whole vCenter is collected with
:class:`factory.sources.vsphere.VSphereSource` and scored.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from pydantic import SecretStr
from pyVmomi import vim

from factory.sources.credentials import Credentials, TlsSettings
from factory.sources.vsphere import VSphereSource
from factory.target import TargetProfile
from risk import RiskReport, score

pytestmark = pytest.mark.slow


def _wait(task: Any) -> None:
    deadline = time.monotonic() + 30
    while task.info.state not in ("success", "error"):
        assert time.monotonic() < deadline, "vcsim task timed out"
        time.sleep(0.02)
    assert task.info.state == "success", task.info.error


def _reconfig(vm: Any, **spec: Any) -> None:
    _wait(vm.ReconfigVM_Task(spec=vim.vm.ConfigSpec(**spec)))


def _add(vm: Any, device: Any, file_op: str | None = None) -> None:
    change = vim.vm.device.VirtualDeviceSpec(operation="add", device=device)
    if file_op:
        change.fileOperation = file_op
    _reconfig(vm, deviceChange=[change])


def _objects(content: Any, kind: type) -> list[Any]:
    view = content.viewManager.CreateContainerView(content.rootFolder, [kind], True)
    try:
        return list(view.view)
    finally:
        view.Destroy()


def _plant(si: Any) -> dict[str, str]:
    """Plant one scenario per VM; returns scenario -> VM name after planting."""
    content = si.RetrieveContent()
    vms = sorted(_objects(content, vim.VirtualMachine), key=lambda v: v.name)
    net = next(n for n in _objects(content, vim.Network) if n.name == "VM Network")
    names: dict[str, str] = {}

    def backing() -> Any:
        return vim.vm.device.VirtualEthernetCard.NetworkBackingInfo(deviceName=net.name, network=net)

    nics, flags, disks, devices, collide, plain = vms[:6]
    # NIC models KubeVirt lacks, a USB controller, CPU hot-add, and a name that is not DNS-1123.
    _add(nics, vim.vm.device.VirtualVmxnet3(key=-1, backing=backing()))
    _add(nics, vim.vm.device.VirtualUSBController(key=-2))
    _reconfig(nics, cpuHotAddEnabled=True)
    _wait(nics.Rename_Task(newName="Web_01 Prod"))
    names["nics"] = "Web_01 Prod"
    # Nested virtualization, EFI with secure boot, a snapshot.
    _reconfig(flags, nestedHVEnabled=True)
    _reconfig(flags, firmware="efi", bootOptions=vim.vm.BootOptions(efiSecureBootEnabled=True))
    _wait(flags.CreateSnapshot_Task(name="before-upgrade", memory=False, quiesce=False))
    names["flags"] = flags.name
    # An independent disk and a physical-mode RDM.
    ctrl = next(d for d in disks.config.hardware.device if isinstance(d, vim.vm.device.VirtualSCSIController))
    datastore = disks.datastore[0].name
    independent = vim.vm.device.VirtualDisk(
        key=-3, controllerKey=ctrl.key, unitNumber=1, capacityInKB=1024,
        backing=vim.vm.device.VirtualDisk.FlatVer2BackingInfo(
            diskMode="independent_persistent", thinProvisioned=True, fileName=f"[{datastore}] {disks.name}/ind.vmdk"
        ),
    )  # fmt: skip
    _add(disks, independent, "create")
    rdm = vim.vm.device.VirtualDisk(
        key=-4, controllerKey=ctrl.key, unitNumber=2, capacityInKB=2048,
        backing=vim.vm.device.VirtualDisk.RawDiskMappingVer1BackingInfo(
            compatibilityMode="physicalMode", diskMode="independent_persistent", deviceName="/vmfs/devices/disks/naa.1",
            lunUuid="0200000000600a0b80", fileName=f"[{datastore}] {disks.name}/rdm.vmdk",
        ),
    )  # fmt: skip
    _add(disks, rdm, "create")
    names["disks"] = disks.name
    # PCI passthrough and SR-IOV.
    _add(devices, vim.vm.device.VirtualPCIPassthrough(
        key=-5, backing=vim.vm.device.VirtualPCIPassthrough.DeviceBackingInfo(
            id="0000:3b:00.0", deviceId="1eb8", systemId="sys", vendorId=4318, deviceName="Tesla T4")))  # fmt: skip
    _add(devices, vim.vm.device.VirtualSriovEthernetCard(key=-6, backing=backing()))
    names["devices"] = devices.name
    # Another VM that renames to the same target name as "Web_01 Prod".
    _wait(collide.Rename_Task(newName="web-01-prod"))
    names["collide"] = "web-01-prod"
    names["plain"] = plain.name
    return names


@pytest.fixture(scope="module")
def collected(vcsim_factory: Any) -> tuple[RiskReport, dict[str, str]]:
    vc = vcsim_factory(vms=3, clusters=1, hosts=2, standalone_hosts=1)
    try:
        names = _plant(vc.connect())
        source = VSphereSource(
            host=vc.host, port=vc.port, name="vcsim",
            credentials=Credentials(vc.user, SecretStr(vc.password)), tls=TlsSettings(ca_file=vc.ca_file),
        )  # fmt: skip
        inventory = source.collect()
    finally:
        vc.stop()
    profile = TargetProfile.model_validate(
        {"storageClasses": [{"name": "lvms", "accessModes": ["ReadWriteOnce"], "default": True}],
         "nodes": {"nestedVirtualization": False}}
    )  # fmt: skip
    return score([inventory], profile), names


def _findings(report: RiskReport, name: str) -> dict[str, list[Any]]:
    vm = next(v for v in report.vms if v.name == name)
    out: dict[str, list[Any]] = {}
    for f in vm.findings:
        out.setdefault(f.id, []).append(f)
    return out


def test_nic_models_usb_hotplug_and_name(collected) -> None:
    report, names = collected
    found = _findings(report, names["nics"])
    assert any("vmxnet3" in f.message for f in found["factory.nic.model_unsupported"])
    assert "vmware.usb_controller.detected" in found
    assert "vmware.cpu_memory.hotplug.enabled" in found
    assert "vmware.vm.name.invalid" in found
    assert "factory.name.collision" in found
    other = _findings(report, names["collide"])
    assert "factory.name.collision" in other and "vmware.vm.name.invalid" not in other


def test_nested_virt_is_critical_when_no_node_offers_it(collected) -> None:
    report, names = collected
    found = _findings(report, names["flags"])
    assert [f.severity for f in found["factory.cpu.nested_virt"]] == ["Critical"]
    assert "vmware.snapshot.detected" in found
    vm = next(v for v in report.vms if v.name == names["flags"])
    assert vm.level == "blocked" and names["flags"] in {v.name for v in report.vms if not v.migratable}


def test_independent_and_rdm_disks(collected) -> None:
    report, names = collected
    found = _findings(report, names["disks"])
    assert len(found["vmware.disk_mode.independent"]) == 2  # the plain independent disk and the RDM
    assert len(found["vmware.disk.rdm.detected"]) == 1
    assert "physical" in found["vmware.disk.rdm.detected"][0].message
    assert "factory.storage.rwo_only" in found  # the profile's only class is RWO


def test_passthrough_and_sriov(collected) -> None:
    report, names = collected
    found = _findings(report, names["devices"])
    assert [f.severity for f in found["vmware.passthrough_device.detected"]] == ["Critical"]
    assert "vmware.device.sriov.detected" in found


def test_untouched_vm_has_none_of_the_planted_findings(collected) -> None:
    report, names = collected
    found = _findings(report, names["plain"])
    planted = {"vmware.passthrough_device.detected", "vmware.device.sriov.detected", "vmware.disk.rdm.detected",
               "vmware.disk_mode.independent", "vmware.snapshot.detected", "vmware.usb_controller.detected",
               "factory.cpu.nested_virt", "factory.name.collision"}  # fmt: skip
    assert planted.isdisjoint(found), sorted(found)
    assert "vmware.vm.name.invalid" in found  # vcsim's own names (DC0_H0_VM0) carry underscores
    assert "factory.nic.model_unsupported" not in found  # vcsim's default NIC is an e1000
