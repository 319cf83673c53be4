"""The migrations build exactly the models, on SQLite and on PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from cosynth.store.engine import alembic_config, current_revision, head_revision, make_engine
from cosynth.store.schema import Base


def test_it_upgrades_an_empty_database_to_exactly_the_models(db_url: str) -> None:
    # db_url is an empty store already upgraded to head by the fixtures.
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
        assert differences == []
        assert current_revision(engine) == head_revision(engine)
    finally:
        engine.dispose()


def test_it_names_every_constraint_so_batch_migrations_can_find_them(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        inspector = inspect(engine)
        for table in Base.metadata.sorted_tables:
            for foreign_key in inspector.get_foreign_keys(table.name):
                assert foreign_key["name"], f"unnamed foreign key on {table.name}"
            for unique in inspector.get_unique_constraints(table.name):
                assert unique["name"], f"unnamed unique constraint on {table.name}"
    finally:
        engine.dispose()


def test_it_downgrades_to_nothing_and_back(tmp_path: object) -> None:
    from alembic import command

    engine = make_engine(f"sqlite:///{tmp_path}/round.db")
    try:
        config = alembic_config(engine)
        command.upgrade(config, "head")
        command.downgrade(config, "base")
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
        command.upgrade(config, "head")
        assert current_revision(engine) == head_revision(engine)
    finally:
        engine.dispose()
