"""Opening the store and running one unit of work (`Tx`) as one person."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cosynth.domain.roles import Permission, Role, may
from cosynth.errors import PermissionDeniedError
from cosynth.store import engine as store_engine
from cosynth.store import reviews as review_store
from cosynth.store.session import Session, transaction


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
        return review_store.role_of(self.session, review_id, self.actor)

    def require(self, review_id: int, permission: Permission) -> Role:
        """The actor's role in the review, or `PermissionDeniedError` if it lacks `permission`."""
        role = self.role_in(review_id)
        if role is None:
            # The same words whether or not the review exists, so ids cannot be probed.
            raise PermissionDeniedError(
                f"{self.actor} is not a member of review {review_id} (or there is no such review)."
            )
        if not may(role, permission):
            raise PermissionDeniedError(
                f"{self.actor} is a {role.value} in review {review_id}, "
                f"and a {role.value} may not {permission.value}."
            )
        return role

    def log(self, action: str, review_id: int | None, **detail: Any) -> None:
        """Append an audit event for what this transaction did."""
        review_store.append_audit_event(
            self.session, review_id, at=self.now, actor=self.actor, action=action, detail=detail
        )


class Workspace:
    """A cosynth store opened for use: its engine and its transactions."""

    def __init__(self, url: str, *, create: bool = False) -> None:
        self.engine = store_engine.open_engine(url, create=create)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def transaction(self, actor: str, *, read_only: bool = False) -> Iterator[Tx]:
        """Run a unit of work: committed whole when the block ends, rolled back on any error.

        A `read_only` unit takes no write lock (SQLite readers then run beside
        the writer) and the database refuses any write inside it.
        """
        engine = store_engine.reading(self.engine) if read_only else self.engine
        with transaction(engine) as session:
            yield Tx(session=session, actor=actor)

    def close(self) -> None:
        self.engine.dispose()


def open_workspace(url: str | None = None, *, create: bool = False) -> Workspace:
    """Open the store at `url`, else `$COSYNTH_DB`, else `cosynth.db` here.

    With `create`, an empty database is given cosynth's tables; without it, a
    database that is not a cosynth store is refused with a plain message.
    """
    return Workspace(store_engine.resolve_url(url), create=create)


def database_url(url: str | None = None) -> str:
    """The store `open_workspace` would open: `url`, else `$COSYNTH_DB`, else `cosynth.db` here."""
    return store_engine.resolve_url(url)
