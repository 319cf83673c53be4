"""The reporting checklists in the browser: pat reads what is still to do, alice notes where
the manuscript reports an item without a script; axe finds nothing on either page."""

from __future__ import annotations

import pytest

from tests.browser.axe_scan import assert_no_violations, violations
from tests.browser.conftest import SignIn
from tests.browser.navigation import follow
from tests.conftest import Team

pytestmark = pytest.mark.browser


def test_it_lets_pat_read_the_checklists_and_alice_place_an_item(
    sign_in: SignIn, team: Team
) -> None:
    rid = team.review_id
    pat = sign_in("pat")
    pat.goto(f"/reviews/{rid}")
    follow(pat, pat.get_by_role("link", name="Reporting checklists"))
    problems = violations(pat, "pat", "checklists")
    follow(pat, pat.get_by_role("link", name="eMERGe"))
    problems += violations(pat, "pat", "emerge")
    assert pat.get_by_role("heading", name="Still to do").is_visible()
    assert pat.get_by_role("textbox").count() == 0

    alice = sign_in("alice")
    alice.goto(f"/reviews/{rid}/checklists/prisma-2020")
    problems += violations(alice, "alice", "prisma-2020")
    alice.get_by_label("Where the manuscript reports item 24a").fill("Methods, p. 3")
    with alice.expect_navigation():
        alice.locator("#item-24a").get_by_role("button").click()
    assert "#item-24a" in alice.url
    placed = alice.locator("#item-24a").get_by_text("Reported in the manuscript at: Methods, p. 3")
    assert placed.is_visible()
    assert_no_violations(problems, 3)
