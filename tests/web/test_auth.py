"""Signing in and out; everyone else is kept out."""

from __future__ import annotations

from tests.conftest import Team
from tests.web.conftest import PASSWORD


def test_it_signs_alice_in_and_out(visit, team: Team) -> None:
    alice = visit("alice")
    home = alice.get("/")
    assert home.status_code == 200
    assert "Co-production in integrated care" in home.get_data(as_text=True)
    out = alice.post("/logout")
    assert out.status_code == 303
    assert alice.get("/").status_code == 303  # back to the sign-in page


def test_it_says_the_same_for_a_wrong_password_and_an_unknown_name(visit) -> None:
    nobody = visit(None)
    wrong = nobody.post("/login", {"username": "alice", "password": "not it at all"})
    unknown = nobody.post("/login", {"username": "zed", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    message = "That username and password do not match an account."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_it_refuses_a_form_without_its_csrf_token(app) -> None:
    client = app.test_client()
    refused = client.post("/login", data={"username": "alice", "password": PASSWORD})
    assert refused.status_code == 400


def test_it_never_redirects_off_the_site_after_sign_in(visit) -> None:
    nobody = visit(None)
    signed = nobody.post("/login?next=//evil.example/", {"username": "alice", "password": PASSWORD})
    assert signed.headers["Location"] == "/"


def test_it_keeps_mallory_out_of_the_review(visit, team: Team) -> None:
    mallory = visit("mallory")
    page = mallory.get(f"/reviews/{team.review_id}")
    assert page.status_code == 403
    assert "Co-production" not in page.get_data(as_text=True)


def test_it_slows_down_guessing_with_429_and_retry_after(visit) -> None:
    nobody = visit(None)
    for _ in range(5):
        nobody.post("/login", {"username": "bob", "password": "wrong guess here"})
    slowed = nobody.post("/login", {"username": "bob", "password": PASSWORD})
    assert slowed.status_code == 429
    assert int(slowed.headers["Retry-After"]) > 0


def test_it_keeps_bob_on_the_form_when_his_current_password_is_wrong(visit) -> None:
    bob = visit("bob")
    bob.get("/account/password")
    refused = bob.post(
        "/account/password",
        {
            "current": "not my password",
            "new": "another long passphrase",
            "again": "another long passphrase",
        },
        headers={"Referer": "http://localhost/account/password"},
    )
    assert refused.status_code == 303 and refused.headers["Location"] == "/account/password"
    page = bob.get("/account/password").get_data(as_text=True)
    assert "That is not your current password." in page
