"""Queries on co-production scoring: a review's own scales, its schemes, and the ratings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cosynth.domain.coproduction import Combination, Rating, ScoringScheme
from cosynth.store.savepoints import insert_or_concurrent
from cosynth.store.tables import CoproductionRatingRow, CoproductionScaleRow, CoproductionSchemeRow

# -- a review's own scales


def review_scale_texts(session: Session, review_id: int) -> dict[str, tuple[str, str]]:
    """Scale id -> (filename, TOML text) of the review's own scales, the latest of each."""
    rows = session.scalars(
        select(CoproductionScaleRow)
        .where(CoproductionScaleRow.review_id == review_id)
        .order_by(CoproductionScaleRow.id)
    )
    return {row.scale_id: (row.filename, row.text) for row in rows}


def insert_review_scale(
    session: Session,
    review_id: int,
    scale_id: str,
    *,
    filename: str,
    text: str,
    at: datetime,
    actor: str,
) -> None:
    session.add(
        CoproductionScaleRow(
            review_id=review_id,
            scale_id=scale_id,
            filename=filename,
            text=text,
            at=at,
            actor=actor,
        )
    )
    session.flush()


# -- schemes


def latest_scheme(session: Session, review_id: int) -> ScoringScheme | None:
    row = session.scalars(
        select(CoproductionSchemeRow)
        .where(CoproductionSchemeRow.review_id == review_id)
        .order_by(CoproductionSchemeRow.version.desc())
        .limit(1)
    ).first()
    return _scheme_of(row) if row is not None else None


def insert_scheme(
    session: Session, review_id: int, scheme: ScoringScheme, *, at: datetime, actor: str
) -> None:
    row = CoproductionSchemeRow(
        review_id=review_id,
        version=scheme.version,
        settings=_settings_of(scheme),
        amendment=scheme.amendment,
        at=at,
        actor=actor,
    )
    insert_or_concurrent(
        session, row, "The co-production scoring scheme was changed by someone else just now."
    )


def _settings_of(scheme: ScoringScheme) -> dict[str, Any]:
    return {
        "scales": list(scheme.scales),
        "combination": scheme.combination.value,
        "weights": dict(scheme.weights),
        "switched_on": list(scheme.switched_on),
    }


def _scheme_of(row: CoproductionSchemeRow) -> ScoringScheme:
    settings = row.settings
    return ScoringScheme(
        scales=tuple(str(scale) for scale in settings["scales"]),
        combination=Combination(settings["combination"]),
        weights=tuple((str(s), int(w)) for s, w in dict(settings.get("weights", {})).items()),
        switched_on=tuple(str(label) for label in settings.get("switched_on", [])),
        version=row.version,
        amendment=row.amendment,
    )


# -- ratings


def insert_rating(session: Session, review_id: int, rating: Rating) -> Rating:
    session.add(
        CoproductionRatingRow(
            review_id=review_id,
            record_id=rating.record_id,
            scale=rating.scale,
            rank=rating.rank,
            label=rating.label,
            rater=rating.rater,
            consensus=rating.consensus,
            rationale=rating.rationale,
            at=rating.at,
        )
    )
    session.flush()
    return rating


def rating_history(
    session: Session, review_id: int, *, record_id: int | None = None
) -> list[Rating]:
    """Every rating of the review (or of one study), in the order written."""
    query = select(CoproductionRatingRow).where(CoproductionRatingRow.review_id == review_id)
    if record_id is not None:
        query = query.where(CoproductionRatingRow.record_id == record_id)
    return [_rating_of(row) for row in session.scalars(query.order_by(CoproductionRatingRow.id))]


def _rating_of(row: CoproductionRatingRow) -> Rating:
    return Rating(
        record_id=row.record_id,
        scale=row.scale,
        rank=row.rank,
        label=row.label,
        rater=row.rater,
        consensus=row.consensus,
        rationale=row.rationale,
        at=row.at,
    )
