"""Queries on where the manuscript reports each checklist item (append-only notes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cosynth.domain.checklists import ReportedAt
from cosynth.store.checklist_tables import ChecklistReportedRow


def insert_reported(
    session: Session,
    review_id: int,
    checklist_id: str,
    item: str,
    location: str,
    *,
    at: datetime,
    actor: str,
) -> ReportedAt:
    row = ChecklistReportedRow(
        review_id=review_id,
        checklist_id=checklist_id,
        item=item,
        location=location,
        at=at,
        actor=actor,
    )
    session.add(row)
    session.flush()
    return _reported_of(row)


def reported_history(
    session: Session, review_id: int, checklist_id: str, item: str | None = None
) -> list[ReportedAt]:
    """Every note on the checklist's items (or one item's), oldest first, cleared ones too."""
    query = select(ChecklistReportedRow).where(
        ChecklistReportedRow.review_id == review_id,
        ChecklistReportedRow.checklist_id == checklist_id,
    )
    if item is not None:
        query = query.where(ChecklistReportedRow.item == item)
    return [_reported_of(row) for row in session.scalars(query.order_by(ChecklistReportedRow.id))]


def reported_now(session: Session, review_id: int, checklist_id: str) -> dict[str, ReportedAt]:
    """The latest note on each item, by item number; an item whose latest note is empty has none."""
    latest: dict[str, ReportedAt] = {}
    for note in reported_history(session, review_id, checklist_id):
        latest[note.item] = note
    return {item: note for item, note in latest.items() if note.where}


def _reported_of(row: ChecklistReportedRow) -> ReportedAt:
    return ReportedAt(
        checklist_id=row.checklist_id, item=row.item, where=row.location, by=row.actor, at=row.at
    )
