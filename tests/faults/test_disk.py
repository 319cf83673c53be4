"""A store on a disk that fills up, or that can only be read: a clear error, nothing corrupted.

The disk is a real one: a 2 MB tmpfs mounted for the test (which needs root;
without it the test is skipped, except in CI, where it fails saying why).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from cosynth.errors import CosynthError
from cosynth.services.imports import import_file
from cosynth.services.workspace import open_workspace
from tests.conftest import Team
from tests.faults.harness import big_ris

pytestmark = pytest.mark.skipif(
    os.environ.get("COSYNTH_TEST_DB", "sqlite") != "sqlite",
    reason="a SQLite store on a small disk; PostgreSQL's disk is the server's",
)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("the disk-full tests mount a tmpfs and need root; run CI as root")
        pytest.skip("mounting a small tmpfs needs root")
    where = tmp_path / "disk"
    where.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=True)


def store_on(disk: Path, db_url: str) -> str:
    path = disk / "cosynth.db"
    source = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    target = sqlite3.connect(path)
    try:
        source.backup(target)  # the team, committed in the WAL, comes too
    finally:
        source.close()
        target.close()
    return f"sqlite:///{path}"


def contents(url: str, *, read_only: bool = False) -> tuple[str, int, int]:
    path = url.removeprefix("sqlite:///")
    if read_only:  # nothing to write a WAL or a lock into: read the file as it is
        connection = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    else:
        connection = sqlite3.connect(path)
    try:
        (check,) = connection.execute("PRAGMA integrity_check").fetchone()
        (sources,) = connection.execute("SELECT count(*) FROM sources").fetchone()
        (records,) = connection.execute("SELECT count(*) FROM records").fetchone()
    finally:
        connection.close()
    return str(check), int(sources), int(records)


def test_it_refuses_an_import_that_does_not_fit_and_keeps_the_store_as_it_was(
    small_disk: Path, db_url: str, team: Team
) -> None:
    url = store_on(small_disk, db_url)
    workspace = open_workspace(url)
    try:
        with workspace.transaction(team.lead) as tx:
            import_file(tx, team.review_id, "small.ris", big_ris(20, seed=1, tag="s"))
        before = contents(url)
        with pytest.raises(CosynthError, match="full") as refused:
            with workspace.transaction(team.lead) as tx:
                import_file(tx, team.review_id, "huge.ris", big_ris(6_000, seed=2, tag="h"))
        assert "Traceback" not in str(refused.value)
        assert contents(url) == before == ("ok", 1, 20)
        # Once there is room again the same store takes the next import.
        with workspace.transaction(team.lead) as tx:
            import_file(tx, team.review_id, "next.ris", big_ris(20, seed=3, tag="n"))
    finally:
        workspace.close()
    assert contents(url) == ("ok", 2, 40)


def test_it_says_plainly_that_a_read_only_store_cannot_be_changed(
    small_disk: Path, db_url: str, team: Team
) -> None:
    url = store_on(small_disk, db_url)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(CosynthError) as refused:
        workspace = open_workspace(url)
        try:
            with workspace.transaction(team.lead) as tx:
                import_file(tx, team.review_id, "small.ris", big_ris(20, seed=1, tag="s"))
        finally:
            workspace.close()
    message = str(refused.value)
    assert "can only be read (read-only)" in message, message
    assert "cosynth.db" in message
    assert contents(url, read_only=True) == ("ok", 0, 0)
