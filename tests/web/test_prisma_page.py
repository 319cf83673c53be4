"""The PRISMA 2020 flow on the web: the diagram, each box opening its records, the downloads."""

from __future__ import annotations

import io

import pytest

from cosynth.domain.screening.votes import Decision
from cosynth.services.prisma import prisma_flow
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import TITLES, both_vote, import_search, include_at_full_text


@pytest.fixture
def screened(app, workspace: Workspace, team: Team) -> list[int]:
    """Six records: two included at full text, two excluded at title and abstract, two waiting."""
    ids = import_search(workspace, team)
    include_at_full_text(workspace, team, [ids[0], ids[1]])
    for record_id in (ids[2], ids[4]):
        both_vote(workspace, team, record_id, Decision.EXCLUDE, Decision.EXCLUDE)
    return ids


def flow_url(team: Team, rest: str = "") -> str:
    return f"/reviews/{team.review_id}/prisma{rest}"


def test_it_draws_the_flow_with_each_box_linked_to_its_records(
    visit, team: Team, screened: list[int]
) -> None:
    page = visit("pat").get(flow_url(team)).get_data(as_text=True)
    assert "<h1>PRISMA 2020 flow</h1>" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert f'<a href="{flow_url(team, "/boxes/records_excluded")}" aria-label="Records' in page
    assert f'<a href="{flow_url(team, "/boxes/new_studies")}" aria-label="Studies' in page
    # No record was marked not retrieved, so that box links nowhere.
    assert flow_url(team, "/boxes/dbr_notretrieved_reports") not in page
    assert "6 records were identified from databases" in page  # the words, for screen readers


def test_it_says_where_the_flow_does_not_add_up_while_records_wait(
    visit, team: Team, screened: list[int]
) -> None:
    page = visit("alice").get(flow_url(team)).get_data(as_text=True)
    assert "Where the flow does not add up yet" in page
    assert "2 records screened were neither excluded nor sought" in page


def test_it_lists_the_records_behind_a_box_with_their_reasons(
    visit, team: Team, screened: list[int]
) -> None:
    bob = visit("bob")
    included = bob.get(flow_url(team, "/boxes/new_studies")).get_data(as_text=True)
    assert "New studies included in review (n = 2)" in included
    assert TITLES[0] in included and TITLES[1] in included
    assert TITLES[2] not in included
    excluded = bob.get(flow_url(team, "/boxes/records_excluded")).get_data(as_text=True)
    assert TITLES[2] in excluded and "wrong phenomenon of interest" in excluded


def test_it_refuses_a_box_the_diagram_does_not_have(visit, team: Team, screened: list[int]) -> None:
    assert visit("bob").get(flow_url(team, "/boxes/records_sifted")).status_code == 404


@pytest.mark.parametrize(
    ("filename", "mimetype", "starts"),
    [
        ("prisma-flow.svg", "image/svg+xml", b"<svg"),
        ("prisma-flow.png", "image/png", b"\x89PNG\r\n\x1a\n"),
        ("prisma-flow.html", "text/html", b"<!doctype html>"),
        ("prisma-flow.csv", "text/csv", b"data,node,box,description,boxtext,tooltips,url,n"),
    ],
)
def test_it_downloads_the_flow(
    visit, team: Team, screened: list[int], filename: str, mimetype: str, starts: bytes
) -> None:
    # The client itself: the visitor reads every page as text, and a PNG is not.
    got = visit("carol").client.get(flow_url(team, f"/{filename}"))
    assert got.status_code == 200
    assert got.mimetype == mimetype
    assert got.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert got.get_data().startswith(starts)


def test_it_is_linked_from_the_dashboards_preview(visit, team: Team, screened: list[int]) -> None:
    dashboard = visit("pat").get(f"/reviews/{team.review_id}").get_data(as_text=True)
    assert f'href="{flow_url(team)}"' in dashboard


@pytest.mark.parametrize("rest", ["", "/boxes/new_studies", "/prisma-flow.svg", "/prisma-flow.csv"])
def test_it_shows_mallory_nothing(visit, team: Team, screened: list[int], rest: str) -> None:
    got = visit("mallory").get(flow_url(team, rest))
    assert got.status_code in (403, 404)
    body = got.get_data(as_text=True)
    assert TITLES[0] not in body and "Records identified" not in body


def test_it_counts_an_upload_found_by_citation_searching_under_other_methods(
    visit, workspace: Workspace, team: Team
) -> None:
    alice = visit("alice")
    alice.get(f"/reviews/{team.review_id}/import")
    found = (
        b"TY  - JOUR\nTI  - Quality as strategy: co-production in Jonkoping\nPY  - 2021\nER  - \n"
    )
    posted = alice.post(
        f"/reviews/{team.review_id}/import",
        {"files": [(io.BytesIO(found), "reference-lists.ris")], "method": "citation searching"},
    )
    assert posted.status_code == 303
    with workspace.transaction("alice") as tx:
        flow = prisma_flow(tx, team.review_id)
    assert (flow.citations_results, flow.database_results) == (1, 0)
    refused = alice.post(
        f"/reviews/{team.review_id}/import",
        {"files": [(io.BytesIO(found), "again.ris")], "method": "rumour"},
    )
    assert refused.status_code == 303  # back to the form, which says why
    page = alice.get(f"/reviews/{team.review_id}/import").get_data(as_text=True)
    assert "Choose how the records were found; nothing was imported." in page
    with workspace.transaction("alice") as tx:
        assert prisma_flow(tx, team.review_id) == flow
