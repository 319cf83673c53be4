"""Queries on appraisal: a review's own instruments, protocol versions, judgements, consensus.

Every table here is append-only (DESIGN.md rule 1): the latest row holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from cosynth.domain.appraisal.instruments import Rule
from cosynth.domain.appraisal.judgements import Consensus, ConsensusMethod, Judgement
from cosynth.domain.appraisal.scoring import ScoringRule
from cosynth.store.savepoints import insert_or_concurrent, next_sequence
from cosynth.store.tables import (
    AppraisalConsensusRow,
    AppraisalInstrumentRow,
    AppraisalJudgementRow,
    AppraisalProtocolRow,
)

# -- a review's own instruments


def review_instruments(session: Session, review_id: int) -> list[tuple[str, str]]:
    """(filename, text) of the latest file the review added for each instrument id."""
    rows = session.scalars(
        select(AppraisalInstrumentRow)
        .where(AppraisalInstrumentRow.review_id == review_id)
        .order_by(AppraisalInstrumentRow.id)
    )
    latest: dict[str, tuple[str, str]] = {}
    for row in rows:
        latest[row.instrument_id] = (row.filename, row.text)
    return list(latest.values())


def insert_instrument(
    session: Session,
    review_id: int,
    *,
    instrument_id: str,
    version: str,
    filename: str,
    text: str,
    at: datetime,
    actor: str,
) -> None:
    session.add(
        AppraisalInstrumentRow(
            review_id=review_id,
            instrument_id=instrument_id,
            version=version,
            filename=filename,
            text=text,
            at=at,
            actor=actor,
        )
    )
    session.flush()


# -- protocols


@dataclass(frozen=True, slots=True)
class StoredProtocol:
    """A protocol version as kept, the instrument still as its file's text (services read it)."""

    version: int
    scoring: ScoringRule
    appraisers_required: int
    blinded: bool
    instrument_filename: str
    instrument_text: str
    amendment: str
    at: datetime
    actor: str


def protocol_history(session: Session, review_id: int) -> list[StoredProtocol]:
    rows = session.scalars(
        select(AppraisalProtocolRow)
        .where(AppraisalProtocolRow.review_id == review_id)
        .order_by(AppraisalProtocolRow.version)
    )
    return [_protocol_of(row) for row in rows]


def latest_protocol(session: Session, review_id: int) -> StoredProtocol | None:
    row = session.scalars(
        select(AppraisalProtocolRow)
        .where(AppraisalProtocolRow.review_id == review_id)
        .order_by(AppraisalProtocolRow.version.desc())
        .limit(1)
    ).first()
    return _protocol_of(row) if row is not None else None


def insert_protocol(session: Session, review_id: int, protocol: StoredProtocol) -> None:
    row = AppraisalProtocolRow(
        review_id=review_id,
        version=protocol.version,
        settings=_settings_of(protocol),
        instrument_filename=protocol.instrument_filename,
        instrument_text=protocol.instrument_text,
        at=protocol.at,
        actor=protocol.actor,
        amendment=protocol.amendment,
    )
    insert_or_concurrent(
        session, row, "The appraisal protocol was changed by someone else just now."
    )


def _settings_of(protocol: StoredProtocol) -> dict[str, Any]:
    scoring = protocol.scoring
    return {
        "rule": scoring.rule.value,
        "threshold": scoring.threshold,
        "points": [[answer, points] for answer, points in scoring.points],
        "critical": list(scoring.critical) if scoring.critical is not None else None,
        "appraisers_required": protocol.appraisers_required,
        "blinded": protocol.blinded,
    }


def _protocol_of(row: AppraisalProtocolRow) -> StoredProtocol:
    settings = row.settings
    critical = settings.get("critical")
    threshold = settings.get("threshold")
    return StoredProtocol(
        version=row.version,
        scoring=ScoringRule(
            rule=Rule(settings["rule"]),
            threshold=int(threshold) if threshold is not None else None,
            points=tuple((str(answer), int(points)) for answer, points in settings["points"]),
            critical=tuple(str(item) for item in critical) if critical is not None else None,
        ),
        appraisers_required=int(settings["appraisers_required"]),
        blinded=bool(settings["blinded"]),
        instrument_filename=row.instrument_filename,
        instrument_text=row.instrument_text,
        amendment=row.amendment,
        at=row.at,
        actor=row.actor,
    )


# -- judgements


def any_judgements(session: Session, review_id: int) -> bool:
    return bool(
        session.scalar(select(exists().where(AppraisalJudgementRow.review_id == review_id)))
    )


def judgements(
    session: Session,
    review_id: int,
    *,
    instrument_id: str,
    record_ids: Iterable[int] | None = None,
) -> list[Judgement]:
    """Every judgement made with `instrument_id`, oldest first (changes of mind included)."""
    query = select(AppraisalJudgementRow).where(
        AppraisalJudgementRow.review_id == review_id,
        AppraisalJudgementRow.instrument_id == instrument_id,
    )
    if record_ids is not None:
        query = query.where(AppraisalJudgementRow.record_id.in_(list(record_ids)))
    return [_judgement_of(row) for row in session.scalars(query.order_by(AppraisalJudgementRow.id))]


def insert_judgement(
    session: Session,
    *,
    review_id: int,
    record_id: int,
    appraiser: str,
    instrument_id: str,
    item_id: str,
    answer: str,
    reason: str,
    at: datetime,
) -> Judgement:
    """Append a judgement as the appraiser's next on the item; the same one again adds nothing."""
    latest = session.scalars(
        select(AppraisalJudgementRow)
        .where(
            AppraisalJudgementRow.record_id == record_id,
            AppraisalJudgementRow.appraiser == appraiser,
            AppraisalJudgementRow.instrument_id == instrument_id,
            AppraisalJudgementRow.item_id == item_id,
        )
        .order_by(AppraisalJudgementRow.sequence.desc())
        .limit(1)
    ).first()
    if latest is not None and (latest.answer, latest.reason) == (answer, reason):
        return _judgement_of(latest)
    row = AppraisalJudgementRow(
        review_id=review_id,
        record_id=record_id,
        appraiser=appraiser,
        instrument_id=instrument_id,
        item_id=item_id,
        answer=answer,
        reason=reason,
        at=at,
        sequence=latest.sequence + 1 if latest is not None else 1,
    )
    insert_or_concurrent(
        session,
        row,
        f"{appraiser}'s judgement on item {item_id} of record {record_id} was being saved twice "
        "at once; one was kept and this one was not. Look at the study again.",
    )
    return _judgement_of(row)


def _judgement_of(row: AppraisalJudgementRow) -> Judgement:
    return Judgement(
        id=row.id,
        review_id=row.review_id,
        record_id=row.record_id,
        appraiser=row.appraiser,
        instrument_id=row.instrument_id,
        item_id=row.item_id,
        answer=row.answer,
        reason=row.reason,
        at=row.at,
        sequence=row.sequence,
    )


# -- consensus


def consensus(
    session: Session,
    review_id: int,
    *,
    instrument_id: str,
    record_ids: Iterable[int] | None = None,
) -> list[Consensus]:
    query = select(AppraisalConsensusRow).where(
        AppraisalConsensusRow.review_id == review_id,
        AppraisalConsensusRow.instrument_id == instrument_id,
    )
    if record_ids is not None:
        query = query.where(AppraisalConsensusRow.record_id.in_(list(record_ids)))
    return [_consensus_of(row) for row in session.scalars(query.order_by(AppraisalConsensusRow.id))]


def insert_consensus(
    session: Session,
    *,
    review_id: int,
    record_id: int,
    instrument_id: str,
    item_id: str,
    answer: str,
    rationale: str,
    method: ConsensusMethod,
    at: datetime,
    actor: str,
) -> Consensus:
    sequence = next_sequence(
        session,
        AppraisalConsensusRow.sequence,
        AppraisalConsensusRow.record_id == record_id,
        AppraisalConsensusRow.instrument_id == instrument_id,
        AppraisalConsensusRow.item_id == item_id,
    )
    row = AppraisalConsensusRow(
        review_id=review_id,
        record_id=record_id,
        instrument_id=instrument_id,
        item_id=item_id,
        answer=answer,
        rationale=rationale,
        method=method.value,
        agreed_by=actor,
        at=at,
        sequence=sequence,
    )
    insert_or_concurrent(
        session,
        row,
        f"Item {item_id} of record {record_id} was agreed by someone else at the same moment.",
    )
    return _consensus_of(row)


def _consensus_of(row: AppraisalConsensusRow) -> Consensus:
    return Consensus(
        id=row.id,
        review_id=row.review_id,
        record_id=row.record_id,
        instrument_id=row.instrument_id,
        item_id=row.item_id,
        answer=row.answer,
        rationale=row.rationale,
        method=ConsensusMethod(row.method),
        agreed_by=row.agreed_by,
        at=row.at,
        sequence=row.sequence,
    )
