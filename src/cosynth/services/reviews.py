"""Starting a review, finding it again, and its members."""

from __future__ import annotations

from sqlalchemy import func, select

from cosynth.domain.review import Member, Review, ReviewStatus
from cosynth.domain.roles import Permission, Role
from cosynth.errors import InputError, NotFoundError
from cosynth.services.workspace import Tx
from cosynth.store.convert import member_of, review_of
from cosynth.store.tables import MemberRow, RecordRow, ReviewRow, SourceRow


def create_review(tx: Tx, title: str, *, question: str = "", display_name: str = "") -> Review:
    """Start a review; the person starting it becomes its lead."""
    title = title.strip()
    if not title:
        raise InputError("A review needs a title.")
    row = ReviewRow(title=title, question=question.strip(), created_at=tx.now)
    tx.session.add(row)
    tx.session.flush()
    tx.session.add(
        MemberRow(
            review_id=row.id,
            username=tx.actor,
            display_name=display_name or tx.actor,
            role=Role.LEAD.value,
            joined_at=tx.now,
        )
    )
    tx.log("review created", row.id, title=title)
    return review_of(row)


def my_reviews(tx: Tx) -> list[Review]:
    """The reviews the actor is a member of, oldest first."""
    rows = tx.session.scalars(
        select(ReviewRow)
        .join(MemberRow, MemberRow.review_id == ReviewRow.id)
        .where(MemberRow.username == tx.actor)
        .order_by(ReviewRow.id)
    )
    return [review_of(row) for row in rows]


def get_review(tx: Tx, review_id: int) -> Review:
    tx.require(review_id, Permission.VIEW)
    row = tx.session.get(ReviewRow, review_id)
    if row is None:  # pragma: no cover - require() already refused
        raise NotFoundError(f"There is no review {review_id}.")
    return review_of(row)


def choose_review(tx: Tx, review_id: int | None) -> Review:
    """The review to act on: the one named, or the actor's only review."""
    if review_id is not None:
        return get_review(tx, review_id)
    mine = my_reviews(tx)
    if not mine:
        raise NotFoundError(
            f"{tx.actor} is not a member of any review in this database. "
            "Run `cosynth init` to start one, or ask the lead to add you."
        )
    if len(mine) > 1:
        listed = "; ".join(f"{review.id}: {review.title}" for review in mine)
        raise InputError(f"There are several reviews here; choose one with --review ID ({listed}).")
    return mine[0]


def add_member(
    tx: Tx, review_id: int, username: str, role: Role, *, display_name: str = ""
) -> Member:
    """Add someone to the review's team in a role."""
    tx.require(review_id, Permission.MANAGE_MEMBERS)
    username = username.strip()
    if not username:
        raise InputError("A member needs a username.")
    exists = tx.session.scalar(
        select(MemberRow.id).where(MemberRow.review_id == review_id, MemberRow.username == username)
    )
    if exists is not None:
        raise InputError(f"{username} is already a member of this review.")
    row = MemberRow(
        review_id=review_id,
        username=username,
        display_name=display_name or username,
        role=role.value,
        joined_at=tx.now,
    )
    tx.session.add(row)
    tx.log("member added", review_id, username=username, role=role.value)
    return member_of(row)


def list_members(tx: Tx, review_id: int) -> list[Member]:
    tx.require(review_id, Permission.VIEW)
    rows = tx.session.scalars(
        select(MemberRow).where(MemberRow.review_id == review_id).order_by(MemberRow.id)
    )
    return [member_of(row) for row in rows]


def review_status(tx: Tx, review_id: int) -> ReviewStatus:
    """Counts of what the review holds so far."""
    review = get_review(tx, review_id)
    count = func.count()
    members = tx.session.scalar(
        select(count).select_from(MemberRow).where(MemberRow.review_id == review_id)
    )
    sources = tx.session.scalar(
        select(count).select_from(SourceRow).where(SourceRow.review_id == review_id)
    )
    records = tx.session.scalar(
        select(count).select_from(RecordRow).where(RecordRow.review_id == review_id)
    )
    by_database = tx.session.execute(
        select(SourceRow.database, func.sum(SourceRow.records_imported))
        .where(SourceRow.review_id == review_id)
        .group_by(SourceRow.database)
        .order_by(SourceRow.database)
    ).all()
    return ReviewStatus(
        review=review,
        members=members or 0,
        sources=sources or 0,
        records=records or 0,
        records_by_database=tuple((name or "(not named)", int(n or 0)) for name, n in by_database),
    )
