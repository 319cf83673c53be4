"""bob writes a long note, his session ends before he sends it: nothing he typed is lost.

The refused form's page gives back every field he filled in (never a
password); he signs in on that page and sends it again as it was.
"""

from __future__ import annotations

import html
import re
from io import BytesIO

import pytest

from cosynth.domain.screening.stages import Stage
from cosynth.services import accounts, screening
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import import_search
from tests.web.conftest import PASSWORD, Visitor

TA = Stage.TITLE_ABSTRACT
NOTE = (
    "The abstract says 'integrated care' but the setting is a single acute ward;\n"
    "the carers were interviewed after discharge, which may still fit our question. "
    "Worth reading the full text before we decide — ask carol what she thinks."
)
SAME_SITE = {"Origin": "http://localhost"}


@pytest.fixture
def record(workspace: Workspace, team: Team, app) -> int:
    return import_search(workspace, team)[0]


def record_url(team: Team, record_id: int) -> str:
    return f"/reviews/{team.review_id}/screen/title-abstract/records/{record_id}"


def session_ends(visitor: Visitor) -> None:
    """The browser drops the session cookie (it expired while bob was at lunch)."""
    visitor.client.delete_cookie("session", domain="localhost")


def kept_text(page: str) -> list[str]:
    """The contents of every text box on the page, as a person would see them."""
    return [
        html.unescape(found)
        for found in re.findall(r"<textarea[^>]*>\n?(.*?)</textarea>", page, re.S)
    ]


def test_it_gives_bob_his_note_back_and_sends_it_after_he_signs_in(
    visit, workspace: Workspace, team: Team, record: int
) -> None:
    bob = visit("bob")
    bob.get(record_url(team, record))
    session_ends(bob)
    refused = bob.post(
        record_url(team, record) + "/vote",
        {"decision": "unsure", "note": NOTE},
        headers={**SAME_SITE, "Referer": f"http://localhost{record_url(team, record)}"},
    )
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "Your session ended before the form was sent" in page
    assert kept_text(page) == [NOTE]
    assert "Your decision" in page and "unsure" in page
    assert f'href="{record_url(team, record)}"' in page  # back to the record
    with workspace.transaction("bob") as tx:
        assert screening.record_screening(tx, team.review_id, record, stage=TA).my_vote is None

    # He signs in on that page; the note comes through sign-in with him.
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    fields = dict(re.findall(r'<input type="hidden" name="(kept[^"]*)" value="([^"]*)"', page))
    signed = bob.client.post(
        "/login",
        data={
            **fields,
            "kept:note": kept_text(page)[0],
            "csrf_token": token.group(1),
            "username": "bob",
            "password": PASSWORD,
        },
    )
    assert signed.status_code == 200
    page = signed.get_data(as_text=True)
    assert "Send it again" in page and kept_text(page) == [NOTE]
    assert PASSWORD not in page

    # "Send it again" posts the form as it was, with a fresh token.
    again = re.search(r'<form method="post" action="([^"]+)"', page)
    assert again is not None and again.group(1) == record_url(team, record) + "/vote"
    bob.token = re.findall(r'name="csrf_token" value="([^"]+)"', page)[-1]
    sent = bob.post(again.group(1), {"decision": "unsure", "note": kept_text(page)[0]})
    assert sent.status_code == 303
    with workspace.transaction("bob") as tx:
        mine = screening.record_screening(tx, team.review_id, record, stage=TA).my_vote
    assert mine is not None and mine.note == NOTE


def test_it_keeps_the_note_when_the_password_is_mistyped_on_that_page(
    visit, team: Team, record: int
) -> None:
    bob = visit("bob")
    bob.get(record_url(team, record))
    session_ends(bob)
    page = bob.post(
        record_url(team, record) + "/vote", {"decision": "unsure", "note": NOTE}, headers=SAME_SITE
    ).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    wrong = bob.client.post(
        "/login",
        data={"kept_action": record_url(team, record) + "/vote", "kept_back": "/",
              "kept:note": NOTE, "kept:decision": "unsure", "csrf_token": token.group(1),
              "username": "bob", "password": "not the password"},
    )  # fmt: skip
    assert wrong.status_code == 401
    page = wrong.get_data(as_text=True)
    assert "That username and password do not match an account." in page
    assert kept_text(page) == [NOTE] and "not the password" not in page


def test_it_offers_bob_to_send_again_when_he_signed_in_afresh_in_another_tab(
    visit, team: Team, record: int
) -> None:
    bob = visit("bob")
    bob.get(record_url(team, record))
    old_token = bob.token
    bob.post("/logout")  # in another tab: out, and in again
    bob.token = ""
    bob.post("/login", {"username": "bob", "password": PASSWORD})
    bob.token = old_token  # the first tab's page still holds the old session's token
    refused = bob.post(
        record_url(team, record) + "/vote", {"decision": "unsure", "note": NOTE}, headers=SAME_SITE
    )
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "belonged to a session that has ended" in page
    assert kept_text(page) == [NOTE] and "Send it again" in page
    assert 'name="password"' not in page  # he is signed in: no sign-in form


def test_it_gives_back_what_was_typed_when_no_one_is_signed_in(visit, team: Team, app) -> None:
    # The session is there (its token is good) but no one is signed in on it any more.
    nobody = visit(None)
    refused = nobody.post(
        f"/reviews/{team.review_id}/advice/1/note", {"note": NOTE}, headers=SAME_SITE
    )
    assert refused.status_code == 401
    page = refused.get_data(as_text=True)
    assert kept_text(page) == [NOTE] and 'name="password"' in page


def test_it_never_gives_back_a_password(visit, workspace: Workspace) -> None:
    bob = visit("bob")
    bob.get("/account/password")
    with workspace.transaction("bob") as tx:  # changed elsewhere: this session is over
        accounts.change_password(tx, PASSWORD, "another long passphrase")
    refused = bob.post(
        "/account/password",
        {"current": PASSWORD, "new": "a third long passphrase", "again": "a third long passphrase"},
        headers=SAME_SITE,
    )
    assert refused.status_code in {400, 401}
    page = refused.get_data(as_text=True)
    assert PASSWORD not in page and "a third long passphrase" not in page
    assert "Go back to the page and fill in the form again." in page


def test_it_never_hands_a_forged_form_back_as_what_was_typed(
    visit, team: Team, record: int
) -> None:
    bob = visit("bob")
    session_ends(bob)
    forged = bob.post(
        record_url(team, record) + "/vote",
        {"decision": "exclude", "reason": "wrong setting", "note": "Sent from elsewhere"},
        headers={"Origin": "https://evil.example"},
    )
    assert forged.status_code == 400
    page = forged.get_data(as_text=True)
    assert "Sent from elsewhere" not in page and "exclude" not in page
    assert "Go back to the page and fill in the form again." in page


def test_it_names_the_files_to_choose_again(visit, team: Team) -> None:
    alice = visit("alice")
    alice.get(f"/reviews/{team.review_id}/import")
    session_ends(alice)
    refused = alice.client.post(
        f"/reviews/{team.review_id}/import",
        data={"csrf_token": alice.token, "database": "CINAHL",
              "files": (BytesIO(b"TY  - JOUR\nER  -\n"), "cinahl export.ris")},
        headers=SAME_SITE,
    )  # fmt: skip
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "cinahl export.ris" in page and "choose them again" in page
    assert "CINAHL" in page
