"""bob forgets his password: alice, his lead, or the server's administrator makes him a link.

The link works once, for an hour unless said otherwise; a newer link replaces
an older one; using it signs bob out everywhere; the audit log says it
happened and never holds the token. Time is moved, never slept.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher, profiles
from sqlalchemy import select

from cosynth.domain.password_reset import LINK_NOT_OPEN, parse_valid_for
from cosynth.domain.roles import Role
from cosynth.errors import (
    InputError,
    NotFoundError,
    PermissionDeniedError,
    SignInError,
    ThrottledError,
)
from cosynth.services import accounts
from cosynth.services.reviews import add_member, create_review, my_reviews
from cosynth.services.workspace import Tx, Workspace
from cosynth.store.password_resets import PasswordResetRow
from cosynth.store.tables import AuditEventRow

OLD = "a long enough passphrase"
NEW = "kettle marmalade lighthouse"
T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


@contextmanager
def at(workspace: Workspace, actor: str, now: datetime) -> Iterator[Tx]:
    with workspace.transaction(actor) as tx:
        tx.now = now
        yield tx


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture
def review_id(workspace: Workspace) -> int:
    """alice leads a review with bob reviewing; mallory leads one of her own."""
    with at(workspace, "alice", T0) as tx:
        review = create_review(tx, "Co-production in integrated care")
        add_member(tx, review.id, "bob", Role.REVIEWER)
        for name in ("alice", "bob", "mallory"):
            accounts.create_user(tx, name, OLD, display_name=name.capitalize())
    with at(workspace, "mallory", T0) as tx:
        create_review(tx, "Mallory's own review")
    return review.id


def link_for_bob(workspace: Workspace, review_id: int, now: datetime = T0) -> str:
    with at(workspace, "alice", now) as tx:
        _reset, token = accounts.issue_reset_link_for_member(tx, review_id, "bob")
    return token


def reset(workspace: Workspace, token: str, now: datetime, password: str = NEW) -> None:
    with at(workspace, "(signing in)", now) as tx:
        accounts.reset_password(tx, token, password, remote_addr="192.0.2.7")


def signs_in(workspace: Workspace, password: str) -> bool:
    try:
        with at(workspace, "(signing in)", T0 + timedelta(hours=2)) as tx:
            accounts.authenticate(tx, "bob", password)
    except SignInError:
        return False
    return True


def test_it_lets_bob_set_a_new_password_once(workspace: Workspace, review_id: int) -> None:
    token = link_for_bob(workspace, review_id)
    reset(workspace, token, T0 + timedelta(minutes=5))
    assert signs_in(workspace, NEW) and not signs_in(workspace, OLD)
    with pytest.raises(InputError) as caught:
        reset(workspace, token, T0 + timedelta(minutes=6), "another long passphrase")
    assert caught.value.message == LINK_NOT_OPEN
    assert signs_in(workspace, NEW)


def test_it_keeps_only_the_tokens_digest(workspace: Workspace, review_id: int) -> None:
    token = link_for_bob(workspace, review_id)
    with workspace.transaction("test") as tx:
        row = tx.session.scalars(select(PasswordResetRow)).one()
    assert len(token) >= 43 and token not in row.token_hash and len(row.token_hash) == 64


def test_it_stops_a_link_after_an_hour_unless_told_otherwise(
    workspace: Workspace, review_id: int
) -> None:
    token = link_for_bob(workspace, review_id)
    with pytest.raises(InputError) as caught:
        reset(workspace, token, T0 + timedelta(minutes=60))
    assert caught.value.message == LINK_NOT_OPEN
    with at(workspace, "admin", T0) as tx:
        made, token = accounts.issue_reset_link(tx, "bob", valid_for=parse_valid_for("2h"))
    assert made.expires_at == T0 + timedelta(hours=2)
    reset(workspace, token, T0 + timedelta(minutes=119))
    assert signs_in(workspace, NEW)


def test_it_lets_a_newer_link_replace_an_older_one(workspace: Workspace, review_id: int) -> None:
    older = link_for_bob(workspace, review_id)
    newer = link_for_bob(workspace, review_id, T0 + timedelta(minutes=1))
    with pytest.raises(InputError):
        reset(workspace, older, T0 + timedelta(minutes=2))
    reset(workspace, newer, T0 + timedelta(minutes=2))
    with workspace.transaction("admin") as tx:
        statuses = [r.status(T0) for r in accounts.list_reset_links(tx, "bob")]
    assert statuses == ["revoked", "used"]


def test_it_says_the_same_for_a_wrong_used_or_expired_link(
    workspace: Workspace, review_id: int
) -> None:
    used = link_for_bob(workspace, review_id)
    reset(workspace, used, T0)
    expired = link_for_bob(workspace, review_id, T0 - timedelta(hours=2))
    words = set()
    for token in (used, expired, "made-up", ""):
        with pytest.raises(InputError) as caught:
            reset(workspace, token, T0 + timedelta(minutes=1))
        words.add(caught.value.message)
    assert words == {LINK_NOT_OPEN}


def test_it_slows_down_guessing_links_like_sign_in(workspace: Workspace, review_id: int) -> None:
    token = link_for_bob(workspace, review_id)
    for guess in range(5):
        with pytest.raises(InputError):
            reset(workspace, f"guess-{guess}", T0)
    with pytest.raises(ThrottledError):
        reset(workspace, token, T0)  # even the right link waits
    reset(workspace, token, T0 + timedelta(minutes=20))
    assert signs_in(workspace, NEW)


def test_it_keeps_a_link_that_met_a_weak_password(workspace: Workspace, review_id: int) -> None:
    token = link_for_bob(workspace, review_id)
    with pytest.raises(InputError) as caught:
        reset(workspace, token, T0, "short")
    assert caught.value.message != LINK_NOT_OPEN
    reset(workspace, token, T0)
    assert signs_in(workspace, NEW)


def test_it_signs_bob_out_everywhere(workspace: Workspace, review_id: int) -> None:
    token = link_for_bob(workspace, review_id)
    with workspace.transaction("test") as tx:
        before = accounts.get_user(tx, "bob")
    reset(workspace, token, T0 + timedelta(minutes=3))
    with workspace.transaction("test") as tx:
        after = accounts.get_user(tx, "bob")
    assert before is not None and after is not None
    assert after.signed_out_at == T0 + timedelta(minutes=3)
    assert after.password_changed_at == T0 + timedelta(minutes=3) != before.password_changed_at


def test_it_logs_the_reset_without_the_token(workspace: Workspace, review_id: int) -> None:
    token = link_for_bob(workspace, review_id)
    reset(workspace, token, T0)
    with workspace.transaction("test") as tx:
        events = tx.session.scalars(select(AuditEventRow).order_by(AuditEventRow.id)).all()
    logged = [(e.actor, e.action, e.review_id) for e in events if "password reset" in e.action]
    assert logged == [
        ("alice", "password reset link issued", review_id),
        ("bob", "password reset", None),
    ]
    everything = json.dumps([(e.action, e.detail) for e in events])
    assert token not in everything and token[:16] not in everything


def test_it_lets_only_a_lead_of_all_bobs_reviews_make_him_a_link(
    workspace: Workspace, review_id: int
) -> None:
    with at(workspace, "mallory", T0) as tx, pytest.raises(PermissionDeniedError):
        accounts.issue_reset_link_for_member(tx, review_id, "bob")
    with at(workspace, "bob", T0) as tx, pytest.raises(PermissionDeniedError):
        accounts.issue_reset_link_for_member(tx, review_id, "alice")
    # bob joins mallory's review too: now neither lead may make him a link, the admin may.
    with at(workspace, "mallory", T0) as tx:
        (own,) = my_reviews(tx)
        add_member(tx, own.id, "bob", Role.REVIEWER)
    for lead, review in (("alice", review_id), ("mallory", own.id)):
        with at(workspace, lead, T0) as tx, pytest.raises(PermissionDeniedError) as caught:
            accounts.issue_reset_link_for_member(tx, review, "bob")
        assert "cosynth user reset-link bob" in caught.value.message
    with at(workspace, "admin", T0) as tx:
        accounts.issue_reset_link(tx, "bob")


def test_it_makes_links_only_for_accounts_on_the_team(workspace: Workspace, review_id: int) -> None:
    with at(workspace, "alice", T0) as tx, pytest.raises(NotFoundError):
        accounts.issue_reset_link_for_member(tx, review_id, "mallory")
    with at(workspace, "alice", T0) as tx:
        add_member(tx, review_id, "carol", Role.REVIEWER)  # on the team, no account yet
    with at(workspace, "alice", T0) as tx, pytest.raises(InputError):
        accounts.issue_reset_link_for_member(tx, review_id, "carol")
    with at(workspace, "admin", T0) as tx, pytest.raises(NotFoundError):
        accounts.issue_reset_link(tx, "nobody")


@pytest.mark.parametrize("words", ["1m", "8d", "an hour", "60"])
def test_it_keeps_a_links_life_between_five_minutes_and_a_week(words: str) -> None:
    with pytest.raises(InputError):
        parse_valid_for(words)
