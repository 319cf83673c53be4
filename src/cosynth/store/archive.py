"""A review's rows read out of the store table by table, and written back under fresh ids.

Generic over the store's metadata (`cosynth.store.schema.Base`): a table is
the review's when its rows reach the review through `review_id` or a chain of
foreign keys to a table that does, so a table added by a later issue travels
in the archive without a change here. The tables that are not the review's
are named in `OUTSIDE_REVIEW`, each with why.

Ids are never carried over: each table's rows get fresh ids in the target
store, in the same order as before (so "the latest row holds" still picks the
same row), and every foreign key is followed through the metadata. Ids that
sit where no foreign key can see them are declared here: JSON columns in
`JSON_IDS` (every JSON column is listed, holding ids or not, and a test fails
for one that is not) and integer columns whose table depends on a `kind`
column in `LOOSE_IDS`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    false,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cosynth.domain.archive import ReviewDump, TableDump
from cosynth.domain.roles import Role
from cosynth.errors import InputError
from cosynth.store.engine import MIGRATIONS, alembic_config, make_engine, upgrade
from cosynth.store.schema import Base
from cosynth.store.session import short_reason
from cosynth.store.tables import MemberRow

REVIEWS = "reviews"

# Tables whose rows are not a review's, with why they stay behind.
OUTSIDE_REVIEW: dict[str, str] = {
    "users": (
        "accounts belong to an installation: the review names its members by username, "
        "and the installation that opens the archive keeps its own accounts and passwords"
    ),
    "api_tokens": "a script's token is a credential of the installation that issued it",
    "login_attempts": "sign-in attempts guard one installation's accounts",
    "password_resets": "a reset link is a credential of the installation that issued it",
    "invitations": (
        "an invitation's token is a credential of the installation that sent it; "
        "the people it invited are members already, or can be invited again"
    ),
    "jobs": (
        "background work of the installation that ran it: its parameters name files "
        "on that machine, and what it did is in the review's own rows"
    ),
}


@dataclass(frozen=True, slots=True)
class IdList:
    """A JSON list of ids of `table`."""

    table: str


@dataclass(frozen=True, slots=True)
class IdObjects:
    """A JSON list of objects whose `keys` hold ids of the tables they name."""

    keys: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class NoIds:
    """A JSON column that holds no ids of this store (or keeps them as written, `why`)."""

    why: str


@dataclass(frozen=True, slots=True)
class IdByKind:
    """An integer column holding an id of the table that its row's `kind_column` names."""

    kind_column: str
    tables: Mapping[str, str]


JsonIds = IdList | IdObjects | NoIds

JSON_IDS: dict[tuple[str, str], JsonIds] = {
    ("advisory_actions", "members"): IdList("advisory_members"),
    ("advisory_meetings", "attendees"): IdList("advisory_members"),
    ("calibration_rounds", "record_ids"): IdList("records"),
    ("relating_judgements", "record_ids"): IdList("records"),
    ("translation_orders", "record_ids"): IdList("records"),
    # A living update's previous version: its included studies and its searches.
    ("review_versions", "study_record_ids"): IdList("records"),
    ("review_versions", "source_ids"): IdList("sources"),
    # Each joining pair of a duplicate group: {"a": record id, "b": record id, "reason"}.
    ("duplicate_groups", "evidence"): IdObjects({"a": "records", "b": "records"}),
    ("audit_events", "detail"): NoIds(
        "the audit log is history: what was done, in the words and ids of the installation "
        "where it was done; the import adds an entry saying where the review came from"
    ),
    ("appraisal_protocols", "settings"): NoIds("the scoring rule, points and appraisers"),
    ("coproduction_schemes", "settings"): NoIds("scales, raters and consensus settings"),
    ("screening_protocols", "settings"): NoIds("criteria, reasons, reviewers required"),
    ("dedup_runs", "summary"): NoIds("counts of a de-duplication run"),
    ("extraction_forms", "definition"): NoIds("the form's fields as plain data"),
    ("form_feedback", "proposed"): NoIds("a proposed field as plain data"),
    ("extraction_values", "value"): NoIds("a value typed into the form"),
    ("extraction_consensus", "value"): NoIds("an agreed value of the form"),
    ("sources", "skipped"): NoIds("lines and reasons of the records an import skipped"),
    ("records", "authors"): NoIds("names"),
    ("records", "keywords"): NoIds("keywords"),
    ("records", "extra"): NoIds("the exported file's other fields"),
    ("reports", "warnings"): NoIds("what reading the PDF found"),
    ("screening_votes", "tags"): NoIds("a reviewer's tags"),
    ("advisory_recruitments", "answers"): NoIds("questions and answers of the application form"),
    ("transcripts", "segments"): NoIds("a transcript's numbered turns"),
    ("search_questions", "answers"): NoIds("the question framework's elements, answered"),
    ("search_terms", "fields"): NoIds("the fields a term is searched in"),
    ("jobs", "params"): NoIds("jobs are not the review's (OUTSIDE_REVIEW)"),
    ("jobs", "result"): NoIds("jobs are not the review's (OUTSIDE_REVIEW)"),
}

LOOSE_IDS: dict[tuple[str, str], IdByKind] = {
    # domain.synthesis.PassageKind
    ("codings", "source_id"): IdByKind(
        "kind", {"quote": "quotes", "report": "reports", "transcript": "transcripts"}
    ),
    # domain.synthesis.FindingKind
    ("resonances", "finding_id"): IdByKind(
        "finding", {"theme": "themes", "interpretation": "interpretations"}
    ),
}


# -- which tables and columns


def review_tables(metadata: MetaData = Base.metadata) -> list[Table]:
    """The tables whose rows belong to a review, parents before children."""
    belongs: set[str] = set()
    for table in metadata.sorted_tables:
        if table.name in OUTSIDE_REVIEW:
            continue
        if table.name == REVIEWS or any(
            fk.column.table.name in belongs
            for column in table.columns
            for fk in column.foreign_keys
        ):
            belongs.add(table.name)
    return [table for table in metadata.sorted_tables if table.name in belongs]


def unclassified(metadata: MetaData = Base.metadata) -> list[str]:
    """Tables neither the review's nor named outside it, keys from the review's tables to
    others, and id-like columns not declared.

    Empty when every table and column is accounted for; tests assert it, so a
    table or JSON column added later cannot slip out of the archive unseen.
    """
    found: list[str] = []
    ours = {table.name for table in review_tables(metadata)}
    for table in metadata.sorted_tables:
        if table.name not in ours and table.name not in OUTSIDE_REVIEW:
            found.append(f"table {table.name}")
        for column in table.columns:
            key = (table.name, column.name)
            outside = [fk for fk in column.foreign_keys if fk.column.table.name not in ours]
            if table.name in ours and outside:
                # A review's row that points outside the review could not be opened
                # elsewhere: the archive does not carry what it points to.
                found.append(f"key {table.name}.{column.name} to {outside[0].column.table.name}")
            if isinstance(column.type, JSON) and key not in JSON_IDS:
                found.append(f"JSON column {table.name}.{column.name}")
            loose = (
                column.name.endswith("_id")
                and not column.foreign_keys
                and _affinity(column.type) is Integer
            )
            if loose and key not in LOOSE_IDS:
                found.append(f"id column {table.name}.{column.name} with no foreign key")
    return found


def _affinity(type_: Any) -> type:
    affinity: type = type_._type_affinity
    return affinity


def _is_binary(type_: Any) -> bool:
    affinity = _affinity(type_)
    return issubclass(affinity, LargeBinary) or affinity.__name__ == "_Binary"


def id_column(table: Table) -> str | None:
    """The name of the table's own integer id, when it has one (a one-column key)."""
    key = list(table.primary_key.columns)
    if len(key) == 1 and _affinity(key[0].type) is Integer:
        return key[0].name
    return None


def _condition(
    table: Table, review_id: int, by_name: Mapping[str, Table], memo: dict[str, ColumnElement[bool]]
) -> ColumnElement[bool]:
    """Which of the table's rows are the review's: its review_id, else a key to a row that is."""
    if table.name in memo:
        return memo[table.name]
    if table.name == REVIEWS:
        condition: ColumnElement[bool] = table.c.id == review_id
    elif "review_id" in table.c:
        condition = table.c.review_id == review_id
    else:
        links = []
        for column in table.columns:
            for fk in column.foreign_keys:
                parent = by_name.get(fk.column.table.name)
                if parent is None or parent is table:
                    continue
                inner = _condition(parent, review_id, by_name, memo)
                links.append(column.in_(select(parent.c[fk.column.name]).where(inner)))
        condition = or_(*links) if links else false()
    memo[table.name] = condition
    return condition


# -- reading out


def dump_review(
    session: Session | Connection,
    review_id: int,
    *,
    revision: str,
    metadata: MetaData = Base.metadata,
) -> ReviewDump:
    """Every row of the review, table by table, its binary columns as separate files."""
    tables = review_tables(metadata)
    by_name = {table.name: table for table in tables}
    memo: dict[str, ColumnElement[bool]] = {}
    dumps: list[TableDump] = []
    files: dict[str, bytes] = {}
    title = ""
    for table in tables:
        columns = tuple(column.name for column in table.columns)
        order = list(table.primary_key.columns)
        query = select(table).where(_condition(table, review_id, by_name, memo)).order_by(*order)
        rows: list[tuple[Any, ...]] = []
        for index, found_row in enumerate(session.execute(query).mappings()):
            row = dict(found_row)
            if table.name == REVIEWS:
                title = str(row["title"])
            rows.append(
                tuple(
                    encode_value(table, name, row[name], row=row, index=index, files=files)
                    for name in columns
                )
            )
        dumps.append(TableDump(table.name, columns, tuple(rows)))
    return ReviewDump(
        schema_revision=revision, review_id=review_id, title=title, tables=tuple(dumps),
        files=files,
    )  # fmt: skip


def encode_value(
    table: Table,
    name: str,
    value: Any,
    *,
    row: Mapping[str, Any],
    index: int,
    files: dict[str, bytes],
) -> Any:
    if value is None:
        return None
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        key = id_column(table)
        member = f"files/{table.name}/{name}/{row[key] if key else index}"
        files[member + _suffix(row.get("filename"))] = bytes(value)
        return member + _suffix(row.get("filename"))
    return value


def _suffix(filename: object) -> str:
    """The file's own extension (".pdf", ".nbib"), so the archive's members open by name."""
    suffix = PurePosixPath(str(filename or "").replace("\\", "/")).suffix.lower()
    clean = suffix[1:].isalnum() and len(suffix) <= 10
    return suffix if clean else ""


# -- writing back


def load_review(session: Session, dump: ReviewDump, *, metadata: MetaData = Base.metadata) -> int:
    """Write the dump's rows as a new review under fresh ids; the new review's id.

    The dump must be at this store's schema revision (see `upgrade_dump`).
    Anything that does not fit (a table or column missing or unknown, a key to
    a row the archive does not hold) is an `InputError`, raised before or
    during the writes of the caller's one transaction, so nothing is kept.
    """
    tables = review_tables(metadata)
    _check_tables(dump, tables)
    dumps = {table.name: dump.table(table.name) for table in tables}
    connection = session.connection()
    maps: dict[str, dict[int, int]] = {}
    for table in tables:
        rows = dumps[table.name]
        assert rows is not None
        key = id_column(table)
        if key is None:
            continue
        position = rows.columns.index(key)
        old = sorted(_int(row[position], table.name, key) for row in rows.rows)
        if len(set(old)) != len(old):
            raise InputError(f"The archive's table {table.name} holds the same id twice.")
        maps[table.name] = dict(zip(old, _fresh_ids(connection, table, len(old)), strict=True))
    if list(maps[REVIEWS]) != [dump.review_id]:
        raise InputError("The archive's reviews table must hold exactly the archived review.")
    for table in tables:
        rows = dumps[table.name]
        assert rows is not None
        values = [_decoded_row(table, rows.columns, row, maps, dump.files) for row in rows.rows]
        if not values:
            continue
        try:
            connection.execute(insert(table), values)
        except IntegrityError as exc:
            raise InputError(
                f"The archive's table {table.name} could not be written into this store "
                f"({short_reason(exc)}); the archive is damaged. Nothing was imported."
            ) from None
    return maps[REVIEWS][dump.review_id]


def _check_tables(dump: ReviewDump, tables: list[Table]) -> None:
    names = {table.name for table in tables}
    held = [table.name for table in dump.tables]
    if len(set(held)) != len(held):
        raise InputError("The archive holds a table twice; it is damaged.")
    for table in tables:
        found = dump.table(table.name)
        if found is None:
            raise InputError(
                f"The archive has no table {table.name}: it is damaged or incomplete. "
                "Export the review again."
            )
        expected = {column.name for column in table.columns}
        if set(found.columns) != expected or len(found.columns) != len(expected):
            missing = sorted(expected - set(found.columns))
            unknown = sorted(set(found.columns) - expected)
            raise InputError(
                f"The archive's table {table.name} does not have this store's columns "
                f"(missing: {', '.join(missing) or 'none'}; "
                f"unknown: {', '.join(unknown) or 'none'}); it is damaged."
            )
        for row in found.rows:
            if len(row) != len(found.columns):
                raise InputError(f"A row of the archive's table {table.name} is cut short.")
    unknown_tables = sorted(set(held) - names)
    if unknown_tables:
        raise InputError(
            f"The archive has tables this cosynth does not know ({', '.join(unknown_tables)}); "
            "it is damaged, or was made by another program."
        )


def _fresh_ids(connection: Connection, table: Table, count: int) -> list[int]:
    """`count` ids no row of `table` has, ascending, reserved for this transaction.

    PostgreSQL hands them out of the table's own sequence, so other writers
    never collide with them; SQLite's writer holds the database's write lock
    for the whole transaction (BEGIN IMMEDIATE), so the ids above the largest
    are free until it commits.
    """
    if count == 0:
        return []
    key = id_column(table)
    assert key is not None
    if connection.dialect.name == "postgresql":
        drawn = connection.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence(:table, :column)) "
                "FROM generate_series(1, :n)"
            ),
            {"table": table.name, "column": key, "n": count},
        ).scalars()
        return sorted(int(value) for value in drawn)
    largest = connection.execute(select(func.max(table.c[key]))).scalar() or 0
    return list(range(int(largest) + 1, int(largest) + 1 + count))


def _int(value: Any, table: str, column: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"The archive's table {table} has {value!r} in {column}, not an id.")
    return value


def _decoded_row(
    table: Table,
    columns: tuple[str, ...],
    row: tuple[Any, ...],
    maps: Mapping[str, Mapping[int, int]],
    files: Mapping[str, bytes],
) -> dict[str, Any]:
    given = dict(zip(columns, row, strict=True))
    decoded: dict[str, Any] = {}
    for column in table.columns:
        value = given[column.name]
        where = f"{table.name}.{column.name}"
        decoded[column.name] = decoded_value(column.type, value, where, files)
        if value is None:
            continue
        if column.primary_key and column.name == id_column(table):
            decoded[column.name] = maps[table.name][value]
        for fk in column.foreign_keys:
            decoded[column.name] = _mapped(maps, fk.column.table.name, value, where)
        json_ids = JSON_IDS.get((table.name, column.name))
        if json_ids is not None:
            decoded[column.name] = _mapped_json(json_ids, value, maps, where)
        loose = LOOSE_IDS.get((table.name, column.name))
        if loose is not None:
            kind = given.get(loose.kind_column)
            target = loose.tables.get(str(kind))
            if target is None:
                raise InputError(
                    f"The archive's {where} names a {loose.kind_column} {kind!r} "
                    "this cosynth does not know."
                )
            decoded[column.name] = _mapped(maps, target, value, where)
    return decoded


def decoded_value(type_: Any, value: Any, where: str, files: Mapping[str, bytes]) -> Any:
    if value is None:
        return None
    affinity = _affinity(type_)
    try:
        if issubclass(affinity, DateTime):
            moment = datetime.fromisoformat(value)
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        if issubclass(affinity, Date):
            return date.fromisoformat(value)
        if _is_binary(type_):
            return files[value]
    except (TypeError, ValueError):
        raise InputError(f"The archive's {where} holds {value!r}, not a date or time.") from None
    except KeyError:
        raise InputError(
            f"The archive's {where} names a file {value!r} it does not hold."
        ) from None
    return value


def _mapped(maps: Mapping[str, Mapping[int, int]], table: str, value: Any, where: str) -> int:
    try:
        return maps[table][value]
    except (KeyError, TypeError):
        raise InputError(
            f"The archive's {where} refers to {table} {value!r}, which the archive does not "
            "hold; it is damaged."
        ) from None


def _mapped_json(
    spec: JsonIds, value: Any, maps: Mapping[str, Mapping[int, int]], where: str
) -> Any:
    if isinstance(spec, NoIds):
        return value
    if not isinstance(value, list):
        raise InputError(f"The archive's {where} should be a list, and is not; it is damaged.")
    if isinstance(spec, IdList):
        return [_mapped(maps, spec.table, item, where) for item in value]
    mapped = []
    for item in value:
        if not isinstance(item, dict):
            raise InputError(f"The archive's {where} should list objects; it is damaged.")
        mapped.append(
            {
                key: _mapped(maps, spec.keys[key], held, where)
                if key in spec.keys and held is not None
                else held
                for key, held in item.items()
            }
        )
    return mapped


def ensure_lead(session: Session, review_id: int, username: str, at: datetime) -> bool:
    """Make `username` the review's lead (a new member, or a member raised to lead).

    True when the members changed. The person who opens an archive owns the
    review they opened, whatever they were in the review they exported.
    """
    role = session.scalar(
        select(MemberRow.role).where(
            MemberRow.review_id == review_id, MemberRow.username == username
        )
    )
    if role == Role.LEAD.value:
        return False
    if role is None:
        session.add(
            MemberRow(
                review_id=review_id, username=username, display_name=username,
                role=Role.LEAD.value, joined_at=at,
            )
        )  # fmt: skip
    else:
        session.execute(
            update(MemberRow)
            .where(MemberRow.review_id == review_id, MemberRow.username == username)
            .values(role=Role.LEAD.value)
        )
    session.flush()
    return True


# -- schema revisions


def schema_revisions() -> list[str]:
    """This cosynth's schema revisions, oldest first; the last is the head."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def upgrade_dump(dump: ReviewDump) -> ReviewDump:
    """The dump of an older schema revision brought up to this cosynth's head.

    Its rows are written, ids and all, into a scratch SQLite store built up to
    the dump's revision; the migrations that came since are run on it exactly
    as they run on any store; and the review is read out again.
    """
    with tempfile.TemporaryDirectory(prefix="cosynth-archive-") as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'scratch.db'}")
        try:
            command.upgrade(alembic_config(engine), dump.schema_revision)
            old = MetaData()
            old.reflect(engine)
            old_tables = [
                table
                for table in old.sorted_tables
                if table.name != "alembic_version" and table.name in {t.name for t in dump.tables}
            ]
            with engine.begin() as connection:
                _check_tables(dump, review_tables(old))
                for table in old_tables:
                    found = dump.table(table.name)
                    assert found is not None
                    values = [
                        {
                            name: decoded_value(
                                table.c[name].type, value, f"{table.name}.{name}", dump.files
                            )
                            for name, value in zip(found.columns, row, strict=True)
                        }
                        for row in found.rows
                    ]
                    if values:
                        connection.execute(insert(table), values)
            upgrade(engine)
            with engine.connect() as connection:
                return dump_review(connection, dump.review_id, revision=schema_revisions()[-1])
        finally:
            engine.dispose()


def canonical_rows(
    dump: ReviewDump, *, metadata: MetaData = Base.metadata
) -> dict[str, list[tuple[Any, ...]]]:
    """The dump's rows with every id replaced by its rank among its table's ids.

    Two dumps of the same review in different stores (ids differ, order kept)
    have equal canonical rows; a round trip is checked this way. Binary
    columns are compared by their bytes.
    """
    ranks: dict[str, dict[int, int]] = {}
    for table in review_tables(metadata):
        found = dump.table(table.name)
        key = id_column(table)
        if found is None or key is None:
            continue
        position = found.columns.index(key)
        ranks[table.name] = {
            old: rank for rank, old in enumerate(sorted(row[position] for row in found.rows))
        }
    out: dict[str, list[tuple[Any, ...]]] = {}
    for table in review_tables(metadata):
        found = dump.table(table.name)
        if found is None:
            continue
        binary = {column.name for column in table.columns if _is_binary(column.type)}
        rows = []
        for row in found.rows:
            given = dict(zip(found.columns, row, strict=True))
            rows.append(
                tuple(
                    _ranked(
                        table, name, given[name], row=given, ranks=ranks, dump=dump, binary=binary
                    )
                    for name in sorted(given)
                )
            )
        out[table.name] = sorted(rows, key=repr)
    return out


def _ranked(
    table: Table,
    name: str,
    value: Any,
    *,
    row: Mapping[str, Any],
    ranks: Mapping[str, Mapping[int, int]],
    dump: ReviewDump,
    binary: set[str],
) -> Any:
    if value is None:
        return None
    if name in binary:
        return dump.files[value]
    column = table.c[name]
    where = f"{table.name}.{name}"
    if column.primary_key and name == id_column(table):
        return ranks[table.name][value]
    for fk in column.foreign_keys:
        return _mapped(ranks, fk.column.table.name, value, where)
    spec = JSON_IDS.get((table.name, name))
    if spec is not None:
        return _mapped_json(spec, value, ranks, where)
    loose = LOOSE_IDS.get((table.name, name))
    if loose is not None:
        return _mapped(ranks, loose.tables[str(row[loose.kind_column])], value, where)
    return value
