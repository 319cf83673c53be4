"""The paper's review in the browser: its tables in the paper's score order, and scoring by hand.

The worked example is built through the real path (services/worked_example.py);
alice reads the tables page (reference 47's study first at 12, reference 48's
last at 6), bob changes a level with the keyboard, alice records the consensus
where bob and carol now differ, and pat reads the scores in adviser mode.
axe-core scans every page on the way (WCAG 2.2 A and AA).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from cosynth.services import accounts, coproduction
from cosynth.services.worked_example import build_worked_example, load_worked_example
from cosynth.services.workspace import Workspace
from tests.browser.axe_scan import assert_no_violations, violations
from tests.browser.conftest import SignIn, Site
from tests.conftest import Team

pytestmark = pytest.mark.browser


@pytest.fixture
def example(site: Site, workspace: Workspace, team: Team) -> dict[int, str]:
    """The worked example: the paper's reference -> the study's label."""
    records = build_worked_example(workspace, team.review_id, load_worked_example())
    with workspace.transaction(team.lead) as tx:
        labels = {s.record_id: s.label for s in coproduction.study_scores(tx, team.review_id)}
    with workspace.transaction(team.adviser) as tx:
        accounts.set_preferences(tx, adviser_mode=True)
    return {ref: labels[record_id] for ref, record_id in records.items()}


def score_rows(page: Page) -> list[list[str]]:
    rows = page.locator('table[id="table-table-4-score-order"] tbody tr')
    return [
        [cell.strip() for cell in rows.nth(i).locator("td").all_inner_texts()]
        for i in range(rows.count())
    ]


def test_it_shows_the_papers_tables_and_lets_the_team_score_by_hand(
    sign_in: SignIn, site: Site, team: Team, example: dict[int, str]
) -> None:
    problems: list[str] = []
    scans = 0

    def scan(page: Page, who: str) -> None:
        nonlocal scans
        scans += 1
        problems.extend(violations(page, who, site.path_of(page.url)))

    base = f"/reviews/{team.review_id}"
    alice = sign_in("alice")
    alice.goto(base)
    with alice.expect_navigation():
        alice.get_by_role("link", name="Tables", exact=True).click()
    assert alice.url.endswith(f"{base}/tables")
    rows = score_rows(alice)
    assert len(rows) == 10
    score = rows[0].index("12")
    assert rows[0][1] == example[47] and rows[0][score] == "12"
    assert rows[-1][1] == example[48] and rows[-1][score] == "6"
    assert alice.locator("figure.plot svg[role=img]").count() == 2
    scan(alice, "alice")

    for path in ("/coproduction", "/coproduction/scheme", "/coproduction/agree"):
        alice.goto(base + path)
        scan(alice, "alice")

    # bob reads study 47 one rung lower now, from the keyboard: a disagreement with carol.
    bob = sign_in("bob")
    bob.goto(f"{base}/coproduction")
    with bob.expect_navigation():
        bob.get_by_role("link", name=example[47]).click()
    scan(bob, "bob")
    bob.get_by_label("6. Co-design").focus()
    bob.keyboard.press("Space")
    bob.get_by_role("button", name="Save my levels").focus()
    with bob.expect_navigation():
        bob.keyboard.press("Enter")
    assert bob.get_by_role("status").inner_text() == "Your levels for this study are saved."
    scan(bob, "bob")

    alice.goto(f"{base}/coproduction/agree")
    form = alice.locator("form", has_text=example[47])
    assert form.count() == 1
    form.get_by_label("7. Co-production").check()
    form.get_by_label("How was it agreed?").fill("Discussed at the team meeting")
    with alice.expect_navigation():
        form.get_by_role("button", name="Record the consensus").click()
    assert "No study is waiting for a consensus." in alice.content()
    scan(alice, "alice")
    alice.goto(f"{base}/tables")
    assert score_rows(alice)[0][1] == example[47]

    pat = sign_in("pat")
    for path in ("/coproduction", "/tables"):
        pat.goto(base + path)
        assert pat.locator(".term").count() >= 3  # the words explained in adviser mode
        scan(pat, "pat")
    assert_no_violations(problems, scans)
