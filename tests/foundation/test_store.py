"""The store: atomic snapshot replacement, run records, migrations, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from factory.errors import FactoryError, InputError
from factory.model import (
    VM,
    Cluster,
    Datastore,
    Disk,
    GuestFilesystem,
    Host,
    Inventory,
    Network,
    Nic,
    PowerState,
    Snapshot,
    Source,
    SourceKind,
)
from factory.sources import ingest
from factory.store import Store, ThroughputSample
from factory.store.schema import metadata


def make_inventory(name: str, vm_count: int, *, tag: str = "a") -> Inventory:
    vms = [
        VM(
            id=f"vm-{i}",
            source=name,
            name=f"{tag}-vm{i:05d}",
            power_state=PowerState.ON if i % 2 else PowerState.OFF,
            cpus=2,
            memory_mib=4096,
            host="host-1",
            cluster="domain-c1",
            labels={"app": f"app{i % 7}"},
            guest_filesystems=[GuestFilesystem(path="/", capacity_bytes=10 << 30, free_bytes=1 << 30)],
            disks=[
                Disk(key="2000", capacity_bytes=40 << 30, used_bytes=10 << 30, datastore="ds-1", mode="persistent"),
                Disk(key="2001", capacity_bytes=10 << 30, datastore="ds-1", rdm=True, rdm_mode="physical"),
            ],
            nics=[
                Nic(key="4000", model="vmxnet3", mac=f"00:50:56:00:{i // 256 % 256:02x}:{i % 256:02x}", network="n-1")
            ],
            snapshots=[Snapshot(name="before-patch")] if i % 3 == 0 else [],
        )
        for i in range(vm_count)
    ]
    return Inventory(
        source=Source(name=name, kind=SourceKind.VSPHERE, endpoint="vc.example.com", collected_at=datetime.now(UTC)),
        clusters=[Cluster(id="domain-c1", name="prod", drs_enabled=True)],
        hosts=[Host(id="host-1", name="esx01", cluster="domain-c1", in_maintenance=False)],
        datastores=[Datastore(id="ds-1", name="LocalDS_0", capacity_bytes=1 << 40, free_bytes=1 << 39)],
        networks=[Network(id="n-1", name="VM Network", kind="standard")],
        vms=vms,
        warnings=["vUSB sheet missing"],
    )


class _FailingSource:
    """An inventory source whose collection fails, like a vCenter that drops the session."""

    kind = SourceKind.VSPHERE

    def __init__(self, name: str, error: FactoryError) -> None:
        self.name = name
        self.error = error

    def collect(self) -> Inventory:
        raise self.error


def test_snapshot_round_trips_every_field(store: Store) -> None:
    inventory = make_inventory("vc1", 5)
    store.replace_snapshot(inventory)
    loaded = store.inventory("vc1")
    assert loaded.vms == sorted(inventory.vms, key=lambda vm: vm.name)
    assert loaded.clusters == inventory.clusters
    assert loaded.hosts == inventory.hosts
    assert loaded.datastores == inventory.datastores
    assert loaded.networks == inventory.networks
    assert loaded.source.endpoint == "vc.example.com"


def test_replace_swaps_the_whole_snapshot_and_records_runs(store: Store) -> None:
    store.replace_snapshot(make_inventory("vc1", 10, tag="old"))
    store.replace_snapshot(make_inventory("other", 3))
    record = store.replace_snapshot(make_inventory("vc1", 4, tag="new"))
    names = {vm.name for vm in store.vms("vc1")}
    assert names == {f"new-vm{i:05d}" for i in range(4)}
    assert len(store.vms("other")) == 3, "replacing one source must not touch another"
    assert record.counts["vms"] == 4 and record.counts["disks"] == 8 and record.counts["nics"] == 4
    assert [r.status for r in store.runs("vc1")] == ["ok", "ok"]
    assert store.runs("vc1")[-1].warnings == ["vUSB sheet missing"]
    summary = {s.name: s for s in store.sources()}
    assert summary["vc1"].vms == 4 and summary["other"].vms == 3


def test_failed_collection_leaves_previous_snapshot_and_is_recorded(store: Store) -> None:
    store.replace_snapshot(make_inventory("vc1", 6))
    before = store.inventory("vc1")
    with pytest.raises(InputError):
        ingest(store, _FailingSource("vc1", InputError("login failed: wrong user name or password")))
    assert store.inventory("vc1") == before
    runs = store.runs("vc1")
    assert runs[-1].status == "failed"
    assert runs[-1].error == "login failed: wrong user name or password"


def test_write_failure_mid_transaction_rolls_back(store: Store) -> None:
    store.replace_snapshot(make_inventory("vc1", 6))
    before = store.inventory("vc1")
    broken = make_inventory("vc1", 6, tag="new")
    broken.vms.append(broken.vms[0].model_copy())  # duplicate VM id: the insert fails after the delete
    with pytest.raises(InputError, match="same VM"):
        store.replace_snapshot(broken)
    assert store.inventory("vc1") == before


def test_ten_thousand_vms_store_and_load(store: Store) -> None:
    inventory = make_inventory("big", 10_000)
    record = store.replace_snapshot(inventory)
    assert record.counts == {**record.counts, "vms": 10_000, "disks": 20_000, "nics": 10_000}
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from disks")).scalar() == 20_000
        assert conn.execute(sa.text("select count(*) from nics")).scalar() == 10_000
    assert len(store.vms("big")) == 10_000


def test_throughput_samples_round_trip(store: Store) -> None:
    store.record_throughput(ThroughputSample(kind="convert", bytes=1 << 30, seconds=4.0, host="host-1", source="vc1"))
    [sample] = store.throughput_samples("vc1")
    assert sample.bytes == 1 << 30 and sample.host == "host-1" and sample.recorded_at is not None


def test_migrations_match_the_schema(store: Store) -> None:
    store.migrate()
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == [], "schema.py changed without an Alembic migration"


def test_not_a_database_is_an_input_error(tmp_path: Path) -> None:
    bogus = tmp_path / "factory.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(InputError, match="not a usable database"):
        Store.open(str(bogus)).sources()


def test_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        Store.open(str(tmp_path / "nope" / "factory.db"))


@pytest.mark.slow
def test_postgresql_store(postgres_url: str) -> None:
    store = Store.open(postgres_url)
    store.replace_snapshot(make_inventory("pg", 500, tag="old"))
    store.replace_snapshot(make_inventory("pg", 200))
    assert len(store.vms("pg")) == 200
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    broken = make_inventory("pg", 3, tag="new")
    broken.vms.append(broken.vms[0].model_copy())
    with pytest.raises(InputError):
        store.replace_snapshot(broken)
    assert len(store.vms("pg")) == 200
