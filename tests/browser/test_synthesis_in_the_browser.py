"""The synthesis in Chromium: bob codes words he selects with the mouse, alice builds a theme, pat
says whether it matches his experience; axe-core scans every page on the way.

The selection is made the way a person makes it (the mouse pressed at the
quote's first word and released at its last); static/coding.js fills the
form with the words and their place in the quote, and the coding kept is
exactly the words selected. Each page is scanned (WCAG 2.2 A and AA) as the
person who uses it, pat in adviser mode, and with a refused form's reason
beside its field.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from cosynth.services import accounts, coding, roundtables, themes
from cosynth.services.worked_example import build_worked_example, load_worked_example
from cosynth.services.worked_synthesis import build_worked_synthesis, load_worked_synthesis
from cosynth.services.workspace import Workspace
from tests.browser.axe_scan import assert_no_violations, violations
from tests.browser.conftest import SignIn, Site
from tests.conftest import Team
from tests.web.test_synthesis_pages import LISTENED, Studies, two_quoted_studies

pytestmark = pytest.mark.browser


@pytest.fixture
def quoted(site: Site, workspace: Workspace, team: Team) -> Studies:
    found = two_quoted_studies(workspace, team)
    with workspace.transaction(team.adviser) as tx:
        accounts.set_preferences(tx, adviser_mode=True)
    return found


def select_with_the_mouse(page: Page, selector: str) -> None:
    """Press the mouse at the start of the element's text and release it at the end."""
    box = page.locator(selector).bounding_box()
    assert box is not None
    middle = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 1, middle)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 1, middle, steps=8)
    page.mouse.up()


def test_it_codes_a_selection_builds_a_theme_and_hears_pat(
    sign_in: SignIn, site: Site, workspace: Workspace, team: Team, quoted: Studies
) -> None:
    problems: list[str] = []
    scans = 0

    def scan(page: Page, who: str, label: str = "") -> None:
        nonlocal scans
        scans += 1
        problems.extend(violations(page, who, label or site.path_of(page.url)))

    rid = team.review_id
    synthesis = f"/reviews/{rid}/synthesis"

    # bob reads the first study and codes the quote he selects with the mouse.
    bob = sign_in("bob")
    bob.goto(f"/reviews/{rid}")
    with bob.expect_navigation():
        bob.get_by_role("link", name="Synthesis", exact=True).click()
    scan(bob, "bob")
    with bob.expect_navigation():
        bob.get_by_role("link", name="Reading and coding").click()
    scan(bob, "bob")
    with bob.expect_navigation():
        bob.get_by_role("link", name=quoted.labels[0]).click()
    select_with_the_mouse(bob, f'[data-passage="quote-{quoted.quote_ids[0]}"]')
    expect(bob.locator("#selection-status")).to_contain_text("Selected")
    excerpt = bob.input_value("#coding-excerpt")
    start, end = int(bob.input_value("#coding-start")), int(bob.input_value("#coding-end"))
    assert excerpt.strip() and LISTENED[start:end] == excerpt
    assert bob.input_value("#coding-where") == f"quote-{quoted.quote_ids[0]}"
    scan(bob, "bob", "the reading page with a selection")
    bob.fill("#concept-name", "Being heard")
    bob.check("#concept-new")
    with bob.expect_navigation():
        bob.get_by_role("button", name="Code these words").click()
    assert bob.locator("q", has_text=excerpt.strip()).count() == 1
    with workspace.transaction("bob") as tx:
        [kept] = coding.codings(tx, rid, record_id=quoted.record_ids[0])
    assert (kept.passage.start, kept.passage.end) == (start, end)
    # Words pasted that the quote does not hold: the reason beside the form, the words kept.
    bob.fill("#coding-excerpt", "words nobody wrote")
    bob.get_by_role("radio", name="Being heard").check()
    with bob.expect_navigation():
        bob.get_by_role("button", name="Code these words").click()
    assert "not" in bob.locator("#coding-error").inner_text()
    assert bob.input_value("#coding-excerpt") == "words nobody wrote"
    scan(bob, "bob", "the reading page with a refused coding")
    for page in ("grid", "translate"):
        bob.goto(f"{synthesis}/{page}")
        scan(bob, "bob")
    bob.goto(f"{synthesis}/grid")
    with bob.expect_navigation():
        bob.get_by_role("button", name="Record the judgement").click()
    assert bob.locator("#relating-error").count() == 1  # no relation chosen
    scan(bob, "bob", "the grid with a refused judgement")

    # alice builds a category and a theme under it, and links bob's concept to the theme.
    alice = sign_in("alice")
    alice.goto(f"{synthesis}/themes")
    with alice.expect_navigation():
        alice.get_by_role("button", name="Add", exact=True).click()
    assert alice.locator("#theme-error").count() == 1  # no name
    scan(alice, "alice", "the theme tree with a refused theme")
    alice.fill("#theme-name", "Design")
    alice.check("#level-category")
    with alice.expect_navigation():
        alice.get_by_role("button", name="Add", exact=True).click()
    alice.fill("#theme-name", "Collaboration")
    alice.check("#level-theme")
    alice.select_option("#theme-parent", label="Design (category)")
    with alice.expect_navigation():
        alice.get_by_role("button", name="Add", exact=True).click()
    with alice.expect_navigation():
        alice.get_by_role("link", name="Open Collaboration").click()
    alice.get_by_label("Being heard").check()
    with alice.expect_navigation():
        alice.get_by_role("button", name="Link", exact=True).click()
    scan(alice, "alice")
    alice.goto(f"{synthesis}/themes")
    assert alice.get_by_text(f"[{quoted.labels[0]}: 241]").count() >= 1
    scan(alice, "alice")
    alice.goto(synthesis)
    scan(alice, "alice")

    # pat reads what was found, in plain words, and answers with his own.
    pat = sign_in("pat")
    pat.goto(f"/reviews/{rid}")
    with pat.expect_navigation():
        pat.get_by_role("link", name="What we found").click()
    scan(pat, "pat")
    with workspace.transaction("alice") as tx:
        collaboration = next(t for t in themes.themes(tx, rid) if t.name == "Collaboration")
    card = pat.locator(f"#finding-theme-{collaboration.id}")
    card.get_by_label("This partly matches my experience").check()
    card.get_by_label("In your own words").fill("Only once I had a named worker.")
    with pat.expect_navigation():
        card.get_by_role("button", name="Save my answer").click()
    assert pat.get_by_text("Only once I had a named worker.").count() >= 1
    scan(pat, "pat", "the findings after an answer")

    alice.goto(f"/reviews/{rid}/findings")
    assert alice.get_by_text("This partly matches my experience: “Only once").count() == 1
    scan(alice, "alice")
    assert_no_violations(problems, scans)


def test_it_finds_no_violations_on_the_papers_synthesis(
    sign_in: SignIn, site: Site, workspace: Workspace, team: Team
) -> None:
    """Each synthesis page, full of the worked example's data, as alice and pat (adviser mode)."""
    example = load_worked_example()
    refs = build_worked_example(workspace, team.review_id, example)
    build_worked_synthesis(workspace, team.review_id, refs, load_worked_synthesis(example))
    with workspace.transaction(team.adviser) as tx:
        accounts.set_preferences(tx, adviser_mode=True)
    with workspace.transaction(team.lead) as tx:
        coded = next(c for c in coding.codings(tx, team.review_id) if c.record_id is not None)
        theme_id = themes.theme_tree(tx, team.review_id)[0].children[0].theme.id
        [held] = roundtables.roundtables(tx, team.review_id)
    synthesis = f"/reviews/{team.review_id}/synthesis"
    pages = [
        synthesis,
        f"{synthesis}/reading",
        f"{synthesis}/reading/studies/{coded.record_id}",
        f"{synthesis}/reading/roundtables/{held.id}",
        f"{synthesis}/grid",
        f"{synthesis}/translate",
        f"{synthesis}/themes",
        f"{synthesis}/themes/{theme_id}",
        f"/reviews/{team.review_id}/findings",
    ]
    problems: list[str] = []
    for who in ("alice", "pat"):
        page = sign_in(who)
        for path in pages:
            answer = page.goto(path)
            assert answer is not None and answer.status == 200, f"{who}: {path}"
            problems.extend(violations(page, who, path))
    assert_no_violations(problems, 2 * len(pages))
