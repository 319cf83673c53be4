"""Queries on reviews, members and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from cosynth.domain.review import AuditEvent, Member, Review
from cosynth.domain.roles import Role
from cosynth.store.convert import member_of, review_of
from cosynth.store.tables import AuditEventRow, MemberRow, RecordRow, ReviewRow, SourceRow


def insert_review(session: Session, title: str, question: str, at: datetime) -> Review:
    row = ReviewRow(title=title, question=question, created_at=at)
    session.add(row)
    session.flush()
    return review_of(row)


def get_review(session: Session, review_id: int) -> Review | None:
    row = session.get(ReviewRow, review_id)
    return review_of(row) if row is not None else None


def reviews_of(session: Session, username: str) -> list[Review]:
    rows = session.scalars(
        select(ReviewRow)
        .join(MemberRow, MemberRow.review_id == ReviewRow.id)
        .where(MemberRow.username == username)
        .order_by(ReviewRow.id)
    )
    return [review_of(row) for row in rows]


def role_of(session: Session, review_id: int, username: str) -> Role | None:
    role = session.scalar(
        select(MemberRow.role).where(
            MemberRow.review_id == review_id, MemberRow.username == username
        )
    )
    return Role(role) if role is not None else None


def insert_member(
    session: Session,
    review_id: int,
    username: str,
    *,
    display_name: str,
    role: Role,
    at: datetime,
) -> Member:
    row = MemberRow(
        review_id=review_id,
        username=username,
        display_name=display_name,
        role=role.value,
        joined_at=at,
    )
    session.add(row)
    session.flush()
    return member_of(row)


def members_of(session: Session, review_id: int) -> list[Member]:
    rows = session.scalars(
        select(MemberRow).where(MemberRow.review_id == review_id).order_by(MemberRow.id)
    )
    return [member_of(row) for row in rows]


def counts(session: Session, review_id: int) -> dict[str, int]:
    """How many members, sources and records the review has."""

    def count(query: Select[int]) -> int:
        return session.scalar(query) or 0

    return {
        "members": count(select(func.count(MemberRow.id)).where(MemberRow.review_id == review_id)),
        "sources": count(select(func.count(SourceRow.id)).where(SourceRow.review_id == review_id)),
        "records": count(select(func.count(RecordRow.id)).where(RecordRow.review_id == review_id)),
    }


def records_by_database(session: Session, review_id: int) -> list[tuple[str, int]]:
    rows = session.execute(
        select(SourceRow.database, func.sum(SourceRow.records_imported))
        .where(SourceRow.review_id == review_id)
        .group_by(SourceRow.database)
        .order_by(SourceRow.database)
    ).all()
    return [(name, int(n or 0)) for name, n in rows]


def append_audit_event(
    session: Session,
    review_id: int | None,
    *,
    at: datetime,
    actor: str,
    action: str,
    detail: dict[str, Any],
) -> None:
    session.add(
        AuditEventRow(review_id=review_id, at=at, actor=actor, action=action, detail=detail)
    )


def audit_events(
    session: Session, review_id: int, *, limit: int, offset: int = 0
) -> tuple[int, list[AuditEvent]]:
    """The review's audit events, newest first, and how many there are in all."""
    total = session.scalar(
        select(func.count(AuditEventRow.id)).where(AuditEventRow.review_id == review_id)
    )
    rows = session.scalars(
        select(AuditEventRow)
        .where(AuditEventRow.review_id == review_id)
        .order_by(AuditEventRow.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return int(total or 0), [
        AuditEvent(row.id, row.at, row.actor, row.action, dict(row.detail)) for row in rows
    ]
