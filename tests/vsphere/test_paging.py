"""The paging loop against a double that pages a real vcsim result, and the SOAP call count
against real vcsim sessions: it must not grow with the number of VMs."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from factory.model import Inventory
from factory.sources.vsphere import read_inventory
from factory.sources.vsphere.transport import FastPropertyCollector
from tests.peers.vcsim.launcher import Vcsim
from tests.peers.vcsim.soap_counter import SoapCallCounter
from tests.vsphere.doubles import PagingCollectorDouble

pytestmark = pytest.mark.slow


def _comparable(inventory: Inventory) -> dict:
    return inventory.model_dump(mode="json", exclude={"source": {"collected_at"}})


def test_paged_collection_equals_the_single_page_one(vcsim_factory: Callable[..., Vcsim]) -> None:
    sim = vcsim_factory(vms=5)  # 10 VMs: 5 on the standalone host, 5 in the cluster
    content = sim.connect().RetrieveContent()
    whole = read_inventory(content, name="vc", endpoint=None)
    double = PagingCollectorDouble(FastPropertyCollector(content.propertyCollector))
    paged = read_inventory(content, name="vc", endpoint=None, page_size=3, collector=double)

    assert _comparable(paged) == _comparable(whole)
    assert len(paged.vms) == 10
    assert double.max_objects == [3, 3]  # the topology filter, then the VM filter
    topology_objects, vm_objects = double.result_sizes
    assert topology_objects > 20 and vm_objects == 10
    assert double.calls["RetrievePropertiesEx"] == 2
    continues = math.ceil(topology_objects / 3) - 1 + math.ceil(vm_objects / 3) - 1
    assert double.calls["ContinueRetrievePropertiesEx"] == continues
    assert double.pending == {}  # every token was followed to the end


def test_soap_calls_do_not_grow_with_the_number_of_vms(vcsim_factory: Callable[..., Vcsim]) -> None:
    counts = {}
    for vms in (1, 25):
        sim = vcsim_factory(vms=vms)
        si = sim.connect()
        content = si.RetrieveContent()
        counter = SoapCallCounter.install(si)
        inventory = read_inventory(content, name="vc", endpoint=None)
        assert len(inventory.vms) == 2 * vms
        counts[vms] = dict(counter.by_method)
        sim.stop()
    expected = {"CreateContainerView": 2, "RetrievePropertiesEx": 2, "DestroyView": 2}
    assert counts == {1: expected, 25: expected}
