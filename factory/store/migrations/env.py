"""Alembic environment: runs against the connection the Store hands over."""

from __future__ import annotations

from alembic import context

from factory.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # plain `alembic` command line use
    from sqlalchemy import create_engine

    connection = create_engine(context.config.get_main_option("sqlalchemy.url")).connect()

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
