"""Queries on imported sources and their records."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, insert, or_, select
from sqlalchemy.orm import Session

from cosynth.domain.citation import Citation
from cosynth.domain.review import ImportReport, Record, Skipped, Source
from cosynth.store.convert import citation_of, record_of, record_values, source_of
from cosynth.store.tables import RecordRow, SourceRow


def find_source_by_sha256(session: Session, review_id: int, sha256: str) -> Source | None:
    row = session.scalars(
        select(SourceRow)
        .where(SourceRow.review_id == review_id, SourceRow.sha256 == sha256)
        .order_by(SourceRow.id)
        .limit(1)
    ).first()
    return source_of(row) if row is not None else None


def insert_source(
    session: Session,
    *,
    review_id: int,
    filename: str,
    format_name: str,
    database: str,
    platform: str,
    searched_on: date | None,
    sha256: str,
    data: bytes,
    at: datetime,
    actor: str,
    deduplicated: bool = False,
    method: str = "database",
) -> int:
    """Add an imported file (its report is filled in by `finish_source`); return its id."""
    row = SourceRow(
        review_id=review_id,
        filename=filename,
        format=format_name,
        database=database,
        platform=platform,
        searched_on=searched_on,
        sha256=sha256,
        size=len(data),
        raw=data,
        imported_at=at,
        imported_by=actor,
        records_read=0,
        records_imported=0,
        skipped=[],
        deduplicated=deduplicated,
        method=method,
    )
    session.add(row)
    session.flush()
    return row.id


def finish_source(
    session: Session,
    source_id: int,
    *,
    imported: int,
    skipped: Sequence[Skipped],
    database: str,
) -> ImportReport:
    row = session.get_one(SourceRow, source_id)
    row.records_read = imported + len(skipped)
    row.records_imported = imported
    row.skipped = [{"line": s.line, "reason": s.reason} for s in skipped]
    row.database = database
    session.flush()
    return report_of(row)


def insert_records(
    session: Session,
    review_id: int,
    source_id: int,
    first_position: int,
    records: Sequence[tuple[int, str, Citation]],
) -> None:
    """Bulk-insert (line, raw text, citation) triples as records of one source."""
    rows: list[dict[str, Any]] = []
    for offset, (line, raw, citation) in enumerate(records):
        values = record_values(citation)
        values.update(
            review_id=review_id,
            source_id=source_id,
            position=first_position + offset,
            line=line,
            raw=raw,
        )
        rows.append(values)
    if rows:
        session.execute(insert(RecordRow), rows)


def get_source(session: Session, review_id: int, source_id: int) -> SourceRow | None:
    row = session.get(SourceRow, source_id)
    return row if row is not None and row.review_id == review_id else None


def source_report(session: Session, review_id: int, source_id: int) -> ImportReport | None:
    row = get_source(session, review_id, source_id)
    return report_of(row) if row is not None else None


def source_bytes(session: Session, review_id: int, source_id: int) -> bytes | None:
    row = get_source(session, review_id, source_id)
    return row.raw if row is not None else None


def report_of(row: SourceRow) -> ImportReport:
    return ImportReport(
        source=source_of(row),
        reader=row.format,
        records_read=row.records_read,
        records_imported=row.records_imported,
        skipped=tuple(Skipped(line=s["line"], reason=s["reason"]) for s in row.skipped),
    )


def sources_of(session: Session, review_id: int) -> list[Source]:
    rows = session.scalars(
        select(SourceRow).where(SourceRow.review_id == review_id).order_by(SourceRow.id)
    )
    return [source_of(row) for row in rows]


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


def find_records(
    session: Session, review_id: int, search: str | None, limit: int, offset: int
) -> list[Record]:
    query = _matching(review_id, search).order_by(RecordRow.id).limit(limit).offset(offset)
    return [record_of(row) for row in session.scalars(query)]


def count_records(session: Session, review_id: int, search: str | None) -> int:
    return session.scalar(_matching(review_id, search).with_only_columns(func.count())) or 0


def get_record(session: Session, review_id: int, record_id: int) -> Record | None:
    row = session.get(RecordRow, record_id)
    return record_of(row) if row is not None and row.review_id == review_id else None


def record_raw(session: Session, review_id: int, record_id: int) -> str | None:
    row = session.get(RecordRow, record_id)
    return row.raw if row is not None and row.review_id == review_id else None


def iter_citations(session: Session, review_id: int) -> Iterator[Citation]:
    """Every record's citation in import order, streamed in batches."""
    query = select(RecordRow).where(RecordRow.review_id == review_id).order_by(RecordRow.id)
    for row in session.scalars(query.execution_options(yield_per=2_000)):
        yield citation_of(row)


def iter_records(session: Session, review_id: int) -> Iterator[tuple[int, str, Citation]]:
    """(record id, file name it came from, citation) in import order, streamed."""
    query = (
        select(RecordRow, SourceRow.filename)
        .join(SourceRow, SourceRow.id == RecordRow.source_id)
        .where(RecordRow.review_id == review_id)
        .order_by(RecordRow.id)
    )
    for row, filename in session.execute(query.execution_options(yield_per=2_000)):
        yield row.id, filename, citation_of(row)


def record_source_ids(session: Session, review_id: int) -> dict[int, int]:
    """Record id -> the id of the source it was imported from (for counts by source)."""
    query = select(RecordRow.id, RecordRow.source_id).where(RecordRow.review_id == review_id)
    return {int(row[0]): int(row[1]) for row in session.execute(query)}


def records_with_ids(session: Session, review_id: int, ids: Sequence[int]) -> list[Record]:
    """The records with these ids, in id order (looked up in batches)."""
    found: list[Record] = []
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), 1_000):
        batch = wanted[start : start + 1_000]
        query = (
            select(RecordRow)
            .where(RecordRow.review_id == review_id, RecordRow.id.in_(batch))
            .order_by(RecordRow.id)
        )
        found.extend(record_of(row) for row in session.scalars(query))
    return found
