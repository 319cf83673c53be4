"""alice queues the big search export and a de-duplication run; a worker does them, as her."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cosynth.domain.jobs import JobProgress, JobStatus
from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.errors import AlreadyImportedError, NotFoundError, PermissionDeniedError
from cosynth.ranking.registry import DEFAULT_RANKER
from cosynth.services import imports as import_service
from cosynth.services import jobs as job_service
from cosynth.services.records import list_records, list_sources
from cosynth.services.reviews import audit_log
from cosynth.services.workspace import Workspace
from cosynth.store import jobs as job_store
from cosynth.web.jobs import JobQueue, JobSettings
from tests.conftest import Team
from tests.services.screening_helpers import both_vote, import_search, search_export

NOT_AN_EXPORT = b"Dear colleague,\nplease find the search results attached.\n"


class Board:
    """A progress board that remembers everything posted to it."""

    def __init__(self) -> None:
        self.posted: list[tuple[int, JobProgress]] = []
        self.live: dict[int, JobProgress] = {}

    def post(self, job_id: int, progress: JobProgress) -> None:
        self.posted.append((job_id, progress))
        self.live[job_id] = progress

    def read(self, job_id: int) -> JobProgress | None:
        return self.live.get(job_id)

    def clear(self, job_id: int) -> None:
        self.live.pop(job_id, None)


def queue_import(
    workspace: Workspace, team: Team, uploads: Path, data: bytes, name: str = "cinahl.ris"
) -> int:
    with workspace.transaction(team.lead) as tx:
        job = job_service.queue_import(
            tx, team.review_id, name, data, uploads=uploads, database="CINAHL"
        )
    return job.id


def status(workspace: Workspace, who: str, job_id: int, **kwargs: object):
    with workspace.transaction(who) as tx:
        return job_service.job_status(tx, job_id, **kwargs)  # type: ignore[arg-type]


def test_it_runs_an_import_to_done_with_its_progress_recorded(
    workspace: Workspace, team: Team, tmp_path: Path
) -> None:
    job_id = queue_import(workspace, team, tmp_path / "uploads", search_export())
    queued = status(workspace, "bob", job_id)
    assert queued.status is JobStatus.QUEUED and queued.progress.done == 0
    board = Board()

    done = job_service.run_job(workspace, job_id, board=board)

    assert done is not None and done.status is JobStatus.DONE
    assert done.progress.done == done.progress.total
    assert done.result is not None and done.result["records_imported"] == 6
    assert done.message == "Imported 6 records from cinahl.ris."
    assert done.started_at is not None and done.finished_at is not None
    assert board.posted and all(posted == job_id for posted, _ in board.posted)
    assert any(progress.total for _, progress in board.posted)  # the file's lines, counted
    assert board.live == {}  # cleared once the job ended: the table has the last word
    with workspace.transaction("bob") as tx:
        (source,) = list_sources(tx, team.review_id)
        assert source.database == "CINAHL" and source.imported_by == "alice"
        assert len(list_records(tx, team.review_id)) == 6
    assert list((tmp_path / "uploads").iterdir()) == []  # the store now keeps the bytes


def test_it_shows_live_progress_while_the_job_runs(workspace: Workspace, team: Team) -> None:
    with workspace.transaction("alice") as tx:
        job = job_service.queue_dedup(tx, team.review_id)
    board = Board()
    board.post(job.id, JobProgress(5, 10, "Comparing records"))
    assert status(workspace, "carol", job.id, board=board).progress.done == 0  # not running yet
    with workspace.transaction("(worker)") as tx:
        job_store.claim_job(tx.session, job.id, at=tx.now)
    running = status(workspace, "carol", job.id, board=board)
    assert running.status is JobStatus.RUNNING
    assert running.progress == JobProgress(5, 10, "Comparing records")
    assert running.progress.percent == 50


def test_it_records_a_failed_imports_plain_message_and_imports_nothing(
    workspace: Workspace, team: Team, tmp_path: Path
) -> None:
    job_id = queue_import(workspace, team, tmp_path, NOT_AN_EXPORT, name="letter.txt")

    failed = job_service.run_job(workspace, job_id, board=Board())

    assert failed is not None and failed.status is JobStatus.FAILED
    assert failed.message.startswith("letter.txt: ")
    assert "Traceback" not in failed.message and "Error" not in failed.message
    assert failed.result is None and failed.finished_at is not None
    with workspace.transaction("alice") as tx:
        assert list_sources(tx, team.review_id) == []
        assert list_records(tx, team.review_id) == []


def test_it_tells_of_an_unexpected_failure_without_its_traceback(
    workspace: Workspace, team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job_id = queue_import(workspace, team, tmp_path, search_export())

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero in a reader")

    monkeypatch.setattr(import_service, "import_file", broken)
    failed = job_service.run_job(workspace, job_id)

    assert failed is not None and failed.status is JobStatus.FAILED
    assert failed.message == job_service.UNEXPECTED
    assert "division" not in failed.message


def test_it_leaves_nothing_half_written_when_the_work_fails_late(
    workspace: Workspace, team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job_id = queue_import(workspace, team, tmp_path, search_export())
    real = import_service.import_file

    def fails_after_writing(*args: object, **kwargs: object) -> None:
        real(*args, **kwargs)  # type: ignore[arg-type]
        raise OSError("the disk filled up")

    monkeypatch.setattr(import_service, "import_file", fails_after_writing)
    failed = job_service.run_job(workspace, job_id)

    assert failed is not None and failed.status is JobStatus.FAILED
    with workspace.transaction("alice") as tx:
        assert list_records(tx, team.review_id) == []


def test_it_runs_a_job_handed_out_twice_once(
    workspace: Workspace, team: Team, tmp_path: Path
) -> None:
    job_id = queue_import(workspace, team, tmp_path, search_export())
    assert job_service.run_job(workspace, job_id) is not None
    assert job_service.run_job(workspace, job_id) is None
    with workspace.transaction("alice") as tx:
        assert len(list_sources(tx, team.review_id)) == 1


def test_it_refuses_at_once_what_the_job_would_refuse(
    workspace: Workspace, team: Team, tmp_path: Path
) -> None:
    import_search(workspace, team)
    uploads = tmp_path / "uploads"
    with pytest.raises(AlreadyImportedError, match="already imported"):
        queue_import(workspace, team, uploads, search_export())
    with workspace.transaction("pat") as tx, pytest.raises(PermissionDeniedError):
        job_service.queue_import(tx, team.review_id, "a.ris", search_export(), uploads=uploads)
    with workspace.transaction("pat") as tx, pytest.raises(PermissionDeniedError):
        job_service.queue_dedup(tx, team.review_id)
    with workspace.transaction("pat") as tx, pytest.raises(PermissionDeniedError):
        job_service.queue_ranking(tx, team.review_id, stage=Stage.TITLE_ABSTRACT)
    assert not uploads.exists()  # nothing queued, nothing kept


def test_it_runs_a_dedup_as_the_person_who_asked(workspace: Workspace, team: Team) -> None:
    import_search(workspace, team)
    with workspace.transaction("bob") as tx:
        job = job_service.queue_dedup(tx, team.review_id)
    board = Board()

    done = job_service.run_job(workspace, job.id, board=board)

    assert done is not None and done.status is JobStatus.DONE
    assert done.result is not None and done.result["records"] == 6
    assert done.message.startswith("Compared 6 records")
    assert any(progress.message == "Comparing records" for _, progress in board.posted)
    with workspace.transaction("alice") as tx:
        _, events = audit_log(tx, team.review_id)
    found = [event for event in events if event.action == "duplicates found"]
    assert found and found[0].actor == "bob"


def test_it_ranks_carols_queue_in_a_job(workspace: Workspace, team: Team) -> None:
    ids = import_search(workspace, team)
    both_vote(workspace, team, ids[0], Decision.INCLUDE, Decision.INCLUDE)
    both_vote(workspace, team, ids[2], Decision.EXCLUDE, Decision.EXCLUDE)
    with workspace.transaction("carol") as tx:
        job = job_service.queue_ranking(tx, team.review_id, stage=Stage.TITLE_ABSTRACT)

    done = job_service.run_job(workspace, job.id)

    assert done is not None and done.status is JobStatus.DONE
    assert done.result == {
        "stage": "title-abstract",
        "waiting": 4,
        "ranker": DEFAULT_RANKER,
        "note": "",
    }


def test_it_hides_a_job_from_mallory(workspace: Workspace, team: Team, tmp_path: Path) -> None:
    job_id = queue_import(workspace, team, tmp_path, search_export())
    assert status(workspace, "pat", job_id).id == job_id  # an adviser is a member
    with pytest.raises(PermissionDeniedError):
        status(workspace, "mallory", job_id)
    with pytest.raises(PermissionDeniedError):
        status(workspace, "mallory", job_id, review_id=team.review_id)
    with pytest.raises(NotFoundError):
        status(workspace, "bob", job_id + 1, review_id=team.review_id)
    with workspace.transaction("mallory") as tx, pytest.raises(PermissionDeniedError):
        job_service.recent_jobs(tx, team.review_id)


def test_it_keeps_a_queued_job_through_a_restart(
    db_url: str, workspace: Workspace, team: Team, tmp_path: Path
) -> None:
    settings = JobSettings(
        database_url=db_url, uploads=tmp_path / "uploads", huey_file=tmp_path / "cosynth.huey.db"
    )
    before = JobQueue(settings)
    assert not settings.huey_file.exists()  # made when first needed, not by every app
    job_id = queue_import(workspace, team, settings.uploads, search_export())
    before.enqueue(job_id)
    before.close()  # the server stops before any worker took the job

    after = JobQueue(settings)  # a fresh Huey over the same file
    task = after.huey.dequeue()
    assert task is not None
    after.huey.execute(task)
    after.close()

    assert status(workspace, "alice", job_id).status is JobStatus.DONE
    with workspace.transaction("alice") as tx:
        assert len(list_records(tx, team.review_id)) == 6


def test_it_runs_again_a_job_cut_off_by_a_stop(
    db_url: str, workspace: Workspace, team: Team, tmp_path: Path
) -> None:
    job_id = queue_import(workspace, team, tmp_path / "uploads", search_export())
    with workspace.transaction("(worker)") as tx:
        job_store.claim_job(tx.session, job_id, at=tx.now)  # ... and then the power went
    settings = JobSettings(
        database_url=db_url, uploads=tmp_path / "uploads", huey_file=tmp_path / "cosynth.huey.db"
    )
    queue = JobQueue(settings)
    consumer = queue.start_embedded()  # what `cosynth serve` does when it starts
    try:
        ended = wait_until_ended(workspace, job_id)
    finally:
        consumer.stop(graceful=True)
        queue.close()
    assert ended.status is JobStatus.DONE


def wait_until_ended(workspace: Workspace, job_id: int, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while True:
        found = status(workspace, "alice", job_id)
        if found.finished or time.monotonic() > deadline:
            return found
        time.sleep(0.1)
