"""Alembic environment for the roster store, run programmatically (planner.store.db).

The caller passes an open connection in `config.attributes["connection"]`, already inside a
write transaction (BEGIN IMMEDIATE on SQLite), so a migration and the check before it cannot
race another process doing the same on first use. Offline (SQL script) mode is not used.
"""

from __future__ import annotations

from alembic import context

from planner.store.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("the roster store runs its migrations through planner.store.db, with a connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things in place; batch mode recreates the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
