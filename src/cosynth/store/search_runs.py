"""Search runs, their pages and the review's versions: the queries behind services.search_runs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from cosynth.domain.search_runs import (
    PreviousVersion,
    RunPurpose,
    RunStatus,
    SearchApi,
    SearchRun,
)
from cosynth.store.search_run_tables import ReviewVersionRow, SearchPageRow, SearchRunRow
from cosynth.store.session import Session


def insert_run(
    session: Session,
    review_id: int,
    *,
    api: SearchApi,
    query: str,
    purpose: RunPurpose,
    first_cursor: str,
    at: datetime,
    actor: str,
    updates_run_id: int | None = None,
) -> int:
    row = SearchRunRow(
        review_id=review_id,
        api=api.value,
        query=query,
        purpose=purpose.value,
        first_cursor=first_cursor,
        started_at=at,
        started_by=actor,
        updates_run_id=updates_run_id,
    )
    session.add(row)
    session.flush()
    return row.id


def get_run(session: Session, review_id: int, run_id: int) -> SearchRun | None:
    row = session.get(SearchRunRow, run_id)
    if row is None or row.review_id != review_id:
        return None
    return _run(session, row)


def runs_of(session: Session, review_id: int) -> list[SearchRun]:
    query = select(SearchRunRow).where(SearchRunRow.review_id == review_id)
    return [_run(session, row) for row in session.scalars(query.order_by(SearchRunRow.id))]


def _run(session: Session, row: SearchRunRow) -> SearchRun:
    pages = session.execute(
        select(SearchPageRow.number, SearchPageRow.next_cursor, SearchPageRow.total)
        .where(SearchPageRow.run_id == row.id)
        .order_by(SearchPageRow.number)
    ).all()
    fetched = session.scalar(
        select(func.coalesce(func.sum(SearchPageRow.records), 0)).where(
            SearchPageRow.run_id == row.id
        )
    )
    cursor = pages[-1].next_cursor if pages else row.first_cursor
    totals = [page.total for page in pages if page.total is not None]
    if row.finished_at is not None:
        status = RunStatus.IMPORTED
    elif pages and not cursor:
        status = RunStatus.DOWNLOADED
    else:
        status = RunStatus.DOWNLOADING
    return SearchRun(
        id=row.id,
        review_id=row.review_id,
        api=SearchApi(row.api),
        query=row.query,
        purpose=RunPurpose(row.purpose),
        status=status,
        started_at=row.started_at,
        started_by=row.started_by,
        pages=len(pages),
        fetched=int(fetched or 0),
        total=totals[-1] if totals else None,
        cursor=cursor,
        updates_run_id=row.updates_run_id,
        source_id=row.source_id,
        imported=row.imported,
        already_known=row.already_known,
        finished_at=row.finished_at,
    )


def insert_page(
    session: Session,
    run_id: int,
    *,
    number: int,
    cursor: str,
    next_cursor: str,
    records: int,
    total: int | None,
    data: bytes,
    at: datetime,
) -> None:
    session.add(
        SearchPageRow(
            run_id=run_id,
            number=number,
            cursor=cursor,
            next_cursor=next_cursor,
            records=records,
            total=total,
            data=data,
            fetched_at=at,
        )
    )
    session.flush()


def page_data(session: Session, run_id: int) -> list[bytes]:
    """The run's pages' bytes, in the order they were fetched."""
    query = (
        select(SearchPageRow.data)
        .where(SearchPageRow.run_id == run_id)
        .order_by(SearchPageRow.number)
    )
    return [bytes(data) for data in session.scalars(query)]


def finish_run(
    session: Session,
    run_id: int,
    *,
    source_id: int | None,
    imported: int,
    already_known: int,
    at: datetime,
) -> None:
    row = session.get(SearchRunRow, run_id)
    assert row is not None  # the service found the run in this transaction
    row.source_id = source_id
    row.imported = imported
    row.already_known = already_known
    row.finished_at = at
    session.flush()


def insert_version(
    session: Session,
    review_id: int,
    *,
    run_id: int,
    at: datetime,
    actor: str,
    study_record_ids: list[int],
    report_count: int,
    source_ids: list[int],
) -> None:
    session.add(
        ReviewVersionRow(
            review_id=review_id,
            run_id=run_id,
            at=at,
            actor=actor,
            study_record_ids=study_record_ids,
            report_count=report_count,
            source_ids=source_ids,
        )
    )
    session.flush()


def latest_version(session: Session, review_id: int) -> PreviousVersion | None:
    query = (
        select(ReviewVersionRow)
        .where(ReviewVersionRow.review_id == review_id)
        .order_by(ReviewVersionRow.id.desc())
        .limit(1)
    )
    row = session.scalar(query)
    if row is None:
        return None
    return PreviousVersion(
        id=row.id,
        review_id=row.review_id,
        at=row.at,
        by=row.actor,
        run_id=row.run_id,
        study_record_ids=tuple(int(i) for i in row.study_record_ids),
        report_count=row.report_count,
        source_ids=tuple(int(i) for i in row.source_ids),
    )
