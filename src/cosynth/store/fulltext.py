"""Queries on full texts: reports (PDFs with their page texts) and retrieval marks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cosynth.domain.screening.reports import NotRetrieved, Report, ReportPage
from cosynth.store.tables import ReportPageRow, ReportRow, RetrievalRow


def insert_report(
    session: Session,
    *,
    review_id: int,
    record_id: int,
    filename: str,
    sha256: str,
    content: bytes,
    title: str,
    pages: Iterable[tuple[int, str, str]],
    has_text: bool,
    warnings: tuple[str, ...],
    at: datetime,
    actor: str,
) -> Report:
    """Store a PDF and its pages (number, printed label, text) as one report."""
    page_rows = [ReportPageRow(number=n, label=label, text=text) for n, label, text in pages]
    row = ReportRow(
        review_id=review_id,
        record_id=record_id,
        filename=filename,
        sha256=sha256,
        size=len(content),
        content=content,
        title=title,
        page_count=len(page_rows),
        has_text=has_text,
        warnings=list(warnings),
        added_at=at,
        added_by=actor,
    )
    session.add(row)
    session.flush()
    for page in page_rows:
        page.report_id = row.id
    session.add_all(page_rows)
    session.flush()
    return _report_of(row)


def reports_of(
    session: Session, review_id: int, record_ids: Iterable[int] | None = None
) -> list[Report]:
    query = select(ReportRow).where(ReportRow.review_id == review_id)
    if record_ids is not None:
        query = query.where(ReportRow.record_id.in_(list(record_ids)))
    return [_report_of(row) for row in session.scalars(query.order_by(ReportRow.id))]


def get_report(session: Session, review_id: int, report_id: int) -> Report | None:
    row = session.get(ReportRow, report_id)
    return _report_of(row) if row is not None and row.review_id == review_id else None


def report_content(session: Session, review_id: int, report_id: int) -> bytes | None:
    return session.scalar(
        select(ReportRow.content).where(ReportRow.id == report_id, ReportRow.review_id == review_id)
    )


def report_pages(session: Session, report_id: int) -> list[ReportPage]:
    rows = session.execute(
        select(ReportPageRow.number, ReportPageRow.label, ReportPageRow.text)
        .where(ReportPageRow.report_id == report_id)
        .order_by(ReportPageRow.number)
    )
    return [ReportPage(number, label, text) for number, label, text in rows]


def _report_of(row: ReportRow) -> Report:
    return Report(
        id=row.id,
        record_id=row.record_id,
        filename=row.filename,
        sha256=row.sha256,
        size=row.size,
        title=row.title,
        page_count=row.page_count,
        has_text=row.has_text,
        warnings=tuple(str(w) for w in row.warnings),
        added_at=row.added_at,
        added_by=row.added_by,
    )


def insert_retrieval(
    session: Session,
    *,
    review_id: int,
    record_id: int,
    retrieved: bool,
    note: str,
    at: datetime,
    actor: str,
) -> None:
    session.add(
        RetrievalRow(
            review_id=review_id,
            record_id=record_id,
            retrieved=retrieved,
            note=note,
            at=at,
            actor=actor,
        )
    )
    session.flush()


def not_retrieved(session: Session, review_id: int) -> dict[int, NotRetrieved]:
    """Record id -> its mark, for records whose full text is marked not retrieved now."""
    latest: dict[int, RetrievalRow] = {}
    rows = session.scalars(
        select(RetrievalRow).where(RetrievalRow.review_id == review_id).order_by(RetrievalRow.id)
    )
    for row in rows:
        latest[row.record_id] = row
    return {
        record_id: NotRetrieved(record_id, row.note, row.at, row.actor)
        for record_id, row in latest.items()
        if not row.retrieved
    }
