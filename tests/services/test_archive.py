"""The review archive: a whole review out of one store and into another, exactly as it was.

Run on both engines (COSYNTH_TEST_DB); the fresh store of the second story is
always a SQLite file, so on PostgreSQL it is also a round trip across engines.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
import respx
from alembic import command
from sqlalchemy import JSON, Column, ForeignKey, Integer, MetaData, Table

from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.domain.search_runs import SearchApi
from cosynth.errors import InputError, PermissionDeniedError
from cosynth.services import archive, exports, themes
from cosynth.services.appraisal import appraisal_exclusions
from cosynth.services.gripp2 import gripp2_markdown
from cosynth.services.imports import import_file
from cosynth.services.living_updates import mark_previous_version, previous_version
from cosynth.services.reviews import create_review, get_review, list_members, my_reviews
from cosynth.services.screening_state import load_stage
from cosynth.services.search_runs import run_search
from cosynth.services.studies import included_studies
from cosynth.services.workspace import Workspace, open_workspace
from cosynth.store import archive as archive_store
from cosynth.store.engine import alembic_config, make_engine
from tests.conftest import Team
from tests.network import FakeTime, no_network
from tests.services.archive_helpers import RichReview, build_rich_review, canonical
from tests.services.screening_helpers import both_vote, import_search
from tests.services.search_run_helpers import QUERY, connector, pubmed_answers

# Tables the rich review must fill, or the round trip proves less than it seems.
EVERY_KIND_OF_ROW = (
    "records", "duplicate_groups", "calibration_rounds", "screening_resolutions",
    "report_pages", "appraisal_judgements", "extraction_values", "quotes",
    "coproduction_ratings", "advisory_meetings", "advisory_payments", "transcripts",
    "phase_events", "codings", "translation_orders", "translations", "themes",
    "interpretations", "resonances", "search_questions", "search_terms", "search_log_sources",
    "checklist_reported",
)  # fmt: skip
__all__ = ["no_network"]  # the fixture, for the search run's story
OPENED = "review opened from an archive"
ARCHIVED = "review archived"
EXPORTED = "records exported"


def views(workspace: Workspace, review_id: int) -> dict[str, Any]:
    """What the services show of a review, in words and labels rather than ids."""
    with workspace.transaction("alice") as tx:
        shown: dict[str, Any] = {}
        for stage in Stage:
            state = load_stage(tx, review_id, stage)
            counts: dict[str, int] = {}
            for unit in state.units:
                status = state.outcomes[unit].status.value
                counts[status] = counts.get(status, 0) + 1
            shown[f"outcomes {stage.value}"] = counts
        shown["included"] = [study.label for study in included_studies(tx, review_id)]
        shown["excluded by appraisal"] = [
            (found.study.label, found.reason) for found in appraisal_exclusions(tx, review_id)
        ]
        shown["theme tree"] = themes.theme_tree_markdown(tx, review_id)
        shown["gripp2"] = gripp2_markdown(tx, review_id)
        for name in exports.EXPORT_SETS:
            written = exports.export_set(tx, review_id, name, "ris")
            # A duplicate's note names its group's first record by this store's id.
            shown[f"set {name}"] = re.sub(rb"Duplicate of record: \d+", b"", written)
    return shown


def without_archiving(rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    """The rows less the audit entries that archiving, importing and exporting add."""
    return {
        name: [
            row
            for row in found
            if not (name == "audit_events" and {ARCHIVED, OPENED, EXPORTED} & set(map(str, row)))
        ]
        for name, found in rows.items()
    }


@pytest.fixture
def rich(workspace: Workspace) -> RichReview:
    return build_rich_review(workspace)


def exported(workspace: Workspace, review_id: int, who: str = "alice") -> bytes:
    with workspace.transaction(who) as tx:
        return archive.export_review(tx, review_id)


def test_it_accounts_for_every_table_and_every_column_holding_ids() -> None:
    assert archive_store.unclassified() == []


def test_it_names_a_table_or_column_added_without_saying_how_it_travels() -> None:
    """A later issue's table: its JSON of ids, a loose id and a key to an account."""
    metadata = MetaData()
    Table("reviews", metadata, Column("id", Integer, primary_key=True))
    Table("users", metadata, Column("id", Integer, primary_key=True))
    Table(
        "hunches",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("review_id", ForeignKey("reviews.id")),
        Column("record_ids", JSON),
        Column("theme_id", Integer),
        Column("user_id", ForeignKey("users.id")),
    )
    Table("settings", metadata, Column("id", Integer, primary_key=True))
    assert set(archive_store.unclassified(metadata)) == {
        "table settings",
        "key hunches.user_id to users",
        "JSON column hunches.record_ids",
        "id column hunches.theme_id with no foreign key",
    }


def test_it_round_trips_a_whole_review_into_a_store_that_holds_it_already(
    workspace: Workspace, rich: RichReview
) -> None:
    data = exported(workspace, rich.team.review_id)
    with workspace.transaction("alice") as tx:
        review = archive.import_review(tx, data, "review.cosynth")
    assert review.id != rich.team.review_id
    before, after = canonical(workspace, rich.team.review_id), canonical(workspace, review.id)
    assert all(before[name] for name in EVERY_KIND_OF_ROW)
    assert without_archiving(after) == without_archiving(before)
    assert views(workspace, review.id) == views(workspace, rich.team.review_id)


def test_it_round_trips_a_whole_review_into_a_fresh_store(
    workspace: Workspace, rich: RichReview, tmp_path: Path
) -> None:
    data = exported(workspace, rich.team.review_id)
    elsewhere = open_workspace(f"sqlite:///{tmp_path / 'elsewhere.db'}", create=True)
    try:
        with elsewhere.transaction("alice") as tx:
            create_review(tx, "Another review, so that ids differ")
        with elsewhere.transaction("alice") as tx:
            review = archive.import_review(tx, data, "review.cosynth")
        assert without_archiving(canonical(elsewhere, review.id)) == without_archiving(
            canonical(workspace, rich.team.review_id)
        )
        assert views(elsewhere, review.id) == views(workspace, rich.team.review_id)
        # ... and back again: the same archive, byte for byte but for its date and maker.
        with elsewhere.transaction("alice") as tx:
            again = archive.export_review(tx, review.id)
    finally:
        elsewhere.close()
    with workspace.transaction("alice") as tx:
        back = archive.import_review(tx, again, "again.cosynth")
    assert without_archiving(canonical(workspace, back.id)) == without_archiving(
        canonical(workspace, rich.team.review_id)
    )


def test_it_keeps_the_pdfs_and_imported_files_as_members_with_their_checksums(
    workspace: Workspace, rich: RichReview
) -> None:
    data = exported(workspace, rich.team.review_id)
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
        pdfs = [name for name in zipped.namelist() if name.startswith("files/reports/content/")]
        sources = [name for name in zipped.namelist() if name.startswith("files/sources/raw/")]
        assert len(pdfs) == 2 and all(zipped.read(name).startswith(b"%PDF") for name in pdfs)
        assert any(name.endswith(".ciw") for name in sources)
        for name, sha in manifest["members"].items():
            assert hashlib.sha256(zipped.read(name)).hexdigest() == sha
    assert manifest["format_version"] == 1
    assert manifest["schema_revision"] == archive_store.schema_revisions()[-1]
    assert manifest["created_by"] == "alice"
    with workspace.transaction("alice", read_only=True) as tx:
        assert manifest["review"]["title"] == get_review(tx, rich.team.review_id).title
    assert manifest["tables"]["records"] > 0
    assert "users" not in manifest["tables"] and "jobs" not in manifest["tables"]


# -- who may


def test_it_lets_only_the_lead_export_the_whole_review(workspace: Workspace, team: Team) -> None:
    for who in ("bob", "pat", "mallory"):
        with pytest.raises(PermissionDeniedError), workspace.transaction(who) as tx:
            archive.export_review(tx, team.review_id)


def test_it_makes_the_importer_the_lead_of_the_review_they_opened(
    workspace: Workspace, team: Team
) -> None:
    import_search(workspace, team)
    data = exported(workspace, team.review_id)
    with workspace.transaction("dora") as tx:
        review = archive.import_review(tx, data, "review.cosynth")
        members = {member.username: member.role.value for member in list_members(tx, review.id)}
    assert members == {"alice": "lead", "bob": "reviewer", "carol": "reviewer",
                       "pat": "adviser", "dora": "lead"}  # fmt: skip


# -- bad archives: a plain reason, and nothing imported


def small_archive(workspace: Workspace, team: Team) -> bytes:
    ids = import_search(workspace, team)
    both_vote(workspace, team, ids[2], Decision.EXCLUDE, Decision.EXCLUDE)
    return exported(workspace, team.review_id)


def rewritten(data: bytes, change: Any, *, fix_checksums: bool = True) -> bytes:
    """The archive with its members changed by `change(members)`, checksums made right again."""
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        members = {name: zipped.read(name) for name in zipped.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    change(members, manifest)
    if fix_checksums:
        manifest["members"] = {
            name: hashlib.sha256(body).hexdigest() for name, body in members.items()
        }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("manifest.json", json.dumps(manifest))
        for name, body in members.items():
            zipped.writestr(name, body)
    return buffer.getvalue()


def refused(workspace: Workspace, data: bytes) -> str:
    with workspace.transaction("alice", read_only=True) as tx:
        before = len(my_reviews(tx))
    with pytest.raises(InputError) as caught, workspace.transaction("alice") as tx:
        archive.import_review(tx, data, "review.cosynth")
    with workspace.transaction("alice", read_only=True) as tx:
        assert len(my_reviews(tx)) == before
    return str(caught.value)


def test_it_refuses_what_is_not_a_zip(workspace: Workspace, team: Team) -> None:
    data = small_archive(workspace, team)
    assert "damaged or incomplete" in refused(workspace, data[: len(data) // 2])
    assert "not a cosynth review archive" in refused(workspace, b"PK\x05\x06" + b"\0" * 18)


def test_it_refuses_a_member_changed_since_it_was_written(workspace: Workspace, team: Team) -> None:
    data = small_archive(workspace, team)

    def tamper(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        members["tables/records.json"] = members["tables/records.json"].replace(b"Peer", b"Pier")

    message = refused(workspace, rewritten(data, tamper, fix_checksums=False))
    assert "tables/records.json" in message and "checksum" in message


def test_it_refuses_an_archive_with_a_table_missing(workspace: Workspace, team: Team) -> None:
    data = small_archive(workspace, team)

    def drop(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        del members["tables/screening_votes.json"]
        del manifest["tables"]["screening_votes"]

    assert "no table screening_votes" in refused(workspace, rewritten(data, drop))


def test_it_refuses_a_key_to_a_row_the_archive_does_not_hold(
    workspace: Workspace, team: Team
) -> None:
    data = small_archive(workspace, team)

    def orphan(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        table = json.loads(members["tables/screening_votes.json"])
        table["rows"][0][table["columns"].index("record_id")] = 999_999
        members["tables/screening_votes.json"] = json.dumps(table).encode()

    message = refused(workspace, rewritten(data, orphan))
    assert "screening_votes.record_id" in message and "999999" in message


def test_it_refuses_an_archive_from_a_newer_cosynth(workspace: Workspace, team: Team) -> None:
    data = small_archive(workspace, team)
    head = archive_store.schema_revisions()[-1]
    newer = f"{int(head) + 2:04d}"

    def newer_schema(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        manifest["schema_revision"] = newer

    message = refused(workspace, rewritten(data, newer_schema))
    assert f"newer cosynth (schema {newer})" in message
    assert f"reads up to {head}" in message and "upgrade cosynth" in message

    def newer_format(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        manifest["format_version"] = 2

    assert "archive format 2" in refused(workspace, rewritten(data, newer_format))


def columns_at(revision: str, folder: Path) -> dict[str, list[str]]:
    """Each table's columns in a store built up to `revision` (an older cosynth's)."""
    engine = make_engine(f"sqlite:///{folder / 'old.db'}")
    command.upgrade(alembic_config(engine), revision)
    found = MetaData()
    found.reflect(engine)
    engine.dispose()
    return {name: [column.name for column in table.columns] for name, table in found.tables.items()}


def test_it_upgrades_an_archive_from_an_older_schema(
    workspace: Workspace, team: Team, tmp_path: Path
) -> None:
    """An archive made before the advisory group and the synthesis had tables (0008)."""
    data = small_archive(workspace, team)
    old = columns_at("0008", tmp_path)

    def as_0008(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        manifest["schema_revision"] = "0008"
        for name in list(manifest["tables"]):
            if name not in old:
                del members[f"tables/{name}.json"]
                assert manifest["tables"].pop(name) == 0
                continue
            table = json.loads(members[f"tables/{name}.json"])
            keep = [i for i, column in enumerate(table["columns"]) if column in old[name]]
            table["columns"] = [table["columns"][i] for i in keep]
            table["rows"] = [[row[i] for i in keep] for row in table["rows"]]
            members[f"tables/{name}.json"] = json.dumps(table).encode()

    with workspace.transaction("alice") as tx:
        review = archive.import_review(tx, rewritten(data, as_0008), "old.cosynth")
    before = without_archiving(canonical(workspace, team.review_id))
    after = without_archiving(canonical(workspace, review.id))
    assert after == before


def test_it_imports_nothing_when_a_second_file_was_already_there(
    workspace: Workspace, team: Team
) -> None:
    """The archive's import runs in the caller's transaction: a later failure undoes it."""
    data = small_archive(workspace, team)
    with workspace.transaction("alice", read_only=True) as tx:
        before = len(my_reviews(tx))
    with pytest.raises(InputError), workspace.transaction("alice") as tx:
        review = archive.import_review(tx, data, "review.cosynth")
        import_file(tx, review.id, "empty.ris", b"")
    with workspace.transaction("alice", read_only=True) as tx:
        assert len(my_reviews(tx)) == before


@respx.mock
def test_it_round_trips_a_search_run_its_pages_and_a_previous_version(
    workspace: Workspace, team: Team, no_network: None
) -> None:
    """alice's PubMed search run, the API's pages kept whole, and a living update's version."""
    ids = import_search(workspace, team)
    both_vote(workspace, team, ids[0], Decision.INCLUDE, Decision.INCLUDE)
    both_vote(workspace, team, ids[0], Decision.INCLUDE, Decision.INCLUDE, stage=Stage.FULL_TEXT)
    pubmed_answers(respx.mock)
    result = run_search(
        workspace, "alice", team.review_id, SearchApi.PUBMED, QUERY,
        connector=connector("pubmed", FakeTime()),
    )  # fmt: skip
    with workspace.transaction("alice") as tx:
        mark_previous_version(tx, team.review_id, result.run.id)
    data = exported(workspace, team.review_id)
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        assert [n for n in zipped.namelist() if n.startswith("files/search_run_pages/")]
    with workspace.transaction("alice") as tx:
        review = archive.import_review(tx, data, "review.cosynth")
    before = without_archiving(canonical(workspace, team.review_id))
    assert before["search_run_pages"] and before["review_versions"]
    assert without_archiving(canonical(workspace, review.id)) == before
    with workspace.transaction("alice", read_only=True) as tx:
        version = previous_version(tx, review.id)
        studies = included_studies(tx, review.id)
    assert version is not None
    assert list(version.study_record_ids) == [study.record_id for study in studies]
