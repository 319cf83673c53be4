"""bob and carol screen in their browsers, blinded; alice settles the conflict on its page."""

from __future__ import annotations

import pytest

from cosynth.domain.screening.stages import Criterion, CriterionKind, ProtocolChange, Stage
from cosynth.services import screening, screening_protocol
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import import_search

TA = Stage.TITLE_ABSTRACT


@pytest.fixture
def records(workspace: Workspace, team: Team, app) -> list[int]:
    ids = import_search(workspace, team)
    with workspace.transaction("alice") as tx:
        screening_protocol.set_protocol(
            tx,
            team.review_id,
            TA,
            ProtocolChange(
                criteria=(Criterion(CriterionKind.INCLUSION, "Co-production with unpaid carers"),)
            ),
        )
    return ids


def screen_url(team: Team, record_id: int | None = None) -> str:
    base = f"/reviews/{team.review_id}/screen/title-abstract"
    return base if record_id is None else f"{base}/records/{record_id}"


def test_it_shows_bob_the_record_with_the_criteria_marked(visit, team: Team, records) -> None:
    bob = visit("bob")
    first = bob.get(screen_url(team) + "?order=file")
    assert first.status_code == 303
    assert first.headers["Location"].endswith(f"/records/{records[0]}")
    page = bob.get(first.headers["Location"]).get_data(as_text=True)
    assert "<mark>Co-producing</mark>" in page and "<mark>carers</mark>" in page
    assert "Co-production with unpaid carers" in page  # the criteria panel
    assert "0 of 2 votes in." in page


def test_it_hides_bobs_vote_from_carol_until_she_votes(visit, team: Team, records) -> None:
    bob, carol = visit("bob"), visit("carol")
    bob.get(screen_url(team, records[0]))
    voted = bob.post(screen_url(team, records[0]) + "/vote", {"decision": "include"})
    assert voted.status_code == 303
    page = carol.get(screen_url(team, records[0])).get_data(as_text=True)
    assert "1 of 2 votes in." in page
    assert "bob:" not in page and "votes show once all the votes are in" in page
    carol.post(screen_url(team, records[0]) + "/vote", {"decision": "include"})
    page = carol.get(screen_url(team, records[0])).get_data(as_text=True)
    assert "bob: include" in page and "Outcome" in page


def test_it_records_one_vote_for_a_double_click(visit, workspace, team: Team, records) -> None:
    bob = visit("bob")
    bob.get(screen_url(team, records[1]))
    for _ in range(2):
        bob.post(screen_url(team, records[1]) + "/vote", {"decision": "unsure", "note": "setting?"})
    with workspace.transaction("bob") as tx:
        history = screening.vote_history(tx, team.review_id, records[1], stage=TA)
    assert len(history) == 1


def test_it_asks_for_a_reason_and_keeps_bob_on_the_record(visit, team: Team, records) -> None:
    bob = visit("bob")
    bob.get(screen_url(team, records[2]))
    refused = bob.post(
        screen_url(team, records[2]) + "/vote",
        {"decision": "exclude"},
        headers={"Referer": f"http://localhost{screen_url(team, records[2])}"},
    )
    assert refused.status_code == 303
    assert refused.headers["Location"] == screen_url(team, records[2])
    page = bob.get(refused.headers["Location"]).get_data(as_text=True)
    assert "Say why the record is excluded" in page


def test_it_lets_alice_resolve_a_conflict_and_says_so_on_a_stale_page(
    visit, team: Team, records
) -> None:
    bob, carol, alice = visit("bob"), visit("carol"), visit("alice")
    bob.get(screen_url(team, records[3]))
    bob.post(screen_url(team, records[3]) + "/vote", {"decision": "include"})
    carol.get(screen_url(team, records[3]))
    carol.post(
        screen_url(team, records[3]) + "/vote",
        {"decision": "exclude", "reason": "wrong setting"},
    )
    conflicts_url = f"/reviews/{team.review_id}/conflicts/title-abstract"
    page = alice.get(conflicts_url).get_data(as_text=True)
    assert "bob</strong>: include" in page and "carol</strong>: exclude (wrong setting)" in page
    resolved = alice.post(
        f"{conflicts_url}/{records[3]}/resolve",
        {"decision": "include", "rationale": "A community hub co-designed with carers"},
    )
    assert resolved.status_code == 303
    stale = carol.post(
        screen_url(team, records[3]) + "/vote",
        {"decision": "exclude", "reason": "wrong setting"},
        headers={"Referer": f"http://localhost{screen_url(team, records[3])}"},
    )
    assert "votes on it can no longer change" in carol.get(stale.headers["Location"]).get_data(
        as_text=True
    )


def test_it_shows_the_dashboard_counts(visit, team: Team, records) -> None:
    page = visit("pat").get(f"/reviews/{team.review_id}").get_data(as_text=True)
    assert "6 records: 0 included" in page
    assert "Records identified" in page
