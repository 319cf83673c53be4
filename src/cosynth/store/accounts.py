"""Queries on users, sign-in attempts, invitations and API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Result, delete, func, select, update
from sqlalchemy.orm import Session

from cosynth.domain.accounts import ApiToken, Invitation, User
from cosynth.domain.roles import Role
from cosynth.store.tables import ApiTokenRow, InvitationRow, LoginAttemptRow, UserRow

# users


def insert_user(
    session: Session,
    username: str,
    *,
    password_hash: str,
    display_name: str,
    email: str,
    at: datetime,
) -> User:
    row = UserRow(
        username=username,
        display_name=display_name,
        email=email,
        password_hash=password_hash,
        created_at=at,
        password_changed_at=at,
        adviser_mode=False,
        keyboard_shortcuts=True,
    )
    session.add(row)
    session.flush()
    return _user_of(row)


def get_user(session: Session, username: str) -> User | None:
    row = _user_row(session, username)
    return _user_of(row) if row is not None else None


def password_hash_of(session: Session, username: str) -> str | None:
    return session.scalar(select(UserRow.password_hash).where(UserRow.username == username))


def set_password_hash(
    session: Session, username: str, password_hash: str, *, changed_at: datetime | None
) -> None:
    """Store a new hash; `changed_at` None keeps the date (a rehash of the same password)."""
    values: dict[str, Any] = {"password_hash": password_hash}
    if changed_at is not None:
        values["password_changed_at"] = changed_at
    session.execute(update(UserRow).where(UserRow.username == username).values(**values))


def update_user(session: Session, username: str, **values: Any) -> User | None:
    """Set the named columns (display_name, email, adviser_mode, keyboard_shortcuts)."""
    row = _user_row(session, username)
    if row is None:
        return None
    for column, value in values.items():
        setattr(row, column, value)
    session.flush()
    return _user_of(row)


def _user_row(session: Session, username: str) -> UserRow | None:
    return session.scalar(select(UserRow).where(UserRow.username == username))


def _user_of(row: UserRow) -> User:
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        email=row.email,
        created_at=row.created_at,
        adviser_mode=row.adviser_mode,
        keyboard_shortcuts=row.keyboard_shortcuts,
        password_changed_at=row.password_changed_at,
        signed_out_at=row.signed_out_at,
    )


def set_signed_out(session: Session, username: str, at: datetime) -> None:
    session.execute(update(UserRow).where(UserRow.username == username).values(signed_out_at=at))


# sign-in attempts


def insert_login_attempt(
    session: Session, username: str, *, at: datetime, succeeded: bool, remote_addr: str
) -> None:
    session.add(
        LoginAttemptRow(username=username, at=at, succeeded=succeeded, remote_addr=remote_addr)
    )
    session.flush()


def failures_since(session: Session, username: str, since: datetime) -> list[datetime]:
    """When `username`'s failed attempts since `since` happened, oldest first.

    Only those after the last successful attempt count: a success starts the count again.
    """
    last_success = session.scalar(
        select(func.max(LoginAttemptRow.at)).where(
            LoginAttemptRow.username == username,
            LoginAttemptRow.succeeded.is_(True),
            LoginAttemptRow.at >= since,
        )
    )
    query = select(LoginAttemptRow.at).where(
        LoginAttemptRow.username == username,
        LoginAttemptRow.succeeded.is_(False),
        LoginAttemptRow.at >= since,
    )
    if last_success is not None:
        query = query.where(LoginAttemptRow.at > last_success)
    return list(session.scalars(query.order_by(LoginAttemptRow.at)))


def delete_login_attempts_before(session: Session, before: datetime) -> int:
    result = session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.at < before))
    return _rows_changed(result)


# invitations


def insert_invitation(
    session: Session,
    review_id: int,
    *,
    role: Role,
    token_hash: str,
    note: str,
    created_by: str,
    created_at: datetime,
    expires_at: datetime,
) -> Invitation:
    row = InvitationRow(
        review_id=review_id,
        role=role.value,
        token_hash=token_hash,
        note=note,
        created_by=created_by,
        created_at=created_at,
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return _invitation_of(row)


def invitation_by_hash(session: Session, token_hash: str) -> Invitation | None:
    row = session.scalar(select(InvitationRow).where(InvitationRow.token_hash == token_hash))
    return _invitation_of(row) if row is not None else None


def get_invitation(session: Session, review_id: int, invitation_id: int) -> Invitation | None:
    row = session.scalar(
        select(InvitationRow).where(
            InvitationRow.id == invitation_id, InvitationRow.review_id == review_id
        )
    )
    return _invitation_of(row) if row is not None else None


def invitations_of(session: Session, review_id: int) -> list[Invitation]:
    rows = session.scalars(
        select(InvitationRow)
        .where(InvitationRow.review_id == review_id)
        .order_by(InvitationRow.id.desc())
    )
    return [_invitation_of(row) for row in rows]


def mark_invitation_accepted(
    session: Session, invitation_id: int, *, username: str, at: datetime
) -> bool:
    """Mark it accepted unless it already was, or was revoked or has expired.

    One conditional UPDATE, so that of two people accepting the same link at
    the same moment only one succeeds (False for the other).
    """
    result = session.execute(
        update(InvitationRow)
        .where(
            InvitationRow.id == invitation_id,
            InvitationRow.accepted_at.is_(None),
            InvitationRow.revoked_at.is_(None),
            InvitationRow.expires_at > at,
        )
        .values(accepted_by=username, accepted_at=at)
    )
    return _rows_changed(result) == 1


def mark_invitation_revoked(session: Session, invitation_id: int, *, at: datetime) -> bool:
    """Mark it revoked unless it was accepted or revoked already (False then)."""
    result = session.execute(
        update(InvitationRow)
        .where(
            InvitationRow.id == invitation_id,
            InvitationRow.accepted_at.is_(None),
            InvitationRow.revoked_at.is_(None),
        )
        .values(revoked_at=at)
    )
    return _rows_changed(result) == 1


def _invitation_of(row: InvitationRow) -> Invitation:
    return Invitation(
        id=row.id,
        review_id=row.review_id,
        role=Role(row.role),
        note=row.note,
        created_by=row.created_by,
        created_at=row.created_at,
        expires_at=row.expires_at,
        accepted_by=row.accepted_by,
        accepted_at=row.accepted_at,
        revoked_at=row.revoked_at,
    )


# API tokens


def insert_api_token(
    session: Session, username: str, *, label: str, token_hash: str, at: datetime
) -> ApiToken:
    row = ApiTokenRow(username=username, label=label, token_hash=token_hash, created_at=at)
    session.add(row)
    session.flush()
    return _api_token_of(row)


def api_token_by_hash(session: Session, token_hash: str) -> ApiToken | None:
    row = session.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash))
    return _api_token_of(row) if row is not None else None


def api_tokens_of(session: Session, username: str) -> list[ApiToken]:
    rows = session.scalars(
        select(ApiTokenRow).where(ApiTokenRow.username == username).order_by(ApiTokenRow.id)
    )
    return [_api_token_of(row) for row in rows]


def touch_api_token(session: Session, token_id: int, *, at: datetime) -> None:
    session.execute(update(ApiTokenRow).where(ApiTokenRow.id == token_id).values(last_used_at=at))


def revoke_api_token(session: Session, token_id: int, *, username: str, at: datetime) -> bool:
    """Revoke one of `username`'s tokens; False when they hold no such token (or it is revoked)."""
    result = session.execute(
        update(ApiTokenRow)
        .where(
            ApiTokenRow.id == token_id,
            ApiTokenRow.username == username,
            ApiTokenRow.revoked_at.is_(None),
        )
        .values(revoked_at=at)
    )
    return _rows_changed(result) == 1


def _api_token_of(row: ApiTokenRow) -> ApiToken:
    return ApiToken(
        id=row.id,
        username=row.username,
        label=row.label,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


def _rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched (its result is a cursor result)."""
    return cast(CursorResult[Any], result).rowcount
