"""Erasing an account holder (UK GDPR art. 17) without taking their work out of any review.

Every vote, judgement, coding and audit entry names its author by username,
in plain text columns (no foreign key to `users`). Erasure renames the
username to a tombstone in every such column of every table at once, so the
review's history keeps its shape (bob's votes stay one reviewer's votes,
paired with carol's for agreement) while no row names bob any more. Which
columns hold usernames is decided by their name (`USERNAME_COLUMNS`), so a
table added later with an `actor` column is covered without being listed.
JSON values (the audit log's details, protocols' settings, jobs' parameters)
are rewritten wherever a string in them is exactly the username, the display
name or the e-mail address.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, String, Table, Text, cast, delete, or_, select, update
from sqlalchemy.orm import Session

from cosynth.store.advisory_tables import AdvisoryMemberDetailRow, AdvisoryMemberRow
from cosynth.store.password_resets import PasswordResetRow
from cosynth.store.schema import Base
from cosynth.store.tables import (
    ApiTokenRow,
    InvitationRow,
    LoginAttemptRow,
    MemberRow,
    UserRow,
)

# An erased account's password hash: not an argon2 hash, so no password matches it.
ERASED_HASH = "!erased"
# Text columns that hold a username, by name, in whichever table they are.
USERNAME_COLUMNS = frozenset(
    {
        "username",
        "actor",
        "reviewer",
        "rater",
        "extractor",
        "appraiser",
        "member",  # screening_assignments: the person a record is assigned to
        "suggested_username",
        "accepted_by",
        "added_by",
        "agreed_by",
        "created_by",
        "imported_by",
        "resolved_by",
        "started_by",
    }
)
# A name or address shorter than this is not looked for inside other text.
_SHORTEST_NEEDLE = 4
# JSON columns that hold bibliographic data only: never a person of the team.
_BIBLIOGRAPHIC_JSON = frozenset(
    {("records", "authors"), ("records", "keywords"), ("records", "extra")}
)


def linked_group_members(session: Session, username: str) -> list[tuple[int, int]]:
    """(review id, member id) of every advisory-group member ever linked to `username`."""
    rows = session.execute(
        select(AdvisoryMemberRow.review_id, AdvisoryMemberRow.id)
        .join(AdvisoryMemberDetailRow, AdvisoryMemberDetailRow.member_id == AdvisoryMemberRow.id)
        .where(AdvisoryMemberDetailRow.username == username)
        .distinct()
        .order_by(AdvisoryMemberRow.id)
    )
    return [(review_id, member_id) for review_id, member_id in rows]


def erase_account(
    session: Session,
    username: str,
    *,
    tombstone: str,
    display_name: str,
    at: datetime,
) -> None:
    """Put `tombstone` wherever `username` was, and forget the account's personal details.

    Sessions end (the cookie names a username no account has any more), API
    tokens, open invitations the person made and reset links are revoked, and
    sign-in attempts are deleted.
    """
    user = session.scalar(select(UserRow).where(UserRow.username == username))
    assert user is not None
    old_name, old_email = user.display_name, user.email
    session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.username == username))
    session.execute(
        update(ApiTokenRow)
        .where(ApiTokenRow.username == username, ApiTokenRow.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    session.execute(update(ApiTokenRow).where(ApiTokenRow.username == username).values(label=""))
    session.execute(
        update(PasswordResetRow)
        .where(PasswordResetRow.username == username, PasswordResetRow.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    session.execute(
        update(InvitationRow)
        .where(
            InvitationRow.created_by == username,
            InvitationRow.accepted_at.is_(None),
            InvitationRow.revoked_at.is_(None),
        )
        .values(revoked_at=at)
    )
    session.execute(
        update(UserRow)
        .where(UserRow.id == user.id)
        .values(
            display_name=display_name,
            email="",
            password_hash=ERASED_HASH,
            password_changed_at=at,
            signed_out_at=at,
            adviser_mode=False,
            keyboard_shortcuts=True,
        )
    )
    session.execute(
        update(MemberRow).where(MemberRow.username == username).values(display_name=display_name)
    )
    for table, column in username_columns():
        session.execute(update(table).where(column == username).values({column.name: tombstone}))
    # The username is replaced only where a string is exactly it ("bob" is in "Bobath");
    # the name and e-mail address wherever they occur (an API token's label, say).
    within = {
        needle: replacement
        for needle, replacement in ((old_name, display_name), (old_email, "(erased)"))
        if len(needle) >= _SHORTEST_NEEDLE
    }
    _rewrite_json(session, {username: tombstone}, within)
    session.flush()


def username_columns(metadata: Any = Base.metadata) -> Iterator[tuple[Table, Column[Any]]]:
    """Every (table, column) holding a username."""
    for table in metadata.sorted_tables:
        for column in table.columns:
            if column.name in USERNAME_COLUMNS and isinstance(column.type, String | Text):
                yield table, column


def json_columns(metadata: Any = Base.metadata) -> Iterator[tuple[Table, Column[Any]]]:
    """Every (table, column) of JSON that may hold a username or a name."""
    for table in metadata.sorted_tables:
        for column in table.columns:
            if (
                isinstance(column.type, JSON)
                and (table.name, column.name) not in _BIBLIOGRAPHIC_JSON
            ):
                yield table, column


def _rewrite_json(session: Session, exact: dict[str, str], within: dict[str, str]) -> None:
    needles = [*exact, *within]
    for table, column in json_columns():
        (key,) = table.primary_key.columns
        text = cast(column, Text)
        query = select(key, column)
        # Only rows whose JSON text holds one of the strings are read; a string with
        # characters JSON escapes may be written either way, so such a needle reads all.
        if all(needle.isascii() and '"' not in needle and "\\" not in needle for needle in needles):
            found = (text.contains(needle, autoescape=True) for needle in needles)
            query = query.where(or_(*found))
        for row_id, value in session.execute(query).all():
            changed = _replaced(value, exact, within)
            if changed != value:
                session.execute(update(table).where(key == row_id).values({column.name: changed}))


def _replaced(value: Any, exact: dict[str, str], within: dict[str, str]) -> Any:
    """`value` with every string (dict keys too) that is exactly a key of `exact` replaced
    by its value, and every occurrence of a key of `within` inside a string by its value."""
    if isinstance(value, str):
        value = exact.get(value, value)
        for needle, replacement in within.items():
            value = value.replace(needle, replacement)
        return value
    if isinstance(value, list):
        return [_replaced(item, exact, within) for item in value]
    if isinstance(value, dict):
        return {_replaced(k, exact, within): _replaced(v, exact, within) for k, v in value.items()}
    return value
