"""Sessions, forms and headers: what keeps a signed-in browser from being borrowed.

alice signs in and out; mallory tries to ride her session (a cookie she
planted before alice signed in, a copied cookie after alice signed out, a
form on another site without the page's token) and to guess passwords.
Every answer carries the security headers (web/headers.py).

Password reset links (single use, expiring, only a digest kept) have tests
of their own: tests/services/test_password_reset.py and
tests/web/test_password_reset_pages.py.
"""

from __future__ import annotations

import re
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from flask import Flask

from cosynth.domain.accounts import MAX_FAILURES
from cosynth.web import WebSettings, create_app
from cosynth.web.uploads import safe_name
from tests.conftest import Team
from tests.security.walk import STAGE
from tests.web.conftest import PASSWORD, Visitor, app, cheap_hashing, visit  # noqa: F401

_VARIABLE = re.compile(r"<(?:(\w+)(?:\([^>]*\))?:)?(\w+)>")
TEMPLATES = Path(__file__).parents[2] / "src" / "cosynth" / "web" / "templates"


def session_cookie(visitor: Visitor) -> str:
    cookie = visitor.client.get_cookie("session")
    return cookie.value if cookie else ""


def filled(rule: str, review_id: int) -> str:
    ids = {"review_id": str(review_id), "stage": STAGE}
    return _VARIABLE.sub(lambda m: ids.get(m.group(2), "1"), rule)


def test_it_gives_a_fresh_session_at_sign_in(app: Flask, team: Team) -> None:  # noqa: F811
    alice = Visitor(app.test_client())
    alice.get("/login")
    with alice.client.session_transaction() as planted:  # what mallory could have set
        planted["planted"] = "by mallory"
    before = session_cookie(alice)
    assert alice.post("/login", {"username": "alice", "password": PASSWORD}).status_code == 303
    assert session_cookie(alice) != before
    with alice.client.session_transaction() as session:
        assert "planted" not in session and session["user"] == "alice"


def test_it_sets_secure_http_only_same_site_cookies_on_a_team_server(
    db_url: str, team: Team
) -> None:
    served = create_app(WebSettings(database_url=db_url, secret_key="production"))
    try:
        client = served.test_client()
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
        assert token
        # The team fixture made no accounts here: a refused sign-in still sets the cookie.
        answer = client.post("/login", data={"csrf_token": token.group(1), "username": "x"})
        cookies = [value for name, value in answer.headers.items() if name == "Set-Cookie"]
        assert cookies, "no session cookie was set"
        for header in cookies:
            parsed = SimpleCookie(header)
            for morsel in parsed.values():
                assert morsel["secure"] and morsel["httponly"], header
                assert morsel["samesite"].lower() in {"lax", "strict"}, header
    finally:
        served.extensions["cosynth.workspace"].close()


def test_it_refuses_a_copied_cookie_after_sign_out(app: Flask, visit) -> None:  # noqa: F811
    alice = visit("alice")
    copied = session_cookie(alice)
    assert alice.get("/").status_code == 200
    alice.post("/logout")
    mallory = Visitor(app.test_client())
    mallory.client.set_cookie("session", copied)
    answer = mallory.get("/")
    assert answer.status_code == 303 and "/login" in answer.headers["Location"]


def test_it_refuses_every_form_sent_without_the_pages_token(
    app: Flask,  # noqa: F811
    visit,  # noqa: F811
    team: Team,
) -> None:
    alice = visit("alice")
    forms = sorted(
        {
            rule.rule
            for rule in app.url_map.iter_rules()
            if "POST" in (rule.methods or set()) and not rule.rule.startswith("/api/")
        }
    )
    accepted = []
    for rule in forms:
        answer = alice.client.post(filled(rule, team.review_id), data={"note": "forged"})
        if answer.status_code != 400 or "token" not in answer.get_data(as_text=True).lower():
            accepted.append((rule, answer.status_code))
    assert len(forms) > 50
    assert not accepted, f"forms that took a POST without the CSRF token: {accepted}"


def test_it_slows_down_password_guessing(app: Flask, team: Team) -> None:  # noqa: F811
    mallory = Visitor(app.test_client())
    for _guess in range(MAX_FAILURES):
        wrong = mallory.post("/login", {"username": "alice", "password": "guess"})
        assert wrong.status_code == 401
    refused = mallory.post("/login", {"username": "alice", "password": PASSWORD})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    with mallory.client.session_transaction() as session:
        assert "user" not in session


def test_it_sends_the_security_headers_on_every_page(
    app: Flask,  # noqa: F811
    visit,  # noqa: F811
    team: Team,
) -> None:
    alice = visit("alice")
    missing = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or rule.endpoint == "static":
            continue
        url = filled(rule.rule, team.review_id)
        for who in (alice.client, app.test_client()):
            headers = who.get(url).headers
            policy = headers.get("Content-Security-Policy", "")
            if (
                "frame-ancestors" not in policy
                or "unsafe-inline" in _directive(policy, "script-src")
                or headers.get("X-Content-Type-Options") != "nosniff"
                or not headers.get("Referrer-Policy")
            ):
                missing.append((url, dict(headers)))
    assert not missing, missing
    page = alice.get(f"/reviews/{team.review_id}").headers
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert "'unsafe-inline'" not in page["Content-Security-Policy"]


def _directive(policy: str, name: str) -> str:
    for part in policy.split(";"):
        if part.strip().startswith(name):
            return part
    return _directive(policy, "default-src") if name != "default-src" else ""


def test_it_has_no_inline_script_in_any_template() -> None:
    inline = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag:
                inline.append((path.name, tag))
        for handler in re.findall(r"\son[a-z]+\s*=", text):
            inline.append((path.name, handler))
        if "javascript:" in text:
            inline.append((path.name, "javascript:"))
    assert not inline, inline


def test_it_sandboxes_an_svg_opened_on_its_own(
    app: Flask,  # noqa: F811
    visit,  # noqa: F811
    team: Team,
) -> None:
    figure = visit("alice").get(f"/reviews/{team.review_id}/prisma/prisma-flow.svg")
    assert figure.status_code == 200 and figure.mimetype == "image/svg+xml"
    assert "sandbox" in figure.headers["Content-Security-Policy"]
    assert figure.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "sent",
    ["../../etc/passwd", "..\\..\\windows\\win.ini", "/abs/path/x.ris", "C:\\fakepath\\..\\a.ris",
     "..", ".", "", "\x00evil.ris", ".htaccess", "a/../../b.ris"],
)  # fmt: skip
def test_it_keeps_an_uploads_name_inside_its_folder(sent: str, tmp_path: Path) -> None:
    name = safe_name(sent)
    assert name and "/" not in name and "\\" not in name and not name.startswith(".")
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()
