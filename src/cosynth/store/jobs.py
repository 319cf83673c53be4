"""Queries on background jobs: queue one, claim it for a worker, record how it ended."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from cosynth.domain.jobs import Job, JobKind, JobProgress, JobStatus
from cosynth.store.tables import JobRow


def insert_job(
    session: Session,
    *,
    review_id: int | None,
    kind: JobKind,
    params: Mapping[str, Any],
    actor: str,
    at: datetime,
) -> Job:
    row = JobRow(
        review_id=review_id,
        kind=kind.value,
        status=JobStatus.QUEUED.value,
        done=0,
        total=None,
        message="",
        params=dict(params),
        result=None,
        created_by=actor,
        created_at=at,
    )
    session.add(row)
    session.flush()
    return _job_of(row)


def get_job(session: Session, job_id: int) -> Job | None:
    row = session.get(JobRow, job_id)
    return _job_of(row) if row is not None else None


def claim_job(session: Session, job_id: int, *, at: datetime) -> bool:
    """Mark a queued job running; False when it is not queued (another worker has it, or done).

    One conditional UPDATE, so two workers handed the same job cannot both claim it.
    """
    result = cast(
        CursorResult[Any],
        session.execute(
            update(JobRow)
            .where(JobRow.id == job_id, JobRow.status == JobStatus.QUEUED.value)
            .values(status=JobStatus.RUNNING.value, started_at=at)
        ),
    )
    return result.rowcount == 1


def finish_job(
    session: Session,
    job_id: int,
    *,
    status: JobStatus,
    progress: JobProgress,
    result: Mapping[str, Any] | None,
    at: datetime,
) -> None:
    session.execute(
        update(JobRow)
        .where(JobRow.id == job_id)
        .values(
            status=status.value,
            done=progress.done,
            total=progress.total,
            message=progress.message,
            result=dict(result) if result is not None else None,
            finished_at=at,
        )
    )


def requeue_running(session: Session) -> list[int]:
    """Put every running job back in the queue (their worker stopped); their ids."""
    ids = list(session.scalars(select(JobRow.id).where(JobRow.status == JobStatus.RUNNING.value)))
    if ids:
        session.execute(
            update(JobRow)
            .where(JobRow.id.in_(ids))
            .values(status=JobStatus.QUEUED.value, started_at=None, done=0)
        )
    return ids


def queued_job_ids(session: Session) -> list[int]:
    return list(
        session.scalars(
            select(JobRow.id).where(JobRow.status == JobStatus.QUEUED.value).order_by(JobRow.id)
        )
    )


def recent_jobs(session: Session, review_id: int, *, limit: int) -> list[Job]:
    rows = session.scalars(
        select(JobRow).where(JobRow.review_id == review_id).order_by(JobRow.id.desc()).limit(limit)
    )
    return [_job_of(row) for row in rows]


def _job_of(row: JobRow) -> Job:
    return Job(
        id=row.id,
        review_id=row.review_id,
        kind=JobKind(row.kind),
        status=JobStatus(row.status),
        progress=JobProgress(done=row.done, total=row.total, message=row.message),
        created_by=row.created_by,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        result=row.result,
        params=row.params,
    )
