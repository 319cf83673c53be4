"""Background jobs: large imports, de-duplication runs and ranking retrains, off the request.

A person queues a job (their permission is checked then, and again when it
runs, as them); a worker claims it, runs the same service the command line
uses, and records how it ended. The jobs table is the truth about every job;
the queue that wakes a worker only carries the job's id, so a job handed to
two workers runs once, and a worker that starts can pick up any job left
queued.

Progress while a job runs is posted to a `ProgressBoard`, not to the jobs
table: on SQLite the running work holds the database's only write lock until
it commits, so a progress row written beside it would wait for the work to end.
How the job ended (and its final progress) is written in the same transaction
as the work itself: an import and its job's "done" land together, or neither.

Uploaded files for a queued import are kept on disk (see `cosynth.store.uploads`)
in the folder the caller names, and the job's params hold the file's path: a
job queued before a restart still finds its bytes after it. The file is removed
when the job ends; a done import keeps the bytes in the store as its source.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

from cosynth.domain.jobs import Job, JobKind, JobProgress, JobStatus
from cosynth.domain.prisma import IdentificationMethod
from cosynth.domain.roles import Permission
from cosynth.domain.screening.stages import Stage
from cosynth.errors import AlreadyImportedError, CosynthError, NotFoundError, PermissionDeniedError
from cosynth.services import dedup as dedup_service
from cosynth.services import imports as import_service
from cosynth.services.screening_queue import Order, screening_queue
from cosynth.services.workspace import Tx, Workspace
from cosynth.store import jobs as job_store
from cosynth.store import records as record_store
from cosynth.store import uploads as upload_store

__all__ = [
    "LARGE_IMPORT_BYTES",
    "ProgressBoard",
    "job_status",
    "jobs_to_resume",
    "queue_dedup",
    "queue_import",
    "queue_ranking",
    "recent_jobs",
    "run_job",
    "runs_as_job",
]

logger = logging.getLogger(__name__)

# Past this size an import is queued as a job rather than run during the
# upload's request: a 2 MB export holds a few thousand records, which import
# in a second or two; larger ones would keep the browser waiting.
LARGE_IMPORT_BYTES = 2 * 1024 * 1024

# Progress is posted at most this often (seconds); the job page polls each second.
_POST_EVERY = 0.5

# The actor named for the bookkeeping a worker does (claiming a job); the
# work itself runs as the person who queued it.
_WORKER = "(worker)"

UNEXPECTED = (
    "Something went wrong that cosynth did not expect, so nothing from this job was saved. "
    "Whoever runs the cosynth server will find the details in its log."
)


class ProgressBoard(Protocol):
    """Where running jobs post their progress, and where their page reads it."""

    def post(self, job_id: int, progress: JobProgress) -> None: ...

    def read(self, job_id: int) -> JobProgress | None: ...

    def clear(self, job_id: int) -> None: ...


def runs_as_job(size: int) -> bool:
    """True when a file of `size` bytes should be imported as a background job."""
    return size > LARGE_IMPORT_BYTES


# Queueing: as the person asking, checked now.


def queue_import(
    tx: Tx,
    review_id: int,
    filename: str,
    data: bytes,
    *,
    uploads: Path,
    database: str = "",
    platform: str = "",
    searched_on: date | None = None,
    again: bool = False,
    reader: str | None = None,
    options: Mapping[str, str] | None = None,
    deduplicated: bool = False,
    method: IdentificationMethod = IdentificationMethod.DATABASE,
) -> Job:
    """Queue the import of one file; its bytes are kept in `uploads` until the job ends.

    What can be refused before the work starts is refused now (permission,
    size, a file imported before), so the person hears at once.
    """
    tx.require(review_id, Permission.IMPORT)
    import_service.check_size(filename, len(data))
    if not again:
        _refuse_repeat(tx, review_id, filename, data)
    kept = upload_store.keep(uploads, data)
    params = {
        "upload": str(kept),
        "filename": filename,
        "size": len(data),
        "database": database,
        "platform": platform,
        "searched_on": searched_on.isoformat() if searched_on else None,
        "again": again,
        "reader": reader,
        "options": dict(options or {}),
        "deduplicated": deduplicated,
        "method": method.value,
    }
    try:
        return _queue(tx, review_id, JobKind.IMPORT, params, filename=filename)
    except BaseException:
        upload_store.discard(kept)
        raise


def queue_dedup(tx: Tx, review_id: int) -> Job:
    """Queue a de-duplication run over all the review's records."""
    tx.require(review_id, Permission.DEDUPLICATE)
    return _queue(tx, review_id, JobKind.DEDUP, {})


def queue_ranking(tx: Tx, review_id: int, *, stage: Stage) -> Job:
    """Queue a retrain of the asking person's ranked screening queue at `stage`.

    The ranker's features are prepared and kept (see
    `cosynth.services.screening_queue`), so the screening page that follows
    does not wait for them.
    """
    tx.require(review_id, Permission.SCREEN)
    return _queue(tx, review_id, JobKind.RANKING, {"stage": stage.value})


def _queue(tx: Tx, review_id: int, kind: JobKind, params: dict[str, Any], **detail: Any) -> Job:
    job = job_store.insert_job(
        tx.session, review_id=review_id, kind=kind, params=params, actor=tx.actor, at=tx.now
    )
    tx.log("job queued", review_id, job_id=job.id, kind=kind.value, **detail)
    return job


def _refuse_repeat(tx: Tx, review_id: int, filename: str, data: bytes) -> None:
    earlier = record_store.find_source_by_sha256(
        tx.session, review_id, hashlib.sha256(data).hexdigest()
    )
    if earlier is not None:
        raise AlreadyImportedError(
            f"{filename}: this exact file was already imported into this review "
            f"(as {earlier.filename}, on {earlier.imported_at:%Y-%m-%d}). "
            "Import it again only if you mean to."
        )


# Reading: members of the job's review only.


def job_status(
    tx: Tx, job_id: int, *, review_id: int | None = None, board: ProgressBoard | None = None
) -> Job:
    """The job as it stands, with its live progress from `board` while it runs.

    Only members of the job's review may see it. Given `review_id` (the
    review in the page's address), membership is checked first and the job
    must belong to that review, so an outsider learns nothing about job ids.
    """
    if review_id is not None:
        tx.require(review_id, Permission.VIEW)
    job = job_store.get_job(tx.session, job_id)
    if job is None or (review_id is not None and job.review_id != review_id):
        raise NotFoundError(f"There is no job {job_id} in this review.")
    if job.review_id is not None:
        tx.require(job.review_id, Permission.VIEW)
    elif job.created_by != tx.actor:
        raise PermissionDeniedError(f"Job {job_id} was started by someone else.")
    if job.status is JobStatus.RUNNING and board is not None:
        live = board.read(job_id)
        if live is not None:
            job = replace(job, progress=live)
    return job


def recent_jobs(tx: Tx, review_id: int, *, limit: int = 20) -> list[Job]:
    """The review's latest jobs, newest first."""
    tx.require(review_id, Permission.VIEW)
    return job_store.recent_jobs(tx.session, review_id, limit=limit)


# Running: in a worker, outside any request.


def run_job(workspace: Workspace, job_id: int, *, board: ProgressBoard | None = None) -> Job | None:
    """Claim the job and do its work as the person who queued it; the job as it ended.

    None when the job is not waiting (another worker has it, or it has
    ended): a job id delivered twice runs once. A failure is recorded with
    its plain message and never a traceback; the work's own transaction
    leaves nothing half-written.
    """
    with workspace.transaction(_WORKER) as tx:
        job = job_store.get_job(tx.session, job_id)
        if job is None or not job_store.claim_job(tx.session, job_id, at=_now()):
            return None
    reporter = _Reporter(job.id, board)
    reporter(0, None, _STARTING[job.kind])
    try:
        with workspace.transaction(job.created_by) as tx:
            result, summary = _WORK[job.kind](tx, job, reporter)
            final = JobProgress(reporter.total or 1, reporter.total or 1, summary)
            job_store.finish_job(
                tx.session, job.id, status=JobStatus.DONE, progress=final, result=result, at=_now()
            )
        status, progress = JobStatus.DONE, final
    except CosynthError as exc:
        status, progress = JobStatus.FAILED, reporter.last(exc.message)
    except Exception:
        # The traceback goes to the server's log, for whoever runs it; the
        # person sees only what they can act on (DESIGN.md rule 5).
        logger.exception("Job %s (%s) failed", job.id, job.kind.value)
        status, progress = JobStatus.FAILED, reporter.last(UNEXPECTED)
    if status is JobStatus.FAILED:
        _record_failure(workspace, job, progress)
    if board is not None:
        board.clear(job.id)
    if job.kind is JobKind.IMPORT:
        upload_store.discard(Path(job.params["upload"]))
    with workspace.transaction(_WORKER) as tx:
        return job_store.get_job(tx.session, job.id)


def jobs_to_resume(workspace: Workspace, *, interrupted: bool = False) -> list[int]:
    """Ids of the jobs waiting for a worker, for a worker that starts to queue again.

    With `interrupted`, jobs left running are put back first: only a worker
    that knows it is the only one (the thread inside `cosynth serve`) may say
    so, since a job running elsewhere would otherwise run twice.
    """
    with workspace.transaction(_WORKER) as tx:
        if interrupted:
            job_store.requeue_running(tx.session)
        return job_store.queued_job_ids(tx.session)


def _record_failure(workspace: Workspace, job: Job, progress: JobProgress) -> None:
    with workspace.transaction(job.created_by) as tx:
        job_store.finish_job(
            tx.session, job.id, status=JobStatus.FAILED, progress=progress, result=None, at=_now()
        )
        tx.log(
            "job failed",
            job.review_id,
            job_id=job.id,
            kind=job.kind.value,
            message=progress.message,
        )


def _now() -> datetime:
    return datetime.now(UTC)


class _Reporter:
    """The progress callback handed to a service: posts to the board, at most every half second."""

    def __init__(self, job_id: int, board: ProgressBoard | None) -> None:
        self.job_id = job_id
        self.board = board
        self.done = 0
        self.total: int | None = None
        self.message = ""
        self._posted = -_POST_EVERY

    def __call__(self, done: int, total: int | None, message: str | None = None) -> None:
        # Posted at once: the first news, a total newly known, a new step, the end.
        news = total != self.total or (message is not None and message != self.message)
        self.done, self.total = done, total
        if message is not None:
            self.message = message
        now = time.monotonic()
        finished = total is not None and done >= total
        if self.board is not None and (news or finished or now - self._posted >= _POST_EVERY):
            self._posted = now
            self.board.post(self.job_id, JobProgress(done, total, self.message))

    def steps(self, message: str) -> Callable[[int, int], None]:
        """A service's `progress(done, total)` callback, described by `message`."""

        def progress(done: int, total: int) -> None:
            self(done, total, message)

        return progress

    def last(self, message: str) -> JobProgress:
        return JobProgress(self.done, self.total, message)


# The work of each kind: (result, one-line summary).

Work = Callable[[Tx, Job, _Reporter], tuple[dict[str, Any], str]]


def _import(tx: Tx, job: Job, reporter: _Reporter) -> tuple[dict[str, Any], str]:
    params = job.params
    assert job.review_id is not None
    data = upload_store.read(Path(params["upload"]))
    searched_on = params.get("searched_on")
    report = import_service.import_file(
        tx,
        job.review_id,
        params["filename"],
        data,
        database=params.get("database", ""),
        platform=params.get("platform", ""),
        searched_on=date.fromisoformat(searched_on) if searched_on else None,
        again=bool(params.get("again")),
        reader=params.get("reader"),
        options=params.get("options") or None,
        progress=reporter.steps("Reading the file's lines"),
        deduplicated=bool(params.get("deduplicated")),
        method=IdentificationMethod(params.get("method") or IdentificationMethod.DATABASE.value),
    )
    result = {
        "source_id": report.source.id,
        "filename": report.source.filename,
        "reader": report.reader,
        "records_read": report.records_read,
        "records_imported": report.records_imported,
        "records_skipped": len(report.skipped),
    }
    summary = f"Imported {report.records_imported:,} records from {report.source.filename}" + (
        f" ({len(report.skipped):,} skipped)." if report.skipped else "."
    )
    return result, summary


def _dedup(tx: Tx, job: Job, reporter: _Reporter) -> tuple[dict[str, Any], str]:
    assert job.review_id is not None
    summary = dedup_service.run_dedup(
        tx, job.review_id, progress=reporter.steps("Comparing records")
    )
    text = (
        f"Compared {summary.records:,} records: {summary.groups:,} duplicate groups, "
        f"{summary.pairs_for_review:,} pairs for a person to check."
    )
    return dedup_service.summary_json(summary), text


def _ranking(tx: Tx, job: Job, reporter: _Reporter) -> tuple[dict[str, Any], str]:
    assert job.review_id is not None
    stage = Stage(job.params["stage"])
    queue = screening_queue(tx, job.review_id, stage=stage, order=Order.RANKED)
    reporter(1, 1, "Ranked")
    result = {
        "stage": stage.value,
        "waiting": queue.waiting,
        "ranker": queue.ranker,
        "note": queue.note,
    }
    return result, f"Ranked the {queue.waiting:,} records waiting for {tx.actor}."


_WORK: dict[JobKind, Work] = {
    JobKind.IMPORT: _import,
    JobKind.DEDUP: _dedup,
    JobKind.RANKING: _ranking,
}

_STARTING = {
    JobKind.IMPORT: "Reading the file's lines",
    JobKind.DEDUP: "Reading the records",
    JobKind.RANKING: "Training the ranking on the votes so far",
}
