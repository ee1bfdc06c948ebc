"""The inventory store: SQLite by default, PostgreSQL by URL, schema kept by Alembic."""

from factory.store.store import DEFAULT_DB, RunRecord, SourceSummary, Store, ThroughputSample, resolve_url

__all__ = ["DEFAULT_DB", "RunRecord", "SourceSummary", "Store", "ThroughputSample", "resolve_url"]
