"""`cosynth serve`: the web app behind a production WSGI server, never Flask's debug server.

One process (waitress, threads) suits a laptop and SQLite. A team server on
PostgreSQL runs several worker processes (gunicorn): each opens its own
connections, and the store's transactions keep them from stepping on each other.
"""

from __future__ import annotations

from importlib.util import find_spec
from typing import Any

import click

from cosynth.errors import MissingExtraError
from cosynth.web import WebSettings, create_app
from cosynth.web.jobs import JobQueue, JobSettings, job_queue


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on (127.0.0.1: this computer only).",
)
@click.option("--port", default=8000, show_default=True, type=int, help="The port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes (gunicorn, PostgreSQL). 1: one waitress process.")  # fmt: skip
@click.option(
    "--threads",
    default=8,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Threads per process: requests served at once.",
)
@click.option("--insecure-cookies", is_flag=True,
              help="Send session cookies over plain http (a laptop without TLS).")  # fmt: skip
@click.pass_context
def serve(  # noqa: PLR0917 - click passes options by keyword
    ctx: click.Context, host: str, port: int, workers: int, threads: int, insecure_cookies: bool
) -> None:
    """Serve the web app."""
    database = getattr(ctx.obj, "db", None)
    settings = WebSettings.from_environment(database)
    if insecure_cookies:
        settings = WebSettings(
            database_url=settings.database_url,
            secret_key=settings.secret_key,
            secure_cookies=False,
        )
    if workers > 1 and settings.database_url.startswith("sqlite"):
        raise click.UsageError("Several worker processes need PostgreSQL; SQLite serves one.")
    if workers > 1 and find_spec("gunicorn") is None:
        raise MissingExtraError("Serving with several worker processes (--workers)", "team")
    click.echo(f"cosynth is serving on http://{host}:{port}/ (Ctrl+C stops it)")
    jobs = JobSettings.from_environment(settings.database_url)
    if not jobs.embedded:
        click.echo("Background jobs run in `cosynth worker` processes (COSYNTH_REDIS_URL is set).")
    if workers == 1:
        from waitress import serve as waitress_serve

        app = create_app(settings)
        if jobs.embedded:
            job_queue(app).start_embedded()
        waitress_serve(app, host=host, port=port, threads=threads)
        return
    if jobs.embedded:
        # Once, before the workers start: each then runs a job thread of its own.
        queue = JobQueue(jobs)
        queue.resume(interrupted=True)
        queue.close()
    _gunicorn(settings, f"{host}:{port}", workers, threads, jobs=jobs.embedded)


def _gunicorn(settings: WebSettings, bind: str, workers: int, threads: int, *, jobs: bool) -> None:
    from gunicorn.app.base import BaseApplication

    class Application(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in {"bind": bind, "workers": workers, "threads": threads}.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            app = create_app(settings)
            if jobs:
                job_queue(app).start_embedded(recover=False)
            return app

    Application().run()
