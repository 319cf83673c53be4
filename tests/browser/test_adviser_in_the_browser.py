"""pat, a public adviser in adviser mode, reads an assigned full text and gives advice.

One question a page; axe-core scans each page on the way (pages reached only
by posting answers, which the link-following scan cannot reach).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.services import accounts, fulltext, screening, screening_protocol
from cosynth.services.imports import import_file
from cosynth.services.records import list_records
from cosynth.services.workspace import Workspace
from tests.browser.axe_scan import assert_no_violations, violations
from tests.browser.conftest import SignIn, Site
from tests.browser.navigation import follow
from tests.browser.searches import search_export, study_pdf
from tests.conftest import Team

pytestmark = pytest.mark.browser

TA, FT = Stage.TITLE_ABSTRACT, Stage.FULL_TEXT
NOTE = "The carers in this study were only consulted once; that is not co-production."


@pytest.fixture
def assigned(site: Site, workspace: Workspace, team: Team) -> int:
    """Two studies included at title and abstract, full texts attached; pat is asked about one."""
    rid = team.review_id
    with workspace.transaction(team.lead) as tx:
        import_file(tx, rid, "cinahl.ris", search_export(3))
        included = [record.id for record in list_records(tx, rid)][:2]
    for who in team.reviewers:
        with workspace.transaction(who) as tx:
            for record in included:
                screening.cast_vote(tx, rid, record, Decision.INCLUDE, stage=TA)
    with workspace.transaction("bob") as tx:
        for record in included:
            fulltext.attach_report(tx, rid, record, f"study-{record}.pdf", study_pdf())
    record = included[0]
    with workspace.transaction(team.lead) as tx:
        screening_protocol.assign(tx, rid, FT, [record], [team.adviser])
    with workspace.transaction(team.adviser) as tx:
        accounts.set_preferences(tx, adviser_mode=True)
    return record


def step(page: Page, problems: list[str], label: str) -> None:
    """Each page pat meets: one h1, adviser mode on, and nothing axe-core objects to."""
    assert page.get_by_role("heading", level=1).count() == 1, label
    assert "adviser-mode" in (page.locator("body").get_attribute("class") or "")
    problems.extend(violations(page, "pat", label))


def test_it_lets_pat_read_an_assigned_full_text_and_give_advice(
    sign_in: SignIn, site: Site, workspace: Workspace, team: Team, assigned: int
) -> None:
    rid, problems = team.review_id, []
    pat = sign_in("pat")
    pat.goto(f"/reviews/{rid}")
    follow(pat, pat.locator(f'a[href="/reviews/{rid}/advice"]').first)
    step(pat, problems, "her list of full texts")
    follow(pat, pat.get_by_role("link", name="Read this study"))
    step(pat, problems, "the study")
    assert pat.locator("iframe.pdf").count() == 1  # the PDF in the page
    follow(pat, pat.get_by_role("link", name="I have read it"))
    step(pat, problems, "does it meet the criteria?")
    follow(pat, pat.get_by_role("button", name="No", exact=True))
    step(pat, problems, "which criterion?")
    pat.locator("input[name=criterion]").first.check()
    follow(pat, pat.get_by_role("button", name="Continue", exact=True))
    step(pat, problems, "anything to tell the team?")
    pat.get_by_label("Anything you want the team to know?").fill(NOTE)
    follow(pat, pat.get_by_role("button", name="Continue", exact=True))
    step(pat, problems, "check your answers")
    assert NOTE in pat.locator("main").inner_text()
    follow(pat, pat.get_by_role("button", name="Send my answers", exact=True))
    step(pat, problems, "her list again, thanked")
    assert "Thank you" in pat.locator("main").inner_text()
    assert_no_violations(problems, 8)

    with workspace.transaction("pat") as tx:
        mine = screening.record_screening(tx, rid, assigned, stage=FT).my_vote
    assert mine is not None and mine.advice
    assert (mine.decision, mine.note) == (Decision.EXCLUDE, NOTE)
    for who in team.reviewers:  # the reviewers decide; pat's view is read beside their votes
        with workspace.transaction(who) as tx:
            screening.cast_vote(tx, rid, assigned, Decision.INCLUDE, stage=FT)
    bob = sign_in("bob")
    bob.goto(f"/reviews/{rid}/screen/full-text/records/{assigned}")
    assert "Advice from pat: exclude" in bob.locator("main").inner_text()
    assert NOTE in bob.locator("main").inner_text()
