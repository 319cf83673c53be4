"""The question and the search in the browser: alice sets the SPICES question, builds the
blocks from it and adds a term pat suggested, reads each database's string and copies one;
pat reads the strategy; axe finds nothing on any of the pages."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from cosynth.domain.advisory import MemberKind
from cosynth.services import advisory_group
from cosynth.services.workspace import Workspace
from tests.browser.axe_scan import assert_no_violations, violations
from tests.browser.conftest import SignIn
from tests.browser.navigation import follow
from tests.conftest import Team

pytestmark = pytest.mark.browser


def test_alice_builds_the_search_and_pat_reads_it(
    sign_in: SignIn, team: Team, workspace: Workspace
) -> None:
    rid = team.review_id
    with workspace.transaction("alice") as tx:
        advisory_group.add_group_member(
            tx, rid, "Pat", kind=MemberKind.SERVICE_USER, username="pat",
            joined_on=date(2022, 1, 10),
        )  # fmt: skip
    alice = sign_in("alice")
    alice.goto(f"/reviews/{rid}")
    follow(alice, alice.get_by_role("link", name="Question and search"))
    problems = violations(alice, "alice", "question (empty)")
    alice.get_by_label("S: Setting").fill("Health and care services within integrated care")
    alice.get_by_label("I: Intervention").fill("Co-production")
    alice.get_by_label("The research question").fill(
        "How has co-production impacted the design and transformation of integrated care?"
    )
    with alice.expect_navigation():
        alice.get_by_role("button", name="Save the question").click()
    assert alice.get_by_role("cell", name="Co-production", exact=True).is_visible()
    problems += violations(alice, "alice", "question")

    follow(alice, alice.get_by_role("link", name="Search terms"))
    with alice.expect_navigation():
        alice.get_by_role("button", name="One block for each element of the question").click()
    problems += violations(alice, "alice", "strategy")
    setting = alice.locator("#block-1")
    setting.get_by_text("Add a term to “Setting”").click()
    setting.get_by_label("Word, phrase or heading").fill("integrated care")
    setting.get_by_label("A phrase (words together)").check()
    setting.get_by_label("Suggested by a member of the advisory group").select_option(
        label="Pat (service user)"
    )
    with alice.expect_navigation():
        setting.get_by_role("button", name="Add the term").click()
    intervention = alice.locator("#block-2")
    intervention.get_by_text("Add a term to “Intervention”").click()
    intervention.get_by_label("Word, phrase or heading").fill("coproduction")
    with alice.expect_navigation():
        intervention.get_by_role("button", name="Add the term").click()
    problems += violations(alice, "alice", "strategy with terms")

    follow(alice, alice.get_by_role("link", name="Strings for each database"))
    pubmed = alice.locator("#string-pubmed")
    assert pubmed.inner_text() == '("integrated care"[tiab]) AND (coproduction[tiab])'
    alice.context.grant_permissions(["clipboard-read", "clipboard-write"])
    alice.get_by_role("button", name="Copy the PubMed string").click()
    # The clipboard answers asynchronously: wait for the status line to say which way it went.
    expect(alice.locator('[data-copied="string-pubmed"]')).to_have_text(
        re.compile(r"^(Copied\.|Could not copy: select the string and copy it by hand\.)$")
    )
    problems += violations(alice, "alice", "strings")
    follow(alice, alice.get_by_role("link", name="Search log"))
    problems += violations(alice, "alice", "search log")

    pat = sign_in("pat")
    pat.goto(f"/reviews/{rid}/search/strategy")
    assert pat.get_by_role("cell", name="Pat", exact=True).is_visible()
    assert pat.get_by_role("button", name="Add the term").count() == 0
    problems += violations(pat, "pat", "strategy")
    assert_no_violations(problems, 7)
