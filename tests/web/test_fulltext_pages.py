"""bob attaches the full texts in his browser and reads them; alice marks one not retrieved."""

from __future__ import annotations

import io
import re

import pytest

from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.services import fulltext, screening
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import both_vote, import_search
from tests.services.test_fulltext import study_pdf

FT = Stage.FULL_TEXT


@pytest.fixture
def records(workspace: Workspace, team: Team, app) -> list[int]:
    ids = import_search(workspace, team)
    for record in ids[:3]:
        both_vote(workspace, team, record, Decision.INCLUDE, Decision.INCLUDE)
    return ids


def record_url(team: Team, record_id: int) -> str:
    return f"/reviews/{team.review_id}/fulltext/{record_id}"


def attach(visitor, team: Team, record_id: int, data: bytes, name: str):
    visitor.get(record_url(team, record_id))
    return visitor.post(
        record_url(team, record_id) + "/reports",
        {"pdf": (io.BytesIO(data), name)},  # type: ignore[dict-item]
        content_type="multipart/form-data",
        headers={"Referer": f"http://localhost{record_url(team, record_id)}"},
    )


def test_it_lets_bob_attach_a_pdf_and_read_it_page_by_page(visit, team: Team, records) -> None:
    bob = visit("bob")
    page = bob.get(record_url(team, records[0])).get_data(as_text=True)
    assert "No full text is attached yet." in page and 'enctype="multipart/form-data"' in page
    data = study_pdf("Background on integrated care.", "Carers said: we were listened to.")
    attached = attach(bob, team, records[0], data, "../../home/bob/carers study.pdf")
    assert attached.status_code == 303
    assert attached.headers["Location"] == record_url(team, records[0])
    page = bob.get(record_url(team, records[0])).get_data(as_text=True)
    assert ">carers study.pdf is attached: 2 pages.<" in page  # no folders from the browser
    report_id = re.search(r'src="/reviews/\d+/reports/(\d+)\.pdf"', page).group(1)  # type: ignore[union-attr]
    assert '<iframe class="pdf" title="Full text: carers study.pdf"' in page
    pages = bob.get(f"/reviews/{team.review_id}/reports/{report_id}/pages")
    text = pages.get_data(as_text=True)
    assert pages.status_code == 200
    assert "Page 1" in text and "Page 2" in text and "we were listened to" in text


def test_it_serves_the_pdf_as_a_pdf_that_cannot_run_scripts(
    visit, workspace: Workspace, team: Team, records
) -> None:
    data = study_pdf("Carers said: we were listened to.")
    with workspace.transaction("bob") as tx:
        report = fulltext.attach_report(tx, team.review_id, records[0], 'Ünïcode "x".pdf', data)
    url = f"/reviews/{team.review_id}/reports/{report.id}.pdf"
    served = visit("pat").client.get(url)  # bytes, not a page to find a form in
    assert served.status_code == 200 and served.data == data
    assert served.headers["Content-Type"] == "application/pdf"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"] == 'inline; filename="Unicode_x.pdf"'
    policy = served.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'none'" in policy
    assert visit("mallory").client.get(url).status_code == 403


def test_it_refuses_what_is_not_a_pdf_in_plain_words(
    visit, workspace: Workspace, team: Team, records
) -> None:
    bob = visit("bob")
    refused = attach(bob, team, records[0], b"<html><body>Sign in</body></html>", "paper.pdf")
    assert refused.status_code == 303
    page = bob.get(refused.headers["Location"]).get_data(as_text=True)
    assert "paper.pdf: this is a web page (HTML), not a PDF" in page
    assert "No full text is attached yet." in page
    with workspace.transaction("bob") as tx:
        assert fulltext.reports_for(tx, team.review_id, records[0]) == []


def test_it_asks_for_a_file_when_none_is_chosen(visit, team: Team, records) -> None:
    bob = visit("bob")
    bob.get(record_url(team, records[0]))
    refused = bob.post(record_url(team, records[0]) + "/reports", {})
    assert "Choose a PDF file to attach." in bob.get(refused.headers["Location"]).get_data(
        as_text=True
    )


def test_it_lets_alice_mark_one_not_retrieved_and_seek_it_again(
    visit, workspace: Workspace, team: Team, records
) -> None:
    alice = visit("alice")
    url = record_url(team, records[2])
    alice.get(url)
    refused = alice.post(
        url + "/not-retrieved", {"note": " "}, headers={"Referer": f"http://localhost{url}"}
    )
    assert "Say what was tried" in alice.get(refused.headers["Location"]).get_data(as_text=True)
    marked = alice.post(url + "/not-retrieved", {"note": "Library and author emailed"})
    assert marked.status_code == 303
    page = alice.get(url).get_data(as_text=True)
    assert "Not retrieved." in page and "Library and author emailed" in page
    assert "Seek it again" in page and "Attach a PDF" not in page
    listing = alice.get(f"/reviews/{team.review_id}/fulltext").get_data(as_text=True)
    assert re.search(r"Reports not retrieved</th><td>1<", listing)
    assert listing.count("Not retrieved") == 1
    alice.post(url + "/seek-again", {"note": "Found in a repository"})
    with workspace.transaction("alice") as tx:
        assert fulltext.not_retrieved(tx, team.review_id) == []


def test_it_lists_the_full_texts_and_what_waits_for_each_person(
    visit, workspace: Workspace, team: Team, records
) -> None:
    with workspace.transaction("bob") as tx:
        fulltext.attach_report(tx, team.review_id, records[0], "a.pdf", study_pdf("Carers"))
    page = visit("carol").get(f"/reviews/{team.review_id}/fulltext").get_data(as_text=True)
    for record in records[:3]:
        assert f'href="{record_url(team, record)}"' in page
    assert f'href="{record_url(team, records[3])}"' not in page  # not included at screening
    assert "1 PDF attached" in page and page.count("Waiting for you") == 3


def test_it_takes_bobs_full_text_vote_and_brings_him_back(
    visit, workspace: Workspace, team: Team, records
) -> None:
    bob = visit("bob")
    url = record_url(team, records[1])
    page = bob.get(url).get_data(as_text=True)
    assert f'action="/reviews/{team.review_id}/screen/full-text/records/{records[1]}/vote"' in page
    assert "no qualitative data" in page  # the full-text reasons
    voted = bob.post(
        f"/reviews/{team.review_id}/screen/full-text/records/{records[1]}/vote",
        {"decision": "exclude", "reason": "no qualitative data", "next": url},
    )
    assert voted.status_code == 303 and voted.headers["Location"] == url
    assert "Your answer so far: exclude." in bob.get(url).get_data(as_text=True)
    with workspace.transaction("bob") as tx:
        mine = screening.record_screening(tx, team.review_id, records[1], stage=FT).my_vote
    assert mine is not None and mine.reason == "no qualitative data"


def test_it_says_plainly_when_a_record_has_not_reached_full_text(
    visit, team: Team, records
) -> None:
    page = visit("bob").get(record_url(team, records[4]))
    assert page.status_code == 400
    assert "is not in the full text stage" in page.get_data(as_text=True)
