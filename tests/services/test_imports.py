"""alice imports the team's database exports; nothing is lost, nothing half-written."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from importlib.resources import files

import pytest
from sqlalchemy import func, select

from cosynth.domain.citation import Citation
from cosynth.errors import AlreadyImportedError, ImportFileError, PermissionDeniedError
from cosynth.formats import Document, Entry
from cosynth.formats.registry import readers
from cosynth.services import records as record_service
from cosynth.services.imports import MAX_IMPORT_BYTES, check_size, import_file
from cosynth.services.reviews import review_status
from cosynth.services.workspace import Workspace
from cosynth.store.tables import AuditEventRow, RecordRow, SourceRow
from tests.conftest import Team

SAMPLES = files("cosynth") / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def counts(workspace: Workspace, team: Team) -> tuple[int, int]:
    with workspace.transaction(team.lead) as tx:
        status = review_status(tx, team.review_id)
    return status.sources, status.records


def test_it_imports_an_export_whole_and_keeps_its_provenance(
    workspace: Workspace, team: Team
) -> None:
    data = sample("Ovid_ris_example.ris")
    with workspace.transaction("alice") as tx:
        report = import_file(
            tx, team.review_id, "Ovid_ris_example.ris", data, database="CAB Abstracts",
            platform="Ovid",
        )  # fmt: skip
    assert report.records_imported == 4
    assert report.records_read == 4
    assert report.skipped == ()
    assert report.source.database == "CAB Abstracts"
    assert report.source.sha256 == hashlib.sha256(data).hexdigest()

    with workspace.transaction("bob") as tx:
        found = record_service.list_records(tx, team.review_id)
        raw = record_service.record_raw(tx, team.review_id, found[0].id)
    assert found[0].citation.title.startswith("Detection of retention trees on clearcuts")
    assert found[0].citation.authors[0].startswith("Holmstrom")
    assert "TY  - JOUR" in raw
    assert "Detection of retention trees" in raw
    with workspace.transaction("alice") as tx:
        kept = tx.session.scalar(select(SourceRow.raw).where(SourceRow.id == report.source.id))
    assert kept == data


def test_it_refuses_the_same_file_twice_unless_asked_again(
    workspace: Workspace, team: Team
) -> None:
    data = sample("PubMed_example.txt")
    with workspace.transaction("alice") as tx:
        import_file(tx, team.review_id, "pubmed.txt", data)
    with pytest.raises(AlreadyImportedError, match=r"pubmed-again\.txt.*already imported.*--again"):
        with workspace.transaction("alice") as tx:
            import_file(tx, team.review_id, "pubmed-again.txt", data)
    assert counts(workspace, team) == (1, 3)

    with workspace.transaction("alice") as tx:
        import_file(tx, team.review_id, "pubmed-again.txt", data, again=True)
    assert counts(workspace, team) == (2, 6)


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("empty.ris", b"", "empty"),
        ("blank.ris", b"\n\n   \n", "empty"),
        ("article.ris", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
        (
            "export.ris",
            b"<!DOCTYPE html>\n<html><head><title>Session expired</title></head></html>",
            "web page",
        ),
        ("photo.ris", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        ("notes.txt", b"Some notes about the search, not an export.\nLine two.\n", "cannot tell"),
    ],
)
def test_it_refuses_what_is_not_an_export_and_writes_nothing(
    workspace: Workspace, team: Team, name: str, data: bytes, problem: str
) -> None:
    with pytest.raises(ImportFileError) as refused:
        with workspace.transaction("alice") as tx:
            import_file(tx, team.review_id, name, data)
    assert name in refused.value.message
    assert problem in refused.value.message
    assert counts(workspace, team) == (0, 0)


class HalfWayFailure:
    """A reader that reads two good records then finds the file damaged."""

    name = "half-way"
    label = "Half-way failure"

    def sniff(self, doc: Document) -> int:
        return 0

    def read(self, doc: Document) -> Iterator[Entry]:
        yield Entry(line=1, raw="one", citation=Citation(title="One"))
        yield Entry(line=2, raw="two", citation=Citation(title="Two"))
        raise ImportFileError(doc.filename, "the file ends in the middle of a record", line=3)


def test_it_rolls_back_a_file_that_fails_half_way(
    workspace: Workspace, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(readers(), "half-way", HalfWayFailure())
    with pytest.raises(ImportFileError, match=r"damaged\.ris, line 3"):
        with workspace.transaction("alice") as tx:
            import_file(tx, team.review_id, "damaged.ris", b"whatever", reader="half-way")
    assert counts(workspace, team) == (0, 0)
    with workspace.transaction("alice") as tx:
        assert tx.session.scalar(select(func.count()).select_from(RecordRow)) == 0


def test_it_lists_skipped_records_with_their_line_and_reason(
    workspace: Workspace, team: Team
) -> None:
    data = (
        b"TY  - JOUR\nTI  - Peer support in integrated care\nAU  - Smith, J\nPY  - 2019\nER  - \n"
        b"\n"
        b"TY  - JOUR\nER  - \n"
        b"\n"
        b"TY  - JOUR\nTI  - Co-delivery of services\nAU  - Jones, K\nER  - \n"
    )
    with workspace.transaction("alice") as tx:
        report = import_file(tx, team.review_id, "mixed.ris", data)
    assert report.records_read == 3
    assert report.records_imported == 2
    assert [s.line for s in report.skipped] == [7]
    assert report.skipped[0].reason
    with workspace.transaction("bob") as tx:
        again = record_service.source_report(tx, team.review_id, report.source.id)
    assert again.skipped == report.skipped


def test_it_refuses_a_file_where_no_record_can_be_used(workspace: Workspace, team: Team) -> None:
    data = b"TY  - JOUR\nER  - \n\nTY  - JOUR\nER  - \n"
    with pytest.raises(ImportFileError, match=r"hollow\.ris: none of its 2 records"):
        with workspace.transaction("alice") as tx:
            import_file(tx, team.review_id, "hollow.ris", data)
    assert counts(workspace, team) == (0, 0)


def test_it_refuses_a_file_too_large_before_reading_it() -> None:
    with pytest.raises(ImportFileError, match=r"huge\.ris: the file is 1\.0 GB.*smaller batches"):
        check_size("huge.ris", 1024**3)
    check_size("fine.ris", MAX_IMPORT_BYTES)


def test_it_lets_only_members_who_may_import_do_so(workspace: Workspace, team: Team) -> None:
    data = sample("Ovid_ris_example.ris")
    for who in (team.adviser, team.outsider):
        with pytest.raises(PermissionDeniedError, match=who):
            with workspace.transaction(who) as tx:
                import_file(tx, team.review_id, "ovid.ris", data)
    with pytest.raises(PermissionDeniedError):
        with workspace.transaction(team.outsider) as tx:
            record_service.list_records(tx, team.review_id)
    with workspace.transaction(team.reviewers[0]) as tx:
        import_file(tx, team.review_id, "ovid.ris", data)
    assert counts(workspace, team) == (1, 4)


def test_it_writes_each_import_to_the_audit_log(workspace: Workspace, team: Team) -> None:
    with workspace.transaction("carol") as tx:
        report = import_file(tx, team.review_id, "wos.ciw", sample("WoS_ciw_example.ciw"))
    with workspace.transaction("alice") as tx:
        event = tx.session.scalars(
            select(AuditEventRow).where(AuditEventRow.action == "file imported")
        ).one()
    assert event.actor == "carol"
    assert event.detail["source_id"] == report.source.id
    assert event.detail["records"] == report.records_imported


def test_it_names_the_database_from_the_file_when_the_team_does_not(
    workspace: Workspace, team: Team
) -> None:
    with workspace.transaction("alice") as tx:
        report = import_file(tx, team.review_id, "asp.ris", sample("ASP_ris_example.ris"))
    assert report.source.database == "Academic Search Premier"
