"""PostgreSQL's own disk fills up under an import: a clear error, nothing half-kept.

A private PostgreSQL (initdb) lives on a 96 MB tmpfs mounted for the test
(root needed; without it a laptop skips, CI fails). alice imports until the
disk is full. PostgreSQL cannot write its log then, and stops or keeps
failing to recover, as it does on a real server. The import is refused in
plain words; once the disk is made larger and the server started again, the
store holds exactly the imports that were committed, and takes the next one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from cosynth.errors import CosynthError
from cosynth.services.imports import import_file
from cosynth.services.reviews import create_review
from cosynth.services.workspace import Workspace, open_workspace
from tests.conftest import ENGINE
from tests.faults.harness import big_ris
from tests.faults.servers import PrivatePostgres, wait_for_port

# A PostgreSQL of its own whichever engine is under test: run in the PostgreSQL pass.
pytestmark = pytest.mark.skipif(ENGINE == "sqlite", reason="runs in the PostgreSQL pass")

FILE_RECORDS = 3_000  # about 5 MB of a store each: a few fit on the disk, not ten


@pytest.fixture
def small_disk() -> Iterator[Path]:
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("the disk-full tests mount a tmpfs and need root; run CI as root")
        pytest.skip("mounting a small tmpfs needs root")
    # Not under pytest's folder: the postgres user cannot enter root's.
    where = Path(tempfile.mkdtemp(prefix="cosynth-pg-disk-"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=True)
        shutil.rmtree(where, ignore_errors=True)


@pytest.fixture
def postgres(small_disk: Path) -> Iterator[PrivatePostgres]:
    server = PrivatePostgres(small_disk / "cluster")
    server.start()
    try:
        yield server
    finally:
        # It may have stopped itself when the disk filled, and not been started again.
        with contextlib.suppress(subprocess.CalledProcessError):
            server.stop()


def counts(workspace: Workspace) -> tuple[int, int]:
    with workspace.transaction("alice", read_only=True) as tx:
        sources = tx.session.execute(text("SELECT count(*) FROM sources")).scalar_one()
        records = tx.session.execute(text("SELECT count(*) FROM records")).scalar_one()
    return int(sources), int(records)


def test_it_refuses_an_import_when_the_servers_disk_fills_and_keeps_what_was_committed(
    small_disk: Path, postgres: PrivatePostgres
) -> None:
    workspace = open_workspace(postgres.url, create=True)
    try:
        with workspace.transaction("alice") as tx:
            review = create_review(tx, "Co-production in integrated care").id
        imported = 0
        refused: CosynthError | None = None
        for file in range(20):
            try:
                with workspace.transaction("alice") as tx:
                    import_file(tx, review, f"search-{file}.ris",
                                big_ris(FILE_RECORDS, seed=file, tag=f"f{file}"))  # fmt: skip
            except CosynthError as exc:
                refused = exc
                break
            imported += 1
        assert refused is not None, "the disk never filled"
        assert 0 < imported < 20
        message = str(refused)
        assert "The database server's disk is full" in message, message
        assert "Nothing of this change was kept" in message and "Traceback" not in message

        # The server's admin gives the disk room and starts PostgreSQL again.
        subprocess.run(["mount", "-o", "remount,size=400m", str(small_disk)], check=True)
        # PostgreSQL stops itself when it cannot write its log (or is still trying
        # to recover): stop whatever is left of it, then start it.
        with contextlib.suppress(subprocess.CalledProcessError):
            postgres.stop()
        postgres.start()
        wait_for_port(postgres.port, up=True)
        assert counts(workspace) == (imported, imported * FILE_RECORDS)
        with workspace.transaction("alice") as tx:
            import_file(tx, review, "next.ris", big_ris(20, seed=99, tag="next"))
        assert counts(workspace) == (imported + 1, imported * FILE_RECORDS + 20)
    finally:
        workspace.close()
