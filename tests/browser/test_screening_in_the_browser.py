"""bob and carol screen twenty records each from the keyboard, blinded; alice settles the conflict.

Each reviewer has a browser context of their own (their own cookies), as two
people at two computers would.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from cosynth.domain.screening.stages import Criterion, CriterionKind, ProtocolChange, Stage
from cosynth.services import screening, screening_protocol
from cosynth.services.imports import import_file
from cosynth.services.records import list_records
from cosynth.services.workspace import Workspace
from tests.browser.conftest import SignIn, Site
from tests.browser.searches import search_export
from tests.conftest import Team

pytestmark = pytest.mark.browser

TA = Stage.TITLE_ABSTRACT
SCREENED = 20
CONFLICTED = 3  # the one record (by position) where carol disagrees with bob


@pytest.fixture
def records(site: Site, workspace: Workspace, team: Team) -> list[int]:
    with workspace.transaction(team.lead) as tx:
        import_file(tx, team.review_id, "cinahl.ris", search_export(SCREENED + 4))
        screening_protocol.set_protocol(
            tx,
            team.review_id,
            TA,
            ProtocolChange(
                criteria=(Criterion(CriterionKind.INCLUSION, "Co-production with unpaid carers"),)
            ),
        )
        return [record.id for record in list_records(tx, team.review_id)]


def record_id_of(page: Page) -> int:
    found = re.search(r"/records/(\d+)$", page.url)
    assert found, f"not on a record page: {page.url}"
    return int(found.group(1))


def press_and_wait(page: Page, *keys: str) -> None:
    """Press keys on the page (not in a field); the last one submits the vote."""
    page.locator("body").focus()
    for key in keys[:-1]:
        page.keyboard.press(key)
    with page.expect_navigation():
        page.keyboard.press(keys[-1])


def write_note(page: Page, text: str) -> None:
    """n to the note, type it, then Tab on to the Include button, all from the keyboard."""
    page.locator("body").focus()
    page.keyboard.press("n")
    page.keyboard.type(text)
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.key") == "i":
            return
    raise AssertionError("Tab never reached the Include button")


def noted(position: int) -> bool:
    """bob writes a note on every fourth record (and includes it)."""
    return position % 4 == 0


def bobs_keys(position: int) -> tuple[str, ...]:
    """Include every third record and the noted ones, exclude the rest for the first reason."""
    return ("i",) if position % 3 == 0 or noted(position) else ("1", "e")


def carols_keys(position: int) -> tuple[str, ...]:
    return ("2", "e") if position == CONFLICTED else bobs_keys(position)


def screen_url(team: Team) -> str:
    return f"/reviews/{team.review_id}/screen/title-abstract?order=file"


def test_it_lets_two_reviewers_screen_from_the_keyboard_blinded_and_alice_resolve(
    sign_in: SignIn, site: Site, workspace: Workspace, team: Team, records: list[int]
) -> None:
    bob = sign_in("bob")
    bob.goto(screen_url(team))
    bob_saw = []
    for position in range(SCREENED):
        bob_saw.append(record_id_of(bob))
        assert bob.get_by_role("heading", level=1).count() == 1
        if noted(position):
            write_note(bob, f"bob-secret-{position}")
            with bob.expect_navigation():
                bob.keyboard.press("Enter")
        else:
            press_and_wait(bob, *bobs_keys(position))
    assert bob_saw == records[:SCREENED]  # each once, in file order

    carol = sign_in("carol")
    carol.goto(screen_url(team))
    for position in range(SCREENED):
        record = record_id_of(carol)
        assert record == records[position]
        before = carol.locator("main").inner_text()
        # Blinding (DESIGN.md rule 3): bob has voted, but nothing of his shows before she does.
        assert "1 of 2 votes in." in before
        assert "bob:" not in before.casefold()  # no line of the votes list is his
        assert "bob-secret" not in carol.content()
        press_and_wait(carol, *carols_keys(position))
        if noted(position):  # once she has voted, his vote and note are hers to see
            carol.goto(f"/reviews/{team.review_id}/screen/title-abstract/records/{record}")
            assert f"bob-secret-{position}" in carol.locator("main").inner_text()
            carol.goto(screen_url(team))
    with workspace.transaction("carol") as tx:
        conflicts = screening.list_conflicts(tx, team.review_id, stage=TA)
        for position, record in enumerate(records[:SCREENED]):
            votes = screening.vote_history(tx, team.review_id, record, stage=TA)
            assert len(votes) == 2, (position, votes)
    assert [conflict.record.id for conflict in conflicts] == [records[CONFLICTED]]

    alice = sign_in("alice")
    alice.goto(f"/reviews/{team.review_id}")
    with alice.expect_navigation():
        alice.get_by_role("link", name=re.compile("1 conflicts? waiting")).click()
    card = alice.locator("section.card")
    assert card.count() == 1
    assert "bob: include" in card.inner_text() and "carol: exclude" in card.inner_text()
    card.get_by_label("Rationale").fill("Unpaid carers co-produced the plan: it meets criterion 1.")
    with alice.expect_navigation():
        card.get_by_role("button", name="Include").click()
    settled = alice.locator("main").inner_text()
    assert f"Record {records[CONFLICTED]}: include." in settled
    assert "No conflicts are waiting." in settled
    with workspace.transaction("alice") as tx:
        assert screening.list_conflicts(tx, team.review_id, stage=TA) == []
        progress = screening.stage_progress(tx, team.review_id, stage=TA)
    included = sum(1 for position in range(SCREENED) if bobs_keys(position) == ("i",))
    assert (progress.included, progress.excluded) == (included, SCREENED - included)
