"""Fixtures shared by the suite: a fresh store on the engine under test, and the team.

The suite runs once per engine: `COSYNTH_TEST_DB=sqlite` (the default) or
`COSYNTH_TEST_DB=postgresql://user@host:port/db`, a server where the suite may
create and drop its own database.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from cosynth.domain.roles import Role
from cosynth.services.reviews import add_member, create_review
from cosynth.services.workspace import Workspace, open_workspace
from cosynth.store.engine import make_engine, resolve_url, upgrade
from cosynth.store.schema import Base

ENGINE = os.environ.get("COSYNTH_TEST_DB", "sqlite")


def pytest_report_header() -> str:
    return f"cosynth store under test: {ENGINE.split('@')[-1]}"


@pytest.fixture(scope="session")
def _server_database() -> Iterator[str | None]:
    """On PostgreSQL, one throw-away database for the whole run, at head."""
    if ENGINE == "sqlite":
        yield None
        return
    server = make_url(resolve_url(ENGINE))
    name = f"cosynth_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # the message must say what to do, not just fail
        pytest.exit(f"PostgreSQL at {server.host}:{server.port} cannot be used: {exc}", 3)
    url = server.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite store at head, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "cosynth.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # closing the last connection checkpoints the WAL into the file
    assert not path.with_name("cosynth.db-wal").exists()
    return path


@pytest.fixture
def db_url(_server_database: str | None, _sqlite_template: Path, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty cosynth store at head, on the engine under test."""
    if _server_database is None:
        path = tmp_path / "cosynth.db"
        shutil.copy(_sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    engine = make_engine(_server_database)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    yield _server_database


@pytest.fixture
def workspace(db_url: str) -> Iterator[Workspace]:
    opened = open_workspace(db_url)
    yield opened
    opened.close()


@dataclass(frozen=True)
class Team:
    """The review team of every story: alice leads, bob and carol review, pat advises."""

    review_id: int
    lead: str = "alice"
    reviewers: tuple[str, str] = ("bob", "carol")
    adviser: str = "pat"
    outsider: str = "mallory"


@pytest.fixture
def team(workspace: Workspace) -> Team:
    with workspace.transaction("alice") as tx:
        review = create_review(tx, "Co-production in integrated care")
        add_member(tx, review.id, "bob", Role.REVIEWER)
        add_member(tx, review.id, "carol", Role.REVIEWER)
        add_member(tx, review.id, "pat", Role.ADVISER)
    return Team(review_id=review.id)
