"""A plain `pip install cosynth` serves a laptop; the extras name themselves when missing.

PostgreSQL needs the `postgres` extra (psycopg), several worker processes and a
Redis job queue the `team` extra (gunicorn, redis), the docs the `docs` extra
(mkdocs). Their absence is simulated by putting None in `sys.modules`, which
makes Python refuse the import as if the package were not installed.
`make test-package` (scripts/check-package.py) runs the demo and the web app
from a bare wheel, where they really are absent.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cosynth.cli.main import cli
from cosynth.errors import MissingExtraError
from cosynth.store.engine import make_engine

NOWHERE = "postgresql://postgres@127.0.0.1:1/nowhere"


def missing(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    for name in names:
        monkeypatch.setitem(sys.modules, name, None)


def test_it_names_the_postgres_extra_when_psycopg_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    missing(monkeypatch, "psycopg")
    with pytest.raises(MissingExtraError) as raised:
        make_engine("postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    assert str(raised.value) == (
        "PostgreSQL needs the postgres extra: pip install 'cosynth[postgres]'"
    )


def test_it_says_so_at_the_command_line_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    missing(monkeypatch, "psycopg")
    result = CliRunner().invoke(cli, ["--db", NOWHERE, "status"])
    assert result.exit_code == 1
    assert "PostgreSQL needs the postgres extra: pip install 'cosynth[postgres]'" in result.output
    assert "Traceback" not in result.output


def test_it_names_the_team_extra_for_several_workers_without_gunicorn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    missing(monkeypatch, "gunicorn")
    monkeypatch.setenv("COSYNTH_SECRET_KEY", "a team server's shared key")
    result = CliRunner().invoke(cli, ["--db", NOWHERE, "serve", "--workers", "2"])
    assert result.exit_code == 1
    assert (
        "Serving with several worker processes (--workers) needs the team extra: "
        "pip install 'cosynth[team]'"
    ) in result.output


def test_it_names_the_team_extra_for_a_redis_queue_without_redis(
    monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    missing(monkeypatch, "redis")
    monkeypatch.setenv("COSYNTH_REDIS_URL", "redis://127.0.0.1:1/0")
    result = CliRunner().invoke(cli, ["--db", db_url, "worker"])
    assert result.exit_code == 1
    assert (
        "A Redis job queue (COSYNTH_REDIS_URL) needs the team extra: pip install 'cosynth[team]'"
        in result.output
    )


# A fresh interpreter with no extra importable: the laptop's commands load, and
# the web app (templates, static files, translations) answers its sign-in page.
LAPTOP = """
import sys
for name in ("psycopg", "psycopg2", "redis", "gunicorn", "mkdocs", "textstat"):
    sys.modules[name] = None

import click
from cosynth.cli.main import cli
from cosynth.services.workspace import open_workspace
from cosynth.web import WebSettings, create_app

ctx = click.Context(cli, info_name="cosynth")
for name in ("demo", "serve", "import", "dedup", "screen", "report"):
    command = cli.get_command(ctx, name)
    assert command is not None and "could not be loaded" not in (command.help or ""), name

url = "sqlite:///" + sys.argv[1]
open_workspace(url, create=True).close()
app = create_app(WebSettings(database_url=url, secret_key="laptop", testing=True))
client = app.test_client()
for path in ("/login", "/static/cosynth.css"):
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    answer.close()
print("laptop ok")
"""


def test_it_runs_a_laptops_commands_and_web_app_without_any_extra(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", LAPTOP, str(tmp_path / "cosynth.db")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "laptop ok" in done.stdout
