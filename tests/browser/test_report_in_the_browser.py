"""The worked example's full report in Chromium, as pat reads it on the web: axe-core finds
nothing (WCAG 2.2 A and AA), every figure is shown with its words, and no script runs."""

from __future__ import annotations

import pytest

from cosynth.services.worked_example import build_worked_example, load_worked_example
from cosynth.services.worked_synthesis import build_worked_synthesis, load_worked_synthesis
from cosynth.services.workspace import Workspace
from tests.browser.axe_scan import assert_no_violations, violations
from tests.browser.conftest import SignIn, Site
from tests.conftest import Team

pytestmark = pytest.mark.browser


def test_pat_reads_the_worked_examples_report(
    site: Site, sign_in: SignIn, workspace: Workspace, team: Team
) -> None:
    example = load_worked_example()
    refs = build_worked_example(workspace, team.review_id, example)
    build_worked_synthesis(workspace, team.review_id, refs, load_worked_synthesis(example))
    page = sign_in(team.adviser)
    page.goto(site(f"/reviews/{team.review_id}/report"))
    assert page.locator("h1").inner_text() == "Co-production in integrated care"
    figures = page.locator("figure img")
    assert figures.count() == 7
    for index in range(figures.count()):
        image = figures.nth(index)
        assert image.get_attribute("alt")
        # Drawn, not broken: the page's policy lets its own data: images through.
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator("script").count() == 0
    assert_no_violations(violations(page, "pat", "the full report"), 1)
