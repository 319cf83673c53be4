"""`cosynth worker`: a process that runs background jobs (imports, de-duplication, ranking).

A team server on Redis (`COSYNTH_REDIS_URL`) runs one or more of these beside
`cosynth serve`; on a laptop the worker thread inside `cosynth serve` does
the same, and no separate worker is needed.
"""

from __future__ import annotations

import logging
import os
import threading
from urllib.parse import urlsplit

import click

from cosynth.services.workspace import database_url
from cosynth.web.jobs import JobQueue, JobSettings

logger = logging.getLogger(__name__)

# How often a worker hands out again the jobs still waiting (COSYNTH_REQUEUE_SECONDS).
_REQUEUE_SECONDS = 60.0


@click.command("worker")
@click.option("--threads", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Jobs run at once by this process.")  # fmt: skip
@click.option("--recover", is_flag=True,
              help="Also run again the jobs a stopped worker left running. "
                   "Only when no other worker is running: theirs would run twice.")  # fmt: skip
@click.pass_context
def worker(ctx: click.Context, threads: int, recover: bool) -> None:
    """Run background jobs until stopped (Ctrl+C finishes the running job first)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    settings = JobSettings.from_environment(database_url(getattr(ctx.obj, "db", None)))
    queue = JobQueue(settings)
    where = _without_password(settings.redis_url) or str(settings.huey_file)
    click.echo(f"cosynth worker: jobs of {queue.workspace.url} from {where} (Ctrl+C stops it)")
    # Jobs queued while no worker listened (the queue was down when they
    # were asked for) are handed out again; a job already taken runs once.
    queue.resume(interrupted=recover)
    stop = threading.Event()
    threading.Thread(target=_keep_handing_out, args=(queue, stop), daemon=True).start()
    try:
        queue.consumer(workers=threads).run()
    finally:
        stop.set()
        queue.close()


def _keep_handing_out(queue: JobQueue, stop: threading.Event) -> None:
    """Hand out again, now and then, the jobs the store says are still waiting.

    A job asked for while Redis was down (or held by a Redis that was
    restarted without its data) is in the jobs table but in no queue; without
    this it would wait for the next worker to start. A job handed out twice
    runs once (`cosynth.services.jobs.run_job` claims it first).
    """
    every = float(os.environ.get("COSYNTH_REQUEUE_SECONDS") or _REQUEUE_SECONDS)
    while not stop.wait(every):
        try:
            queue.resume()
        except Exception:  # the store may be away too; try again next time
            logger.exception("The waiting jobs could not be handed out again")


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")).geturl()
