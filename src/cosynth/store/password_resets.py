"""The `password_resets` table and its queries: reset links, kept only as SHA-256 digests."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, String, UniqueConstraint, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from cosynth.domain.password_reset import PasswordReset
from cosynth.store.tables import Base, UtcDateTime


class PasswordResetRow(Base):
    """A link that lets `username` set a new password once, until `expires_at`."""

    __tablename__ = "password_resets"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(200), index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # A newer link for the same account (or the account's erasure) withdrew it.
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


def insert_reset(
    session: Session,
    username: str,
    *,
    token_hash: str,
    created_by: str,
    created_at: datetime,
    expires_at: datetime,
) -> PasswordReset:
    row = PasswordResetRow(
        username=username,
        token_hash=token_hash,
        created_by=created_by,
        created_at=created_at,
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return _reset_of(row)


def reset_by_hash(session: Session, token_hash: str) -> PasswordReset | None:
    row = session.scalar(select(PasswordResetRow).where(PasswordResetRow.token_hash == token_hash))
    return _reset_of(row) if row is not None else None


def resets_of(session: Session, username: str) -> list[PasswordReset]:
    rows = session.scalars(
        select(PasswordResetRow)
        .where(PasswordResetRow.username == username)
        .order_by(PasswordResetRow.id)
    )
    return [_reset_of(row) for row in rows]


def revoke_open_resets(session: Session, username: str, *, at: datetime) -> int:
    """Withdraw every unused, unwithdrawn link of `username`; how many there were."""
    result = session.execute(
        update(PasswordResetRow)
        .where(
            PasswordResetRow.username == username,
            PasswordResetRow.used_at.is_(None),
            PasswordResetRow.revoked_at.is_(None),
        )
        .values(revoked_at=at)
    )
    return cast(CursorResult[Any], result).rowcount


def mark_reset_used(session: Session, reset_id: int, *, at: datetime) -> bool:
    """Mark the link used unless it was used, withdrawn or has expired (False then).

    One conditional UPDATE, so that of two people sending the same link at the
    same moment only one sets a password.
    """
    result = session.execute(
        update(PasswordResetRow)
        .where(
            PasswordResetRow.id == reset_id,
            PasswordResetRow.used_at.is_(None),
            PasswordResetRow.revoked_at.is_(None),
            PasswordResetRow.expires_at > at,
        )
        .values(used_at=at)
    )
    return cast(CursorResult[Any], result).rowcount == 1


def _reset_of(row: PasswordResetRow) -> PasswordReset:
    return PasswordReset(
        id=row.id,
        username=row.username,
        created_by=row.created_by,
        created_at=row.created_at,
        expires_at=row.expires_at,
        used_at=row.used_at,
        revoked_at=row.revoked_at,
    )
