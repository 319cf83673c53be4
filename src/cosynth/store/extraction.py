"""Queries on data extraction: form versions, feedback on the form, values, done marks, consensus.

Everything here is appended, never updated (DESIGN.md rule 1): a form change
is a new version, a change of mind a new value with the next sequence number,
and the current state is read back as "the latest row".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cosynth.domain.extraction import (
    Consensus,
    ConsensusMethod,
    ExtractedValue,
    ExtractionForm,
    FeedbackDecision,
    FeedbackKind,
    FormFeedback,
    Value,
    field_from_data,
    form_from_data,
    form_to_data,
    value_from_data,
    value_to_data,
)
from cosynth.store.savepoints import insert_or_concurrent
from cosynth.store.tables import (
    ExtractionConsensusRow,
    ExtractionDoneRow,
    ExtractionFormRow,
    ExtractionValueRow,
    FormFeedbackDecisionRow,
    FormFeedbackRow,
)

# Form versions


def insert_form(
    session: Session,
    *,
    review_id: int,
    form: ExtractionForm,
    version: int,
    note: str,
    at: datetime,
    actor: str,
) -> ExtractionForm:
    row = ExtractionFormRow(
        review_id=review_id,
        version=version,
        definition=form_to_data(form),
        at=at,
        actor=actor,
        note=note,
    )
    _add(session, row, "Someone saved the extraction form at the same moment")
    return _form_of(row)


def latest_form(session: Session, review_id: int) -> ExtractionForm | None:
    row = session.scalar(
        select(ExtractionFormRow)
        .where(ExtractionFormRow.review_id == review_id)
        .order_by(ExtractionFormRow.version.desc())
        .limit(1)
    )
    return _form_of(row) if row is not None else None


def form_versions(session: Session, review_id: int) -> list[ExtractionForm]:
    rows = session.scalars(
        select(ExtractionFormRow)
        .where(ExtractionFormRow.review_id == review_id)
        .order_by(ExtractionFormRow.version)
    )
    return [_form_of(row) for row in rows]


def _form_of(row: ExtractionFormRow) -> ExtractionForm:
    return form_from_data(
        row.definition, version=row.version, saved_at=row.at, saved_by=row.actor, note=row.note
    )


# Comments and proposals on the form


def insert_feedback(
    session: Session,
    *,
    review_id: int,
    kind: str,
    field_key: str,
    text: str,
    proposed: dict[str, Any] | None,
    form_version: int,
    at: datetime,
    actor: str,
) -> FormFeedback:
    row = FormFeedbackRow(
        review_id=review_id,
        kind=kind,
        field_key=field_key,
        text=text,
        proposed=proposed,
        form_version=form_version,
        at=at,
        actor=actor,
    )
    session.add(row)
    session.flush()
    return _feedback_of(row, None)


def feedback(
    session: Session, review_id: int, feedback_id: int | None = None
) -> list[FormFeedback]:
    """Comments and proposals in the order made, each with the lead's decision if any."""
    query = (
        select(FormFeedbackRow, FormFeedbackDecisionRow)
        .outerjoin(
            FormFeedbackDecisionRow, FormFeedbackDecisionRow.feedback_id == FormFeedbackRow.id
        )
        .where(FormFeedbackRow.review_id == review_id)
        .order_by(FormFeedbackRow.id)
    )
    if feedback_id is not None:
        query = query.where(FormFeedbackRow.id == feedback_id)
    return [_feedback_of(row, decision) for row, decision in session.execute(query)]


def _feedback_of(row: FormFeedbackRow, decision: FormFeedbackDecisionRow | None) -> FormFeedback:
    return FormFeedback(
        id=row.id,
        kind=FeedbackKind(row.kind),
        field_key=row.field_key,
        text=row.text,
        proposed=field_from_data(row.proposed) if row.proposed is not None else None,
        form_version=row.form_version,
        by=row.actor,
        at=row.at,
        decision=(
            FeedbackDecision(
                accepted=decision.accepted,
                reason=decision.reason,
                form_version=decision.form_version,
                decided_by=decision.actor,
                decided_at=decision.at,
            )
            if decision is not None
            else None
        ),
    )


def insert_decision(
    session: Session,
    *,
    feedback_id: int,
    accepted: bool,
    reason: str,
    form_version: int | None,
    at: datetime,
    actor: str,
) -> None:
    row = FormFeedbackDecisionRow(
        feedback_id=feedback_id,
        accepted=accepted,
        reason=reason,
        form_version=form_version,
        at=at,
        actor=actor,
    )
    _add(session, row, "Someone answered this proposal at the same moment")


# Values


def insert_value(
    session: Session,
    *,
    review_id: int,
    record_id: int,
    field_key: str,
    extractor: str,
    value: Value,
    form_version: int,
    at: datetime,
) -> ExtractedValue:
    """Append a value; it supersedes the extractor's earlier ones for the field."""
    last = session.scalar(
        select(func.max(ExtractionValueRow.sequence)).where(
            ExtractionValueRow.record_id == record_id,
            ExtractionValueRow.field_key == field_key,
            ExtractionValueRow.extractor == extractor,
        )
    )
    row = ExtractionValueRow(
        review_id=review_id,
        record_id=record_id,
        field_key=field_key,
        extractor=extractor,
        value=value_to_data(value),
        form_version=form_version,
        at=at,
        sequence=(last or 0) + 1,
    )
    _add(session, row, f"{extractor} changed this value at the same moment elsewhere")
    return _value_of(row)


def current_values(
    session: Session, review_id: int, record_ids: Iterable[int] | None = None
) -> list[ExtractedValue]:
    """Each extractor's latest value per study and field."""
    query = select(ExtractionValueRow).where(ExtractionValueRow.review_id == review_id)
    if record_ids is not None:
        query = query.where(ExtractionValueRow.record_id.in_(list(record_ids)))
    latest: dict[tuple[int, str, str], ExtractionValueRow] = {}
    for row in session.scalars(query.order_by(ExtractionValueRow.sequence)):
        latest[(row.record_id, row.field_key, row.extractor)] = row
    return [_value_of(row) for row in latest.values()]


def value_history(
    session: Session, review_id: int, record_id: int, extractor: str | None = None
) -> list[ExtractedValue]:
    query = select(ExtractionValueRow).where(
        ExtractionValueRow.review_id == review_id, ExtractionValueRow.record_id == record_id
    )
    if extractor is not None:
        query = query.where(ExtractionValueRow.extractor == extractor)
    return [_value_of(row) for row in session.scalars(query.order_by(ExtractionValueRow.id))]


def _value_of(row: ExtractionValueRow) -> ExtractedValue:
    return ExtractedValue(
        record_id=row.record_id,
        field_key=row.field_key,
        extractor=row.extractor,
        value=value_from_data(row.value),
        form_version=row.form_version,
        entered_at=row.at,
    )


# Done marks


def insert_done(
    session: Session, *, review_id: int, record_id: int, extractor: str, at: datetime
) -> None:
    row = ExtractionDoneRow(review_id=review_id, record_id=record_id, extractor=extractor, at=at)
    _add(session, row, f"{extractor} marked this study done at the same moment elsewhere")


def done_marks(
    session: Session, review_id: int, record_ids: Iterable[int] | None = None
) -> dict[int, dict[str, datetime]]:
    """Record id -> extractor -> when they marked the study done, in the order marked."""
    query = select(ExtractionDoneRow).where(ExtractionDoneRow.review_id == review_id)
    if record_ids is not None:
        query = query.where(ExtractionDoneRow.record_id.in_(list(record_ids)))
    marks: dict[int, dict[str, datetime]] = {}
    for row in session.scalars(query.order_by(ExtractionDoneRow.id)):
        marks.setdefault(row.record_id, {})[row.extractor] = row.at
    return marks


# Consensus


def insert_consensus(
    session: Session,
    *,
    review_id: int,
    record_id: int,
    field_key: str,
    value: Value,
    form_version: int,
    note: str,
    at: datetime,
    actor: str,
) -> Consensus:
    last = session.scalar(
        select(func.max(ExtractionConsensusRow.sequence)).where(
            ExtractionConsensusRow.record_id == record_id,
            ExtractionConsensusRow.field_key == field_key,
        )
    )
    row = ExtractionConsensusRow(
        review_id=review_id,
        record_id=record_id,
        field_key=field_key,
        value=value_to_data(value),
        form_version=form_version,
        note=note,
        at=at,
        actor=actor,
        sequence=(last or 0) + 1,
    )
    _add(session, row, "Someone recorded a consensus for this field at the same moment")
    return _consensus_of(row)


def current_consensus(
    session: Session, review_id: int, record_ids: Iterable[int] | None = None
) -> list[Consensus]:
    """The lead's latest consensus value per study and field."""
    query = select(ExtractionConsensusRow).where(ExtractionConsensusRow.review_id == review_id)
    if record_ids is not None:
        query = query.where(ExtractionConsensusRow.record_id.in_(list(record_ids)))
    latest: dict[tuple[int, str], ExtractionConsensusRow] = {}
    for row in session.scalars(query.order_by(ExtractionConsensusRow.sequence)):
        latest[(row.record_id, row.field_key)] = row
    return [_consensus_of(row) for row in latest.values()]


def _consensus_of(row: ExtractionConsensusRow) -> Consensus:
    return Consensus(
        record_id=row.record_id,
        field_key=row.field_key,
        value=value_from_data(row.value),
        method=ConsensusMethod.DECIDED,
        decided_by=(row.actor,),
        at=row.at,
        note=row.note,
    )


def _add(session: Session, row: object, clash: str) -> None:
    insert_or_concurrent(session, row, f"{clash}; nothing was changed. Try again.")
