"""axe-core scans the extraction and quote pages (WCAG 2.2 A and AA) as alice, bob and pat.

The review has a form, two included studies extracted by bob and carol with
a field on which they differ, pat's comment and suggestion, and a quote, so
that every part of each page is on it when it is scanned. The pages with the
services' messages (a wrong value beside its field, a refused quote) are
scanned too.
"""

from __future__ import annotations

import pytest

from cosynth.domain.extraction import FieldKind, FormField
from cosynth.domain.quotes import QuoteKind
from cosynth.services import accounts, extraction, quotes
from cosynth.services.workspace import Workspace
from tests.browser.axe_scan import assert_no_violations
from tests.browser.conftest import SignIn, Site
from tests.browser.test_accessibility import Crawl
from tests.conftest import Team
from tests.services.extraction_helpers import two_studies

pytestmark = pytest.mark.browser

VALUES: dict[str, object] = {
    "country": "UK",
    "design": "qualitative",
    "models": "co-design; peer support",
    "service_users": "12",
    "equity": "unclear",
    "participants": [{"group": "service users", "number": "12"}],
}


@pytest.fixture
def studies(site: Site, workspace: Workspace, team: Team) -> list[int]:
    ids = two_studies(workspace, team)
    rid = team.review_id
    for who, extra in (("bob", {}), ("carol", {"equity": "yes"})):
        with workspace.transaction(who) as tx:
            extraction.set_values(tx, rid, ids[0], {**VALUES, **extra})
            extraction.mark_done(tx, rid, ids[0])
    with workspace.transaction("bob") as tx:
        extraction.set_values(tx, rid, ids[1], {"country": "Wales"})
        quotes.add_quote(
            tx, rid, ids[0], "We were listened to.", kind=QuoteKind.FIRST_ORDER, page="241"
        )
    with workspace.transaction(team.adviser) as tx:
        extraction.comment_on_field(tx, rid, "models", "Add co-delivery by carers")
        extraction.propose_field(
            tx,
            rid,
            FormField("carers_voice", "Were carers' own words reported?", FieldKind.YES_NO_UNCLEAR),
            why="Carers are often left out",
        )
        accounts.set_preferences(tx, adviser_mode=True)
    return ids


def test_it_finds_no_violations_on_the_extraction_and_quote_pages(
    sign_in: SignIn, site: Site, team: Team, studies: list[int]
) -> None:
    base = f"/reviews/{team.review_id}/extraction"
    quotes_base = f"/reviews/{team.review_id}/quotes"
    crawls = []
    for who in ("alice", "bob", "pat"):
        crawl = Crawl(site, sign_in(who), who)
        crawl.walk(
            base,
            f"{base}/form",
            f"{base}/form/feedback",
            f"{base}/form/suggest",
            f"{base}/form/fields/new?rows=1",
            f"{base}/form/fields/participants",
            f"{base}/studies/{studies[0]}",
            f"{base}/studies/{studies[0]}/compare?all=1",
            f"{base}/studies/{studies[1]}?more=participants",
            quotes_base,
            f"{quotes_base}/{studies[0]}",
        )
        crawls.append(crawl)
    alice, bob, _pat = crawls
    assert {
        "extraction.index",
        "extraction.form",
        "extraction.feedback",
        "extraction.new_field",
        "extraction.edit_field",
        "extraction.study",
        "extraction.compare",
        "quotes.index",
        "quotes.study",
    } <= set(alice.scanned)
    assert "extraction.suggest" in set(crawls[2].scanned)

    # The services' words on the page: a wrong value beside its field, a refused quote.
    page = bob.page
    page.goto(f"{base}/studies/{studies[1]}")
    page.fill("#f-service_users", "12,000")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    assert page.locator("#f-service_users-error").count() == 1
    bob.scan(f"{base}/studies/{studies[1]} with a wrong number")
    page.goto(f"{quotes_base}/{studies[1]}")
    page.fill("#quote-text", "Words without a page")
    with page.expect_navigation():
        page.get_by_role("button", name="Keep the quote").click()
    assert page.locator("#quote-error").count() == 1
    bob.scan(f"{quotes_base}/{studies[1]} with a refused quote")

    problems = [problem for crawl in crawls for problem in crawl.problems]
    assert_no_violations(problems, sum(crawl.scans for crawl in crawls))
