"""The pages the advisers' guide shows, as pat meets them in the demo review.

The store is built as `cosynth demo` builds it: the demo review (the paper's
question, sample exports), the worked example as a review of its own (ten
studies, their extraction, synthesis and advisory group), and the demo
accounts with pat in adviser mode. One of the demo review's records is taken
to full text and given to pat to read. The test walks pat through the pages of docs/advisers/ and
checks each one renders for him; with COSYNTH_SCREENSHOTS=1 it also saves
each page as the PNG the guide shows (docs/advisers/img/), to be committed.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import argon2
import pytest
from argon2 import PasswordHasher
from playwright.sync_api import Browser, Page
from werkzeug.serving import make_server

from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.services import accounts, fulltext, screening, screening_protocol
from cosynth.services.demo import (
    LEAD,
    build_demo_review,
    build_worked_example_review,
    create_demo_accounts,
)
from cosynth.services.records import list_records
from cosynth.services.worked_example import build_worked_example, load_worked_example
from cosynth.services.worked_synthesis import build_worked_synthesis, load_worked_synthesis
from cosynth.services.workspace import Workspace
from cosynth.web import WebSettings, create_app
from tests.browser.conftest import _QuietHandler
from tests.browser.navigation import follow
from tests.browser.searches import study_pdf

pytestmark = pytest.mark.browser

IMAGES = Path(__file__).resolve().parents[2] / "docs" / "advisers" / "img"
PAT_PASSWORD = "plain english please"  # the demo's, as the README gives it
TAKE_SCREENSHOTS = os.environ.get("COSYNTH_SCREENSHOTS") == "1"


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)
    )


@pytest.fixture
def demo(db_url: str, workspace: Workspace) -> Iterator[tuple[str, int, int]]:
    """The demo on a loopback port: its review (pat has a full text to read there), and the
    worked example's."""
    with workspace.transaction(LEAD) as tx:
        review, _ = build_demo_review(tx)
        finished = build_worked_example_review(tx)
    example = load_worked_example()
    studies = build_worked_example(workspace, finished.id, example, lead=LEAD)
    build_worked_synthesis(
        workspace, finished.id, studies, load_worked_synthesis(example), lead=LEAD
    )
    create_demo_accounts(workspace)
    with workspace.transaction(LEAD) as tx:
        record = list_records(tx, review.id, limit=1)[0].id
    for who in ("bob", "carol"):
        with workspace.transaction(who) as tx:
            screening.cast_vote(tx, review.id, record, Decision.INCLUDE, stage=Stage.TITLE_ABSTRACT)
    with workspace.transaction("bob") as tx:
        fulltext.attach_report(
            tx,
            review.id,
            record,
            "peer-support.pdf",
            study_pdf(
                "Background: a peer support service for carers in integrated care.",
                "Findings: carers said they were heard, and helped run the service.",
            ),
        )
    with workspace.transaction(LEAD) as tx:
        screening_protocol.assign(tx, review.id, Stage.FULL_TEXT, [record], ["pat"])

    app = create_app(
        WebSettings(database_url=db_url, secret_key="docs screenshots", secure_cookies=False)
    )
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="cosynth-docs", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", review.id, finished.id
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.extensions["cosynth.workspace"].close()


def shot(page: Page, name: str, heading: str) -> None:
    """Check the page is the one the guide describes; save it when screenshots are asked for."""
    assert page.get_by_role("heading", level=1).inner_text().strip() == heading, name
    assert "adviser-mode" in (page.locator("body").get_attribute("class") or "")
    if TAKE_SCREENSHOTS:
        IMAGES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(IMAGES / f"{name}.png"))


def test_it_shows_pat_every_page_of_the_advisers_guide(
    browser: Browser, demo: tuple[str, int, int]
) -> None:
    base, rid, example = demo
    context = browser.new_context(base_url=base, viewport={"width": 1024, "height": 720})
    context.set_default_timeout(30_000)
    pat = context.new_page()
    try:
        pat.goto("/login")
        pat.fill("#username", "pat")
        pat.fill("#password", PAT_PASSWORD)
        with pat.expect_navigation():
            pat.press("#password", "Enter")

        pat.goto(f"/reviews/{rid}")
        follow(pat, pat.get_by_role("link", name="Full texts for you to read").first)
        shot(pat, "advice-queue", "Full texts for you to read")
        follow(pat, pat.get_by_role("link", name="Read this study").first)
        shot(pat, "advice-read", "Read the study")
        follow(pat, pat.get_by_role("link", name="I have read it"))
        assert "meet the" in pat.get_by_role("heading", level=1).inner_text()
        if TAKE_SCREENSHOTS:
            pat.screenshot(path=str(IMAGES / "advice-meets.png"))
        follow(pat, pat.get_by_role("button", name="Yes", exact=True))
        pat.get_by_label("Anything you want the team to know?").fill(
            "The carers helped run the service, not just plan it."
        )
        follow(pat, pat.get_by_role("button", name="Continue", exact=True))
        shot(pat, "advice-check", "Check your answers")
        follow(pat, pat.get_by_role("button", name="Send my answers"))
        assert "Thank you" in pat.locator("main").inner_text()

        # Each page as the guide reaches it: from the review, by the links it names.
        pat.goto(f"/reviews/{example}")
        follow(pat, pat.get_by_role("link", name="Data extraction", exact=True))
        follow(pat, pat.get_by_role("link", name="Comment on the form or suggest a question"))
        shot(pat, "extraction-suggest", "Help shape the extraction form")
        answers = "See your comments and suggestions, and the lead's answers"
        assert pat.get_by_role("link", name=answers).count() == 1
        pat.get_by_label("What do you think?").fill("This should also ask about unpaid carers.")
        follow(pat, pat.get_by_role("button", name="Send my comment"))
        # Sending opens the page of your comments and the lead's answers.
        assert "Comments and suggestions" in pat.get_by_role("heading", level=1).inner_text()
        assert "also ask about unpaid carers" in pat.locator("main").inner_text()

        pat.goto(f"/reviews/{example}")
        follow(pat, pat.get_by_role("link", name="What we found"))
        shot(pat, "what-we-found", "What we found")
        finding = pat.locator("form", has_text="Does this match your experience?").first
        question = finding.locator("fieldset")
        question.scroll_into_view_if_needed()
        assert question.get_by_role("radio").count() == 3
        if TAKE_SCREENSHOTS:
            pat.screenshot(path=str(IMAGES / "what-we-found-answer.png"))
        question.get_by_label("This partly matches my experience").check()
        follow(pat, finding.get_by_role("button", name="Save my answer"))
        assert "Your answer so far:" in pat.locator("main").inner_text()

        pat.goto(f"/reviews/{example}")
        follow(pat, pat.get_by_role("link", name="My involvement"))
        shot(pat, "my-involvement", "My involvement")
        assert "Your tasks" in pat.locator("main").inner_text()
    finally:
        context.close()


REVIEWER_IMAGES = IMAGES.parent.parent / "reviewers" / "img"


def test_it_shows_the_reviewers_tutorial_its_key_pages(
    browser: Browser, demo: tuple[str, int, int]
) -> None:
    """The pages the tutorial's "In the web app" notes name, as alice and bob meet them."""
    base, rid, example = demo
    for who, password, steps in (
        ("alice", "lead the review", ("my-reviews", "dashboard", "prisma")),
        ("bob", "screen with care", ("screening",)),
    ):
        context = browser.new_context(base_url=base, viewport={"width": 1024, "height": 720})
        context.set_default_timeout(30_000)
        page = context.new_page()
        try:
            page.goto("/login")
            page.fill("#username", who)
            page.fill("#password", password)
            with page.expect_navigation():
                page.press("#password", "Enter")
            for step in steps:
                if step == "dashboard":
                    card = page.locator("li.card", has_text=f"Review {rid}")
                    follow(page, card.get_by_role("link"))
                    assert f"--review {rid}" in page.locator("main").inner_text()
                elif step == "prisma":
                    page.goto(f"/reviews/{example}")
                    follow(page, page.get_by_role("link", name="The PRISMA 2020 flow diagram"))
                elif step == "screening":
                    page.goto(f"/reviews/{rid}")
                    follow(page, page.get_by_role("link", name="Screen", exact=True).first)
                assert page.get_by_role("heading", level=1).count() == 1, step
                if TAKE_SCREENSHOTS:
                    REVIEWER_IMAGES.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(REVIEWER_IMAGES / f"{step}.png"))
        finally:
            context.close()
