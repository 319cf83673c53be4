"""The downloads page: a set of records as RIS, BibTeX or CSV, and the lead's review archive."""

from __future__ import annotations

import csv
import io
import zipfile

from cosynth.domain.screening.votes import Decision
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import both_vote, import_search


def page_url(team: Team) -> str:
    return f"/reviews/{team.review_id}/exports"


def test_it_downloads_the_excluded_with_their_reasons(
    visit, workspace: Workspace, team: Team
) -> None:
    ids = import_search(workspace, team)
    both_vote(workspace, team, ids[3], Decision.EXCLUDE, Decision.EXCLUDE, reason="wrong setting")
    pat = visit("pat")
    page = pat.get(page_url(team)).get_data(as_text=True)
    assert "Records excluded at title and abstract screening, with reasons" in page
    assert "review archive" not in page  # the lead's alone
    assert f"{page_url(team)}/excluded-title-abstract.csv" in page
    response = pat.get(f"{page_url(team)}/excluded-title-abstract.csv")
    assert response.status_code == 200
    assert 'filename="excluded-title-abstract.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(row["record_id"], row["reason"]) for row in rows] == [(str(ids[3]), "wrong setting")]


def test_it_gives_the_lead_the_whole_review_as_one_file(
    visit, workspace: Workspace, team: Team
) -> None:
    import_search(workspace, team)
    alice = visit("alice")
    assert "review archive" in alice.get(page_url(team)).get_data(as_text=True)
    response = alice.post(f"{page_url(team)}/archive")
    assert response.status_code == 200
    assert ".cosynth" in response.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        assert "manifest.json" in archive.namelist()


def test_it_has_no_set_or_format_but_those_it_offers(visit, team: Team) -> None:
    alice = visit("alice")
    assert alice.get(f"{page_url(team)}/kept.ris").status_code == 404
    assert alice.get(f"{page_url(team)}/all.docx").status_code == 404
    assert alice.get(f"{page_url(team)}/all.bib").status_code == 200


def test_it_refuses_the_archive_to_all_but_the_lead_and_everything_to_outsiders(
    visit, team: Team
) -> None:
    bob = visit("bob")
    bob.get(page_url(team))
    assert bob.post(f"{page_url(team)}/archive").status_code == 403
    mallory = visit("mallory")
    assert mallory.get(page_url(team)).status_code == 403
    assert mallory.get(f"{page_url(team)}/all.ris").status_code == 403
