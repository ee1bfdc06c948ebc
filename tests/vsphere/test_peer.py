"""The vcsim peer itself: the build fixes are in, the binary is cached, instances start on
any loopback address with our certificate."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pyVim.task import WaitForTask
from pyVmomi import vim

from tests.peers.vcsim import build
from tests.peers.vcsim.build import ensure_binary
from tests.peers.vcsim.launcher import Vcsim


def test_the_binary_is_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    first = ensure_binary()
    built = first.stat().st_mtime_ns

    def no_build(*args: object) -> None:
        raise AssertionError("rebuilt although the sources did not change")

    monkeypatch.setattr(build, "_build", no_build)
    assert ensure_binary() == first and first.stat().st_mtime_ns == built
    assert first.parent.name == build.source_hash()


def test_fetch_of_an_unset_property_works(vcsim: Vcsim) -> None:
    """Build fix 1: pyVmomi reads `vm.snapshot` through Fetch; stock 0.24.2 drops the connection."""
    content = vcsim.connect().RetrieveContent()
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
    assert all(vm.snapshot is None for vm in view.view)
    assert content.about.apiType == "VirtualCenter"


@pytest.mark.slow
def test_reconfigure_after_an_rdm_disk(vcsim_factory: Callable[..., Vcsim]) -> None:
    """Build fix 2: after an RDM disk is added, stock 0.24.2 panics on every reconfigure."""
    sim = vcsim_factory(vms=1, host="127.0.0.2")
    assert sim.host == "127.0.0.2"
    content = sim.connect().RetrieveContent()
    vm = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True).view[0]
    controller = next(d for d in vm.config.hardware.device if isinstance(d, vim.vm.device.VirtualSCSIController))
    rdm = vim.vm.device.VirtualDisk(
        key=-1,
        controllerKey=controller.key,
        unitNumber=5,
        capacityInKB=1024,
        backing=vim.vm.device.VirtualDisk.RawDiskMappingVer1BackingInfo(
            fileName=f"[LocalDS_0] {vm.name}/rdm.vmdk", compatibilityMode="virtualMode", diskMode="persistent"
        ),
    )
    add = vim.vm.device.VirtualDeviceSpec(operation="add", fileOperation="create", device=rdm)
    WaitForTask(vm.ReconfigVM_Task(vim.vm.ConfigSpec(deviceChange=[add])))
    WaitForTask(vm.ReconfigVM_Task(vim.vm.ConfigSpec(numCPUs=2)))
    assert vm.config.hardware.numCPU == 2
