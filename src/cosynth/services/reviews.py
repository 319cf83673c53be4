"""Starting a review, finding it again, its members and its counts."""

from __future__ import annotations

from cosynth.domain.review import AuditEvent, Member, Review, ReviewStatus
from cosynth.domain.roles import Permission, Role
from cosynth.errors import InputError, NotFoundError
from cosynth.services.workspace import Tx
from cosynth.store import dedup as dedup_store
from cosynth.store import reviews as review_store


def create_review(tx: Tx, title: str, *, question: str = "", display_name: str = "") -> Review:
    """Start a review; the person starting it becomes its lead."""
    title = title.strip()
    if not title:
        raise InputError("A review needs a title.")
    review = review_store.insert_review(tx.session, title, question.strip(), tx.now)
    review_store.insert_member(
        tx.session, review.id, tx.actor, display_name=display_name or tx.actor, role=Role.LEAD,
        at=tx.now,
    )  # fmt: skip
    tx.log("review created", review.id, title=title)
    return review


def my_reviews(tx: Tx) -> list[Review]:
    """The reviews the actor is a member of, oldest first."""
    return review_store.reviews_of(tx.session, tx.actor)


def get_review(tx: Tx, review_id: int) -> Review:
    tx.require(review_id, Permission.VIEW)
    review = review_store.get_review(tx.session, review_id)
    if review is None:  # pragma: no cover - require() refuses first
        raise NotFoundError(f"There is no review {review_id}.")
    return review


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
    if review_store.role_of(tx.session, review_id, username) is not None:
        raise InputError(f"{username} is already a member of this review.")
    member = review_store.insert_member(
        tx.session, review_id, username, display_name=display_name or username, role=role,
        at=tx.now,
    )  # fmt: skip
    tx.log("member added", review_id, username=username, role=role.value)
    return member


def list_members(tx: Tx, review_id: int) -> list[Member]:
    tx.require(review_id, Permission.VIEW)
    return review_store.members_of(tx.session, review_id)


def review_status(tx: Tx, review_id: int) -> ReviewStatus:
    """Counts of what the review holds so far."""
    review = get_review(tx, review_id)
    counted = review_store.counts(tx.session, review_id)
    by_database = review_store.records_by_database(tx.session, review_id)
    groups = dedup_store.current_groups(tx.session, review_id)
    return ReviewStatus(
        review=review,
        members=counted["members"],
        sources=counted["sources"],
        records=counted["records"],
        records_by_database=tuple((name or "(not named)", n) for name, n in by_database),
        duplicate_groups=len(groups),
        duplicates_removed=sum(len(members) - 1 for members in groups.values()),
    )


def audit_log(
    tx: Tx, review_id: int, *, limit: int = 100, offset: int = 0
) -> tuple[int, list[AuditEvent]]:
    """The review's audit log, newest first (the lead only), and its length."""
    tx.require(review_id, Permission.READ_AUDIT_LOG)
    return review_store.audit_events(tx.session, review_id, limit=limit, offset=offset)
