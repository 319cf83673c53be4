"""The full report on the web: pat reads it in the browser, alice downloads it as Word and
as a ZIP of everything; mallory gets nothing."""

from __future__ import annotations

import io
import zipfile

from defusedxml import ElementTree
from docx import Document

from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.appraisal_helpers import appraise, choose_tapupas, eleven_studies


def report_url(team: Team) -> str:
    return f"/reviews/{team.review_id}/report"


def test_it_is_linked_from_the_dashboard(visit, team: Team) -> None:
    page = visit("pat").get(f"/reviews/{team.review_id}").get_data(as_text=True)
    assert f'href="{report_url(team)}"' in page
    assert f'href="{report_url(team)}/report.docx"' in page
    assert f'href="{report_url(team)}/report.zip"' in page


def test_it_shows_the_report_as_a_page_that_runs_nothing(
    visit, workspace: Workspace, team: Team
) -> None:
    ids = eleven_studies(workspace, team)
    choose_tapupas(workspace, team)
    for who in team.reviewers:
        appraise(workspace, who, team, ids[0], unmet=("Pu",))
    answer = visit("pat").get(report_url(team))
    assert answer.status_code == 200
    policy = answer.headers["Content-Security-Policy"]
    assert policy.startswith("default-src 'none'; style-src 'unsafe-inline'; img-src data:")
    assert "script-src" not in policy
    root = ElementTree.fromstring(answer.get_data())
    text = "".join(root.itertext())
    assert "Critical appraisal" in text and "Vennik 2016" in text
    images = list(root.iter("{http://www.w3.org/1999/xhtml}img"))
    assert images and all(image.get("alt") for image in images)


def test_it_downloads_the_word_document_and_everything(visit, team: Team) -> None:
    alice = visit("alice").client  # the files are bytes, not pages
    word = alice.get(f"{report_url(team)}/report.docx")
    assert word.status_code == 200
    assert 'filename="review-' in word.headers["Content-Disposition"]
    document = Document(io.BytesIO(word.get_data()))
    assert document.paragraphs[0].text == "Co-production in integrated care"
    everything = alice.get(f"{report_url(team)}/report.zip")
    assert everything.headers["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(everything.get_data())).namelist()
    folder = f"review-{team.review_id}-report"
    for name in ("report.html", "report.md", "report.docx", "prisma/prisma-flow.svg"):
        assert f"{folder}/{name}" in names
    # The same data, the same bytes.
    assert alice.get(f"{report_url(team)}/report.zip").get_data() == everything.get_data()


def test_it_shows_mallory_nothing(visit, team: Team) -> None:
    mallory = visit("mallory").client
    for path in ("", "/report.docx", "/report.zip"):
        answer = mallory.get(report_url(team) + path)
        assert answer.status_code in (403, 404)
        assert b"Co-production in integrated care" not in answer.get_data()
