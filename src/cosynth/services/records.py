"""Reading the records of a review: lists, search and single records."""

from __future__ import annotations

from typing import TextIO

from sqlalchemy import ColumnElement, Select, func, or_, select

from cosynth.domain.review import ImportReport, Record, Skipped, Source
from cosynth.domain.roles import Permission
from cosynth.errors import NotFoundError
from cosynth.formats import get_writer
from cosynth.services.workspace import Tx
from cosynth.store.convert import citation_of, record_of, source_of
from cosynth.store.tables import RecordRow, SourceRow


def _matching(review_id: int, search: str | None) -> Select[RecordRow]:
    query = select(RecordRow).where(RecordRow.review_id == review_id)
    text = (search or "").strip()
    if text:
        pattern = f"%{text}%"
        terms: list[ColumnElement[bool]] = [
            RecordRow.title.ilike(pattern),
            RecordRow.abstract.ilike(pattern),
            RecordRow.journal.ilike(pattern),
            RecordRow.doi.ilike(pattern),
        ]
        if text.isdigit():
            terms += [RecordRow.pmid == text, RecordRow.year == int(text)]
        query = query.where(or_(*terms))
    return query


def list_records(
    tx: Tx, review_id: int, *, search: str | None = None, limit: int = 50, offset: int = 0
) -> list[Record]:
    """Records in import order, optionally those whose title, abstract, journal or DOI match."""
    tx.require(review_id, Permission.VIEW)
    query = _matching(review_id, search).order_by(RecordRow.id).limit(limit).offset(offset)
    return [record_of(row) for row in tx.session.scalars(query)]


def count_records(tx: Tx, review_id: int, *, search: str | None = None) -> int:
    tx.require(review_id, Permission.VIEW)
    query = _matching(review_id, search).with_only_columns(func.count())
    return tx.session.scalar(query) or 0


def get_record(tx: Tx, review_id: int, record_id: int) -> Record:
    tx.require(review_id, Permission.VIEW)
    row = tx.session.get(RecordRow, record_id)
    if row is None or row.review_id != review_id:
        raise NotFoundError(f"Review {review_id} has no record {record_id}.")
    return record_of(row)


def record_raw(tx: Tx, review_id: int, record_id: int) -> str:
    """The record's text exactly as the source file had it (provenance)."""
    tx.require(review_id, Permission.VIEW)
    row = tx.session.get(RecordRow, record_id)
    if row is None or row.review_id != review_id:
        raise NotFoundError(f"Review {review_id} has no record {record_id}.")
    return row.raw


def list_sources(tx: Tx, review_id: int) -> list[Source]:
    """The files imported into the review, in the order they were imported."""
    tx.require(review_id, Permission.VIEW)
    rows = tx.session.scalars(
        select(SourceRow).where(SourceRow.review_id == review_id).order_by(SourceRow.id)
    )
    return [source_of(row) for row in rows]


def export_records(tx: Tx, review_id: int, format_name: str, out: TextIO) -> int:
    """Write every record of the review to `out` with the named writer; return the count."""
    tx.require(review_id, Permission.VIEW)
    writer = get_writer(format_name)
    query = select(RecordRow).where(RecordRow.review_id == review_id).order_by(RecordRow.id)
    rows = tx.session.scalars(query.execution_options(yield_per=2_000))
    written = writer.write((citation_of(row) for row in rows), out)
    tx.log("records exported", review_id, format=format_name, records=written)
    return written


def source_report(tx: Tx, review_id: int, source_id: int) -> ImportReport:
    """The import report of one imported file, every skipped record included."""
    tx.require(review_id, Permission.VIEW)
    row = tx.session.get(SourceRow, source_id)
    if row is None or row.review_id != review_id:
        raise NotFoundError(f"Review {review_id} has no imported file {source_id}.")
    return ImportReport(
        source=source_of(row),
        reader=row.format,
        records_read=row.records_read,
        records_imported=row.records_imported,
        skipped=tuple(Skipped(line=s["line"], reason=s["reason"]) for s in row.skipped),
    )
