"""Snapshot storage: one atomic replace per collection or import, and fast bulk loads."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from factory.errors import FactoryError, InputError
from factory.model import (
    VM,
    Cluster,
    Datacenter,
    Datastore,
    Host,
    Inventory,
    Network,
    Source,
    SourceKind,
    VnicProfile,
)
from factory.store import schema

DEFAULT_DB = "factory.db"
_MIGRATIONS = Path(__file__).with_name("migrations")


def resolve_url(db: str | None) -> str:
    """``--db`` / ``MFACTORY_DB`` take a SQLAlchemy URL or a plain SQLite file path."""
    value = db or os.environ.get("MFACTORY_DB") or DEFAULT_DB
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


@dataclass(frozen=True)
class SourceSummary:
    name: str
    kind: str
    endpoint: str | None
    collected_at: datetime | None
    vms: int
    last_run: RunRecord | None


@dataclass(frozen=True)
class RunRecord:
    id: int
    source_name: str
    kind: str
    started_at: datetime
    finished_at: datetime
    status: str
    counts: dict[str, int]
    warnings: list[str]
    error: str | None


@dataclass(frozen=True)
class ThroughputSample:
    kind: str  # fetch | convert | v2v
    bytes: int
    seconds: float
    source: str | None = None
    vm_id: str | None = None
    disk_key: str | None = None
    host: str | None = None
    datastore: str | None = None
    storage_class: str | None = None
    recorded_at: datetime | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _as_utc(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything we write is UTC.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


class Store:
    """The inventory store. Open it with :meth:`open`; it migrates itself to the latest
    schema on first use."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._migrated = False

    @classmethod
    def open(cls, db: str | None = None) -> Store:
        url = resolve_url(db)
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            parent = Path(url.removeprefix("sqlite:///")).parent
            if not parent.is_dir():
                raise InputError(f"database folder {parent} does not exist", hint="create it or pass another --db")
        try:
            engine = sa.create_engine(url)
        except (sa.exc.ArgumentError, ModuleNotFoundError) as exc:
            raise InputError(f"cannot use database URL: {exc}", hint="pass a file path or a SQLAlchemy URL") from None
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        return cls(engine)

    # -- schema ---------------------------------------------------------------------------

    def migrate(self) -> None:
        """Bring the schema to Alembic's head (cheap when it already is)."""
        if self._migrated:
            return
        config = Config()
        config.set_main_option("script_location", str(_MIGRATIONS))
        head = ScriptDirectory.from_config(config).get_current_head()
        try:
            with self.engine.begin() as conn:
                current = MigrationContext.configure(conn).get_current_revision()
                if current != head:
                    config.attributes["connection"] = conn
                    command.upgrade(config, "head")
        except sa.exc.OperationalError as exc:
            raise FactoryError(f"cannot open the store: {exc.orig}", hint="check --db / MFACTORY_DB") from None
        except sa.exc.DatabaseError as exc:
            raise InputError(
                f"the store is not a usable database: {exc.orig}", hint="point --db at a factory database"
            ) from None
        self._migrated = True

    def _connect(self) -> Connection:
        self.migrate()
        return self.engine.connect()

    # -- writes ---------------------------------------------------------------------------

    def replace_snapshot(self, inventory: Inventory, *, started_at: datetime | None = None) -> RunRecord:
        """Replace everything stored for ``inventory.source`` in one transaction and record
        the run. On any failure the previous snapshot stays exactly as it was."""
        self.migrate()
        started = started_at or _now()
        source = inventory.source
        with self.engine.begin() as conn:
            source_id = self._upsert_source(conn, source)
            for table in schema.SOURCE_SCOPED:
                conn.execute(table.delete().where(table.c.source_id == source_id))
            self._insert_entities(conn, source_id, inventory)
            record = self._insert_run(
                conn,
                source_name=source.name,
                kind=source.kind.value,
                started_at=started,
                status="ok",
                counts=inventory.counts(),
                warnings=inventory.warnings,
                error=None,
            )
        return record

    def record_failed_run(self, name: str, kind: str, error: str, *, started_at: datetime) -> RunRecord:
        """Record a failed import/collection without touching the stored snapshot."""
        self.migrate()
        with self.engine.begin() as conn:
            return self._insert_run(
                conn,
                source_name=name,
                kind=kind,
                started_at=started_at,
                status="failed",
                counts={},
                warnings=[],
                error=error,
            )

    def record_throughput(self, sample: ThroughputSample) -> None:
        self.migrate()
        values = {k: getattr(sample, k) for k in sample.__dataclass_fields__}
        values["recorded_at"] = sample.recorded_at or _now()
        with self.engine.begin() as conn:
            conn.execute(schema.throughput_samples.insert(), values)

    def _upsert_source(self, conn: Connection, source: Source) -> int:
        row = conn.execute(sa.select(schema.sources.c.id).where(schema.sources.c.name == source.name)).first()
        values = {
            "kind": source.kind.value,
            "endpoint": source.endpoint,
            "api_version": source.api_version,
            "collected_at": source.collected_at,
            "updated_at": _now(),
        }
        if row is None:
            result = conn.execute(schema.sources.insert().values(name=source.name, **values))
            return int(result.inserted_primary_key[0])
        conn.execute(schema.sources.update().where(schema.sources.c.id == row.id).values(**values))
        return int(row.id)

    def _insert_entities(self, conn: Connection, source_id: int, inv: Inventory) -> None:
        simple: Iterable[tuple[sa.Table, list[Any]]] = (
            (schema.datacenters, inv.datacenters),
            (schema.clusters, inv.clusters),
            (schema.datastores, inv.datastores),
            (schema.networks, inv.networks),
            (schema.vnic_profiles, inv.vnic_profiles),
        )
        for table, items in simple:
            if items:
                conn.execute(
                    table.insert(),
                    [{"source_id": source_id, "id": o.id, "name": o.name, "data": o.model_dump_json()} for o in items],
                )
        if inv.hosts:
            conn.execute(
                schema.hosts.insert(),
                [
                    {
                        "source_id": source_id,
                        "id": h.id,
                        "name": h.name,
                        "cluster": h.cluster,
                        "data": h.model_dump_json(),
                    }
                    for h in inv.hosts
                ],
            )
        if not inv.vms:
            return
        vm_rows, disk_rows, nic_rows = [], [], []
        for vm in inv.vms:
            vm_rows.append(
                {
                    "source_id": source_id,
                    "id": vm.id,
                    "name": vm.name,
                    "power_state": vm.power_state.value,
                    "template": vm.template,
                    "host": vm.host,
                    "cluster": vm.cluster,
                    "datacenter": vm.datacenter,
                    "guest_id": vm.guest_id,
                    "data": vm.model_dump_json(exclude_defaults=True),
                }
            )
            disk_rows.extend(
                {
                    "source_id": source_id,
                    "vm_id": vm.id,
                    "key": d.key,
                    "datastore": d.datastore,
                    "capacity_bytes": d.capacity_bytes,
                    "used_bytes": d.used_bytes,
                }
                for d in vm.disks
            )
            nic_rows.extend(
                {
                    "source_id": source_id,
                    "vm_id": vm.id,
                    "key": n.key,
                    "mac": n.mac,
                    "network": n.network,
                    "model": n.model,
                }
                for n in vm.nics
            )
        try:
            conn.execute(schema.vms.insert(), vm_rows)
            if disk_rows:
                conn.execute(schema.disks.insert(), disk_rows)
            if nic_rows:
                conn.execute(schema.nics.insert(), nic_rows)
        except sa.exc.IntegrityError as exc:
            raise InputError(
                f"source {inv.source.name!r} lists the same VM, disk or NIC twice: {exc.orig}",
                hint="check the export for duplicate VM ids",
            ) from None
        except sa.exc.DataError as exc:
            # PostgreSQL enforces column lengths that SQLite ignores.
            raise InputError(
                f"source {inv.source.name!r} has a value the store cannot hold: {exc.orig}",
                hint="check the export for over-long names or ids",
            ) from None

    def _insert_run(self, conn: Connection, **values: Any) -> RunRecord:
        finished = _now()
        result = conn.execute(schema.runs.insert().values(finished_at=finished, **values))
        return RunRecord(id=int(result.inserted_primary_key[0]), finished_at=finished, **values)

    # -- reads ----------------------------------------------------------------------------

    def sources(self) -> list[SourceSummary]:
        with self._connect() as conn:
            counts = dict(
                conn.execute(
                    sa.select(schema.vms.c.source_id, sa.func.count())
                    .where(schema.vms.c.template.is_(False))
                    .group_by(schema.vms.c.source_id)
                ).all()
            )
            rows = conn.execute(sa.select(schema.sources).order_by(schema.sources.c.name)).all()
            runs = {r.source_name: r for r in self._runs(conn, None)}
        return [
            SourceSummary(
                name=r.name,
                kind=r.kind,
                endpoint=r.endpoint,
                collected_at=_as_utc(r.collected_at),
                vms=counts.get(r.id, 0),
                last_run=runs.get(r.name),
            )
            for r in rows
        ]

    def runs(self, source: str | None = None) -> list[RunRecord]:
        """Runs newest last."""
        with self._connect() as conn:
            return list(self._runs(conn, source))

    def _runs(self, conn: Connection, source: str | None) -> Iterator[RunRecord]:
        query = sa.select(schema.runs).order_by(schema.runs.c.id)
        if source is not None:
            query = query.where(schema.runs.c.source_name == source)
        for r in conn.execute(query):
            yield RunRecord(
                id=r.id,
                source_name=r.source_name,
                kind=r.kind,
                started_at=_as_utc(r.started_at),
                finished_at=_as_utc(r.finished_at),
                status=r.status,
                counts=r.counts,
                warnings=r.warnings,
                error=r.error,
            )

    def source_names(self) -> list[str]:
        with self._connect() as conn:
            return list(conn.execute(sa.select(schema.sources.c.name).order_by(schema.sources.c.name)).scalars())

    def vms(self, source: str | None = None, *, templates: bool = False) -> list[VM]:
        """VMs of one source or all, ordered by source then name."""
        query = (
            sa.select(schema.vms.c.data)
            .join(schema.sources, schema.sources.c.id == schema.vms.c.source_id)
            .order_by(schema.sources.c.name, schema.vms.c.name, schema.vms.c.id)
        )
        if source is not None:
            query = query.where(schema.sources.c.name == source)
        if not templates:
            query = query.where(schema.vms.c.template.is_(False))
        with self._connect() as conn:
            return [VM.model_validate_json(data) for data in conn.execute(query).scalars()]

    def find_vms(self, ref: str) -> list[VM]:
        """VMs whose id, uuid or name is ``ref`` (names may be ambiguous across sources)."""
        query = sa.select(schema.vms.c.data).where(sa.or_(schema.vms.c.id == ref, schema.vms.c.name == ref))
        with self._connect() as conn:
            found = [VM.model_validate_json(d) for d in conn.execute(query).scalars()]
        if not found:
            found = [vm for vm in self.vms(templates=True) if vm.uuid == ref]
        return found

    def inventory(self, source: str) -> Inventory:
        """The stored snapshot of one source, as the collector produced it."""
        with self._connect() as conn:
            row = conn.execute(sa.select(schema.sources).where(schema.sources.c.name == source)).first()
            if row is None:
                raise InputError(f"no source named {source!r} in the store", hint="see `mfactory inventory sources`")

            def load(table: sa.Table, model: type) -> list[Any]:
                query = sa.select(table.c.data).where(table.c.source_id == row.id).order_by(table.c.id)
                return [model.model_validate_json(d) for d in conn.execute(query).scalars()]

            inventory = Inventory(
                source=Source(
                    name=row.name,
                    kind=SourceKind(row.kind),
                    endpoint=row.endpoint,
                    api_version=row.api_version,
                    collected_at=_as_utc(row.collected_at),
                ),
                datacenters=load(schema.datacenters, Datacenter),
                clusters=load(schema.clusters, Cluster),
                hosts=load(schema.hosts, Host),
                datastores=load(schema.datastores, Datastore),
                networks=load(schema.networks, Network),
                vnic_profiles=load(schema.vnic_profiles, VnicProfile),
            )
        inventory.vms = self.vms(source, templates=True)
        return inventory

    def inventories(self) -> list[Inventory]:
        return [self.inventory(name) for name in self.source_names()]

    def throughput_samples(self, source: str | None = None) -> list[ThroughputSample]:
        query = sa.select(schema.throughput_samples).order_by(schema.throughput_samples.c.id)
        if source is not None:
            query = query.where(schema.throughput_samples.c.source == source)
        with self._connect() as conn:
            return [
                ThroughputSample(
                    kind=r.kind,
                    bytes=r.bytes,
                    seconds=r.seconds,
                    source=r.source,
                    vm_id=r.vm_id,
                    disk_key=r.disk_key,
                    host=r.host,
                    datastore=r.datastore,
                    storage_class=r.storage_class,
                    recorded_at=_as_utc(r.recorded_at),
                )
                for r in conn.execute(query)
            ]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the API read while a worker writes; foreign keys make source deletes cascade.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
