"""Move-together groups and the duration model, on estates built through the model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from factory.errors import InputError
from factory.model import AffinityRule, Disk
from factory.store import Store, ThroughputSample
from factory.waves import PlanSettings, find_groups, parse_group_by, plan_waves
from tests.waves.estate import GIB, ovirt_inventory, vsphere_inventory, vsphere_vm


def _groups(inv, labels=()):
    return {g.members: g for g in find_groups([inv], inv.vms, list(labels))}


def test_every_tie_joins_a_group_and_ties_are_transitive() -> None:
    shared = Disk(key="2001", file="[ds] quorum.vmdk", capacity_bytes=GIB, datastore="datastore-1", shared=True)
    vms = [
        vsphere_vm("vc1", 0, labels={"app": "crm"}),
        vsphere_vm("vc1", 1, labels={"app": "crm"}),
        vsphere_vm("vc1", 2, vapp="erp"),
        vsphere_vm("vc1", 3, vapp="erp"),
        vsphere_vm("vc1", 4),
        vsphere_vm("vc1", 5),
        vsphere_vm("vc1", 6, disks=[shared]),
        vsphere_vm("vc1", 7, disks=[shared], labels={"app": "crm"}),  # shares a disk AND is crm
        vsphere_vm("vc1", 8),
    ]
    rules = [
        AffinityRule(name="keep-4-5", kind="vm_affinity", enabled=True, vms=["vm-4", "vm-5"]),
        AffinityRule(name="apart", kind="vm_anti_affinity", vms=["vm-8", "vm-4"]),
        AffinityRule(name="off", kind="vm_affinity", enabled=False, vms=["vm-8", "vm-2"]),
    ]
    groups = _groups(vsphere_inventory("vc1", vms, rules=rules), labels=["app"])
    crm = groups[(("vc1", "vm-0"), ("vc1", "vm-1"), ("vc1", "vm-6"), ("vc1", "vm-7"))]
    assert crm.name == "disk vc1/[ds] quorum.vmdk" and "label app=crm" in crm.reasons
    assert groups[(("vc1", "vm-2"), ("vc1", "vm-3"))].name == "vapp vc1/erp"
    assert groups[(("vc1", "vm-4"), ("vc1", "vm-5"))].name == "affinity vc1/keep-4-5"
    assert groups[(("vc1", "vm-8"),)].name is None, "anti-affinity and disabled rules tie nothing"


def test_labels_tie_across_sources_but_vapps_do_not() -> None:
    a = vsphere_inventory("vc1", [vsphere_vm("vc1", 0, labels={"app": "x"}, vapp="v")])
    b = vsphere_inventory("vc2", [vsphere_vm("vc2", 0, labels={"app": "x"}, vapp="v")])
    groups = find_groups([a, b], a.vms + b.vms, [])
    assert len(groups) == 2
    groups = find_groups([a, b], a.vms + b.vms, ["app"])
    assert [g.members for g in groups] == [(("vc1", "vm-0"), ("vc2", "vm-0"))]


def test_group_by_syntax_is_checked() -> None:
    assert parse_group_by(["label:app", "label:owner"]) == ["app", "owner"]
    with pytest.raises(InputError, match="label:KEY"):
        parse_group_by(["app"])


def _one_wave(inventories, **kw) -> dict:
    doc = plan_waves(inventories, blocked={}, settings=PlanSettings(pilot_size=0, **kw.pop("settings", {})), **kw)
    assert len(doc["waves"]) == 1
    return doc["waves"][0]


def test_duration_follows_the_published_model() -> None:
    # 10 VMs x 35 GiB on one host at 250 MiB/s, 10 in flight: 1434 s copy + one 90 s overhead.
    inv = vsphere_inventory("vc1", [vsphere_vm("vc1", i, host=0, used_gib=35) for i in range(10)])
    wave = _one_wave([inv])
    assert wave["estimated_seconds"] == round(350 * 1024 / 250 + 90)
    assert wave["bottleneck"]["name"] == "esx00" and wave["bottleneck"]["rate_from"] == "default"
    # Spread over two hosts the wave halves; with 5 in flight each host pays the overhead once.
    inv = vsphere_inventory("vc1", [vsphere_vm("vc1", i, host=i % 2, used_gib=35) for i in range(10)])
    assert _one_wave([inv])["estimated_seconds"] == round(175 * 1024 / 250 + 90)
    # Concurrency 2: ceil(5 / 2) = 3 rounds of overhead on each host.
    wave = _one_wave([inv], settings={"max_inflight_per_host": 2})
    assert wave["estimated_seconds"] == round(175 * 1024 / 250 + 3 * 90)
    # A single large VM is capped by the single-VM rate, not the host's.
    big = vsphere_inventory("vc1", [vsphere_vm("vc1", 0, used_gib=1000)])
    assert _one_wave([big])["estimated_seconds"] == round(1000 * 1024 / 160 + 90)


def test_used_size_falls_back_to_capacity_and_says_so() -> None:
    inv = vsphere_inventory("vc1", [vsphere_vm("vc1", 0, used_gib=None), vsphere_vm("vc1", 1, used_gib=10)])
    wave = _one_wave([inv])
    assert wave["used_gib"] == 60.0, "50 GiB capacity + 10 GiB used"
    assert "1 disks have no used size: their capacity is counted" in wave["explanation"]


def test_throughput_flag_overrides_the_default() -> None:
    inv = vsphere_inventory("vc1", [vsphere_vm("vc1", i, used_gib=35) for i in range(10)])
    wave = _one_wave([inv], settings={"throughput_mibs": 500})
    assert wave["estimated_seconds"] == round(350 * 1024 / 500 + 90)
    assert wave["bottleneck"]["rate_from"] == "--throughput-mibs"


def test_recorded_throughput_replaces_the_defaults(store: Store) -> None:
    # 6 VMs on esx00, 4 on esx01: esx00 is the slowest lane.
    inv = vsphere_inventory("vc1", [vsphere_vm("vc1", i, host=0 if i < 6 else 1, used_gib=35) for i in range(10)])
    store.replace_snapshot(inv)
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    # Two overlapping 100 s transfers from esx00 moved 10 GiB each: 20 GiB in 150 s of wall time.
    for end in (100, 150):
        store.record_throughput(
            ThroughputSample(
                kind="fetch", bytes=10 * GIB, seconds=100, source="vc1", host="esx00",
                recorded_at=t0 + timedelta(seconds=end),
            )
        )  # fmt: skip
    samples = store.throughput_samples()
    measured = 20 * 1024 / 150
    for flag in (None, 1000.0):  # a host's own measurement beats even --throughput-mibs
        wave = _one_wave(store.inventories(), samples=samples, settings={"throughput_mibs": flag})
        bottleneck = wave["bottleneck"]
        assert bottleneck["name"] == "esx00" and bottleneck["rate_mibs"] == round(measured, 1)
        assert bottleneck["rate_from"] == "measured on this host (2 transfers)"
        assert wave["estimated_seconds"] == round(210 * 1024 / measured + 90)
    # esx01 has no samples of its own: the source-wide measurement replaces the default.
    only_esx01 = inv.model_copy(update={"vms": [vm for vm in inv.vms if vm.host == "host-1"]})
    wave = _one_wave([only_esx01], samples=samples)
    assert wave["bottleneck"]["rate_from"] == "measured on source vc1 (2 transfers)"
    assert wave["estimated_seconds"] == round(140 * 1024 / measured + 90)


def test_ovirt_lanes_are_storage_domains() -> None:
    inv = ovirt_inventory("rhv", 12, domains=3)
    wave = _one_wave([inv])
    bottleneck = wave["bottleneck"]
    assert bottleneck["kind"] == "storage_domain" and bottleneck["name"] in {"data0", "data1", "data2"}
    per_domain = {}
    for vm in inv.vms:
        per_domain[vm.disks[0].datastore] = per_domain.get(vm.disks[0].datastore, 0) + vm.disks[0].used_bytes
    slowest = max(per_domain.values()) / (1 << 20) / 250 + 90
    assert wave["estimated_seconds"] == round(slowest)


def test_capacity_is_cumulative_per_wave_and_overflow_is_flagged() -> None:
    from factory.target import MappingFile, TargetProfile

    vms = [vsphere_vm("vc1", i, cpus=4, memory_mib=8192) for i in range(6)]  # each: one 50 GiB disk
    vms[5].disks.append(Disk(key="2001", capacity_bytes=100 * GIB, datastore="datastore-9", datastore_name="fast"))
    inv = vsphere_inventory("vc1", vms)
    profile = TargetProfile.model_validate(
        {
            "storageClasses": [
                {"name": "rbd", "accessModes": ["ReadWriteMany"], "default": True, "capacityGiB": 220},
                {"name": "ssd", "accessModes": ["ReadWriteOnce"]},
            ],
            "nodes": {"cpuCores": 20, "memoryGiB": 1000},
        }
    )
    mapping = MappingFile.model_validate(
        {"storage": [{"source": {"name": "fast"}, "destination": {"storageClass": "ssd"}}]}
    )
    doc = plan_waves([inv], blocked={}, settings=PlanSettings(pilot_size=0, max_vms_per_wave=3), profile=profile,
                     mapping=mapping)  # fmt: skip
    first, second = (w["capacity"] for w in doc["waves"])
    assert first["overflow"] is False
    # The largest VM (vm-5, with its 100 GiB disk on "fast" -> ssd) goes first.
    assert first["storage"] == [
        {"storage_class": "rbd", "cumulative_gib": 150.0, "capacity_gib": 220.0, "overflow": False},
        {"storage_class": "ssd", "cumulative_gib": 100.0, "capacity_gib": None, "overflow": False},
    ]
    assert first["cpu"] == {"cumulative": 12, "capacity": 20, "overflow": False}
    # After wave 2: 300 GiB on rbd (> 220), 100 GiB on ssd (no capacity given), 24 vCPUs (> 20).
    assert second["overflow"] is True
    assert second["storage"] == [
        {"storage_class": "rbd", "cumulative_gib": 300.0, "capacity_gib": 220.0, "overflow": True},
        {"storage_class": "ssd", "cumulative_gib": 100.0, "capacity_gib": None, "overflow": False},
    ]
    assert second["cpu"]["overflow"] is True and second["memory"] == {
        "cumulative_gib": 48.0,
        "capacity_gib": 1000.0,
        "overflow": False,
    }
    assert plan_waves([inv], blocked={})["waves"][0]["capacity"] is None, "no profile, no capacity check"


def test_ovirt_shareable_disks_tie_by_disk_id() -> None:
    inv = ovirt_inventory("rhv", 4)
    shared = Disk(key="0b5e-shared", capacity_bytes=GIB, datastore="sd-0", shared=True)
    inv.vms[1].disks.append(shared)
    inv.vms[3].disks.append(shared)
    groups = find_groups([inv], inv.vms, [])
    tied = [g for g in groups if len(g.members) > 1]
    assert [(g.name, [m[1] for m in g.members]) for g in tied] == [
        ("disk rhv/0b5e-shared", [inv.vms[1].id, inv.vms[3].id])
    ]


def test_a_host_without_samples_uses_its_slowest_measured_datastore() -> None:
    vms = [vsphere_vm("vc1", i, used_gib=35) for i in range(4)]
    vms[3].disks.append(Disk(key="2001", capacity_bytes=GIB, used_bytes=GIB, datastore="datastore-7"))
    inv = vsphere_inventory("vc1", vms)
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    samples = [  # datastore-1 (by name): 100 MiB/s; datastore-7 (by id): 50 MiB/s; neither names a host
        ThroughputSample(kind="fetch", bytes=100 << 20, seconds=1, datastore="LocalDS_0", recorded_at=t0),
        ThroughputSample(kind="fetch", bytes=50 << 20, seconds=1, datastore="datastore-7", recorded_at=t0),
    ]
    wave = _one_wave([inv], samples=samples, settings={"throughput_mibs": 400})
    assert wave["bottleneck"]["rate_mibs"] == 50.0
    assert wave["bottleneck"]["rate_from"] == "measured on datastore datastore-7 (1 transfers)"
    assert wave["estimated_seconds"] == round((140 * 1024 + 1024) / 50 + 90)
