"""Queries on screening: protocols, votes, resolutions, assignments and calibration rounds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from cosynth.domain.screening.stages import (
    Assignment,
    Criterion,
    CriterionKind,
    Stage,
    StageProtocol,
)
from cosynth.domain.screening.votes import Decision, Resolution, ResolutionMethod, Vote
from cosynth.store.dedup import current_groups
from cosynth.store.erasure import ERASED_HASH
from cosynth.store.savepoints import insert_or_concurrent, next_sequence
from cosynth.store.tables import (
    AssignmentRow,
    Base,
    CalibrationRow,
    DuplicateGroupRow,
    GroupDissolutionRow,
    RecordRow,
    ResolutionRow,
    ReviewRow,
    SourceRow,
    StageProtocolRow,
    UserRow,
    VoteRow,
)

# -- screening units: a duplicate group is screened once, as its first record


def unit_ids(session: Session, review_id: int) -> list[int]:
    """The records to screen: every record, less those merged into a group's first record."""
    merged_away = {
        record_id
        for members in current_groups(session, review_id).values()
        for record_id in members[1:]
    }
    ids = session.scalars(
        select(RecordRow.id).where(RecordRow.review_id == review_id).order_by(RecordRow.id)
    )
    return [record_id for record_id in ids if record_id not in merged_away]


# -- protocols


def latest_protocol(session: Session, review_id: int, stage: Stage) -> StageProtocol | None:
    row = session.scalars(
        select(StageProtocolRow)
        .where(StageProtocolRow.review_id == review_id, StageProtocolRow.stage == stage.value)
        .order_by(StageProtocolRow.version.desc())
        .limit(1)
    ).first()
    return _protocol_of(row) if row is not None else None


def protocol_history(
    session: Session, review_id: int, stage: Stage
) -> list[tuple[StageProtocol, datetime, str]]:
    rows = session.scalars(
        select(StageProtocolRow)
        .where(StageProtocolRow.review_id == review_id, StageProtocolRow.stage == stage.value)
        .order_by(StageProtocolRow.version)
    )
    return [(_protocol_of(row), row.at, row.actor) for row in rows]


def insert_protocol(
    session: Session, review_id: int, protocol: StageProtocol, *, at: datetime, actor: str
) -> None:
    row = StageProtocolRow(
        review_id=review_id,
        stage=protocol.stage.value,
        version=protocol.version,
        settings=_settings_of(protocol),
        at=at,
        actor=actor,
        amendment=protocol.amendment,
    )
    insert_or_concurrent(
        session, row, "The screening protocol was changed by someone else just now."
    )


def _settings_of(protocol: StageProtocol) -> dict[str, Any]:
    return {
        "reviewers_required": protocol.reviewers_required,
        "blinded": protocol.blinded,
        "assignment": protocol.assignment.value,
        "criteria": [{"kind": c.kind.value, "text": c.text} for c in protocol.criteria],
        "reasons": list(protocol.reasons),
    }


def _protocol_of(row: StageProtocolRow) -> StageProtocol:
    settings = row.settings
    return StageProtocol(
        stage=Stage(row.stage),
        reviewers_required=int(settings["reviewers_required"]),
        blinded=bool(settings["blinded"]),
        assignment=Assignment(settings["assignment"]),
        criteria=tuple(
            Criterion(CriterionKind(item["kind"]), str(item["text"]))
            for item in settings["criteria"]
        ),
        reasons=tuple(str(reason) for reason in settings["reasons"]),
        version=row.version,
        amendment=row.amendment,
    )


# -- votes


def stage_votes(
    session: Session,
    review_id: int,
    stage: Stage,
    *,
    calibration: bool = False,
    record_ids: Iterable[int] | None = None,
) -> list[Vote]:
    """Every vote and piece of advice at `stage`, oldest first (history included)."""
    query = select(VoteRow).where(
        VoteRow.review_id == review_id,
        VoteRow.stage == stage.value,
        VoteRow.calibration == calibration,
    )
    if record_ids is not None:
        query = query.where(VoteRow.record_id.in_(list(record_ids)))
    return [_vote_of(row) for row in session.scalars(query.order_by(VoteRow.id))]


def votes_after(
    session: Session, review_id: int, stage: Stage, after_id: int, *, known: Container[int]
) -> list[Vote]:
    """The stage's main-round votes with an id above `after_id` and not in `known`, oldest first.

    The ids are read first, and only the votes not known are read whole: the
    window looked back over is wide, and most of it is known already.
    """
    ids = session.scalars(
        select(VoteRow.id).where(
            VoteRow.review_id == review_id,
            VoteRow.stage == stage.value,
            VoteRow.calibration == False,  # noqa: E712 - SQL comparison
            VoteRow.id > after_id,
        )
    )
    new = [vote_id for vote_id in ids if vote_id not in known]
    if not new:
        return []
    rows = session.scalars(select(VoteRow).where(VoteRow.id.in_(new)).order_by(VoteRow.id))
    return [_vote_of(row) for row in rows]


def stage_version(session: Session, review_id: int, stage: Stage) -> StageVersion:
    """Counts and newest ids of everything a stage's state is derived from, in one query.

    Rows are only ever added (DESIGN.md rule 1), so an unchanged version means
    an unchanged stage; a version whose only change is more votes can be
    brought up to date from the new votes alone. The count beside each newest
    id catches a row that committed after a newer one (PostgreSQL hands out
    ids before commit, so they can land out of order).
    """

    def counted(row: type[Base], *where: ColumnElement[bool]) -> list[Any]:
        table_id = row.id  # type: ignore[attr-defined]
        return [
            select(func.count(table_id)).where(*where).scalar_subquery(),
            select(func.coalesce(func.max(table_id), 0)).where(*where).scalar_subquery(),
        ]

    of_stage = (VoteRow.review_id == review_id, VoteRow.stage == stage.value)
    dissolved = (
        select(func.count(GroupDissolutionRow.group_id))
        .join(DuplicateGroupRow, DuplicateGroupRow.id == GroupDissolutionRow.group_id)
        .where(DuplicateGroupRow.review_id == review_id)
        .scalar_subquery()
    )
    # Erasing an account renames its votes in place (the one rewrite of history), and
    # the count of erased accounts is what tells every process that it happened.
    erased = (
        select(func.count(UserRow.id)).where(UserRow.password_hash == ERASED_HASH).scalar_subquery()
    )
    columns = [
        *counted(SourceRow, SourceRow.review_id == review_id),
        *counted(DuplicateGroupRow, DuplicateGroupRow.review_id == review_id),
        dissolved,
        erased,
        *counted(
            StageProtocolRow,
            StageProtocolRow.review_id == review_id,
            StageProtocolRow.stage == stage.value,
        ),
        *counted(
            ResolutionRow, ResolutionRow.review_id == review_id, ResolutionRow.stage == stage.value
        ),
        *counted(
            AssignmentRow, AssignmentRow.review_id == review_id, AssignmentRow.stage == stage.value
        ),
        *counted(VoteRow, *of_stage, VoteRow.calibration == False),  # noqa: E712
    ]
    # The review's creation time and the newest vote's time tell apart two
    # stores with the same counts: a review deleted and another made in its
    # place, or an older backup restored and voted on again.
    moments = [
        select(ReviewRow.created_at).where(ReviewRow.id == review_id).scalar_subquery(),
        select(func.max(VoteRow.cast_at)).where(*of_stage).scalar_subquery(),
    ]
    found = session.execute(select(*columns, *moments)).one()
    counts = [int(n or 0) for n in found[: len(columns)]]
    return StageVersion(
        others=(*counts[:-2], _moment(found[-2])),
        votes=counts[-2],
        last_vote=counts[-1],
        last_cast=_moment(found[-1]),
    )


def _moment(value: object) -> str:
    # A scalar subquery's time comes back as text on SQLite, as a datetime on PostgreSQL.
    return str(value) if value is not None else ""


@dataclass(frozen=True, slots=True)
class StageVersion:
    """See `stage_version`: `others` covers all but the votes, which are counted apart."""

    others: tuple[int | str, ...]
    votes: int
    last_vote: int
    last_cast: str


def any_votes(session: Session, review_id: int, stage: Stage, *, calibration: bool = False) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    VoteRow.review_id == review_id,
                    VoteRow.stage == stage.value,
                    VoteRow.calibration == calibration,
                    VoteRow.advice == False,  # noqa: E712 - SQL comparison
                )
            )
        )
    )


def insert_vote(
    session: Session,
    *,
    review_id: int,
    record_id: int,
    stage: Stage,
    reviewer: str,
    decision: Decision,
    reason: str,
    note: str,
    tags: tuple[str, ...],
    at: datetime,
    advice: bool,
    calibration: bool,
) -> Vote:
    """Append a vote as the reviewer's next on the record; the same vote again adds nothing.

    Two sessions casting the same person's vote at once both claim the same
    next sequence number; the unique constraint lets only one land. The check
    for a repeat is made here, at the moment of writing, so a repeat that
    waited for the first to commit finds it and changes nothing.
    """
    latest = session.scalars(
        select(VoteRow)
        .where(
            VoteRow.record_id == record_id,
            VoteRow.stage == stage.value,
            VoteRow.reviewer == reviewer,
            VoteRow.calibration == calibration,
        )
        .order_by(VoteRow.sequence.desc())
        .limit(1)
    ).first()
    if latest is not None and (
        latest.decision,
        latest.reason,
        latest.note,
        tuple(latest.tags),
    ) == (decision.value, reason, note, tags):
        return _vote_of(latest)
    sequence = latest.sequence + 1 if latest is not None else 1
    row = VoteRow(
        review_id=review_id,
        record_id=record_id,
        stage=stage.value,
        reviewer=reviewer,
        decision=decision.value,
        reason=reason,
        note=note,
        tags=list(tags),
        cast_at=at,
        sequence=sequence,
        advice=advice,
        calibration=calibration,
    )
    insert_or_concurrent(
        session,
        row,
        f"{reviewer}'s vote on record {record_id} was being saved twice at once; "
        "one was kept and this one was not. Look at the record again.",
    )
    return _vote_of(row)


def _vote_of(row: VoteRow) -> Vote:
    return Vote(
        id=row.id,
        review_id=row.review_id,
        record_id=row.record_id,
        stage=Stage(row.stage),
        reviewer=row.reviewer,
        decision=Decision(row.decision),
        reason=row.reason,
        note=row.note,
        tags=tuple(str(tag) for tag in row.tags),
        cast_at=row.cast_at,
        sequence=row.sequence,
        advice=row.advice,
        calibration=row.calibration,
    )


# -- resolutions


def latest_resolutions(
    session: Session, review_id: int, stage: Stage, *, record_ids: Iterable[int] | None = None
) -> dict[int, Resolution]:
    """Record id -> the resolution in force on it at `stage`."""
    query = select(ResolutionRow).where(
        ResolutionRow.review_id == review_id, ResolutionRow.stage == stage.value
    )
    if record_ids is not None:
        query = query.where(ResolutionRow.record_id.in_(list(record_ids)))
    latest: dict[int, Resolution] = {}
    for row in session.scalars(query.order_by(ResolutionRow.sequence, ResolutionRow.id)):
        latest[row.record_id] = _resolution_of(row)
    return latest


def insert_resolution(
    session: Session,
    *,
    review_id: int,
    record_id: int,
    stage: Stage,
    decision: Decision,
    reason: str,
    rationale: str,
    method: ResolutionMethod,
    at: datetime,
    actor: str,
) -> Resolution:
    sequence = next_sequence(
        session,
        ResolutionRow.sequence,
        ResolutionRow.record_id == record_id,
        ResolutionRow.stage == stage.value,
    )
    row = ResolutionRow(
        review_id=review_id,
        record_id=record_id,
        stage=stage.value,
        decision=decision.value,
        reason=reason,
        rationale=rationale,
        method=method.value,
        resolved_by=actor,
        resolved_at=at,
        sequence=sequence,
    )
    insert_or_concurrent(
        session, row, f"Record {record_id} was resolved by someone else at the same moment."
    )
    return _resolution_of(row)


def _resolution_of(row: ResolutionRow) -> Resolution:
    return Resolution(
        id=row.id,
        review_id=row.review_id,
        record_id=row.record_id,
        stage=Stage(row.stage),
        decision=Decision(row.decision),
        reason=row.reason,
        rationale=row.rationale,
        method=ResolutionMethod(row.method),
        resolved_by=row.resolved_by,
        resolved_at=row.resolved_at,
    )


# -- assignments


def current_assignments(session: Session, review_id: int, stage: Stage) -> dict[int, set[str]]:
    """Record id -> the people it is assigned to now."""
    rows = session.execute(
        select(AssignmentRow.record_id, AssignmentRow.member, AssignmentRow.assigned)
        .where(AssignmentRow.review_id == review_id, AssignmentRow.stage == stage.value)
        .order_by(AssignmentRow.id)
    )
    latest: dict[tuple[int, str], bool] = {}
    for record_id, member, assigned in rows:
        latest[(record_id, member)] = assigned
    holders: dict[int, set[str]] = defaultdict(set)
    for (record_id, member), assigned in latest.items():
        if assigned:
            holders[record_id].add(member)
    return dict(holders)


def insert_assignments(
    session: Session,
    review_id: int,
    stage: Stage,
    pairs: Iterable[tuple[int, str]],
    *,
    assigned: bool,
    at: datetime,
    actor: str,
) -> int:
    rows = [
        AssignmentRow(
            review_id=review_id,
            record_id=record_id,
            stage=stage.value,
            member=member,
            assigned=assigned,
            at=at,
            actor=actor,
        )
        for record_id, member in pairs
    ]
    session.add_all(rows)
    session.flush()
    return len(rows)


# -- calibration rounds


def calibration_round(
    session: Session, review_id: int, stage: Stage
) -> tuple[int, list[int]] | None:
    row = session.scalars(
        select(CalibrationRow)
        .where(CalibrationRow.review_id == review_id, CalibrationRow.stage == stage.value)
        .order_by(CalibrationRow.id.desc())
        .limit(1)
    ).first()
    return (row.seed, [int(record_id) for record_id in row.record_ids]) if row is not None else None


def insert_calibration(
    session: Session,
    review_id: int,
    stage: Stage,
    record_ids: list[int],
    *,
    seed: int,
    at: datetime,
    actor: str,
) -> None:
    session.add(
        CalibrationRow(
            review_id=review_id,
            stage=stage.value,
            record_ids=record_ids,
            seed=seed,
            at=at,
            actor=actor,
        )
    )
    session.flush()


def screening_texts(session: Session, review_id: int) -> dict[int, tuple[str, str, str]]:
    """Record id -> (title, abstract, keywords) for every record of the review, for ranking."""
    rows = session.execute(
        select(RecordRow.id, RecordRow.title, RecordRow.abstract, RecordRow.keywords).where(
            RecordRow.review_id == review_id
        )
    )
    return {
        record_id: (title or "", abstract or "", "; ".join(str(k) for k in keywords or ()))
        for record_id, title, abstract, keywords in rows
    }


def publication_years(session: Session, review_id: int) -> dict[int, int | None]:
    """Record id -> its publication year (None when unknown), for the date order."""
    rows = session.execute(
        select(RecordRow.id, RecordRow.year).where(RecordRow.review_id == review_id)
    )
    return dict(rows.all())
