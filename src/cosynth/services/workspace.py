"""Opening the store and running one unit of work (`Tx`) as one person."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from cosynth.domain.roles import Permission, Role, may
from cosynth.errors import PermissionDeniedError, StoreError
from cosynth.store import engine as store_engine
from cosynth.store.tables import AuditEventRow, MemberRow


@dataclass
class Tx:
    """One transaction on behalf of one person (`actor`, a username).

    Services call `require` before they read or change a review and `log`
    after they change it; both run inside the same transaction as the change.
    """

    session: Session
    actor: str
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def role_in(self, review_id: int) -> Role | None:
        role = self.session.scalar(
            select(MemberRow.role).where(
                MemberRow.review_id == review_id, MemberRow.username == self.actor
            )
        )
        return Role(role) if role is not None else None

    def require(self, review_id: int, permission: Permission) -> Role:
        """The actor's role in the review, or `PermissionDeniedError` if it lacks `permission`."""
        role = self.role_in(review_id)
        if not may(role, permission):
            # Say the same to a non-member whether or not the review exists,
            # so ids cannot be probed.
            if role is None:
                raise PermissionDeniedError(
                    f"{self.actor} is not a member of review {review_id} "
                    "(or there is no such review)."
                )
            raise PermissionDeniedError(
                f"{self.actor} is a {role.value} in review {review_id}, "
                f"and a {role.value} may not {permission.value}."
            )
        assert role is not None
        return role

    def log(self, action: str, review_id: int | None, **detail: Any) -> None:
        """Append an audit event for what this transaction did."""
        self.session.add(
            AuditEventRow(
                review_id=review_id, at=self.now, actor=self.actor, action=action, detail=detail
            )
        )


class Workspace:
    """A cosynth store opened for use: the engine and its transactions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def backend(self) -> str:
        return self.engine.url.get_backend_name()

    @contextmanager
    def transaction(self, actor: str) -> Iterator[Tx]:
        """Run a unit of work: committed whole when the block ends, rolled back on any error."""
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                yield Tx(session=session, actor=actor)
        except DBAPIError as exc:
            raise StoreError(f"The database refused the change: {_short(exc)}") from exc

    def close(self) -> None:
        self.engine.dispose()


def open_workspace(url: str | None = None, *, create: bool = False) -> Workspace:
    """Open the store at `url` (see `store.engine.resolve_url`).

    With `create`, an empty database is given cosynth's tables; without it, a
    database that is not a cosynth store is refused with a plain message.
    """
    engine = store_engine.make_engine(store_engine.resolve_url(url))
    try:
        if create and store_engine.current_revision(engine) is None:
            store_engine.upgrade(engine)
        else:
            store_engine.check_schema(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise StoreError(f"cosynth cannot open the database: {_short(exc)}") from exc
    except StoreError:
        engine.dispose()
        raise
    return Workspace(engine)


def _short(exc: DBAPIError) -> str:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
