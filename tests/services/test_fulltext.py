"""bob attaches the full texts; one cannot be found; the PRISMA full-text boxes add up."""

from __future__ import annotations

import pytest
from fpdf import FPDF

from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.errors import ImportFileError, InputError, PermissionDeniedError
from cosynth.services import fulltext
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import both_vote, import_search, vote

FT = Stage.FULL_TEXT
INCLUDE, EXCLUDE = Decision.INCLUDE, Decision.EXCLUDE


def study_pdf(*pages: str) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


@pytest.fixture
def records(workspace: Workspace, team: Team) -> list[int]:
    ids = import_search(workspace, team)
    for record in ids[:3]:
        both_vote(workspace, team, record, INCLUDE, INCLUDE)
    both_vote(workspace, team, ids[3], EXCLUDE, EXCLUDE)
    return ids


def test_it_keeps_the_pdf_and_its_pages_for_quotes(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    data = study_pdf("Background on integrated care.", "Carers said: we were listened to.")
    with workspace.transaction("bob") as tx:
        report = fulltext.attach_report(tx, team.review_id, records[0], "carers.pdf", data)
    assert (report.page_count, report.has_text, report.added_by) == (2, True, "bob")
    with workspace.transaction("pat") as tx:
        pages = fulltext.report_pages(tx, team.review_id, report.id)
        stored, content = fulltext.report_pdf(tx, team.review_id, report.id)
    assert [page.number for page in pages] == [1, 2]
    assert "we were listened to" in pages[1].text
    assert content == data and stored == report
    with workspace.transaction("bob") as tx, pytest.raises(InputError, match="already attached"):
        fulltext.attach_report(tx, team.review_id, records[0], "again.pdf", data)


def test_it_refuses_what_is_not_a_pdf_and_keeps_nothing(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    with workspace.transaction("bob") as tx, pytest.raises(ImportFileError, match=r"paper\.pdf"):
        fulltext.attach_report(tx, team.review_id, records[0], "paper.pdf", b"<html>Sign in</html>")
    with workspace.transaction("pat") as tx, pytest.raises(PermissionDeniedError):
        fulltext.attach_report(tx, team.review_id, records[0], "a.pdf", study_pdf("x"))
    with workspace.transaction("bob") as tx:
        assert fulltext.reports_for(tx, team.review_id, records[0]) == []


def test_it_counts_sought_not_retrieved_assessed_and_excluded_with_reasons(
    workspace: Workspace, team: Team, records: list[int]
) -> None:
    with workspace.transaction("alice") as tx:
        fulltext.mark_not_retrieved(tx, team.review_id, records[2], note="Library and author tried")
    with pytest.raises(InputError, match="marked not retrieved"):
        vote(workspace, "bob", team, records[2], INCLUDE, stage=FT)
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match="not in the full"):
        fulltext.mark_not_retrieved(tx, team.review_id, records[3], note="n/a")
    both_vote(workspace, team, records[0], INCLUDE, INCLUDE, stage=FT)
    both_vote(workspace, team, records[1], EXCLUDE, EXCLUDE, stage=FT, reason="no qualitative data")
    with workspace.transaction("carol") as tx:
        summary = fulltext.retrieval_summary(tx, team.review_id)
    assert (summary.sought, summary.not_retrieved, summary.assessed) == (3, 1, 2)
    assert (summary.included, summary.excluded) == (1, 1)
    assert summary.excluded_by_reason == (("no qualitative data", 1),)
    with workspace.transaction("bob") as tx:
        fulltext.attach_report(tx, team.review_id, records[2], "found.pdf", study_pdf("Found"))
        assert fulltext.not_retrieved(tx, team.review_id) == []
    vote(workspace, "bob", team, records[2], INCLUDE, stage=FT)
