"""Appending a row that two people may write at the same moment.

History is append-only (DESIGN.md rule 1): a change of mind is the next row
in a sequence, and a unique constraint on that sequence is what stops two
concurrent writers both landing. These are the two steps every such table
takes.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from cosynth.errors import ConcurrentChangeError


def next_sequence(
    session: Session, column: InstrumentedAttribute[int], *where: ColumnElement[bool]
) -> int:
    """One more than the highest `column` among the rows `where` selects (1 for none)."""
    return (session.scalar(select(func.max(column)).where(*where)) or 0) + 1


def insert_or_concurrent(session: Session, row: object, message: str) -> None:
    """Insert `row` inside a savepoint; a unique clash means a concurrent change, said plainly.

    The row is added inside the savepoint, so a clash takes it away again and
    the rest of the transaction can go on without it.
    """
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as exc:
        raise ConcurrentChangeError(message) from exc


def one_at_a_time(session: Session, *key: object) -> None:
    """Wait until no other transaction holds `key`, then hold it until this one ends.

    For a check and the write that depends on it (is this file imported yet?
    is this record reconciled?) made by two people at the same moment: on
    PostgreSQL, under READ COMMITTED, both would pass the check and both
    write. A transaction-level advisory lock makes the second wait and then
    see the first's commit. SQLite needs nothing: BEGIN IMMEDIATE already lets
    one writer in at a time (cosynth.store.engine).
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.blake2b(repr(key).encode(), digest_size=8).digest()
    session.execute(
        text("SELECT pg_advisory_xact_lock(:key)"),
        {"key": int.from_bytes(digest, "big", signed=True)},
    )
