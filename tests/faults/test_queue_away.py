"""Redis stopped under the team queue: a job asked for meanwhile is not lost.

The queue carries only a job's id; the jobs table is the record of what is
waiting (cosynth.services.jobs). A private Redis without persistence is
stopped under a running `cosynth worker`, so what it held is gone; a job
alice starts while it is down must still run once Redis is back, without
anyone restarting the worker.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cosynth.domain.jobs import Job, JobStatus
from cosynth.services import jobs as job_service
from cosynth.services.records import list_records
from cosynth.services.workspace import Workspace
from cosynth.web.jobs import JobQueue, JobSettings
from tests.conftest import ENGINE, Team
from tests.faults.harness import big_ris
from tests.faults.servers import PrivateRedis

pytestmark = [
    pytest.mark.skipif(
        shutil.which("redis-server") is None and not os.environ.get("CI"),
        reason="redis-server is not installed",
    ),
    # The queue is the same whichever store is under test: run once, in the SQLite pass.
    pytest.mark.skipif(ENGINE != "sqlite", reason="runs in the SQLite pass"),
]


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def test_it_runs_a_job_queued_while_redis_was_down_once_redis_is_back(
    db_url: str, workspace: Workspace, team: Team, tmp_path: Path, redis: PrivateRedis
) -> None:
    settings = JobSettings(
        database_url=db_url,
        uploads=tmp_path / "uploads",
        huey_file=tmp_path / "unused.huey.db",
        redis_url=redis.url,
    )
    env = {**os.environ, "COSYNTH_DB": db_url, "COSYNTH_REDIS_URL": redis.url,
           "COSYNTH_UPLOADS": str(settings.uploads), "COSYNTH_REQUEUE_SECONDS": "1"}  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "cosynth", "worker"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    queue = JobQueue(settings)
    said: list[str] = []
    try:
        _until_listening(worker, said)
        redis.stop()
        with workspace.transaction("alice") as tx:
            job = job_service.queue_import(
                tx, team.review_id, "cinahl.ris", big_ris(50, seed=9, tag="q"),
                uploads=settings.uploads,
            )  # fmt: skip
        queue.enqueue(job.id)  # the queue cannot be told: alice's request still succeeds
        time.sleep(2)
        redis.start()
        ended = _wait_for(workspace, job.id, worker, seconds=90)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        queue.close()
    output = "".join(said)
    assert ended.status is JobStatus.DONE, output
    with workspace.transaction("alice") as tx:
        assert len(list_records(tx, team.review_id)) == 50


def _until_listening(worker: subprocess.Popen[str], said: list[str]) -> None:
    """Wait for the worker to listen, then keep reading what it says (its pipe must not fill)."""
    assert worker.stdout is not None
    for line in worker.stdout:
        said.append(line)
        if "consumer started" in line:
            break
    else:
        raise AssertionError("the worker stopped before it listened:\n" + "".join(said))
    threading.Thread(target=lambda: said.extend(worker.stdout or ()), daemon=True).start()


def _wait_for(
    workspace: Workspace, job_id: int, worker: subprocess.Popen[str], seconds: int
) -> Job:
    deadline = time.monotonic() + seconds
    while True:
        with workspace.transaction("alice") as tx:
            found = job_service.job_status(tx, job_id)
        if found.finished or worker.poll() is not None or time.monotonic() > deadline:
            return found
        time.sleep(0.2)
