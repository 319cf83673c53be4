"""Backups of the whole store: taken while the team votes, restored whole into either engine.

Run on both engines (COSYNTH_TEST_DB): the store under test is backed up
into a fresh SQLite file and back, so on PostgreSQL every story is also a
round trip across engines (PostgreSQL to SQLite, SQLite to PostgreSQL).
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cosynth.domain.jobs import JobStatus
from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.errors import InputError
from cosynth.services import backup
from cosynth.services.accounts import authenticate, create_user, issue_api_token
from cosynth.services.jobs import job_status, queue_dedup, queue_ranking, run_job
from cosynth.services.reviews import create_review, get_review, my_reviews
from cosynth.services.screening import cast_vote
from cosynth.services.workspace import Workspace, open_workspace
from cosynth.store import backup as backup_store
from tests.conftest import Team
from tests.services.archive_helpers import build_rich_review
from tests.services.screening_helpers import import_search
from tests.services.test_archive import columns_at, rewritten

PASSWORD = "a long and memorable passphrase"


def take_backup(workspace: Workspace, who: str = "alice") -> bytes:
    with workspace.transaction(who, read_only=True) as tx:
        return backup.backup_store_bytes(tx)


def restore(workspace: Workspace, data: bytes, filename: str = "team.cosynth-backup") -> None:
    with workspace.transaction("alice") as tx:
        backup.restore_store(tx, data, filename)


def rows(workspace: Workspace) -> dict[str, Any]:
    """Every row of every table (ids and all) and every file, as a backup reads them."""
    with workspace.transaction("alice", read_only=True) as tx:
        dump = backup_store.dump_store(tx.session, revision="")
    return {"tables": {t.name: t.rows for t in dump.tables}, "files": dict(dump.files)}


def records_of(workspace: Workspace, table: str) -> list[dict[str, Any]]:
    """The rows of one table as column -> value."""
    with workspace.transaction("alice", read_only=True) as tx:
        dump = backup_store.dump_store(tx.session, revision="")
    found = dump.table(table)
    assert found is not None
    return [dict(zip(found.columns, row, strict=True)) for row in found.rows]


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Workspace]:
    """An empty SQLite store: where the engine under test's backup is restored."""
    opened = open_workspace(f"sqlite:///{tmp_path / 'restored.db'}", create=True)
    yield opened
    opened.close()


def installation(workspace: Workspace) -> Team:
    """The rich review, accounts with a token and a sign-in, a job done and one still queued."""
    rich = build_rich_review(workspace)
    with workspace.transaction("alice") as tx:
        create_user(tx, "alice", PASSWORD, display_name="Alice Lead", email="alice@example.org")
    with workspace.transaction("alice") as tx:
        authenticate(tx, "alice", PASSWORD, remote_addr="127.0.0.1")
        issue_api_token(tx, "nightly script")
        done = queue_dedup(tx, rich.team.review_id)
    run_job(workspace, done.id)
    with workspace.transaction("bob") as tx:
        queue_ranking(tx, rich.team.review_id, stage=Stage.TITLE_ABSTRACT)
    return rich.team


def same_rows(before: dict[str, Any], after: dict[str, Any], *, restores: int) -> None:
    """Every row and file as it was, but the restores' own audit entries and unfinished jobs."""
    assert after["files"] == before["files"]
    for name, table in before["tables"].items():
        if name == "jobs":
            continue
        # Each restore adds its own audit entry after those it restored.
        assert after["tables"][name][: len(table)] == table, name
        assert len(after["tables"][name]) == len(table) + restores * (name == "audit_events"), name


def test_it_restores_every_row_of_the_store_into_the_other_engine_and_back(
    workspace: Workspace, fresh: Workspace, tmp_path: Path
) -> None:
    # Built on a SQLite file, restored into the store under test, backed up
    # from there and restored into a SQLite file again: on PostgreSQL, both ways.
    laptop = open_workspace(f"sqlite:///{tmp_path / 'laptop.db'}", create=True)
    try:
        team = installation(laptop)
        before = rows(laptop)
        restore(workspace, take_backup(laptop))
    finally:
        laptop.close()
    same_rows(before, rows(workspace), restores=1)
    restore(fresh, take_backup(workspace))
    same_rows(before, rows(fresh), restores=2)
    with fresh.transaction("alice") as tx:
        assert get_review(tx, team.review_id).title == before["tables"]["reviews"][0][1]
        assert authenticate(tx, "alice", PASSWORD).display_name == "Alice Lead"


def test_it_restores_a_sqlite_backup_into_the_store_under_test_which_keeps_working(
    workspace: Workspace, fresh: Workspace
) -> None:
    # The backup is taken from SQLite; on PostgreSQL the ids it carries are
    # written as they are, and the sequences must be moved past them.
    with fresh.transaction("alice") as tx:
        review = create_review(tx, "Co-production in integrated care")
    team = Team(review_id=review.id)
    with fresh.transaction("alice") as tx:
        from cosynth.domain.roles import Role
        from cosynth.services.reviews import add_member

        add_member(tx, review.id, "bob", Role.REVIEWER)
    records = import_search(fresh, team)
    with fresh.transaction("bob") as tx:
        cast_vote(tx, review.id, records[0], Decision.INCLUDE, stage=Stage.TITLE_ABSTRACT)
    restore(workspace, take_backup(fresh))
    with workspace.transaction("bob") as tx:
        later = cast_vote(tx, review.id, records[1], Decision.INCLUDE, stage=Stage.TITLE_ABSTRACT)
        second = create_review(tx, "Peer support in mental health")
    assert later.id > 1
    assert second.id == review.id + 1
    with workspace.transaction("alice") as tx:
        assert [r.title for r in my_reviews(tx)] == ["Co-production in integrated care"]


def test_it_marks_a_job_unfinished_at_the_backup_as_failed_saying_to_start_it_again(
    workspace: Workspace, fresh: Workspace, team: Team
) -> None:
    with workspace.transaction("alice") as tx:
        done = queue_dedup(tx, team.review_id)
    run_job(workspace, done.id)
    with workspace.transaction("alice") as tx:
        waiting = queue_dedup(tx, team.review_id)
    restore(fresh, take_backup(workspace))
    with fresh.transaction("alice") as tx:
        assert job_status(tx, done.id, review_id=team.review_id).status is JobStatus.DONE
        failed = job_status(tx, waiting.id, review_id=team.review_id)
    assert failed.status is JobStatus.FAILED
    assert failed.progress.message == backup.UNFINISHED_JOB


def test_it_restores_only_into_an_empty_store(workspace: Workspace, team: Team) -> None:
    data = take_backup(workspace)
    with pytest.raises(InputError, match=r"this store is not empty .*reviews.*new SQLite file"):
        restore(workspace, data)
    with workspace.transaction("alice") as tx:
        assert len(my_reviews(tx)) == 1


# -- a damaged backup


def changed(data: bytes, member: str, body: bytes) -> bytes:
    """The backup with one member's bytes replaced, the manifest left as it was."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            new.writestr(info, body if info.filename == member else old.read(info))
    return out.getvalue()


def manifest_of(data: bytes) -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        found: dict[str, Any] = json.loads(archive.read("manifest.json"))
    return found


def votes_member(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("tables/screening_votes.json")


@pytest.fixture
def voted(workspace: Workspace, team: Team) -> bytes:
    """A backup of a store where bob has voted."""
    records = import_search(workspace, team)
    with workspace.transaction("bob") as tx:
        cast_vote(tx, team.review_id, records[0], Decision.INCLUDE, stage=Stage.TITLE_ABSTRACT)
    return take_backup(workspace)


def damaged(data: bytes) -> dict[str, tuple[bytes, str]]:
    """Ways a backup is found damaged, each with the words that refuse it."""
    body = votes_member(data)
    edited = body.replace(b'"include"', b'"exclude"')
    assert edited != body
    manifest = manifest_of(data)
    newer = dict(manifest, format_version=99)
    dropped = dict(manifest, tables={k: v for k, v in manifest["tables"].items() if k != "users"})
    dropped["members"] = {k: v for k, v in manifest["members"].items() if k != "tables/users.json"}
    return {
        "not a zip": (b"%PDF-1.7 this is not a backup", "damaged or incomplete"),
        "truncated": (data[: len(data) // 2], "damaged or incomplete"),
        "a vote changed": (
            changed(data, "tables/screening_votes.json", edited),
            "'tables/screening_votes.json' is not what was written",
        ),
        "a row count changed": (
            changed(
                data,
                "manifest.json",
                json.dumps(
                    dict(manifest, tables={**manifest["tables"], "screening_votes": 7})
                ).encode(),
            ),
            "screening_votes holds 1 rows; the manifest says 7",
        ),
        "a table left out": (
            changed(data, "manifest.json", json.dumps(dropped).encode()),
            "has been changed since cosynth wrote it",
        ),
        "from a newer cosynth": (
            changed(data, "manifest.json", json.dumps(newer).encode()),
            "made by a newer cosynth",
        ),
    }


def test_it_refuses_a_damaged_backup_and_restores_nothing(voted: bytes, fresh: Workspace) -> None:
    for name, (data, words) in damaged(voted).items():
        with pytest.raises(InputError, match=words):
            restore(fresh, data, "team.cosynth-backup")
        assert rows(fresh)["tables"]["reviews"] == (), name
    with fresh.transaction("alice") as tx:
        assert backup_store.tables_holding_rows(tx.session) == []
    restore(fresh, voted)
    assert len(records_of(fresh, "screening_votes")) == 1


def test_it_refuses_a_backup_whose_checksums_were_rewritten_to_match_a_missing_row(
    voted: bytes, fresh: Workspace
) -> None:
    # Someone who rewrites the manifest too gets past the checksums: the rows
    # themselves must still fit, or nothing is written.
    body = votes_member(voted)
    table = json.loads(body)
    record = table["columns"].index("record_id")
    table["rows"][0][record] = 999
    edited = json.dumps(table).encode()
    manifest = manifest_of(voted)
    manifest["members"]["tables/screening_votes.json"] = hashlib.sha256(edited).hexdigest()
    forged = changed(
        changed(voted, "tables/screening_votes.json", edited),
        "manifest.json",
        json.dumps(manifest).encode(),
    )
    with pytest.raises(InputError, match="could not be written into this store"):
        restore(fresh, forged)
    with fresh.transaction("alice") as tx:
        assert backup_store.tables_holding_rows(tx.session) == []


def test_it_upgrades_a_backup_from_an_older_schema_and_refuses_one_from_a_newer(
    voted: bytes, workspace: Workspace, fresh: Workspace, tmp_path: Path
) -> None:
    """A backup taken before the advisory group and the synthesis had tables (0008)."""
    old = columns_at("0008", tmp_path)

    def as_0008(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        manifest["schema_revision"] = "0008"
        for name in list(manifest["tables"]):
            if name not in old:
                del members[f"tables/{name}.json"]
                assert manifest["tables"].pop(name) == 0, name
                continue
            table = json.loads(members[f"tables/{name}.json"])
            keep = [i for i, column in enumerate(table["columns"]) if column in old[name]]
            table["columns"] = [table["columns"][i] for i in keep]
            table["rows"] = [[row[i] for i in keep] for row in table["rows"]]
            members[f"tables/{name}.json"] = json.dumps(table).encode()

    def as_newer(_members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        manifest["schema_revision"] = "9999"

    with pytest.raises(InputError, match=r"made by a newer cosynth \(schema 9999\)"):
        restore(fresh, rewritten(voted, as_newer))
    restore(fresh, rewritten(voted, as_0008))
    for table in ("reviews", "members", "records", "screening_votes"):
        assert records_of(fresh, table) == records_of(workspace, table), table


def test_it_tells_a_review_archive_from_a_backup(workspace: Workspace, team: Team) -> None:
    from cosynth.services.archive import export_review

    with workspace.transaction("alice") as tx:
        data = export_review(tx, team.review_id)
    with pytest.raises(InputError, match="it is a review archive: open it with `cosynth archive"):
        backup.read_backup_manifest(data, "review.cosynth")


# -- a backup taken while the team votes


VOTES_EACH = 400


def test_it_takes_a_backup_while_reviewers_vote_holding_each_vote_whole_or_not_at_all(
    workspace: Workspace, team: Team, tmp_path: Path
) -> None:
    records = import_search(workspace, team)
    # Each reviewer changes their mind on the six records in turn: every vote is a new row.
    plan = [
        (
            records[i % len(records)],
            Decision.EXCLUDE if (i // len(records)) % 2 else Decision.INCLUDE,
        )
        for i in range(VOTES_EACH)
    ]
    cast: dict[str, int] = {"bob": 0, "carol": 0}
    stop = threading.Event()
    failures: list[BaseException] = []

    def screen(who: str) -> None:
        try:
            for record_id, decision in plan:
                if stop.is_set():
                    return
                with workspace.transaction(who) as tx:
                    cast_vote(
                        tx, team.review_id, record_id, decision, stage=Stage.TITLE_ABSTRACT,
                        reason="wrong setting" if decision is Decision.EXCLUDE else "",
                    )  # fmt: skip
                cast[who] += 1
        except BaseException as exc:
            failures.append(exc)

    def voted() -> int:
        return sum(cast.values())

    threads = [threading.Thread(target=screen, args=(who,)) for who in cast]
    for thread in threads:
        thread.start()
    backups: list[bytes] = []
    try:
        while voted() < 2 and not failures:
            threading.Event().wait(0.01)
        for _ in range(4):
            backups.append(take_backup(workspace))
        # The team votes on after the last backup, so it cannot hold every vote.
        last = voted()
        while voted() < last + 2 and not failures and any(t.is_alive() for t in threads):
            threading.Event().wait(0.01)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not failures
    held = []
    for number, data in enumerate(backups):
        restored = open_workspace(f"sqlite:///{tmp_path / f'restored-{number}.db'}", create=True)
        try:
            restore(restored, data)
            held.append(check_votes_whole(restored, team, plan))
        finally:
            restored.close()
    assert min(held) > 0
    assert max(held) < voted()


def check_votes_whole(restored: Workspace, team: Team, plan: list[tuple[int, Decision]]) -> int:
    """Each reviewer's restored votes are the first of those they cast, each with its audit entry.

    A backup read table by table without one snapshot would hold a vote
    without its audit entry, or the other way round, or a reviewer's later
    vote without an earlier one. The number of votes held.
    """
    votes = records_of(restored, "screening_votes")
    audit = records_of(restored, "audit_events")
    total = 0
    for who in ("bob", "carol"):
        mine = sorted((v for v in votes if v["reviewer"] == who), key=lambda v: v["id"])
        assert [(v["record_id"], Decision(v["decision"])) for v in mine] == plan[: len(mine)]
        logged = [
            e["detail"]["record"] for e in audit if e["actor"] == who and e["action"] == "vote cast"
        ]
        assert logged == [v["record_id"] for v in mine]
        total += len(mine)
    return total
