"""Every table of the store read out at one instant, and written back into an empty store.

The whole-store counterpart of `cosynth.store.archive`, and built on it: the
same value encoding (moments as ISO 8601, binary columns as named members)
and the same checks on the way back in. Unlike an archive, which opens one
review beside others under fresh ids, a backup is restored into an empty
store only, so every id is kept as it was: the audit log's ids, the jobs'
parameters and the sessions' links stay true, and nothing needs remapping.

Consistency: the dump is one read transaction. On PostgreSQL it is REPEATABLE
READ (with READ ONLY from `store.engine.reading`), so every table is read
from one snapshot; on SQLite in WAL mode one read transaction sees one
snapshot from its first read to its end (https://sqlite.org/wal.html,
"readers ... see a consistent snapshot"). A vote being cast while the backup
is read is either wholly in it or wholly not.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from alembic import command
from sqlalchemy import MetaData, Table, exists, false, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cosynth.domain.archive import TableDump
from cosynth.domain.backup import StoreDump
from cosynth.domain.jobs import JobStatus
from cosynth.errors import InputError
from cosynth.store.archive import decoded_value, encode_value, id_column, schema_revisions
from cosynth.store.engine import alembic_config, make_engine, upgrade
from cosynth.store.schema import Base
from cosynth.store.session import short_reason
from cosynth.store.tables import JobRow

__all__ = [
    "begin_snapshot",
    "dump_store",
    "fail_unfinished_jobs",
    "load_store",
    "reset_id_sequences",
    "schema_revisions",
    "store_tables",
    "tables_holding_rows",
    "upgrade_store_dump",
]


def store_tables(metadata: MetaData = Base.metadata) -> list[Table]:
    """Every table of the store, parents before children (alembic's own table is not one)."""
    return [table for table in metadata.sorted_tables if table.name != "alembic_version"]


def begin_snapshot(session: Session) -> None:
    """Make the session's transaction read one snapshot of the whole store.

    Call it before anything else in the transaction: PostgreSQL fixes the
    isolation level at the first query. SQLite needs nothing: a WAL read
    transaction is a snapshot already.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))


def dump_store(session: Session, *, revision: str, metadata: MetaData = Base.metadata) -> StoreDump:
    """Every row of every table, in key order, binary columns as separate files."""
    dumps: list[TableDump] = []
    files: dict[str, bytes] = {}
    for table in store_tables(metadata):
        columns = tuple(column.name for column in table.columns)
        query = select(table).order_by(*table.primary_key.columns)
        rows = []
        for index, found in enumerate(session.execute(query).mappings()):
            row = dict(found)
            rows.append(
                tuple(
                    encode_value(table, name, row[name], row=row, index=index, files=files)
                    for name in columns
                )
            )
        dumps.append(TableDump(table.name, columns, tuple(rows)))
    return StoreDump(schema_revision=revision, tables=tuple(dumps), files=files)


def tables_holding_rows(session: Session, metadata: MetaData = Base.metadata) -> list[str]:
    """The tables that hold at least one row (an empty store has none)."""
    return [
        table.name
        for table in store_tables(metadata)
        if session.execute(select(exists().select_from(table))).scalar()
    ]


def load_store(session: Session, dump: StoreDump, *, metadata: MetaData = Base.metadata) -> None:
    """Write every row of the dump, ids as they were, into this (empty) store.

    The dump must be at this store's schema revision (see `upgrade_store_dump`).
    Anything that does not fit is an `InputError` raised inside the caller's
    one transaction, so nothing is kept.
    """
    tables = store_tables(metadata)
    _check_tables(dump, tables)
    connection = session.connection()
    for table in tables:
        found = dump.table(table.name)
        assert found is not None
        where = f"{table.name}.{{}}"
        values = [
            {
                name: decoded_value(table.c[name].type, value, where.format(name), dump.files)
                for name, value in zip(found.columns, row, strict=True)
            }
            for row in found.rows
        ]
        if not values:
            continue
        try:
            connection.execute(insert(table), values)
        except IntegrityError as exc:
            raise InputError(
                f"The backup's table {table.name} could not be written into this store "
                f"({short_reason(exc)}); the backup is damaged. Nothing was restored."
            ) from None


def _check_tables(dump: StoreDump, tables: list[Table]) -> None:
    held = [table.name for table in dump.tables]
    if len(set(held)) != len(held):
        raise InputError("The backup holds a table twice; it is damaged.")
    for table in tables:
        found = dump.table(table.name)
        if found is None:
            raise InputError(f"The backup has no table {table.name}: it is damaged or incomplete.")
        expected = [column.name for column in table.columns]
        if sorted(found.columns) != sorted(expected):
            missing = sorted(set(expected) - set(found.columns))
            unknown = sorted(set(found.columns) - set(expected))
            raise InputError(
                f"The backup's table {table.name} does not have this store's columns "
                f"(missing: {', '.join(missing) or 'none'}; "
                f"unknown: {', '.join(unknown) or 'none'}); it is damaged."
            )
        if any(len(row) != len(found.columns) for row in found.rows):
            raise InputError(f"A row of the backup's table {table.name} is cut short.")
    unknown_tables = sorted(set(held) - {table.name for table in tables})
    if unknown_tables:
        raise InputError(
            f"The backup has tables this cosynth does not know ({', '.join(unknown_tables)}); "
            "it is damaged, or was made by another program."
        )


def reset_id_sequences(session: Session, metadata: MetaData = Base.metadata) -> None:
    """After rows were written with their ids, make PostgreSQL hand out ids above them.

    A restore writes ids itself, so the tables' sequences were never advanced;
    the next insert would be given id 1 and collide. SQLite takes the next id
    from the largest present, so it needs nothing.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in store_tables(metadata):
        key = id_column(table)
        if key is None:
            continue
        largest = select(func.max(table.c[key])).scalar_subquery()
        sequence = func.pg_get_serial_sequence(table.name, key)
        session.execute(select(func.setval(sequence, func.coalesce(largest, 0) + 1, false())))


def fail_unfinished_jobs(session: Session, *, message: str, at: datetime) -> list[int]:
    """Mark the jobs that were queued or running when the backup was taken as failed.

    The backup holds a job's row but not the queue that would wake a worker
    for it, nor an import's uploaded file (kept on the first machine's disk):
    left queued it would wait for ever, left running it would look busy for
    ever. Failed, with `message`, it says what to do: queue it again.
    """
    unfinished = (JobStatus.QUEUED.value, JobStatus.RUNNING.value)
    ids = list(session.scalars(select(JobRow.id).where(JobRow.status.in_(unfinished))))
    if ids:
        session.execute(
            update(JobRow)
            .where(JobRow.id.in_(ids))
            .values(status=JobStatus.FAILED.value, message=message, finished_at=at)
        )
    return ids


def upgrade_store_dump(dump: StoreDump) -> StoreDump:
    """The dump of an older schema revision brought up to this cosynth's head.

    As `store.archive.upgrade_dump` does for one review: the rows are written,
    ids and all, into a scratch SQLite store built up to the dump's revision,
    the migrations that came since are run on it, and the store is read out.
    """
    with tempfile.TemporaryDirectory(prefix="cosynth-backup-") as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'scratch.db'}")
        try:
            command.upgrade(alembic_config(engine), dump.schema_revision)
            old = MetaData()
            old.reflect(engine)
            with Session(engine) as session, session.begin():
                load_store(session, dump, metadata=old)
            upgrade(engine)
            with Session(engine) as session, session.begin():
                return dump_store(session, revision=schema_revisions()[-1])
        finally:
            engine.dispose()
