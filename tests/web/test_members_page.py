"""alice invites people by a link shown once; newcomers and members of other reviews join by it."""

from __future__ import annotations

import re

import pytest

from cosynth.domain.roles import Role
from cosynth.services import accounts
from cosynth.services.reviews import add_member, create_review
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.web.conftest import PASSWORD

_LINK = re.compile(r'value="(http://localhost/invitations/[^"]+)"')


def members_url(review_id: int) -> str:
    return f"/reviews/{review_id}/members"


def invite(alice, review_id: int, role: str, note: str = "") -> str:
    """alice makes an invitation on the team page; the link it shows her (the path)."""
    alice.get(members_url(review_id))
    made = alice.post(members_url(review_id) + "/invitations", {"role": role, "note": note})
    assert made.status_code == 303
    page = alice.get(made.headers["Location"]).get_data(as_text=True)
    (link,) = _LINK.findall(page)
    return link.removeprefix("http://localhost")


@pytest.fixture
def peer_support(workspace: Workspace, team: Team, app) -> int:
    """alice's second review, which pat is not on yet."""
    with workspace.transaction("alice") as tx:
        review = create_review(tx, "Peer support in mental health services")
        add_member(tx, review.id, "bob", Role.REVIEWER)
    return review.id


def test_it_shows_the_team_with_their_roles(visit, team: Team) -> None:
    page = visit("carol").get(members_url(team.review_id)).get_data(as_text=True)
    for name, role in (("alice", "lead"), ("bob", "reviewer"), ("pat", "adviser")):
        assert re.search(rf"<td>{name}</td><td>{role}</td>", page)


def test_it_shows_the_invitation_link_once(visit, team: Team) -> None:
    alice = visit("alice")
    link = invite(alice, team.review_id, "reviewer", note="for dana")
    assert link.startswith("/invitations/")
    page = alice.get(members_url(team.review_id)).get_data(as_text=True)
    assert link not in page and "Invitation link" not in page
    assert "for dana" in page and "open until" in page


def test_it_lets_pat_accept_in_a_fresh_browser_and_land_as_an_adviser(
    visit, team: Team, peer_support: int
) -> None:
    link = invite(visit("alice"), peer_support, "adviser")
    pat = visit(None)
    page = pat.get(link).get_data(as_text=True)
    assert "Join Peer support in mental health services" in page
    assert "alice invites you to join this review in the role of adviser" in page
    signed = pat.post(f"/login?next={link}", {"username": "pat", "password": PASSWORD})
    assert signed.headers["Location"] == link
    page = pat.get(link).get_data(as_text=True)
    assert "You are signed in as pat." in page
    joined = pat.post(link)
    assert joined.status_code == 303
    assert joined.headers["Location"] == f"/reviews/{peer_support}"
    page = pat.get(joined.headers["Location"]).get_data(as_text=True)
    assert "Welcome to Peer support in mental health services." in page
    assert "You are an adviser in this review." in page


def test_it_makes_a_newcomers_account_and_signs_them_in(
    visit, workspace, team: Team, peer_support: int
) -> None:
    link = invite(visit("alice"), peer_support, "adviser")
    nia = visit(None)
    nia.get(link)
    form = {"username": "Nia", "display_name": "Nia Okafor", "password": "river stone lantern"}
    joined = nia.post(link, {**form, "again": form["password"]})
    assert joined.status_code == 303
    assert joined.headers["Location"] == f"/reviews/{peer_support}"
    page = nia.get(joined.headers["Location"]).get_data(as_text=True)
    assert "You are an adviser in this review." in page and "Sign out (nia)" in page
    again = visit(None).post("/login", {"username": "nia", "password": form["password"]})
    assert again.status_code == 303


def test_it_refuses_an_invitation_link_used_twice(
    visit, workspace, team: Team, peer_support: int
) -> None:
    link = invite(visit("alice"), peer_support, "reviewer")
    first = visit(None)
    first.get(link)
    password = "river stone lantern"
    first.post(link, {"username": "nia", "password": password, "again": password})
    second = visit(None)
    opened = second.get(link)
    assert opened.status_code == 400
    assert "This invitation has already been used." in opened.get_data(as_text=True)
    second.get("/login")
    taken = second.post(link, {"username": "eve", "password": password, "again": password})
    assert taken.status_code == 400
    assert "This invitation has already been used." in taken.get_data(as_text=True)
    with workspace.transaction("admin") as tx:
        assert accounts.get_user(tx, "eve") is None
    assert visit("mallory").post(link).status_code == 400  # signed in changes nothing


def test_it_keeps_what_the_newcomer_typed_when_the_passwords_differ(
    visit, team: Team, peer_support: int
) -> None:
    link = invite(visit("alice"), peer_support, "observer")
    nia = visit(None)
    nia.get(link)
    form = {"username": "nia", "email": "nia@example.org", "password": "river stone lantern"}
    refused = nia.post(link, {**form, "again": "river stone lanterns"})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "The two passwords are not the same." in page
    assert 'value="nia"' in page and 'value="nia@example.org"' in page
    assert "river stone" not in page
    weak = nia.post(link, {**form, "password": "short", "again": "short"})
    assert "A password needs at least 10 characters" in weak.get_data(as_text=True)


def test_it_lets_alice_withdraw_an_invitation(visit, team: Team, peer_support: int) -> None:
    alice = visit("alice")
    link = invite(alice, peer_support, "reviewer")
    page = alice.get(members_url(peer_support)).get_data(as_text=True)
    (invitation_id,) = re.findall(r"/invitations/(\d+)/revoke", page)
    withdrawn = alice.post(f"{members_url(peer_support)}/invitations/{invitation_id}/revoke")
    assert withdrawn.status_code == 303
    page = alice.get(members_url(peer_support)).get_data(as_text=True)
    assert "its link no longer works" in page and "withdrawn on" in page
    opened = visit(None).get(link)
    assert opened.status_code == 400
    assert "has withdrawn this invitation." in opened.get_data(as_text=True)


def test_it_says_plainly_when_a_link_is_not_known(visit) -> None:
    opened = visit(None).get("/invitations/not-a-real-token")
    assert opened.status_code == 404
    assert "This invitation link is not known." in opened.get_data(as_text=True)


def test_it_hides_the_invitation_form_from_bob(visit, team: Team) -> None:
    bob = visit("bob")
    page = bob.get(members_url(team.review_id)).get_data(as_text=True)
    assert "Invite someone" not in page and "Invitations" not in page
    refused = bob.post(members_url(team.review_id) + "/invitations", {"role": "lead"})
    assert refused.status_code == 403


def test_it_keeps_mallory_out(visit, workspace, team: Team) -> None:
    with workspace.transaction("alice") as tx:
        invitation, _token = accounts.invite(tx, team.review_id, Role.REVIEWER)
    mallory = visit("mallory")
    assert mallory.get(members_url(team.review_id)).status_code == 403
    made = mallory.post(members_url(team.review_id) + "/invitations", {"role": "reviewer"})
    assert made.status_code == 403
    revoke = f"{members_url(team.review_id)}/invitations/{invitation.id}/revoke"
    assert mallory.post(revoke).status_code == 403


def test_it_tells_bob_he_is_already_on_the_team(visit, team: Team) -> None:
    link = invite(visit("alice"), team.review_id, "reviewer")
    bob = visit("bob")
    assert "Join as bob" in bob.get(link).get_data(as_text=True)
    refused = bob.post(link, headers={"Referer": f"http://localhost{link}"})
    assert refused.status_code == 303 and refused.headers["Location"] == link
    page = bob.get(link).get_data(as_text=True)
    assert "bob is already a member of this review" in page and "Join as bob" in page


def test_it_links_the_team_page_from_the_dashboard(visit, team: Team) -> None:
    page = visit("bob").get(f"/reviews/{team.review_id}").get_data(as_text=True)
    for path in ("import", "duplicates", "members"):
        assert f'href="/reviews/{team.review_id}/{path}"' in page
