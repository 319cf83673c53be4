"""Queries on the meta-ethnography's reading and relating: phases, concepts, codings, order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from cosynth.domain.synthesis import (
    Coding,
    Concept,
    ConceptSource,
    ConstructOrder,
    OrderBasis,
    Passage,
    PassageKind,
    Phase,
    PhaseEvent,
    PhaseEventKind,
    RelatingJudgement,
    Relation,
    TranslationOrder,
)
from cosynth.store.synthesis_tables import (
    CodingRow,
    CodingWithdrawalRow,
    ConceptRevisionRow,
    ConceptRow,
    PhaseEventRow,
    RelatingJudgementRow,
    TranslationOrderRow,
)

# -- phases


def insert_phase_event(
    session: Session,
    review_id: int,
    *,
    phase: Phase,
    kind: PhaseEventKind,
    text: str,
    at: datetime,
    actor: str,
) -> PhaseEvent:
    row = PhaseEventRow(
        review_id=review_id, phase=int(phase), kind=kind.value, text=text, at=at, actor=actor
    )
    session.add(row)
    session.flush()
    return _phase_event_of(row)


def phase_events_of(session: Session, review_id: int) -> list[PhaseEvent]:
    """The review's phase log, oldest first."""
    query = select(PhaseEventRow).where(PhaseEventRow.review_id == review_id)
    return [_phase_event_of(row) for row in session.scalars(query.order_by(PhaseEventRow.id))]


def _phase_event_of(row: PhaseEventRow) -> PhaseEvent:
    return PhaseEvent(
        id=row.id,
        phase=Phase(row.phase),
        kind=PhaseEventKind(row.kind),
        text=row.text,
        at=row.at,
        actor=row.actor,
    )


# -- concepts


def insert_concept(
    session: Session,
    review_id: int,
    *,
    name: str,
    description: str,
    order: ConstructOrder,
    source: ConceptSource,
    record_id: int | None,
    roundtable_id: int | None,
    at: datetime,
    actor: str,
) -> Concept:
    row = ConceptRow(
        review_id=review_id,
        record_id=record_id,
        roundtable_id=roundtable_id,
        order=order.value,
        source=source.value,
        at=at,
        actor=actor,
    )
    session.add(row)
    session.flush()
    insert_concept_revision(session, row.id, name=name, description=description, at=at, actor=actor)
    return _concept_of(row, name, description)


def insert_concept_revision(
    session: Session, concept_id: int, *, name: str, description: str, at: datetime, actor: str
) -> None:
    session.add(
        ConceptRevisionRow(
            concept_id=concept_id, name=name, description=description, at=at, actor=actor
        )
    )
    session.flush()


def concepts_of(
    session: Session,
    review_id: int,
    *,
    concept_ids: Sequence[int] | None = None,
    record_id: int | None = None,
    source: ConceptSource | None = None,
) -> list[Concept]:
    """Concepts in the order added, each named by its latest revision."""
    query = select(ConceptRow).where(ConceptRow.review_id == review_id)
    if concept_ids is not None:
        query = query.where(ConceptRow.id.in_(list(concept_ids)))
    if record_id is not None:
        query = query.where(ConceptRow.record_id == record_id)
    if source is not None:
        query = query.where(ConceptRow.source == source.value)
    rows = list(session.scalars(query.order_by(ConceptRow.id)))
    if not rows:
        return []
    latest: dict[int, tuple[str, str]] = {}
    revisions = (
        select(ConceptRevisionRow)
        .join(ConceptRow, ConceptRow.id == ConceptRevisionRow.concept_id)
        .where(ConceptRow.review_id == review_id)
        .order_by(ConceptRevisionRow.id)
    )
    if concept_ids is not None or record_id is not None or source is not None:
        revisions = revisions.where(ConceptRevisionRow.concept_id.in_([r.id for r in rows]))
    for revision in session.scalars(revisions):
        latest[revision.concept_id] = (revision.name, revision.description)
    return [_concept_of(row, *latest[row.id]) for row in rows]


def _concept_of(row: ConceptRow, name: str, description: str) -> Concept:
    return Concept(
        id=row.id,
        name=name,
        order=ConstructOrder(row.order),
        source=ConceptSource(row.source),
        description=description,
        record_id=row.record_id,
        roundtable_id=row.roundtable_id,
        added_by=row.actor,
        added_at=row.at,
    )


# -- codings


def insert_coding(
    session: Session,
    review_id: int,
    *,
    concept_id: int,
    passage: Passage,
    record_id: int | None,
    note: str,
    at: datetime,
    actor: str,
) -> Coding:
    row = CodingRow(
        review_id=review_id,
        concept_id=concept_id,
        kind=passage.kind.value,
        source_id=passage.source_id,
        page_number=passage.page_number,
        page_label=passage.page_label,
        start=passage.start,
        end=passage.end,
        excerpt=passage.excerpt,
        record_id=record_id,
        note=note,
        at=at,
        actor=actor,
    )
    session.add(row)
    session.flush()
    return _coding_of(row)


def codings_of(
    session: Session,
    review_id: int,
    *,
    concept_ids: Sequence[int] | None = None,
    record_id: int | None = None,
    coding_ids: Sequence[int] | None = None,
    withdrawn: bool = False,
) -> list[Coding]:
    """Codings in the order made; those withdrawn only with `withdrawn`."""
    query = select(CodingRow).where(CodingRow.review_id == review_id)
    if concept_ids is not None:
        query = query.where(CodingRow.concept_id.in_(list(concept_ids)))
    if record_id is not None:
        query = query.where(CodingRow.record_id == record_id)
    if coding_ids is not None:
        query = query.where(CodingRow.id.in_(list(coding_ids)))
    if not withdrawn:
        query = query.where(~exists().where(CodingWithdrawalRow.coding_id == CodingRow.id))
    return [_coding_of(row) for row in session.scalars(query.order_by(CodingRow.id))]


def is_withdrawn(session: Session, coding_id: int) -> bool:
    query = select(CodingWithdrawalRow.id).where(CodingWithdrawalRow.coding_id == coding_id)
    return session.scalar(query) is not None


def insert_withdrawal(
    session: Session, coding_id: int, *, reason: str, at: datetime, actor: str
) -> None:
    session.add(CodingWithdrawalRow(coding_id=coding_id, reason=reason, at=at, actor=actor))
    session.flush()


def _coding_of(row: CodingRow) -> Coding:
    return Coding(
        id=row.id,
        concept_id=row.concept_id,
        passage=Passage(
            kind=PassageKind(row.kind),
            source_id=row.source_id,
            page_number=row.page_number,
            page_label=row.page_label,
            start=row.start,
            end=row.end,
            excerpt=row.excerpt,
        ),
        record_id=row.record_id,
        note=row.note,
        coded_by=row.actor,
        coded_at=row.at,
    )


# -- relating the studies


def insert_relating_judgement(
    session: Session,
    review_id: int,
    *,
    relation: Relation,
    rationale: str,
    record_ids: Sequence[int],
    at: datetime,
    actor: str,
) -> RelatingJudgement:
    row = RelatingJudgementRow(
        review_id=review_id,
        relation=relation.value,
        rationale=rationale,
        record_ids=list(record_ids),
        at=at,
        actor=actor,
    )
    session.add(row)
    session.flush()
    return _judgement_of(row)


def relating_judgements_of(session: Session, review_id: int) -> list[RelatingJudgement]:
    query = select(RelatingJudgementRow).where(RelatingJudgementRow.review_id == review_id)
    return [_judgement_of(row) for row in session.scalars(query.order_by(RelatingJudgementRow.id))]


def _judgement_of(row: RelatingJudgementRow) -> RelatingJudgement:
    return RelatingJudgement(
        id=row.id,
        relation=Relation(row.relation),
        rationale=row.rationale,
        record_ids=tuple(int(r) for r in row.record_ids),
        judged_by=row.actor,
        judged_at=row.at,
    )


def insert_translation_order(
    session: Session,
    review_id: int,
    *,
    basis: OrderBasis,
    index_record_id: int | None,
    record_ids: Sequence[int],
    rationale: str,
    at: datetime,
    actor: str,
) -> TranslationOrder:
    row = TranslationOrderRow(
        review_id=review_id,
        basis=basis.value,
        index_record_id=index_record_id,
        record_ids=list(record_ids),
        rationale=rationale,
        at=at,
        actor=actor,
    )
    session.add(row)
    session.flush()
    return _order_of(row)


def latest_translation_order(session: Session, review_id: int) -> TranslationOrder | None:
    query = (
        select(TranslationOrderRow)
        .where(TranslationOrderRow.review_id == review_id)
        .order_by(TranslationOrderRow.id.desc())
        .limit(1)
    )
    row = session.scalar(query)
    return _order_of(row) if row is not None else None


def _order_of(row: TranslationOrderRow) -> TranslationOrder:
    return TranslationOrder(
        basis=OrderBasis(row.basis),
        index_record_id=row.index_record_id,
        record_ids=tuple(int(r) for r in row.record_ids),
        rationale=row.rationale,
        set_by=row.actor,
        set_at=row.at,
    )
