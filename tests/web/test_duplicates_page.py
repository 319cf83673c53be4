"""bob finds the duplicates, compares an uncertain pair side by side, merges it and undoes it."""

from __future__ import annotations

import re

import pytest

from cosynth.services import dedup as dedup_service
from cosynth.services.imports import import_file
from cosynth.services.workspace import Workspace
from tests.conftest import Team

PEER_SUPPORT = b"""TY  - JOUR
TI  - Peer support and co-delivery in integrated mental health care
AU  - Flora, N.
AU  - Ruel, M.
PY  - 2021
JO  - International Journal of Integrated Care
VL  - 21
SP  - 1
EP  - 14
DO  - 10.5334/ijic.5555
ER  -
"""
# The same paper as another database gave it: no DOI and another volume, so
# the matcher cannot be sure and asks a person.
LATER = PEER_SUPPORT.replace(b"DO  - 10.5334/ijic.5555\n", b"").replace(b"VL  - 21", b"VL  - 22")


@pytest.fixture
def two_copies(workspace: Workspace, team: Team, app) -> None:
    with workspace.transaction("alice") as tx:
        import_file(tx, team.review_id, "cinahl.ris", PEER_SUPPORT, database="CINAHL")
        import_file(tx, team.review_id, "scopus.ris", LATER, database="Scopus")


def queue_url(team: Team) -> str:
    return f"/reviews/{team.review_id}/duplicates"


def row(page: str, label: str) -> str:
    found = re.search(rf"<tr[^>]*>\s*<th scope=\"row\">{label}</th>.*?</tr>", page, re.S)
    assert found, page
    return found.group(0)


def test_it_lets_bob_merge_a_pair_and_undo_it(visit, workspace, team: Team, two_copies) -> None:
    bob = visit("bob")
    bob.get(queue_url(team))
    ran = bob.post(queue_url(team) + "/run")
    assert ran.status_code == 303
    page = bob.get(queue_url(team)).get_data(as_text=True)
    assert "2 records compared: 0 duplicate groups" in page
    assert "Pair 1 of 1" in page and "volumes 21 and 22" in page
    volume = row(page, "Volume")
    assert 'class="differs"' in volume and "<strong>differs</strong>" in volume
    assert "<strong>differs</strong>" in row(page, "DOI")
    assert "<td>same</td>" in row(page, "Title") and "differs" not in row(page, "Title")
    a, b = re.findall(r'name="[ab]" value="(\d+)"', page)

    merged = bob.post(queue_url(team) + "/decide", {"a": a, "b": b, "decision": "merge", "at": "0"})
    assert merged.status_code == 303
    page = bob.get(merged.headers["Location"]).get_data(as_text=True)
    assert f"Records {a} and {b} are merged as one work." in page
    assert "No pairs are waiting" in page and f"Group {a}" in page

    undone = bob.post(f"{queue_url(team)}/groups/{a}/undo")
    assert undone.status_code == 303
    page = bob.get(queue_url(team)).get_data(as_text=True)
    assert f"Undone: records {a}, {b} are separate again" in page
    assert "No records are grouped as duplicates." in page
    with workspace.transaction("bob") as tx:
        assert dedup_service.run_dedup(tx, team.review_id).groups == 0  # the undo holds


def test_it_keeps_a_pair_apart_when_bob_says_so(visit, workspace, team: Team, two_copies) -> None:
    bob = visit("bob")
    bob.get(queue_url(team))
    bob.post(queue_url(team) + "/run")
    page = bob.get(queue_url(team)).get_data(as_text=True)
    a, b = re.findall(r'name="[ab]" value="(\d+)"', page)
    bob.post(queue_url(team) + "/decide", {"a": a, "b": b, "decision": "distinct"})
    page = bob.get(queue_url(team)).get_data(as_text=True)
    assert "kept apart as different works" in page and "No pairs are waiting" in page
    with workspace.transaction("bob") as tx:
        assert dedup_service.list_groups(tx, team.review_id) == []


def test_it_skips_past_the_last_pair_back_to_the_first(
    visit, workspace, team: Team, two_copies
) -> None:
    with workspace.transaction("bob") as tx:
        dedup_service.run_dedup(tx, team.review_id)
    page = visit("bob").get(queue_url(team) + "?at=1").get_data(as_text=True)
    assert "Pair 1 of 1" in page
    assert 'name="at" value="1"' in page  # the skip button moves along


def test_it_shows_pat_the_pair_without_the_buttons(
    visit, workspace, team: Team, two_copies
) -> None:
    with workspace.transaction("bob") as tx:
        dedup_service.run_dedup(tx, team.review_id)
        (pair,) = dedup_service.pairs_to_review(tx, team.review_id)
    pat = visit("pat")
    page = pat.get(queue_url(team)).get_data(as_text=True)
    assert "Pair 1 of 1" in page
    assert "Same work: merge" not in page and "Find duplicates" not in page
    refused = pat.post(
        queue_url(team) + "/decide", {"a": str(pair.a.id), "b": str(pair.b.id), "decision": "merge"}
    )
    assert refused.status_code == 403


def test_it_keeps_mallory_out(visit, workspace, team: Team, two_copies) -> None:
    with workspace.transaction("bob") as tx:
        dedup_service.run_dedup(tx, team.review_id)
        (pair,) = dedup_service.pairs_to_review(tx, team.review_id)
        dedup_service.decide_pair(tx, team.review_id, pair.a.id, pair.b.id, duplicate=True)
    mallory = visit("mallory")
    assert mallory.get(queue_url(team)).status_code == 403
    assert mallory.post(queue_url(team) + "/run").status_code == 403
    decided = {"a": str(pair.a.id), "b": str(pair.b.id), "decision": "distinct"}
    assert mallory.post(queue_url(team) + "/decide", decided).status_code == 403
    assert mallory.post(f"{queue_url(team)}/groups/{pair.a.id}/undo").status_code == 403
    with workspace.transaction("bob") as tx:
        assert len(dedup_service.list_groups(tx, team.review_id)) == 1


def test_it_tells_carol_plainly_that_bob_decided_the_pair_first(
    visit, workspace, team: Team, two_copies
) -> None:
    with workspace.transaction("bob") as tx:
        dedup_service.run_dedup(tx, team.review_id)
    bob, carol = visit("bob"), visit("carol")
    carols_page = carol.get(queue_url(team)).get_data(as_text=True)
    a, b = re.findall(r'name="[ab]" value="(\d+)"', carols_page)
    bob.get(queue_url(team))
    bob.post(queue_url(team) + "/decide", {"a": a, "b": b, "decision": "merge"})
    # carol's page still shows the pair; she keeps them apart, too late.
    stale = carol.post(
        queue_url(team) + "/decide",
        {"a": a, "b": b, "decision": "distinct", "at": "0"},
        headers={"Referer": f"http://localhost{queue_url(team)}"},
    )
    assert stale.status_code == 303 and stale.headers["Location"] == queue_url(team)
    page = carol.get(stale.headers["Location"]).get_data(as_text=True)
    assert f"Records {a} and {b} were already decided (merged as one work)" in page
    assert "nothing was changed" in page and "No pairs are waiting" in page
    with workspace.transaction("carol") as tx:
        (group,) = dedup_service.list_groups(tx, team.review_id)
    assert sorted(record.id for record in group.records) == sorted([int(a), int(b)])
    # The same words the other way round: kept apart first, then merged from a stale page.
    bob.post(f"{queue_url(team)}/groups/{a}/undo")
    again = carol.post(queue_url(team) + "/decide", {"a": a, "b": b, "decision": "merge"})
    assert again.status_code == 303
    page = carol.get(queue_url(team)).get_data(as_text=True)
    assert "already decided (kept apart as different works)" in page
