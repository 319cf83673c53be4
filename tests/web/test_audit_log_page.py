"""alice reads who did what in her review, newest first; no one else may."""

from __future__ import annotations

import re

from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import import_search


def log_url(team: Team, page: int | None = None) -> str:
    return f"/reviews/{team.review_id}/log" + (f"?page={page}" if page else "")


def test_it_shows_alice_the_log_newest_first(visit, workspace, team: Team) -> None:
    import_search(workspace, team)
    alice = visit("alice")
    page = alice.get(log_url(team)).get_data(as_text=True)
    actions = re.findall(r"<td>(review created|member added|file imported)</td>", page)
    assert actions[0] == "file imported" and actions[-1] == "review created"
    assert "filename: cinahl.ris" in page and "Events 1 to 5 of 5" in page
    dashboard = alice.get(f"/reviews/{team.review_id}").get_data(as_text=True)
    assert f'href="{log_url(team)}"' in dashboard


def test_it_pages_a_long_log(visit, workspace: Workspace, team: Team) -> None:
    with workspace.transaction("alice") as tx:
        for n in range(60):
            tx.log("note made", team.review_id, n=n)
    alice = visit("alice")
    first = alice.get(log_url(team)).get_data(as_text=True)
    assert "Events 1 to 50 of 64" in first and "n: 59" in first and "n: 9<" not in first
    assert f'href="{log_url(team, 2)}"' in first and "Older events" in first
    second = alice.get(log_url(team, 2)).get_data(as_text=True)
    assert "Events 51 to 64 of 64" in second and "n: 9<" in second and "review created" in second
    assert "Newer events" in second and "Older events" not in second


def test_it_refuses_the_log_to_everyone_but_the_lead(visit, team: Team) -> None:
    bob = visit("bob")
    assert bob.get(log_url(team)).status_code == 403
    assert "Audit log" not in bob.get(f"/reviews/{team.review_id}").get_data(as_text=True)
    for who in ("carol", "pat", "mallory"):
        assert visit(who).get(log_url(team)).status_code == 403
