"""Units of work against the store: one SQLAlchemy session per transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from cosynth.errors import StoreError

__all__ = ["WROTE", "Session", "transaction"]

# Set in a session's `info` once it has flushed a change: state kept between
# transactions (see `cosynth.services.screening_state`) must not learn from
# what may still be rolled back.
WROTE = "cosynth_wrote"


@event.listens_for(Session, "after_flush")
def _note_write(session: Session, _context: object) -> None:
    session.info[WROTE] = True


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed whole when the block ends, or rolled back."""
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            yield session
    except OperationalError as exc:
        if _disk_full(exc):
            raise StoreError(_disk_full_message(exc)) from exc
        if exc.connection_invalidated or "connection" in short_reason(exc).lower():
            # The server is down or restarting: say so, not that it refused.
            raise StoreError(
                f"The database cannot be reached just now ({short_reason(exc)}). "
                "Try again in a moment; if it goes on, tell whoever runs the server."
            ) from exc
        raise StoreError(f"The database refused the change: {short_reason(exc)}") from exc
    except DBAPIError as exc:
        raise StoreError(f"The database refused the change: {short_reason(exc)}") from exc


def _disk_full(exc: DBAPIError) -> bool:
    """Out of disk: SQLite's SQLITE_FULL, PostgreSQL's SQLSTATE 53100 or a write with no space."""
    said = str(exc.orig)
    return (
        getattr(exc.orig, "sqlstate", None) == "53100"
        or "No space left on device" in said
        or "database or disk is full" in said
    )


def _disk_full_message(exc: DBAPIError) -> str:
    if "database or disk is full" in str(exc.orig):  # SQLite: the file is on this machine
        return (
            f"The disk that holds the database is full ({short_reason(exc)}). Nothing of "
            "this change was kept: free some space on it, then try again."
        )
    return (
        f"The database server's disk is full ({short_reason(exc)}). Nothing of this change "
        "was kept. Whoever runs the server must free space on that disk; PostgreSQL stops "
        "when it cannot write its log, and must then be started again."
    )


def short_reason(exc: DBAPIError) -> str:
    """The driver's first line of explanation, for a plain message."""
    text = str(exc.orig) if exc.orig is not None else str(exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
