"""10,000 VMs with their disks and NICs go into the store intact (behaviour, not time:
bench/rvtools_import.py measures the speed)."""

from __future__ import annotations

from factory.samples.estate import synthetic
from factory.samples.generator import write_csv_zip
from factory.sources import ingest
from factory.sources.rvtools import RVToolsSource
from tests.rvtools.helpers import MIB


def test_ten_thousand_vms_store_correctly(tmp_path, store):
    estate = synthetic(10_000)
    path = write_csv_zip(estate, tmp_path / "big.zip", sheets=["vInfo", "vDisk", "vNetwork"])
    _, record = ingest(store, RVToolsSource(path=path, name="big"))
    vms = [vm for vm in estate.vms if not vm.template]
    assert record.counts["vms"] == len(vms) == 9_980
    assert record.counts["templates"] == 20
    assert record.counts["disks"] == sum(len(vm.disks) for vm in vms)
    assert record.counts["nics"] == sum(len(vm.nics) for vm in vms)

    stored = {vm.id: vm for vm in store.vms(source="big")}
    assert len(stored) == len(vms)
    for want in (vms[0], vms[4_321], vms[-1]):
        got = stored[want.moref]
        assert got.name == want.name
        assert [(d.key, d.capacity_bytes, d.datastore_name) for d in got.disks] == [
            (str(d.key), d.capacity_mib * MIB, d.datastore) for d in want.disks
        ]
        assert [(n.mac, n.network_name) for n in got.nics] == [(n.mac, n.network) for n in want.nics]
        assert got.labels == want.labels
