"""axe-core scans every page each persona can reach (WCAG 2.2 A and AA): no violations.

The pages are found the way a person finds them: from the front page, by
following links, as alice (lead), bob (reviewer), pat (a public adviser, in
adviser mode), mallory (an outsider) and someone not signed in. Each kind of
page (each Flask endpoint) is scanned once per persona, over a review with
something on every page: votes, a conflict, duplicates, full texts.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import pytest
from flask import url_for
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError
from werkzeug.exceptions import HTTPException

from cosynth.domain.roles import Role
from cosynth.domain.screening.stages import Criterion, CriterionKind, ProtocolChange, Stage
from cosynth.domain.screening.votes import Decision
from cosynth.services import accounts, fulltext, screening, screening_protocol
from cosynth.services import dedup as dedup_service
from cosynth.services.imports import import_file
from cosynth.services.records import list_records
from cosynth.services.workspace import Workspace
from tests.browser.axe_scan import assert_no_violations, violations
from tests.browser.conftest import PASSWORD, SignIn, Site
from tests.browser.searches import search_export, study_pdf
from tests.conftest import Team

pytestmark = pytest.mark.browser

TA, FT = Stage.TITLE_ABSTRACT, Stage.FULL_TEXT
# Enough for every kind of page each persona has, few enough to keep the suite quick.
MOST_PAGES = 60
NOT_PAGES = ("/static/", "/logout", "/api/")
# Pages the visitors' test scans, not reached from a member's links.
VISITORS_PAGES = ("auth.login", "invitations.accept")

# The same study found in a second database, for the duplicate queue.
SECOND_DATABASE = b"""TY  - JOUR
TI  - Study 2: Peer support workers in integrated mental health teams in rural Wales.
AU  - Author1, A.
PY  - 2006
JO  - J Integr Care
ER  -
TY  - JOUR
TI  - Erratum: Study 2: peer support workers in integrated mental health teams in rural Wales
AU  - Author1, A.
PY  - 2006
JO  - Journal of Integrated Care
ER  -
"""


@pytest.fixture
def review(site: Site, workspace: Workspace, team: Team) -> list[int]:
    """The team's review part-way through: something to show on every page."""
    rid = team.review_id
    with workspace.transaction(team.lead) as tx:
        import_file(tx, rid, "cinahl.ris", search_export(12), database="CINAHL")
        import_file(tx, rid, "scopus.ris", SECOND_DATABASE, database="Scopus")
        dedup_service.run_dedup(tx, rid)
        criteria = (Criterion(CriterionKind.INCLUSION, "Co-production with unpaid carers"),)
        screening_protocol.set_protocol(tx, rid, TA, ProtocolChange(criteria=criteria))
        ids = [record.id for record in list_records(tx, rid)]
    plan = {
        ids[0]: (Decision.INCLUDE, Decision.INCLUDE),
        ids[2]: (Decision.INCLUDE, Decision.INCLUDE),
        ids[3]: (Decision.INCLUDE, Decision.EXCLUDE),  # a conflict
        ids[4]: (Decision.EXCLUDE, Decision.EXCLUDE),
    }
    for record, decisions in plan.items():
        for who, decision in zip(team.reviewers, decisions, strict=True):
            reason = "wrong setting" if decision is Decision.EXCLUDE else ""
            with workspace.transaction(who) as tx:
                screening.cast_vote(tx, rid, record, decision, stage=TA, reason=reason)
    with workspace.transaction("bob") as tx:
        screening.cast_vote(tx, rid, ids[5], Decision.UNSURE, stage=TA, note="setting unclear")
        fulltext.attach_report(tx, rid, ids[0], "carers.pdf", study_pdf())
        fulltext.mark_not_retrieved(tx, rid, ids[2], note="Not held by the library")
    with workspace.transaction(team.lead) as tx:
        screening_protocol.assign(tx, rid, FT, [ids[0]], [team.adviser])
    with workspace.transaction(team.adviser) as tx:
        accounts.set_preferences(tx, adviser_mode=True)
    return ids


@dataclass
class Crawl:
    """What one persona's walk through the site found."""

    site: Site
    page: Page
    who: str
    scanned: dict[str, str] = field(default_factory=dict)  # endpoint -> the path scanned
    problems: list[str] = field(default_factory=list)
    visited: set[str] = field(default_factory=set)
    requested: set[str] = field(default_factory=set)  # endpoints asked for, redirects too
    scans: int = 0

    def walk(self, *starts: str) -> None:
        waiting = list(starts)
        while waiting and len(self.visited) < MOST_PAGES:
            path = waiting.pop(0)
            if path in self.visited or self.endpoint(path) in self.scanned:
                continue
            self.visited.add(path)
            self.requested.add(self.endpoint(path))
            if self.open(path):
                waiting.extend(self.links())

    def open(self, path: str) -> bool:
        """Open `path` and scan it if it is a page of a kind not scanned yet."""
        try:
            response = self.page.goto(path)
        except PlaywrightError:  # a download (a PDF, a CSV) is not a page
            return False
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            return False
        landed = self.site.path_of(self.page.url)
        endpoint = self.endpoint(landed)
        if endpoint in self.scanned:
            return False
        self.scanned[endpoint] = landed
        self.scan(f"{landed} (status {response.status})")
        return True

    def scan(self, label: str) -> None:
        self.scans += 1
        self.problems.extend(violations(self.page, self.who, label))

    def links(self) -> list[str]:
        hrefs: list[str] = self.page.eval_on_selector_all(
            "a[href]",
            # An SVG link's href is an SVGAnimatedString: resolve it against the page.
            "links => links.map(a => new URL(a.getAttribute('href'), document.baseURI)"
            ".href.split('#')[0])",
        )
        return [
            self.site.path_of(href)
            for href in hrefs
            if href.startswith(self.site.base)
            and not any(part in href for part in NOT_PAGES)
            and not href.endswith((".pdf", ".csv", ".ris", ".json"))
        ]

    def endpoint(self, path: str) -> str:
        adapter = self.site.app.url_map.bind("127.0.0.1")
        try:
            endpoint, _args = adapter.match(path.split("?", maxsplit=1)[0], method="GET")
        except HTTPException:
            return f"(no route) {path}"
        return str(endpoint)


def assert_accessible(crawls: list[Crawl]) -> None:
    problems = [problem for crawl in crawls for problem in crawl.problems]
    assert_no_violations(problems, sum(crawl.scans for crawl in crawls))


def unreached(site: Site, crawls: list[Crawl], *, elsewhere: tuple[str, ...] = ()) -> list[str]:
    """Pages (GET routes) no link led to, but those another test scans."""
    reached = {endpoint for crawl in crawls for endpoint in crawl.requested | set(crawl.scanned)}
    reached.update(elsewhere)
    return sorted(
        rule.endpoint
        for rule in site.app.url_map.iter_rules()
        if "GET" in (rule.methods or ())
        and rule.endpoint != "static"
        and not rule.rule.startswith("/api/")
        and rule.endpoint not in reached
    )


def review_pages(site: Site, review_id: int) -> list[str]:
    """Every page of the review that needs nothing but the review (and a stage) to open.

    Pages of one record, file or job are found by following the links on these.
    """
    paths = []
    with site.app.test_request_context():
        for rule in site.app.url_map.iter_rules():
            if "GET" not in (rule.methods or ()) or rule.arguments - {"review_id", "stage"}:
                continue
            values: dict[str, object] = {"review_id": review_id, "stage": TA.value}
            paths.append(url_for(rule.endpoint, **{k: values[k] for k in rule.arguments}))
    return sorted(path for path in paths if not any(part in path for part in NOT_PAGES))


def test_it_finds_no_violations_on_any_page_the_team_reaches(
    sign_in: SignIn, site: Site, team: Team, review: list[int]
) -> None:
    rid = team.review_id
    crawls = []
    for who in ("alice", "bob", "pat"):
        crawl = Crawl(site, sign_in(who), who)
        crawl.walk(
            f"/reviews/{rid}/screen/title-abstract/records/{review[0]}",  # every vote shown
            f"/reviews/{rid}/screen/full-text?order=file",
            *review_pages(site, rid),
            "/no/such/page",
        )
        assert {"reviews.index", "reviews.dashboard", "screening.record"} <= set(crawl.scanned)
        crawls.append(crawl)
    assert_accessible(crawls)
    missed = unreached(site, crawls, elsewhere=VISITORS_PAGES)
    if missed:
        warnings.warn(f"No link led to: {', '.join(missed)}", stacklevel=1)


def invitation_link(site: Site, workspace: Workspace, team: Team) -> list[str]:
    """An invitation alice sent, as the link the newcomer opens (once that page exists)."""
    if "invitations.accept" not in site.app.view_functions:
        return []
    with workspace.transaction(team.lead) as tx:
        _invitation, token = accounts.invite(tx, team.review_id, Role.REVIEWER)
    with site.app.test_request_context():
        return [url_for("invitations.accept", token=token)]


def test_it_finds_no_violations_for_outsiders_and_visitors(
    browser: Browser,
    sign_in: SignIn,
    site: Site,
    workspace: Workspace,
    team: Team,
    review: list[int],
) -> None:
    mallory = Crawl(site, sign_in("mallory"), "mallory")
    mallory.walk("/", f"/reviews/{team.review_id}", "/account/password")
    assert "reviews.dashboard" in mallory.scanned  # refused: the 403 page

    context = browser.new_context(base_url=site.base)
    try:
        nobody = Crawl(site, context.new_page(), "nobody")
        nobody.walk("/login", "/", "/no/such/page", *invitation_link(site, workspace, team))
        # A refused sign-in: the page again, with its error message.
        nobody.page.goto("/login")
        nobody.page.fill("#username", "bob")
        nobody.page.fill("#password", PASSWORD + " not")
        with nobody.page.expect_navigation():
            nobody.page.press("#password", "Enter")
        assert nobody.page.get_by_role("alert").count() == 1
        nobody.scan("/login after a wrong password")
    finally:
        context.close()
    assert_accessible([mallory, nobody])
    assert set(VISITORS_PAGES) & set(site.app.view_functions) <= set(nobody.scanned)
