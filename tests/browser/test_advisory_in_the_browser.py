"""The advisory group in Chromium: alice keeps its records, pat reads his own, axe scans each page.

alice adds pat to the group (a wrong date first, refused beside its field),
records his consent and an hour of his time, adds a task to the action log
and marks it done, records the roundtable and uploads its WebVTT transcript,
and reads the GRIPP2 short form; pat, in adviser mode, reads "My
involvement" and says how papers should reach him, by keyboard. axe-core
(WCAG 2.2 A and AA) scans every page on the way, the refused form included.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from cosynth.services import accounts
from cosynth.services.workspace import Workspace
from tests.browser.axe_scan import assert_no_violations, violations
from tests.browser.conftest import SignIn, Site
from tests.conftest import Team

pytestmark = pytest.mark.browser

ROUNDTABLE = Path(__file__).parents[1] / "data" / "transcripts" / "roundtable.vtt"


def test_it_keeps_the_group_and_shows_pat_his_own_involvement(
    sign_in: SignIn, site: Site, workspace: Workspace, team: Team
) -> None:
    with workspace.transaction(team.adviser) as tx:
        accounts.set_preferences(tx, adviser_mode=True)
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
        alice.get_by_role("link", name="Advisory group", exact=True).first.click()
    assert alice.url.endswith(f"{base}/group")
    scan(alice, "alice")

    # A date typed by hand that is not one: refused beside the field, the name kept.
    alice.get_by_label("Name", exact=True).fill("Pat")
    alice.get_by_label("Service user").check()
    alice.locator("#member-joined").evaluate("(input) => { input.type = 'text'; }")
    alice.locator("#member-joined").fill("last May")
    alice.get_by_label("Their cosynth account (optional)").select_option("pat")
    with alice.expect_navigation():
        alice.get_by_role("button", name="Add to the group").click()
    error = alice.locator("#member-joined_on-error")
    assert "is not a date like" in error.inner_text()
    assert alice.locator("#member-joined").get_attribute("aria-invalid") == "true"
    assert alice.get_by_label("Name", exact=True).input_value() == "Pat"
    scan(alice, "alice")

    alice.locator("#member-joined").fill("2022-09-01")
    with alice.expect_navigation():
        alice.get_by_role("button", name="Add to the group").click()
    assert alice.get_by_role("heading", name="Pat", exact=True).is_visible()
    scan(alice, "alice")
    alice.get_by_label("To take part in the review").check()
    alice.get_by_label("To have their words quoted").check()
    alice.locator("#consent-on").fill("2022-09-01")
    with alice.expect_navigation():
        alice.get_by_role("button", name="Record the consent").click()
    assert "To have their words quoted: yes" in alice.locator("main").inner_text()
    alice.locator("#hours-on").fill("2022-10-05")
    alice.get_by_label("Hours", exact=True).fill("1.5")
    alice.get_by_label("What for").fill("Meeting 1")
    with alice.expect_navigation():
        alice.get_by_role("button", name="Record the hours").click()
    assert "Meeting 1" in alice.locator("main").inner_text()
    scan(alice, "alice")

    alice.goto(f"{base}/group/actions")
    alice.get_by_label("Task", exact=True).fill("Comment on the draft search terms")
    alice.get_by_label("Pat", exact=True).check()
    alice.get_by_label("Phase of the review").select_option("2")
    with alice.expect_navigation():
        alice.get_by_role("button", name="Add the task").click()
    scan(alice, "alice")
    alice.get_by_role("button", name="Mark done: Comment on the draft search terms").focus()
    with alice.expect_navigation():
        alice.keyboard.press("Enter")
    assert alice.get_by_role(
        "button", name="Open again: Comment on the draft search terms"
    ).is_visible()

    alice.goto(f"{base}/group/roundtables")
    scan(alice, "alice")
    alice.get_by_label("Title (optional)").fill("Early impressions of the findings")
    alice.get_by_label("Date").fill("2023-03-14")
    with alice.expect_navigation():
        alice.get_by_role("button", name="Record the roundtable").click()
    scan(alice, "alice")
    alice.get_by_label("The transcript's file").set_input_files(str(ROUNDTABLE))
    with alice.expect_navigation():
        alice.get_by_role("button", name="Upload the transcript").click()
    assert alice.get_by_role("heading", name="Transcript: roundtable.vtt").is_visible()
    assert alice.locator("#turn-14").is_visible()
    assert "Sustaining it, yes." in alice.locator("#turn-13").inner_text()
    scan(alice, "alice")

    for path in ("/group/meetings", "/group/gripp2"):
        alice.goto(base + path)
        scan(alice, "alice")
    assert (
        "An advisory group of 1 member took part: 1 service user."
        in alice.locator("main").inner_text()
    )

    pat = sign_in("pat")
    pat.goto(base)
    with pat.expect_navigation():
        pat.get_by_role("link", name="My involvement").click()
    mine = pat.locator("main").inner_text()
    assert "Hello Pat." in mine and "Comment on the draft search terms" in mine
    assert "You have given 1.5 hours" in mine
    scan(pat, "pat")
    pat.get_by_label("On paper, by post").focus()
    pat.keyboard.press("Space")
    pat.get_by_label("Large print").focus()
    pat.keyboard.press("Space")
    with pat.expect_navigation():
        pat.get_by_role("button", name="Save").click()
    assert pat.get_by_label("On paper, by post").is_checked()
    assert pat.get_by_label("Large print").is_checked()
    scan(pat, "pat")
    pat.goto(f"{base}/group")
    assert "Consent" not in pat.locator("main").inner_text()
    scan(pat, "pat")

    assert scans >= 12
    assert_no_violations(problems, scans)
