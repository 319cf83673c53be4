"""The job queue (Huey) that runs `cosynth.services.jobs` off the request.

DESIGN.md decides the queue: `SqliteHuey` in a file beside a SQLite store
(`cosynth.db` -> `cosynth.huey.db`) with a worker thread inside `cosynth
serve`, or `RedisHuey` (`COSYNTH_REDIS_URL`) with `cosynth worker` processes
for a team. Huey only carries a job's id: the jobs table says what the job is
and how it ended, so a lost or doubled message cannot lose or repeat work
(see `cosynth.services.jobs`). Running jobs post their progress to Huey's own
key-value store, which every process on the same queue can read.

The settings, all optional:

- `COSYNTH_REDIS_URL`: use Redis (e.g. redis://127.0.0.1:6379/0); jobs then
  run in `cosynth worker` processes, not inside `cosynth serve`.
- `COSYNTH_QUEUE`: the queue's name (default "cosynth"); two stores sharing a
  Redis need two names.
- `COSYNTH_HUEY_FILE`: the SqliteHuey file (default: beside the SQLite store,
  or cosynth.huey.db in the working folder for PostgreSQL).
- `COSYNTH_UPLOADS`: where uploaded files wait for their import job (default:
  cosynth.uploads/ beside the SQLite store, or in the working folder). Every
  worker must be able to read it at the same path.

Huey's messages are pickles: the Redis server must be private to the team.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any, cast

from flask import Flask, current_app
from huey import RedisHuey, SqliteHuey
from huey.consumer import Consumer

from cosynth.domain.jobs import Job, JobProgress
from cosynth.errors import MissingExtraError
from cosynth.services import jobs as job_service
from cosynth.services.workspace import Workspace, open_workspace
from cosynth.web.context import transaction
from cosynth.web.settings import WebSettings

logger = logging.getLogger(__name__)

_EXTENSION = "cosynth.jobs"


@dataclass(frozen=True)
class JobSettings:
    """Where the queue lives and where uploads wait. `from_environment` fills it."""

    database_url: str
    uploads: Path
    huey_file: Path
    redis_url: str = ""
    queue: str = "cosynth"
    # Run each job at once, in the process that queues it (tests): Huey's immediate mode.
    immediate: bool = False

    @classmethod
    def from_environment(cls, database_url: str, *, immediate: bool = False) -> JobSettings:
        beside = _beside_store(database_url)
        return cls(
            database_url=database_url,
            uploads=Path(os.environ.get("COSYNTH_UPLOADS") or beside.with_suffix(".uploads")),
            huey_file=Path(os.environ.get("COSYNTH_HUEY_FILE") or beside.with_suffix(".huey.db")),
            redis_url=os.environ.get("COSYNTH_REDIS_URL", ""),
            queue=os.environ.get("COSYNTH_QUEUE") or "cosynth",
            immediate=immediate,
        )

    @property
    def embedded(self) -> bool:
        """True when jobs run in a thread inside `cosynth serve` (no Redis)."""
        return not self.redis_url


def _beside_store(database_url: str) -> Path:
    """`cosynth.db` for a SQLite store at .../cosynth.db; in the working folder otherwise."""
    if database_url.startswith("sqlite:///"):
        return Path(database_url.removeprefix("sqlite:///"))
    return Path.cwd() / "cosynth.db"


class HueyBoard:
    """Running jobs' progress, kept in Huey's key-value store (SQLite file or Redis)."""

    def __init__(self, queue: JobQueue) -> None:
        self.queue = queue

    @property
    def huey(self) -> Any:
        return self.queue.huey

    def post(self, job_id: int, progress: JobProgress) -> None:
        self.huey.put(self._key(job_id), (progress.done, progress.total, progress.message))

    def read(self, job_id: int) -> JobProgress | None:
        """The latest progress posted; None if none was, or the queue cannot be reached
        (the page then shows what the jobs table says)."""
        try:
            found = self.huey.get(self._key(job_id), peek=True)
        except Exception:
            logger.exception("The progress of job %s could not be read", job_id)
            return None
        if found is None:
            return None
        done, total, message = found
        return JobProgress(done, total, message)

    def clear(self, job_id: int) -> None:
        self.huey.delete(self._key(job_id))

    @staticmethod
    def _key(job_id: int) -> str:
        return f"cosynth.job.{job_id}.progress"


class JobQueue:
    """One Huey instance for one store, with the task that runs a job by its id.

    A fresh `JobQueue` over the same settings finds the jobs an earlier one
    queued: the task is registered under the same name each time.
    """

    def __init__(self, settings: JobSettings, workspace: Workspace | None = None) -> None:
        self.settings = settings
        self._workspace = workspace
        self._owns_workspace = workspace is None
        self._built: tuple[Any, Any] | None = None
        self.board = HueyBoard(self)

    @property
    def huey(self) -> Any:
        return self._build()[0]

    def _build(self) -> tuple[Any, Any]:
        """Huey and its task, made when first needed: an app that queues nothing makes no file."""
        if self._built is None:
            huey = _make_huey(self.settings)

            @huey.task(name="run_job")  # type: ignore[untyped-decorator]
            def run_job(job_id: int) -> None:
                job_service.run_job(self.workspace, job_id, board=self.board)

            self._built = (huey, run_job)
        return self._built

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            self._workspace = open_workspace(self.settings.database_url)
        return self._workspace

    def enqueue(self, job_id: int) -> None:
        """Hand the job to a worker. A queue that cannot be reached leaves the job queued:
        the next worker to start picks it up (`resume`), so the request still succeeds."""
        try:
            _, task = self._build()
            task(job_id)
        except Exception:
            logger.exception("Job %s is queued, but the job queue could not be told", job_id)

    def resume(self, *, interrupted: bool = False) -> list[int]:
        """Queue again the jobs the store says are waiting (and, with `interrupted`, running)."""
        waiting = job_service.jobs_to_resume(self.workspace, interrupted=interrupted)
        for job_id in waiting:
            self.enqueue(job_id)
        return waiting

    def consumer(self, *, workers: int = 1, embedded: bool = False) -> Consumer:
        """A Huey consumer for this queue; `embedded` ones leave signals to the server."""
        kind = _EmbeddedConsumer if embedded else Consumer
        return kind(
            self.huey,
            workers=workers,
            worker_type="thread",
            periodic=False,
            # SQLite is polled: a job queued after a quiet spell starts within a second.
            max_delay=1.0,
        )

    def start_embedded(self, *, recover: bool = True) -> Consumer:
        """Start a worker thread in this process, after queuing again what a stop left behind.

        `recover` also runs again the jobs still marked running: only for the
        one process that serves the store (it alone runs its jobs, so such a
        job was cut off when it last stopped).
        """
        self.resume(interrupted=recover)
        consumer = self.consumer(embedded=True)
        consumer.start()
        return consumer

    def close(self) -> None:
        if self._built is not None:
            self._built[0].storage.close()
        if self._owns_workspace and self._workspace is not None:
            self._workspace.close()


class _EmbeddedConsumer(Consumer):  # type: ignore[misc]
    def _set_signal_handlers(self) -> None:
        """Leave Ctrl+C to the web server: its worker threads stop with the process."""


def _make_huey(settings: JobSettings) -> Any:
    if settings.redis_url:
        # Huey imports redis only if it is there, and then fails with its own words.
        if find_spec("redis") is None:
            raise MissingExtraError("A Redis job queue (COSYNTH_REDIS_URL)", "team")
        return RedisHuey(
            settings.queue, url=settings.redis_url, results=False, immediate=settings.immediate
        )
    if not settings.immediate:
        settings.huey_file.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(
        settings.queue,
        filename=str(settings.huey_file),
        results=False,
        immediate=settings.immediate,
    )


# In the web app.


def init_app(app: Flask, settings: WebSettings) -> None:
    """Give the app its job queue; under test, jobs run at once, inside the request."""
    app.extensions[_EXTENSION] = JobQueue(
        JobSettings.from_environment(settings.database_url, immediate=settings.testing),
        workspace=cast(Workspace, app.extensions["cosynth.workspace"]),
    )


def job_queue(app: Flask | None = None) -> JobQueue:
    return cast(JobQueue, (app or current_app).extensions[_EXTENSION])


def queue_import(review_id: int, filename: str, data: bytes, **options: Any) -> Job:
    """Queue a large import as the signed-in person, and wake a worker; the job.

    For the import page: `options` are `services.jobs.queue_import`'s
    (database, platform, searched_on, again, reader, options, deduplicated).
    Redirect to `url_for("jobs.job", review_id=..., job_id=job.id)` after.
    """
    queue = job_queue()
    with transaction() as tx:
        job = job_service.queue_import(
            tx, review_id, filename, data, uploads=queue.settings.uploads, **options
        )
    # Only after the commit: a worker must find the job row when it wakes.
    queue.enqueue(job.id)
    return job
