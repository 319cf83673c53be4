"""Queries on quotes: direct quotations from the included studies."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cosynth.domain.quotes import Location, Quote, QuoteKind
from cosynth.store.tables import QuoteRow


def insert_quote(
    session: Session,
    *,
    review_id: int,
    record_id: int,
    text: str,
    kind: str,
    page_label: str,
    page_number: int | None,
    report_id: int | None,
    location: Location | None,
    note: str,
    at: datetime,
    actor: str,
) -> Quote:
    row = QuoteRow(
        review_id=review_id,
        record_id=record_id,
        report_id=report_id,
        text=text,
        kind=kind,
        page_label=page_label,
        page_number=page_number,
        start=location.start if location else None,
        end_page=location.end_page if location else None,
        end=location.end if location else None,
        note=note,
        at=at,
        actor=actor,
    )
    session.add(row)
    session.flush()
    return _quote_of(row)


def quotes_of(
    session: Session, review_id: int, record_ids: Iterable[int] | None = None
) -> list[Quote]:
    """Quotes in the order added; their `study_label` is left for the caller to fill in."""
    query = select(QuoteRow).where(QuoteRow.review_id == review_id)
    if record_ids is not None:
        query = query.where(QuoteRow.record_id.in_(list(record_ids)))
    return [_quote_of(row) for row in session.scalars(query.order_by(QuoteRow.id))]


def _quote_of(row: QuoteRow) -> Quote:
    return Quote(
        id=row.id,
        record_id=row.record_id,
        study_label="",
        text=row.text,
        kind=QuoteKind(row.kind),
        page_label=row.page_label,
        page_number=row.page_number,
        report_id=row.report_id,
        location=_location_of(row),
        note=row.note,
        added_by=row.actor,
        added_at=row.at,
    )


def _location_of(row: QuoteRow) -> Location | None:
    """The quote's place in its report's text, when it was checked against the PDF."""
    if row.page_number is None or row.start is None or row.end is None or row.end_page is None:
        return None
    return Location(
        page_number=row.page_number, start=row.start, end_page=row.end_page, end=row.end
    )
