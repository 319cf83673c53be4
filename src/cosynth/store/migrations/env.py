"""Alembic environment: the engine is handed in by `cosynth.store.engine`."""

from __future__ import annotations

from alembic import context

from cosynth.store.schema import Base

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # Batch mode rebuilds SQLite tables for ALTERs SQLite cannot do.
        render_as_batch=True,
        compare_type=True,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
