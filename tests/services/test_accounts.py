"""alice invites pat to the review as an adviser; everyone signs in; scripts use API tokens."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy import select

from cosynth.domain.roles import Role
from cosynth.errors import (
    InputError,
    NotFoundError,
    PermissionDeniedError,
    SignInError,
    ThrottledError,
)
from cosynth.services import accounts
from cosynth.services.reviews import add_member, create_review, list_members
from cosynth.services.workspace import Tx, Workspace
from cosynth.store.tables import ApiTokenRow, AuditEventRow, InvitationRow, LoginAttemptRow, UserRow

PASSWORD = "a long enough passphrase"
T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
NO_MATCH = "That username and password do not match an account."


@contextmanager
def at(workspace: Workspace, actor: str, now: datetime) -> Iterator[Tx]:
    """A transaction as `actor` at the moment `now` (time is moved, never slept)."""
    with workspace.transaction(actor) as tx:
        tx.now = now
        yield tx


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id at its cheapest, so the suite stays quick; `real_hashing` tests the defaults."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture
def real_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher())


@pytest.fixture
def review_id(workspace: Workspace) -> int:
    """alice leads a review with bob reviewing; pat is not on the team yet."""
    with at(workspace, "alice", T0) as tx:
        review = create_review(tx, "Co-production in integrated care")
        add_member(tx, review.id, "bob", Role.REVIEWER)
        for name in ("alice", "bob", "mallory"):
            accounts.create_user(tx, name, PASSWORD, display_name=name.capitalize())
    return review.id


def sign_in(workspace: Workspace, who: str, password: str, now: datetime = T0) -> str:
    with at(workspace, "(signing in)", now) as tx:
        return accounts.authenticate(tx, who, password, remote_addr="192.0.2.7").username


def refused(workspace: Workspace, who: str, password: str, now: datetime = T0) -> str:
    with pytest.raises((SignInError, ThrottledError)) as caught:
        sign_in(workspace, who, password, now)
    return caught.value.message


# accounts and signing in


def test_it_stores_an_argon2id_hash_never_the_password(
    real_hashing: None, workspace: Workspace, review_id: int
) -> None:
    with workspace.transaction("alice") as tx:
        stored = tx.session.scalars(select(UserRow.password_hash)).all()
    assert len(stored) == 3
    assert all(value.startswith("$argon2id$") and PASSWORD not in value for value in stored)
    # RFC 9106's second recommended parameters (64 MiB, 3 passes, 4 lanes).
    assert all("$m=65536,t=3,p=4$" in value for value in stored)
    assert len(set(stored)) == 3  # salted: the same password hashes differently


def test_it_signs_alice_in_with_her_password(workspace: Workspace, review_id: int) -> None:
    assert sign_in(workspace, " Alice ", PASSWORD) == "alice"
    with workspace.transaction("alice") as tx:
        user = accounts.get_user(tx, "alice")
        attempts = tx.session.scalars(select(LoginAttemptRow)).all()
    assert user is not None and user.display_name == "Alice" and user.created_at == T0
    assert [(a.username, a.succeeded, a.remote_addr) for a in attempts] == [
        ("alice", True, "192.0.2.7")
    ]


def test_it_says_the_same_for_a_wrong_password_and_an_unknown_user(
    workspace: Workspace, review_id: int
) -> None:
    assert refused(workspace, "alice", "not her password") == NO_MATCH
    assert refused(workspace, "zed", PASSWORD) == NO_MATCH
    assert refused(workspace, "", PASSWORD) == NO_MATCH
    with workspace.transaction("alice") as tx:
        attempts = tx.session.scalars(select(LoginAttemptRow).order_by(LoginAttemptRow.id))
        recorded = [(a.username, a.succeeded) for a in attempts]
    assert recorded == [("alice", False), ("zed", False)]  # kept though the sign-in failed


def test_it_refuses_a_second_account_with_the_same_username(
    workspace: Workspace, review_id: int
) -> None:
    with workspace.transaction("admin") as tx, pytest.raises(InputError) as caught:
        accounts.create_user(tx, "ALICE", PASSWORD)
    assert caught.value.message == "There is already an account called alice."


def test_it_refuses_a_weak_password_or_a_bad_email_when_making_an_account(
    workspace: Workspace,
) -> None:
    with workspace.transaction("admin") as tx:
        with pytest.raises(InputError, match="at least 10 characters"):
            accounts.create_user(tx, "dana", "hunter2")
        with pytest.raises(InputError, match="does not look like an email address"):
            accounts.create_user(tx, "dana", PASSWORD, email="dana at example.org")


def test_it_throttles_after_the_fifth_failure_even_for_the_right_password(
    workspace: Workspace, review_id: int
) -> None:
    for minute in range(5):
        message = refused(workspace, "bob", "a wrong guess!", T0 + timedelta(minutes=minute))
        assert message == NO_MATCH
    with pytest.raises(ThrottledError) as caught:
        sign_in(workspace, "bob", PASSWORD, T0 + timedelta(minutes=5))
    # The window began with the first failure, at T0: 10 minutes of it are left.
    assert caught.value.retry_after == 600
    assert "paused for 10 minutes" in caught.value.message
    later = T0 + timedelta(minutes=14, seconds=59)
    assert "paused for 1 minute," in refused(workspace, "bob", PASSWORD, later)
    # alice is not slowed down by guesses at bob's password.
    assert sign_in(workspace, "alice", PASSWORD, later) == "alice"
    # Once the first failure has left the window, four remain: bob signs in.
    assert sign_in(workspace, "bob", PASSWORD, T0 + timedelta(minutes=15)) == "bob"


def test_it_throttles_unknown_usernames_alike(workspace: Workspace, review_id: int) -> None:
    for _ in range(5):
        assert refused(workspace, "zed", "a wrong guess!") == NO_MATCH
    assert "Signing in as zed is paused" in refused(workspace, "zed", "a wrong guess!")


def test_it_starts_the_count_again_after_a_successful_sign_in(
    workspace: Workspace, review_id: int
) -> None:
    for minute in range(4):
        refused(workspace, "bob", "a wrong guess!", T0 + timedelta(minutes=minute))
    sign_in(workspace, "bob", PASSWORD, T0 + timedelta(minutes=4))
    assert refused(workspace, "bob", "a wrong guess!", T0 + timedelta(minutes=5)) == NO_MATCH
    assert sign_in(workspace, "bob", PASSWORD, T0 + timedelta(minutes=6)) == "bob"


def test_it_changes_a_password_given_the_current_one(workspace: Workspace, review_id: int) -> None:
    later = T0 + timedelta(days=1)
    with at(workspace, "bob", later) as tx, pytest.raises(SignInError):
        accounts.change_password(tx, "not my password", "a brand new passphrase")
    with at(workspace, "bob", later) as tx, pytest.raises(InputError, match="username"):
        accounts.change_password(tx, PASSWORD, "bob's new password")
    with at(workspace, "bob", later) as tx:
        accounts.change_password(tx, PASSWORD, "a brand new passphrase")
    assert refused(workspace, "bob", PASSWORD, later) == NO_MATCH
    assert sign_in(workspace, "bob", "a brand new passphrase", later) == "bob"
    with workspace.transaction("bob") as tx:
        user = accounts.get_user(tx, "bob")
    # Sessions from before this moment are signed out by the web app.
    assert user is not None and user.password_changed_at == later


def test_it_keeps_the_password_date_when_rehashing_an_old_hash(
    workspace: Workspace, review_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # review_id's accounts were hashed at the cheapest parameters; the server's are stronger.
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher())
    sign_in(workspace, "bob", PASSWORD, T0 + timedelta(days=1))
    with workspace.transaction("admin") as tx:
        row = tx.session.scalars(select(UserRow).where(UserRow.username == "bob")).one()
        assert "$m=65536,t=3,p=4$" in row.password_hash
        assert row.password_changed_at == T0


def test_it_keeps_each_persons_preferences(workspace: Workspace, review_id: int) -> None:
    with workspace.transaction("bob") as tx:
        user = accounts.set_preferences(tx, adviser_mode=True, display_name="  Bob   B. ")
    assert (user.adviser_mode, user.keyboard_shortcuts, user.display_name) == (True, True, "Bob B.")
    with workspace.transaction("bob") as tx:
        user = accounts.set_preferences(tx, keyboard_shortcuts=False)
    assert (user.adviser_mode, user.keyboard_shortcuts) == (True, False)


# invitations


def invite_pat(workspace: Workspace, review_id: int, **options: object) -> str:
    with at(workspace, "alice", T0) as tx:
        invitation, token = accounts.invite(
            tx, review_id, Role.ADVISER, note="For pat, from the advisory group", **options
        )  # type: ignore[arg-type]
    assert invitation.status(T0) == "open"
    return token


def test_it_lets_pat_accept_alices_invitation_as_an_adviser(
    workspace: Workspace, review_id: int
) -> None:
    token = invite_pat(workspace, review_id)
    with at(workspace, "(signing in)", T0 + timedelta(days=1)) as tx:
        shown = accounts.invitation_for(tx, token)
        assert accounts.invitation_review(tx, token).title == "Co-production in integrated care"
        pat = accounts.accept_invitation(
            tx, token, username="Pat", password=PASSWORD, display_name="Pat T."
        )
    assert (shown.role, shown.note) == (Role.ADVISER, "For pat, from the advisory group")
    assert pat.username == "pat"
    assert sign_in(workspace, "pat", PASSWORD, T0 + timedelta(days=1)) == "pat"
    with workspace.transaction("pat") as tx:
        team = {member.username: member for member in list_members(tx, review_id)}
        log = tx.session.scalars(select(AuditEventRow).where(AuditEventRow.actor == "pat")).all()
    assert team["pat"].role is Role.ADVISER and team["pat"].display_name == "Pat T."
    assert [event.action for event in log] == [
        "account created",
        "invitation accepted",
        "member added",
    ]
    with workspace.transaction("alice") as tx:
        (listed,) = accounts.list_invitations(tx, review_id)
    assert (listed.status(T0 + timedelta(days=1)), listed.accepted_by) == ("accepted", "pat")


def test_it_keeps_only_the_invitation_tokens_hash(workspace: Workspace, review_id: int) -> None:
    token = invite_pat(workspace, review_id)
    with workspace.transaction("alice") as tx:
        stored = tx.session.scalars(select(InvitationRow.token_hash)).one()
    assert token not in stored and len(stored) == 64


def test_it_refuses_a_used_invitation(workspace: Workspace, review_id: int) -> None:
    token = invite_pat(workspace, review_id)
    with at(workspace, "(signing in)", T0) as tx:
        accounts.accept_invitation(tx, token, username="pat", password=PASSWORD)
    with at(workspace, "(signing in)", T0) as tx, pytest.raises(InputError) as caught:
        accounts.accept_invitation(tx, token, username="eve", password=PASSWORD)
    assert "already been used" in caught.value.message
    with at(workspace, "mallory", T0) as tx, pytest.raises(InputError, match="already been"):
        accounts.join_with_invitation(tx, token)


def test_it_refuses_an_expired_invitation(workspace: Workspace, review_id: int) -> None:
    token = invite_pat(workspace, review_id, valid_days=3)
    expired = T0 + timedelta(days=3)
    with at(workspace, "(signing in)", expired) as tx, pytest.raises(InputError) as caught:
        accounts.accept_invitation(tx, token, username="pat", password=PASSWORD)
    assert caught.value.message == (
        "This invitation expired on 04 May 2024. Ask the review's lead for a new one."
    )
    with workspace.transaction("alice") as tx:
        assert tx.session.scalars(select(UserRow.username)).all().count("pat") == 0


def test_it_refuses_a_revoked_invitation(workspace: Workspace, review_id: int) -> None:
    token = invite_pat(workspace, review_id)
    with at(workspace, "alice", T0) as tx:
        (invitation,) = accounts.list_invitations(tx, review_id)
        revoked = accounts.revoke_invitation(tx, review_id, invitation.id)
    assert revoked.status(T0) == "revoked"
    with at(workspace, "(signing in)", T0) as tx, pytest.raises(InputError) as caught:
        accounts.invitation_for(tx, token)
    assert "withdrawn" in caught.value.message


def test_it_does_not_know_a_made_up_invitation(workspace: Workspace, review_id: int) -> None:
    invite_pat(workspace, review_id)
    with workspace.transaction("(signing in)") as tx, pytest.raises(NotFoundError) as caught:
        accounts.invitation_for(tx, "not-a-real-token")
    assert "not known" in caught.value.message


def test_it_refuses_invitations_from_mallory_and_bob(workspace: Workspace, review_id: int) -> None:
    with workspace.transaction("mallory") as tx, pytest.raises(PermissionDeniedError):
        accounts.invite(tx, review_id, Role.REVIEWER)
    with workspace.transaction("bob") as tx, pytest.raises(PermissionDeniedError):
        accounts.invite(tx, review_id, Role.REVIEWER)
    with workspace.transaction("bob") as tx, pytest.raises(PermissionDeniedError):
        accounts.list_invitations(tx, review_id)


def test_it_lets_someone_with_an_account_join_by_invitation(
    workspace: Workspace, review_id: int
) -> None:
    token = invite_pat(workspace, review_id)
    with at(workspace, "bob", T0) as tx, pytest.raises(InputError, match="already a member"):
        accounts.join_with_invitation(tx, token)
    with at(workspace, "mallory", T0 + timedelta(hours=1)) as tx:
        joined = accounts.join_with_invitation(tx, token)
        assert tx.role_in(review_id) is Role.ADVISER
    assert (joined.accepted_by, joined.status(T0 + timedelta(hours=1))) == ("mallory", "accepted")


def test_it_keeps_a_team_members_username_from_a_newcomer(
    workspace: Workspace, review_id: int
) -> None:
    # carol was added from the command line and has no account: her name is hers.
    with workspace.transaction("alice") as tx:
        add_member(tx, review_id, "carol", Role.REVIEWER)
    token = invite_pat(workspace, review_id)
    with at(workspace, "(signing in)", T0) as tx, pytest.raises(InputError, match="taken"):
        accounts.accept_invitation(tx, token, username="carol", password=PASSWORD)
    with at(workspace, "(signing in)", T0) as tx, pytest.raises(InputError) as caught:
        accounts.accept_invitation(tx, token, username="bob", password=PASSWORD)
    assert caught.value.message == "There is already an account called bob."


def test_it_makes_nothing_when_a_newcomers_password_is_refused(
    workspace: Workspace, review_id: int
) -> None:
    token = invite_pat(workspace, review_id)
    with at(workspace, "(signing in)", T0) as tx, pytest.raises(InputError):
        accounts.accept_invitation(tx, token, username="pat", password="too short")
    with at(workspace, "(signing in)", T0) as tx:
        assert accounts.invitation_for(tx, token).accepted_at is None
        assert accounts.get_user(tx, "pat") is None


def test_it_keeps_invitations_open_for_one_to_ninety_days(
    workspace: Workspace, review_id: int
) -> None:
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match="1 to 90 days"):
        accounts.invite(tx, review_id, Role.REVIEWER, valid_days=0)


# API tokens


def test_it_keeps_only_api_token_hashes_and_revoked_tokens_stop_working(
    workspace: Workspace, review_id: int
) -> None:
    with at(workspace, "bob", T0) as tx:
        token, secret = accounts.issue_api_token(tx, "screening script")
    assert secret.startswith("cst_") and token.label == "screening script"
    with workspace.transaction("bob") as tx:
        stored = tx.session.scalars(select(ApiTokenRow.token_hash)).one()
    assert secret not in stored and secret[4:] not in stored

    with at(workspace, "(api)", T0 + timedelta(hours=1)) as tx:
        user = accounts.user_for_api_token(tx, secret)
        assert accounts.user_for_api_token(tx, secret + "x") is None
        assert accounts.user_for_api_token(tx, "not a token") is None
    assert user is not None and user.username == "bob"
    with workspace.transaction("bob") as tx:
        (listed,) = accounts.list_api_tokens(tx)
    assert listed.last_used_at == T0 + timedelta(hours=1) and listed.active

    with workspace.transaction("bob") as tx:
        accounts.revoke_api_token(tx, token.id)
        accounts.revoke_api_token(tx, token.id)  # already revoked: nothing to do
    with workspace.transaction("(api)") as tx:
        assert accounts.user_for_api_token(tx, secret) is None
    with workspace.transaction("bob") as tx:
        (listed,) = accounts.list_api_tokens(tx)
    assert not listed.active


def test_it_lets_only_the_owner_revoke_an_api_token(workspace: Workspace, review_id: int) -> None:
    with workspace.transaction("bob") as tx:
        token, secret = accounts.issue_api_token(tx)
    with workspace.transaction("mallory") as tx, pytest.raises(NotFoundError) as caught:
        accounts.revoke_api_token(tx, token.id)
    assert caught.value.message == f"mallory has no API token {token.id}."
    with workspace.transaction("mallory") as tx:
        assert accounts.list_api_tokens(tx) == []
    with workspace.transaction("(api)") as tx:
        assert accounts.user_for_api_token(tx, secret) is not None


def test_it_gives_api_tokens_only_to_people_with_an_account(
    workspace: Workspace, review_id: int
) -> None:
    with workspace.transaction("carol") as tx, pytest.raises(NotFoundError, match="no account"):
        accounts.issue_api_token(tx)
