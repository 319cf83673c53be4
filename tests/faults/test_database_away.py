"""The database goes away under a running server, and comes back.

A private PostgreSQL (initdb in a temporary folder) under `cosynth serve`
in a child process: stopped, a request fails with a plain message (a 5xx
page or JSON that says so, never a traceback) and bob's vote is not half
kept; started again, the same server answers again by itself (the engine
checks a pooled connection before using it: pool_pre_ping).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from cosynth.domain.roles import Role
from cosynth.services import accounts
from cosynth.services.imports import import_file
from cosynth.services.reviews import add_member, create_review
from cosynth.services.workspace import open_workspace
from tests.conftest import ENGINE
from tests.faults.harness import big_ris
from tests.faults.servers import PrivatePostgres, free_port, wait_for_port

# A PostgreSQL of its own whichever engine is under test: run in the PostgreSQL pass.
pytestmark = pytest.mark.skipif(ENGINE == "sqlite", reason="runs in the PostgreSQL pass")


@pytest.fixture
def postgres() -> Iterator[PrivatePostgres]:
    if os.geteuid() != 0 and os.environ.get("CI"):
        pytest.fail("these tests run a PostgreSQL of their own as the postgres user: run as root")
    # Not under pytest's folder: the postgres user cannot enter root's.
    folder = Path(tempfile.mkdtemp(prefix="cosynth-pg-"))
    try:
        server = PrivatePostgres(folder)
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no private PostgreSQL: {exc}")
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def answer(port: int, path: str, token: str, body: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST" if body is not None else "GET",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


def test_it_fails_plainly_while_the_database_is_away_and_recovers_by_itself(
    postgres: PrivatePostgres, tmp_path: Path
) -> None:
    workspace = open_workspace(postgres.url, create=True)
    try:
        with workspace.transaction("alice") as tx:
            for name in ("alice", "bob"):
                accounts.create_user(tx, name, "a long enough password", display_name=name)
        with workspace.transaction("alice") as tx:
            review = create_review(tx, "Co-production in integrated care")
            add_member(tx, review.id, "bob", Role.REVIEWER)
            import_file(tx, review.id, "cinahl.ris", big_ris(5, seed=1, tag="a"))
        with workspace.transaction("bob") as tx:
            _token, secret = accounts.issue_api_token(tx, "fault test")
    finally:
        workspace.close()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "cosynth", "--db", postgres.url, "serve", "--port", str(port)],
        env={**os.environ, "COSYNTH_SECRET_KEY": "fault-test", "COSYNTH_HUEY_FILE":
             str(tmp_path / "jobs.huey.db"), "COSYNTH_UPLOADS": str(tmp_path / "uploads")},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    votes = f"/api/v1/reviews/{review.id}/screening/title-abstract/records/1/votes"
    try:
        wait_for_port(port, up=True, seconds=120)
        assert answer(port, f"/api/v1/reviews/{review.id}", secret)[0] == 200

        postgres.stop()
        status, said = answer(port, votes, secret, {"decision": "include"})
        assert 500 <= status < 600, said
        assert "Traceback" not in said and "sqlalchemy" not in said.lower(), said
        assert "The database cannot be reached just now" in said, said
        status, said = answer(port, f"/api/v1/reviews/{review.id}", secret)
        assert 500 <= status < 600, said
        assert "The database cannot be reached just now" in said, said

        postgres.start()
        status, said = answer(port, votes, secret, {"decision": "include"})
        assert status == 201, said
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    engine = create_engine(postgres.url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            kept = connection.execute(
                text("SELECT reviewer, decision, sequence FROM screening_votes")
            ).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in kept] == [("bob", "include", 1)], output
