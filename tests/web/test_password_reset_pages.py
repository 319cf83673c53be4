"""bob has forgotten his password: alice, his lead, makes him a link on the team page.

bob opens it in a browser with nobody signed in, sets a new password and signs
in with it; his old password and the same link no longer work, and the
session he had left open elsewhere has ended. mallory, who does not lead
alice's review, cannot make bob a link.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask

from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.web.conftest import PASSWORD, Visitor

NEW = "kettle marmalade lighthouse"
NOT_OPEN = "This link has been used or has expired: ask your review&#39;s lead for a new one."
_RESET_LINK = re.compile(r'id="reset-link"[^>]*value="([^"]+)"')

Visit = Callable[[str | None], Visitor]


def lead_makes_link(visit: Visit, team: Team) -> str:
    alice = visit("alice")
    page = alice.get(f"/reviews/{team.review_id}/members").get_data(as_text=True)
    assert "Make a reset link for bob" in page
    made = alice.post(f"/reviews/{team.review_id}/members/bob/reset-link")
    assert made.status_code == 303
    shown = alice.get(made.headers["Location"])
    assert shown.headers["Cache-Control"] == "no-store"
    found = _RESET_LINK.search(shown.get_data(as_text=True))
    assert found is not None
    again = alice.get(made.headers["Location"]).get_data(as_text=True)
    assert found.group(1) not in again  # shown once only
    return urlsplit(found.group(1)).path


def test_it_lets_bob_reset_his_password_with_alices_link(
    app: Flask, visit: Visit, team: Team
) -> None:
    link = lead_makes_link(visit, team)
    elsewhere = visit("bob")  # a session bob left open on another computer
    assert elsewhere.get("/").status_code == 200
    browser = visit(None)
    form = browser.get(link)
    assert form.status_code == 200 and 'name="new"' in form.get_data(as_text=True)
    assert form.headers["Referrer-Policy"] == "no-referrer"
    assert form.headers["Cache-Control"] == "no-store"
    done = browser.post(link, {"new": NEW, "again": NEW})
    assert done.status_code == 303 and done.headers["Location"].endswith("/login")
    assert elsewhere.get("/").status_code == 303  # signed out there too
    refused = visit(None).post("/login", {"username": "bob", "password": PASSWORD})
    assert refused.status_code == 401
    assert visit(None).post("/login", {"username": "bob", "password": NEW}).status_code == 303
    reused = visit(None)
    answer = reused.get(link)
    assert answer.status_code == 404 and NOT_OPEN in answer.get_data(as_text=True)
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    posted = reused.post(link, {"new": "yet another passphrase", "again": "yet another passphrase"})
    assert posted.status_code == 404 and NOT_OPEN in posted.get_data(as_text=True)


def test_it_shows_one_page_for_a_wrong_used_or_expired_link(
    app: Flask, visit: Visit, team: Team
) -> None:
    older = lead_makes_link(visit, team)
    lead_makes_link(visit, team)  # replaces the older one
    browser = visit(None)
    bodies = {browser.get(url).get_data(as_text=True) for url in (older, "/reset/made-up")}
    assert len(bodies) == 1 and NOT_OPEN in bodies.pop()


def test_it_refuses_a_form_without_its_csrf_token(app: Flask, visit: Visit, team: Team) -> None:
    link = lead_makes_link(visit, team)
    browser = visit(None)
    browser.get(link)
    answer = browser.client.post(link, data={"new": NEW, "again": NEW})
    assert answer.status_code == 400
    assert browser.post(link, {"new": NEW, "again": NEW}).status_code == 303


def test_it_keeps_the_link_when_the_passwords_differ_or_are_weak(
    app: Flask, visit: Visit, team: Team
) -> None:
    link = lead_makes_link(visit, team)
    browser = visit(None)
    browser.get(link)
    assert browser.post(link, {"new": NEW, "again": NEW + "!"}).status_code == 400
    assert browser.post(link, {"new": "short", "again": "short"}).status_code == 400
    assert browser.post(link, {"new": NEW, "again": NEW}).status_code == 303


def test_it_slows_down_someone_guessing_links(app: Flask, visit: Visit, team: Team) -> None:
    browser = visit(None)
    for guess in range(5):
        assert browser.get(f"/reset/guess-{guess}").status_code == 404
    throttled = browser.get("/reset/guess-6")
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0


def test_it_lets_no_one_but_the_lead_make_a_link(
    app: Flask, visit: Visit, team: Team, workspace: Workspace
) -> None:
    url = f"/reviews/{team.review_id}/members/bob/reset-link"
    for who in ("mallory", "carol", "pat"):
        browser = visit(who)
        browser.get("/")  # the CSRF token of the signed-in session
        assert browser.post(url).status_code == 403, who
    assert visit(None).post(url).status_code == 401
    page = visit("carol").get(f"/reviews/{team.review_id}/members").get_data(as_text=True)
    assert "reset link" not in page
