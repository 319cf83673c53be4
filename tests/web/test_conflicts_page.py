"""alice settles a conflict on its page; a second, older copy of the page says so plainly."""

from __future__ import annotations

import pytest

from cosynth.domain.roles import Role
from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.services import screening
from cosynth.services.reviews import add_member
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import both_vote, import_search

TA = Stage.TITLE_ABSTRACT


@pytest.fixture
def conflict(workspace: Workspace, team: Team, app) -> int:
    record_id = import_search(workspace, team)[3]
    both_vote(workspace, team, record_id, Decision.INCLUDE, Decision.EXCLUDE)
    return record_id


def conflicts_url(team: Team) -> str:
    return f"/reviews/{team.review_id}/conflicts/title-abstract"


def test_it_says_plainly_that_the_conflict_was_resolved_on_another_page(
    visit, workspace: Workspace, team: Team, conflict: int
) -> None:
    # alice has the conflicts page open in two windows (or two leads have one each).
    first, second = visit("alice"), visit("alice")
    for window in (first, second):
        assert "A hub co-designed" not in window.get(conflicts_url(team)).get_data(as_text=True)
    settled = first.post(
        f"{conflicts_url(team)}/{conflict}/resolve",
        {"decision": "include", "rationale": "A hub co-designed with carers"},
    )
    assert settled.status_code == 303
    stale = second.post(
        f"{conflicts_url(team)}/{conflict}/resolve",
        {"decision": "exclude", "rationale": "Wrong setting after all", "reason": "wrong setting"},
        headers={"Referer": f"http://localhost{conflicts_url(team)}"},
    )
    assert stale.status_code == 303 and stale.headers["Location"] == conflicts_url(team)
    page = second.get(stale.headers["Location"]).get_data(as_text=True)
    assert f"Record {conflict} was already resolved by alice (include)" in page
    assert "nothing was changed" in page and "No conflicts are waiting." in page
    with workspace.transaction("alice") as tx:
        view = screening.record_screening(tx, team.review_id, conflict, stage=TA)
    assert view.outcome is not None and view.outcome.resolution is not None
    assert view.outcome.resolution.decision is Decision.INCLUDE  # the first decision stands


def test_it_says_plainly_when_the_votes_no_longer_disagree(
    visit, workspace: Workspace, team: Team, conflict: int
) -> None:
    alice = visit("alice")
    alice.get(conflicts_url(team))
    with workspace.transaction("carol") as tx:  # carol changes her mind meanwhile
        screening.cast_vote(tx, team.review_id, conflict, Decision.INCLUDE, stage=TA)
    stale = alice.post(
        f"{conflicts_url(team)}/{conflict}/resolve",
        {"decision": "include", "rationale": "A hub co-designed with carers"},
        headers={"Referer": f"http://localhost{conflicts_url(team)}"},
    )
    assert stale.status_code == 303
    page = alice.get(stale.headers["Location"]).get_data(as_text=True)
    assert f"The votes on record {conflict} agree" in page


def test_it_refuses_pat_and_an_observer_before_reading_the_form(
    visit, workspace: Workspace, team: Team, conflict: int
) -> None:
    with workspace.transaction("alice") as tx:
        add_member(tx, team.review_id, "mallory", Role.OBSERVER)
    for who in ("pat", "mallory"):
        person = visit(who)
        person.get(conflicts_url(team))
        refused = person.post(f"{conflicts_url(team)}/{conflict}/resolve", {"decision": "perhaps"})
        assert refused.status_code == 403, who
        assert "may not resolve screening conflicts" in refused.get_data(as_text=True)
