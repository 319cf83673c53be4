"""Long work runs as a job: alice watches its progress page; mallory sees none of it.

Under Flask's test client the app runs each job at once, inside the request
(Huey's immediate mode); the last story runs one in a real `cosynth worker`
process on Redis.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from cosynth.domain.jobs import JobProgress, JobStatus
from cosynth.services import jobs as job_service
from cosynth.services.records import list_records, list_sources
from cosynth.services.workspace import Workspace
from cosynth.store import jobs as job_store
from cosynth.web.jobs import JobQueue, JobSettings, job_queue
from tests.conftest import Team
from tests.services.screening_helpers import import_search, search_export

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(autouse=True)
def _job_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Uploads and the queue's file in this test's folder (on PostgreSQL too), never Redis."""
    monkeypatch.setenv("COSYNTH_UPLOADS", str(tmp_path / "uploads"))
    monkeypatch.setenv("COSYNTH_HUEY_FILE", str(tmp_path / "cosynth.huey.db"))
    monkeypatch.delenv("COSYNTH_REDIS_URL", raising=False)


def jobs_url(team: Team, job_id: int | None = None) -> str:
    base = f"/reviews/{team.review_id}/jobs"
    return base if job_id is None else f"{base}/{job_id}"


def queued_dedup(workspace: Workspace, team: Team) -> int:
    """A job queued with no worker to run it yet."""
    with workspace.transaction("alice") as tx:
        return job_service.queue_dedup(tx, team.review_id).id


def test_it_runs_alices_dedup_and_shows_how_it_ended(visit, workspace, team: Team) -> None:
    import_search(workspace, team)
    alice = visit("alice")
    alice.get(jobs_url(team))
    started = alice.post(jobs_url(team) + "/dedup")
    assert started.status_code == 303
    page = alice.get(started.headers["Location"]).get_data(as_text=True)
    assert "<h1>Finding duplicates</h1>" in page
    assert "Done" in page and "Compared 6 records: 0 duplicate groups" in page
    assert f'href="/reviews/{team.review_id}/duplicates"' in page  # onwards
    assert "hx-trigger" not in page and "Refresh" not in page  # nothing left to wait for
    listed = alice.get(jobs_url(team)).get_data(as_text=True)
    assert "Finding duplicates" in listed and "Done" in listed


def large_export(records: int = 5_000) -> bytes:
    """A RIS export over 2 MB: too large to import while the browser waits."""
    abstract = "Carers and staff co-produced the service with its users. " * 7
    return "".join(
        f"TY  - JOUR\nTI  - Co-producing integrated care, site {i}\nAU  - Author{i}, A.\n"
        f"PY  - {2000 + i % 24}\nAB  - {abstract}\nJO  - Journal of Integrated Care\nER  - \n\n"
        for i in range(records)
    ).encode()


def test_it_imports_a_large_upload_as_a_job(visit, workspace, team: Team) -> None:
    data = large_export()
    assert len(data) > job_service.LARGE_IMPORT_BYTES
    alice = visit("alice")
    alice.get(f"/reviews/{team.review_id}/import")
    sent = alice.post(
        f"/reviews/{team.review_id}/import",
        {"files": [(io.BytesIO(data), "cinahl-2024.ris")], "database": "CINAHL"},
    )
    assert sent.status_code == 303
    assert sent.headers["Location"].startswith(jobs_url(team) + "/")
    page = alice.get(sent.headers["Location"]).get_data(as_text=True)
    assert "<h1>Importing cinahl-2024.ris</h1>" in page
    assert "Imported 5,000 records from cinahl-2024.ris." in page
    with workspace.transaction("alice") as tx:
        (source,) = list_sources(tx, team.review_id)
    assert source.database == "CINAHL" and source.records_imported == 5_000
    assert f'href="/reviews/{team.review_id}/sources/{source.id}"' in page


def test_it_shows_a_waiting_job_with_a_progress_bar_and_a_refresh_link(
    visit, workspace, team: Team
) -> None:
    job_id = queued_dedup(workspace, team)
    bob = visit("bob")
    page = bob.get(jobs_url(team, job_id)).get_data(as_text=True)
    assert "Waiting to start" in page
    assert '<progress id="job-bar">' in page and '<label for="job-bar">' in page
    assert f'<a href="{jobs_url(team, job_id)}">Refresh</a>' in page
    assert 'hx-trigger="every 1s"' in page
    part = bob.get(jobs_url(team, job_id), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert part.lstrip().startswith("<section") and "<html" not in part


def test_it_shows_how_far_a_running_job_has_got(app, visit, workspace, team: Team) -> None:
    job_id = queued_dedup(workspace, team)
    with workspace.transaction("(worker)") as tx:
        job_store.claim_job(tx.session, job_id, at=tx.now)
    job_queue(app).board.post(job_id, JobProgress(1_500, 6_000, "Comparing records"))
    page = visit("carol").get(jobs_url(team, job_id)).get_data(as_text=True)
    assert "Running" in page and "Comparing records" in page
    assert '<progress id="job-bar" max="6000" value="1500">25%</progress>' in page
    assert "1,500 of 6,000 (25%)." in page


def test_it_shows_a_failed_imports_plain_message(app, visit, workspace, team: Team) -> None:
    queue = job_queue(app)
    with workspace.transaction("alice") as tx:
        job = job_service.queue_import(
            tx,
            team.review_id,
            "letter.txt",
            b"Dear pat,\nthe results.\n",
            uploads=queue.settings.uploads,
        )
    queue.enqueue(job.id)  # immediate: run here and now
    page = visit("alice").get(jobs_url(team, job.id)).get_data(as_text=True)
    assert "Failed" in page
    assert '<p role="alert">letter.txt: ' in page and "Traceback" not in page
    assert "Nothing from this job was saved." in page
    assert f'href="/reviews/{team.review_id}/import">Try again' in page
    with workspace.transaction("alice") as tx:
        assert list_sources(tx, team.review_id) == []


def test_it_retrains_bobs_ranking_and_sends_him_to_screen(visit, workspace, team: Team) -> None:
    import_search(workspace, team)
    bob = visit("bob")
    bob.get(jobs_url(team))
    started = bob.post(jobs_url(team) + "/ranking", {"stage": "title-abstract"})
    page = bob.get(started.headers["Location"]).get_data(as_text=True)
    assert "Ranked the 6 records waiting for bob." in page
    assert f'href="/reviews/{team.review_id}/screen/title-abstract"' in page
    assert bob.post(jobs_url(team) + "/ranking", {"stage": "abstract"}).status_code == 400


def test_it_offers_pat_no_job_to_start(visit, workspace, team: Team) -> None:
    job_id = queued_dedup(workspace, team)
    pat = visit("pat")
    page = pat.get(jobs_url(team)).get_data(as_text=True)
    assert "Start a job" not in page and "Finding duplicates" in page
    assert pat.get(jobs_url(team, job_id)).status_code == 200  # a member may watch
    assert pat.post(jobs_url(team) + "/dedup").status_code == 403


def test_it_keeps_mallory_out(visit, workspace, team: Team) -> None:
    job_id = queued_dedup(workspace, team)
    mallory = visit("mallory")
    assert mallory.get(jobs_url(team, job_id)).status_code == 403
    assert mallory.get(jobs_url(team, job_id), headers={"HX-Request": "true"}).status_code == 403
    assert mallory.get(jobs_url(team)).status_code == 403
    mallory.get("/")
    assert mallory.post(jobs_url(team) + "/dedup").status_code == 403
    assert mallory.post(jobs_url(team) + "/ranking").status_code == 403
    assert visit("bob").get(jobs_url(team, job_id + 1)).status_code == 404


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_it_has_a_cosynth_worker_on_redis_do_the_job(
    db_url: str, workspace: Workspace, team: Team, tmp_path: Path
) -> None:
    settings = JobSettings(
        database_url=db_url,
        uploads=tmp_path / "uploads",
        huey_file=tmp_path / "unused.huey.db",
        redis_url=REDIS_URL,
        queue=f"cosynth-test-{uuid.uuid4().hex[:8]}",  # this test's own queue
    )
    queue = JobQueue(settings)
    with workspace.transaction("alice") as tx:
        job = job_service.queue_import(
            tx, team.review_id, "cinahl.ris", search_export(), uploads=settings.uploads
        )
    queue.enqueue(job.id)  # this process queues it; a worker process runs it
    env = {
        **os.environ,
        "COSYNTH_DB": db_url,
        "COSYNTH_REDIS_URL": REDIS_URL,
        "COSYNTH_QUEUE": settings.queue,
        "COSYNTH_UPLOADS": str(settings.uploads),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "cosynth", "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        ended = _wait_for(workspace, job.id, worker)
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
        queue.huey.flush()
        queue.close()
    assert ended.status is JobStatus.DONE, output
    assert "cosynth worker: jobs of" in output
    with workspace.transaction("alice") as tx:
        assert len(list_records(tx, team.review_id)) == 6


def _wait_for(workspace: Workspace, job_id: int, worker: subprocess.Popen[str], seconds: int = 120):
    deadline = time.monotonic() + seconds
    while True:
        with workspace.transaction("alice") as tx:
            found = job_service.job_status(tx, job_id)
        if found.finished or worker.poll() is not None or time.monotonic() > deadline:
            return found
        time.sleep(0.2)
