"""pat gives advice on a full text in Chromium, by keyboard alone, with an axe scan of each page."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from fpdf import FPDF
from playwright.sync_api import Page, expect

from cosynth.domain.screening.stages import Criterion, CriterionKind, ProtocolChange, Stage
from cosynth.domain.screening.votes import Decision
from cosynth.services import accounts, fulltext, screening, screening_protocol
from cosynth.services.imports import import_file
from cosynth.services.records import list_records
from cosynth.services.workspace import Workspace
from tests.browser.conftest import SignIn
from tests.browser.searches import search_export
from tests.conftest import Team

pytestmark = pytest.mark.browser

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TA, FT = Stage.TITLE_ABSTRACT, Stage.FULL_TEXT


def study_pdf() -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for text in ("Background: integrated care in Scotland.", "Staff said: we were rushed."):
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


@pytest.fixture
def assigned(site, workspace: Workspace, team: Team) -> int:
    """One full text, attached and assigned to pat, who has switched adviser mode on."""
    rid = team.review_id
    with workspace.transaction(team.lead) as tx:
        import_file(tx, rid, "cinahl.ris", search_export(4), database="CINAHL")
        record = list_records(tx, rid)[0].id
        criteria = (Criterion(CriterionKind.INCLUSION, "Carers' own views, in their words"),)
        screening_protocol.set_protocol(tx, rid, FT, ProtocolChange(criteria=criteria))
    for who in team.reviewers:
        with workspace.transaction(who) as tx:
            screening.cast_vote(tx, rid, record, Decision.INCLUDE, stage=TA)
    with workspace.transaction("bob") as tx:
        fulltext.attach_report(tx, rid, record, "carers.pdf", study_pdf())
    with workspace.transaction(team.lead) as tx:
        screening_protocol.assign(tx, rid, FT, [record], [team.adviser])
    with workspace.transaction(team.adviser) as tx:
        accounts.set_preferences(tx, adviser_mode=True)
    return record


def violations(page: Page) -> list[str]:
    result = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    )
    found: list[dict[str, Any]] = result.response["violations"]
    return [
        f"{page.url}: {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in found
    ]


def tab_to(page: Page, selector: str, *, most: int = 60) -> None:
    """Press Tab until `selector` has the focus, as a keyboard user would."""
    target = page.locator(selector).first
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def press_enter(page: Page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_it_takes_pats_advice_by_keyboard_on_accessible_pages(
    sign_in: SignIn, workspace: Workspace, team: Team, assigned: int
) -> None:
    rid = team.review_id
    page = sign_in("pat")
    problems: list[str] = []

    page.goto(f"/reviews/{rid}/advice")
    problems += violations(page)
    # A glossary word explains itself on keyboard focus, and Escape hides it again.
    tab_to(page, ".term a")
    tip = page.locator(".term .tip").first
    expect(tip).to_be_visible()
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()

    tab_to(page, f"a[href='/reviews/{rid}/advice/{assigned}']")
    press_enter(page)
    expect(page.locator("iframe.pdf")).to_have_count(1)
    problems += violations(page)

    tab_to(page, f"a[href='/reviews/{rid}/advice/{assigned}/meets']")
    press_enter(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Does this study meet the")
    problems += violations(page)
    tab_to(page, "button[value=no]")
    press_enter(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Which criterion does it not meet?")
    problems += violations(page)
    # A radio group is one Tab stop; the arrow keys move through its choices.
    tab_to(page, "input[name=criterion]")
    wanted = page.locator("input[value='no qualitative data']")
    for _ in range(12):
        if wanted.is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(wanted).to_be_checked()
    tab_to(page, "button[type=submit]:text('Continue')")
    press_enter(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Anything you want the team to know?")
    problems += violations(page)
    tab_to(page, "#note")
    page.keyboard.type("Only staff are quoted")
    tab_to(page, "button[type=submit]:text('Continue')")
    press_enter(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    problems += violations(page)
    tab_to(page, "button[type=submit]:text('Send my answers')")
    press_enter(page)
    expect(page.locator(".flash")).to_contain_text("Thank you.")

    page.goto("/glossary")
    problems += violations(page)
    page.goto("/account")
    problems += violations(page)
    assert not problems, "\n".join(problems)

    with workspace.transaction("pat") as tx:
        mine = screening.record_screening(tx, rid, assigned, stage=FT).my_vote
    assert mine is not None and mine.advice
    assert (mine.decision, mine.reason, mine.note) == (
        Decision.EXCLUDE,
        "no qualitative data",
        "Only staff are quoted",
    )


def test_it_shows_the_full_text_page_without_violations(
    sign_in: SignIn, team: Team, assigned: int
) -> None:
    page = sign_in("bob")
    problems: list[str] = []
    for path in (
        f"/reviews/{team.review_id}/fulltext",
        f"/reviews/{team.review_id}/fulltext/{assigned}",
    ):
        page.goto(path)
        problems += violations(page)
    page.goto(f"/reviews/{team.review_id}/fulltext/{assigned}")
    page.get_by_role("link", name="Read the text page by page").click()
    expect(page.locator("#page-2")).to_contain_text("we were rushed")
    problems += violations(page)
    assert not problems, "\n".join(problems)
