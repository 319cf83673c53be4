"""Opening a store: resolving its URL, tuning SQLite, and keeping the schema at head."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from cosynth.errors import MissingExtraError, StoreError
from cosynth.store.session import short_reason

DEFAULT_FILE = "cosynth.db"
MIGRATIONS = Path(__file__).parent / "migrations"


def resolve_url(given: str | None, *, cwd: Path | None = None) -> str:
    """The store URL from `--db`, else `COSYNTH_DB`, else `cosynth.db` in the working folder.

    A bare path is a SQLite file; `postgresql://` is read with psycopg 3.
    """
    url = given or os.environ.get("COSYNTH_DB") or ""
    if not url:
        url = str((cwd or Path.cwd()) / DEFAULT_FILE)
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str) -> Engine:
    """An engine for `url`, with SQLite set up for safe concurrent use."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"{url!r} is not a database address cosynth understands.") from None
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _tune_sqlite)
        event.listen(engine, "begin", _begin_immediate)
        return engine
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        # SQLAlchemy imports the driver here: psycopg comes with the postgres extra.
        if parsed.get_backend_name() == "postgresql" and (exc.name or "").startswith("psycopg"):
            raise MissingExtraError("PostgreSQL", "postgres") from None
        raise StoreError(
            f"The database driver for {parsed.drivername} is not installed ({exc.name})."
        ) from None
    event.listen(engine, "begin", _begin_read_only)
    return engine


def _tune_sqlite(dbapi_connection: object, _record: ConnectionPoolEntry) -> None:
    # Foreign keys are off by default in SQLite; WAL lets readers work while an
    # import writes; NORMAL sync is durable in WAL mode (https://sqlite.org/wal.html).
    # Transactions are driven by SQLAlchemy's "begin" event below, so the
    # driver's own implicit BEGIN is switched off.
    dbapi_connection.isolation_level = None  # type: ignore[attr-defined]
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# The execution option that marks a transaction as reading only (see `reading`).
READ_ONLY = "cosynth_read_only"


def reading(engine: Engine) -> Engine:
    """The same engine, with every transaction begun on it only reading.

    On SQLite a reading transaction is a deferred BEGIN with `query_only`
    set: it takes no write lock, so readers run beside the one writer that
    WAL allows instead of queueing behind it (https://sqlite.org/wal.html).
    On PostgreSQL it is `READ ONLY`. Either way a write inside it is refused
    by the database, so a page that only reads cannot change anything.
    """
    return engine.execution_options(**{READ_ONLY: True})


def _begin_immediate(connection: Connection) -> None:
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
        connection.exec_driver_sql("PRAGMA query_only = ON")
        return
    # BEGIN IMMEDIATE takes the write lock at the start, so two writers queue
    # on busy_timeout instead of one failing half-way with "database is locked".
    # query_only is a connection setting: a writer resets what a reader set.
    connection.exec_driver_sql("PRAGMA query_only = OFF")
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _begin_read_only(connection: Connection) -> None:
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine) -> str:
    script = ScriptDirectory.from_config(alembic_config(engine))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None: not a cosynth database yet)."""
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except OperationalError as exc:
        raise _cannot_open(engine, exc) from None


def is_empty(engine: Engine) -> bool:
    with engine.connect() as connection:
        return not inspect(connection).get_table_names()


def upgrade(engine: Engine) -> None:
    """Bring the schema to head (each migration runs in one transaction)."""
    command.upgrade(alembic_config(engine), "head")


def check_schema(engine: Engine) -> None:
    """Raise a plain error unless the database is a cosynth store this version can use.

    A store behind head is upgraded: migrations are additive and each runs in
    a transaction, so a failed one leaves the store as it was.
    """
    # Connecting to a missing SQLite file would create an empty one: look first.
    current = None if _missing_sqlite_file(engine) else current_revision(engine)
    if current is None:
        where = engine.url.render_as_string(hide_password=True)
        raise StoreError(
            f"There is no cosynth review in {where}. Run `cosynth init` to start one here, "
            "or point to the right database with --db or COSYNTH_DB."
        )
    script = ScriptDirectory.from_config(alembic_config(engine))
    if script.get_revision(current) is None:
        raise StoreError(
            f"This database was written by a newer cosynth (schema {current}). "
            "Upgrade cosynth before opening it."
        )
    if current != head_revision(engine):
        upgrade(engine)


def open_engine(url: str, *, create: bool = False) -> Engine:
    """An engine on a cosynth store at head; with `create`, an empty database becomes one."""
    engine = make_engine(url)
    try:
        if create and (_missing_sqlite_file(engine) or current_revision(engine) is None):
            upgrade(engine)
        else:
            check_schema(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise _cannot_open(engine, exc) from exc
    except StoreError:
        engine.dispose()
        raise
    return engine


def _cannot_open(engine: Engine, exc: DBAPIError) -> StoreError:
    if _read_only_sqlite_file(engine):
        return StoreError(
            f"cosynth cannot open the database: {engine.url.database} is on a disk that "
            "can only be read (read-only), and SQLite must write beside it even to read. "
            "Copy it to a folder you can write to, or mount the disk for writing."
        )
    return StoreError(f"cosynth cannot open the database: {short_reason(exc)}")


def _read_only_sqlite_file(engine: Engine) -> bool:
    """True for a SQLite file on a file system mounted read-only, or in a folder not writable."""
    database = engine.url.database
    if engine.url.get_backend_name() != "sqlite" or database in (None, "", ":memory:"):
        return False
    folder = Path(database).parent
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY) or not os.access(folder, os.W_OK)
    except OSError:
        return False


def _missing_sqlite_file(engine: Engine) -> bool:
    """True for a SQLite file that does not exist yet (connecting would create it)."""
    database = engine.url.database
    return (
        engine.url.get_backend_name() == "sqlite"
        and database not in (None, "", ":memory:")
        and not Path(database).exists()
    )
