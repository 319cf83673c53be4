"""bob appraises a study in Chromium; alice agrees where bob and carol differ; axe scans each page.

The appraisal pages need a chosen instrument and judgements to show their
forms and comparisons, which the site-wide crawl's review does not have, so
they are scanned here as each persona reaches them: alice (lead), bob and
carol (appraisers) and pat (a public adviser, in adviser mode).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from cosynth.services import accounts, appraisal
from cosynth.services.workspace import Workspace
from tests.browser.axe_scan import assert_no_violations, violations
from tests.browser.conftest import SignIn, Site
from tests.browser.navigation import follow
from tests.conftest import Team
from tests.services.appraisal_helpers import TAPUPAS, appraise, choose_tapupas
from tests.services.screening_helpers import import_search, include_at_full_text

pytestmark = pytest.mark.browser


@pytest.fixture
def studies(site: Site, workspace: Workspace, team: Team) -> list[int]:
    """Two included studies, TAPUPAS with sum >= 7; carol has appraised the first already."""
    ids = import_search(workspace, team)
    include_at_full_text(workspace, team, [ids[0], ids[3]])
    choose_tapupas(workspace, team, threshold=7)
    appraise(workspace, "carol", team, ids[0])
    with workspace.transaction(team.adviser) as tx:
        accounts.set_preferences(tx, adviser_mode=True)
    return [ids[0], ids[3]]


def scan(page: Page, who: str, problems: list[str]) -> int:
    problems.extend(violations(page, who, page.url))
    return 1


def test_it_lets_bob_appraise_by_keyboard_and_alice_agree_with_no_violations(
    sign_in: SignIn, workspace: Workspace, team: Team, studies: list[int]
) -> None:
    rid, study = team.review_id, studies[0]
    problems: list[str] = []
    scans = 0

    bob = sign_in("bob")
    bob.goto(f"/reviews/{rid}")
    follow(bob, bob.get_by_role("link", name="Appraisal", exact=True))
    scans += scan(bob, "bob", problems)  # the summary
    follow(bob, bob.get_by_role("link", name="Appraise Author1 2013"))
    scans += scan(bob, "bob", problems)  # the empty form
    for item in TAPUPAS:
        group = bob.locator("fieldset").filter(has=bob.locator(f'input[name="answer-{item}"]'))
        group.get_by_label("Not met" if item == "A" else "Met", exact=True).check()
        group.get_by_label(f"Reason for your answer to {item}").fill(f"bob read {item} on p. 4")
    bob.get_by_role("button", name="Save my answers").focus()
    with bob.expect_navigation():
        bob.keyboard.press("Enter")
    assert bob.get_by_role("status").filter(has_text="Your answers are saved (7 items).").count()
    scans += scan(bob, "bob", problems)  # the form, answered, with the saved message
    follow(bob, bob.get_by_role("link", name="Compare the appraisals side by side"))
    assert bob.locator("tr.differs").count() == 1
    scans += scan(bob, "bob", problems)  # the comparison, with the form to agree

    alice = sign_in("alice")
    alice.goto(f"/reviews/{rid}/appraisal/studies/{study}/compare")
    form = alice.locator("form.card").filter(has=alice.locator('input[name="item"][value="A"]'))
    form.get_by_label("Not met", exact=True).check()
    form.get_by_label("Rationale for the answer to A").fill("Claims outrun the data.")
    with alice.expect_navigation():
        form.get_by_role("button", name="Record the agreed answer to A").click()
    assert alice.locator("tr.differs").count() == 0
    scans += scan(alice, "alice", problems)  # the comparison, agreed
    alice.goto(f"/reviews/{rid}/appraisal/protocol")
    scans += scan(alice, "alice", problems)  # the protocol form, with its versions
    alice.goto(f"/reviews/{rid}/appraisal")
    assert alice.get_by_text("scored 6, below the threshold of 7 (TAPUPAS)").count() == 1
    scans += scan(alice, "alice", problems)  # the summary, with the exclusion

    pat = sign_in("pat")
    for path in ("", f"/studies/{study}", f"/studies/{study}/compare", "/protocol"):
        pat.goto(f"/reviews/{rid}/appraisal{path}")
        scans += scan(pat, "pat", problems)
    with workspace.transaction("pat") as tx:
        assert len(appraisal.appraisal_exclusions(tx, rid)) == 1
    assert_no_violations(problems, scans)
