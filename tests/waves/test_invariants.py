"""Grouping invariants, property-based: whatever the estate and the limits, no group is
split, no blocked VM is planned, limits hold, and every VM is accounted for exactly once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factory.model import AffinityRule, Disk
from factory.waves import PlanSettings, build_windows, find_groups, plan_waves
from factory.waves.settings import EnvOrder
from tests.waves.estate import GIB, vsphere_inventory, vsphere_vm

START = datetime(2026, 12, 5, 22, tzinfo=UTC)


_DISK = st.tuples(
    st.sampled_from(["own", "[ds] shared1.vmdk", "[ds] shared2.vmdk"]), st.one_of(st.none(), st.integers(1, 400))
)
_VM = st.tuples(
    st.integers(0, 4),  # host (modulo the host count)
    st.sampled_from([None, "a", "b", "c", "d", "e"]),  # app label
    st.sampled_from(["dev", "test", "prod", "lab"]),  # env label
    st.lists(_DISK, max_size=3),
    st.sampled_from([None, None, None, "v1", "v2"]),  # vApp
)


@st.composite
def estates(draw):
    """A vSphere estate with every kind of tie, and a random set of blocked VMs."""
    hosts = draw(st.integers(1, 5))
    vms = []
    for i, (host, app, env, disks, vapp) in enumerate(draw(st.lists(_VM, min_size=1, max_size=40))):
        labels = {"env": env} | ({"app": app} if app else {})
        disk_models = [
            Disk(
                key=f"{2000 + n}",
                file=f"[ds] own{i}-{n}.vmdk" if file == "own" else file,
                capacity_bytes=50 * GIB,
                used_bytes=None if used is None else used * GIB,
                datastore="datastore-1",
            )
            for n, (file, used) in enumerate(disks)
        ]
        vms.append(vsphere_vm("vc1", i, host=host % hosts, labels=labels, disks=disk_models, vapp=vapp))
    ids = [vm.id for vm in vms]
    rules = [
        AffinityRule(name=f"r{n}", kind="vm_affinity", vms=members)
        for n, members in enumerate(draw(st.lists(st.lists(st.sampled_from(ids), max_size=4), max_size=3)))
    ]
    inv = vsphere_inventory("vc1", vms, hosts=hosts, rules=rules)
    blocked = {("vc1", i): ["Critical: test"] for i in draw(st.sets(st.sampled_from(ids), max_size=len(ids) // 4))}
    return inv, blocked


@st.composite
def plan_settings(draw):
    return PlanSettings(
        max_vms_per_plan=draw(st.integers(1, 10)),
        max_inflight_per_host=draw(st.integers(1, 10)),
        group_by=draw(st.sampled_from([[], ["app"]])),
        pilot_size=draw(st.integers(0, 5)),
        env_order=draw(st.sampled_from([None, EnvOrder(label="env", order=["dev", "test", "prod"])])),
        max_vms_per_wave=draw(st.one_of(st.none(), st.integers(1, 25))),
        max_vms_per_host=draw(st.one_of(st.none(), st.integers(1, 8))),
    )


@st.composite
def window_sets(draw):
    if draw(st.booleans()):
        return None
    specs = [
        (START + timedelta(days=7 * n), timedelta(hours=draw(st.integers(1, 12))))
        for n in range(draw(st.integers(1, 5)))
    ]
    blackouts = [START.date() + timedelta(days=7)] if draw(st.booleans()) else []
    return build_windows(specs, blackouts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(estates(), plan_settings(), window_sets())
def test_plans_keep_groups_whole_and_limits_held(estate, config, windows) -> None:
    inv, blocked = estate
    doc = plan_waves([inv], blocked=blocked, settings=config, windows=windows)
    by_id = {vm.id: vm for vm in inv.vms}

    # Every eligible VM is in exactly one of waves / excluded / unplaced.
    placed = [(v["source"], v["id"]) for w in doc["waves"] for v in w["vms"]]
    seen = Counter(placed + [(r["source"], r["id"]) for r in doc["excluded"] + doc["unplaced"]])
    assert seen == Counter({("vc1", vm.id): 1 for vm in inv.vms})
    # Blocked VMs are excluded, never planned.
    assert {(r["source"], r["id"]) for r in doc["excluded"]} == set(blocked)
    wave_of = {key: w["name"] for w in doc["waves"] for key in ((v["source"], v["id"]) for v in w["vms"])}
    # No group is split: all of it in one wave, or none of it in any.
    for group in find_groups([inv], inv.vms, config.group_by):
        waves = {wave_of.get(k) for k in group.members}
        assert len(waves) == 1, (group, waves)
    for wave in doc["waves"]:
        ids = [v["id"] for v in wave["vms"]]
        assert wave["vms"], "no empty waves"
        # Plans: within the limits, one source each, covering the wave exactly.
        assert sorted(i for p in wave["plans"] for i in p["vms"]) == sorted(ids)
        for plan in wave["plans"]:
            assert 1 <= len(plan["vms"]) <= config.max_vms_per_plan
            assert sum(len(by_id[i].disks) for i in plan["vms"]) <= 500
            assert plan["source"] == "vc1"
        per_host = Counter(by_id[i].host for i in ids)
        if config.max_vms_per_host:
            assert max(per_host.values()) <= config.max_vms_per_host
        limit = config.max_vms_per_wave or (None if windows else 500)
        if limit:
            assert len(ids) <= limit
        if windows is None:
            assert wave["window"] is None
        else:
            start, end = (datetime.fromisoformat(wave["window"][k]) for k in ("start", "end"))
            assert wave["estimated_seconds"] <= (end - start).total_seconds() + 1
            assert any(w.start == start for w in windows.usable)
    if windows is not None:
        starts = [w["window"]["start"] for w in doc["waves"]]
        assert starts == sorted(set(starts)), "one wave per window, in time order"
    if doc["waves"] and doc["waves"][0].get("pilot"):
        assert len(doc["waves"][0]["vms"]) <= config.pilot_size
    if config.env_order:
        # dev -> test -> prod: a group of a later environment never lands before one of an earlier.
        order = config.env_order
        placed_groups = [
            (max(order.rank(by_id[k[1]].labels) for k in g.members), int(wave_of[g.members[0]].split("-")[1]))
            for g in find_groups([inv], inv.vms, config.group_by)
            if g.members[0] in wave_of
        ]
        for rank_a, wave_a in placed_groups:
            for rank_b, wave_b in placed_groups:
                assert not (rank_a < rank_b and wave_a > wave_b)
