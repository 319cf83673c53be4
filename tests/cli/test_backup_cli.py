"""`cosynth backup` and `cosynth restore`, as alice runs them for the team's server.

On PostgreSQL (COSYNTH_TEST_DB) the backup of the store under test is
restored into a SQLite file, and a SQLite file's backup into the store under
test: both directions across the engines.
"""

from __future__ import annotations

import json
import stat
from importlib.resources import files
from pathlib import Path

from click.testing import CliRunner, Result

from cosynth.cli.main import cli

SAMPLES = Path(str(files("cosynth") / "samples"))


def cosynth(db: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db, "--as", "alice", *args], catch_exceptions=False)


def start_review(db: str) -> None:
    assert cosynth(db, "init", "--title", "Co-production in integrated care").exit_code == 0
    imported = cosynth(
        db, "import", str(SAMPLES / "PubMed_example.txt"), "--searched", "2022-03-31"
    )
    assert imported.exit_code == 0, imported.output


def records(db: str) -> int:
    status = cosynth(db, "status", "--json")
    assert status.exit_code == 0, status.output
    count: int = json.loads(status.output)["records"]
    return count


def test_it_backs_up_the_store_under_test_and_restores_it_into_a_new_file(
    db_url: str, tmp_path: Path
) -> None:
    start_review(db_url)
    file = tmp_path / "team.cosynth-backup"
    backed_up = cosynth(db_url, "backup", str(file))
    assert backed_up.exit_code == 0, backed_up.output
    assert f"to {file}" in backed_up.output
    # Password hashes and advisers' details: readable by alice alone.
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert not list(tmp_path.glob(".*.partial"))

    restored_db = str(tmp_path / "restored.db")
    restored = cosynth(restored_db, "restore", str(file))
    assert restored.exit_code == 0, restored.output
    assert "1 reviews" in restored.output
    assert records(restored_db) == records(db_url) == 3

    again = cosynth(restored_db, "restore", str(file))
    assert again.exit_code == 1
    assert "this store is not empty" in again.output
    assert records(restored_db) == 3


def test_it_restores_a_sqlite_backup_into_the_store_under_test(db_url: str, tmp_path: Path) -> None:
    laptop = str(tmp_path / "laptop.db")
    start_review(laptop)
    file = tmp_path / "laptop.cosynth-backup"
    assert cosynth(laptop, "backup", str(file)).exit_code == 0
    restored = cosynth(db_url, "restore", str(file))
    assert restored.exit_code == 0, restored.output
    assert "from sqlite" in restored.output
    assert records(db_url) == 3
    # The ids the backup carried are behind the store's sequences now: work goes on.
    assert cosynth(db_url, "init", "--title", "Peer support").exit_code == 0


def test_it_refuses_a_truncated_backup_and_creates_no_store(tmp_path: Path) -> None:
    laptop = str(tmp_path / "laptop.db")
    start_review(laptop)
    file = tmp_path / "laptop.cosynth-backup"
    assert cosynth(laptop, "backup", str(file)).exit_code == 0
    file.write_bytes(file.read_bytes()[:-100])
    target = tmp_path / "restored.db"
    refused = cosynth(str(target), "restore", str(file))
    assert refused.exit_code == 1
    assert "laptop.cosynth-backup: the ZIP archive is damaged or incomplete" in refused.output
    assert not target.exists()
