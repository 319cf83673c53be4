"""bob keeps quotes from a study in his browser, cited "[study: page]", and downloads them."""

from __future__ import annotations

import csv
import io

import pytest

from cosynth.services import fulltext, studies
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import import_search, include_at_full_text
from tests.services.test_fulltext import study_pdf

CARERS = "Carers said: we were listened to at last."


@pytest.fixture
def study(workspace: Workspace, team: Team, app) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """An included study (its record id and label)."""
    ids = import_search(workspace, team)
    include_at_full_text(workspace, team, [ids[0]])
    with workspace.transaction("bob") as tx:
        found = studies.get_study(tx, team.review_id, ids[0])
    return found.record_id, found.label


def url(team: Team, record_id: int) -> str:
    return f"/reviews/{team.review_id}/quotes/{record_id}"


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return str(response.get_data(as_text=True))


def test_it_keeps_a_quote_typed_from_paper_with_its_citation(
    visit, team: Team, study: tuple[int, str]
) -> None:
    record_id, label = study
    bob = visit("bob")
    page = text_of(bob.get(url(team, record_id)))
    assert "No quotes from this study yet." in page and "Whose words are they?" in page
    kept = bob.post(
        url(team, record_id),
        {"text": f"\u201c{CARERS}\u201d", "kind": "first-order", "page": "241", "note": "p. 241"},
    )
    assert kept.status_code == 303 and kept.headers["Location"] == url(team, record_id)
    page = text_of(bob.get(url(team, record_id)))
    assert f"[{label}: 241]" in page and "unverified: page typed by hand" in page
    assert "first-order: participants" in page
    listed = text_of(bob.get(f"/reviews/{team.review_id}/quotes"))
    assert f"[{label}: 241]" in listed and "(1 quotes)" in listed

    download = bob.get(f"/reviews/{team.review_id}/quotes.csv")
    assert download.status_code == 200 and download.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(text_of(download))))
    assert len(rows) == 1 and CARERS in rows[0].values()
    assert f"[{label}: 241]" in rows[0].values()
    one = bob.get(f"/reviews/{team.review_id}/quotes/{record_id}.csv")
    assert one.status_code == 200 and CARERS in text_of(one)


def test_it_checks_a_quote_against_the_full_text_and_keeps_what_was_typed_if_wrong(
    visit, workspace: Workspace, team: Team, study: tuple[int, str]
) -> None:
    record_id, label = study
    with workspace.transaction("bob") as tx:
        report = fulltext.attach_report(
            tx, team.review_id, record_id, "carers.pdf", study_pdf("Background.", CARERS)
        )
    bob = visit("bob")
    page = text_of(bob.get(url(team, record_id)))
    assert f'<option value="{report.id}" selected>carers.pdf</option>' in page
    wrong = bob.post(
        url(team, record_id),
        {"text": CARERS, "kind": "second-order", "report": str(report.id), "page": "1"},
    )
    page = text_of(wrong)
    assert wrong.status_code == 422
    assert "The quote is not on page 1 of carers.pdf; it is on page 2." in page
    assert CARERS in page and 'value="second-order" checked' in page
    kept = bob.post(
        url(team, record_id), {"text": CARERS, "kind": "first-order", "report": str(report.id)}
    )
    assert kept.status_code == 303
    page = text_of(bob.get(url(team, record_id)))
    assert f"[{label}: 2]" in page and "checked against the full text" in page


def test_it_lets_pat_read_the_quotes_but_not_add_one(
    visit, team: Team, study: tuple[int, str]
) -> None:
    record_id, _label = study
    pat = visit("pat")
    page = text_of(pat.get(url(team, record_id)))
    assert "Add a quote" not in page
    refused = pat.post(url(team, record_id), {"text": CARERS, "kind": "first-order", "page": "2"})
    assert refused.status_code == 403
    assert visit("mallory").get(url(team, record_id)).status_code == 403


def test_it_says_plainly_that_a_record_is_not_an_included_study(
    visit, team: Team, study: tuple[int, str]
) -> None:
    record_id, _label = study
    missing = visit("bob").get(url(team, record_id + 1))
    assert missing.status_code == 404 and "is not an included study" in text_of(missing)
