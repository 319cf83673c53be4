"""Accounts for the web app: signing in, invitations, API tokens and password reset links.

Passwords are kept only as argon2id hashes (RFC 9106; argon2-cffi's defaults),
and invitation, API and reset tokens only as SHA-256 digests: a copy of the database
gives away none of them. A 256-bit random token needs no slow hash, because it
cannot be guessed from a list the way a password can.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import replace
from datetime import timedelta
from functools import cache
from typing import NoReturn

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from cosynth.domain.accounts import (
    FAILURE_WINDOW,
    MAX_FAILURES,
    PASSWORD_MAX,
    ApiToken,
    Invitation,
    User,
    check_new_password,
    check_username,
    normalise_password,
    normalise_username,
    sign_in_wait,
    wait_in_words,
)
from cosynth.domain.password_reset import (
    DEFAULT_VALID_FOR,
    LINK_NOT_OPEN,
    PasswordReset,
    check_valid_for,
)
from cosynth.domain.review import Review
from cosynth.domain.roles import Permission, Role
from cosynth.errors import (
    CosynthError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    SignInError,
    ThrottledError,
)
from cosynth.services.workspace import Tx
from cosynth.store import accounts as account_store
from cosynth.store import password_resets as reset_store
from cosynth.store import reviews as review_store

NO_MATCH = "That username and password do not match an account."
API_TOKEN_PREFIX = "cst_"  # noqa: S105 - a marker, not a secret
INVITATION_DAYS_MAX = 90
# Writing last_used_at on every API call would make every read a write;
# to the minute is enough to tell a token in use from a forgotten one.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)
_NAME_MAX = 200  # the width of the username, display name and label columns
_EMAIL_MAX = 320
_TOKEN_MAX = 200  # longer than any token we hand out: refused without a lookup

_hasher = PasswordHasher()  # argon2id with RFC 9106's low-memory parameters


# users


def create_user(
    tx: Tx, username: str, password: str, *, display_name: str = "", email: str = ""
) -> User:
    """Make an account. No permission is asked: the server's own CLI and invitations call this."""
    name = check_username(username)
    if account_store.get_user(tx.session, name) is not None:
        raise InputError(f"There is already an account called {name}.")
    check_new_password(password, name)
    user = account_store.insert_user(
        tx.session,
        name,
        password_hash=_hasher.hash(normalise_password(password)),
        display_name=_checked_display_name(display_name),
        email=_checked_email(email),
        at=tx.now,
    )
    tx.log("account created", None, username=name)
    return user


def get_user(tx: Tx, username: str) -> User | None:
    return account_store.get_user(tx.session, normalise_username(username))


def authenticate(tx: Tx, username: str, password: str, *, remote_addr: str = "") -> User:
    """The user whose username and password these are, or `SignInError`.

    Unknown usernames and wrong passwords get the same words and take the same
    time, so neither tells anyone which usernames exist. After too many
    failures `ThrottledError` is raised before the password is looked at, so
    guessing stays slow even when a guess would be right.

    A refused attempt is committed before the error is raised (the caller's
    transaction would otherwise roll the record back): call this in a
    transaction of its own, and do not use that transaction afterwards.
    """
    name = normalise_username(username)[:_NAME_MAX]
    if not name:
        raise SignInError(NO_MATCH)
    _refuse_if_throttled(tx, name)
    stored = account_store.password_hash_of(tx.session, name)
    if not _password_matches(stored, password):
        _record_attempt(tx, name, succeeded=False, remote_addr=remote_addr)
        _commit_and_raise(tx, SignInError(NO_MATCH))
    assert stored is not None
    _record_attempt(tx, name, succeeded=True, remote_addr=remote_addr)
    if _hasher.check_needs_rehash(stored):
        # Parameters grow stronger over releases; the password is at hand only now.
        new_hash = _hasher.hash(normalise_password(password))
        account_store.set_password_hash(tx.session, name, new_hash, changed_at=None)
    user = account_store.get_user(tx.session, name)
    assert user is not None
    return user


def change_password(tx: Tx, current: str, new: str) -> None:
    """Change the actor's password, given the current one (`SignInError` when it is wrong).

    Like `authenticate`, a wrong current password counts towards throttling and
    is committed before the error is raised.
    """
    name = _account_of(tx).username
    _refuse_if_throttled(tx, name)
    if not _password_matches(account_store.password_hash_of(tx.session, name), current):
        _record_attempt(tx, name, succeeded=False, remote_addr="")
        _commit_and_raise(tx, SignInError("That is not your current password."))
    check_new_password(new, name)
    new_hash = _hasher.hash(normalise_password(new))
    account_store.set_password_hash(tx.session, name, new_hash, changed_at=tx.now)
    tx.log("password changed", None, username=name)


def sign_out(tx: Tx) -> None:
    """End every session of the person acting, in every browser.

    Sessions are signed cookies that cosynth keeps no record of, so a copy of
    one (from a shared computer, a proxy's log) would otherwise work until it
    expired; a session begun before this moment is refused from now on.
    """
    name = _account_of(tx).username
    account_store.set_signed_out(tx.session, name, tx.now)
    tx.log("signed out", None, username=name)


def set_preferences(
    tx: Tx,
    *,
    display_name: str | None = None,
    email: str | None = None,
    adviser_mode: bool | None = None,
    keyboard_shortcuts: bool | None = None,
) -> User:
    """Change the actor's own settings; those left as None stay as they are."""
    name = _account_of(tx).username
    values: dict[str, object] = {}
    if display_name is not None:
        values["display_name"] = _checked_display_name(display_name)
    if email is not None:
        values["email"] = _checked_email(email)
    if adviser_mode is not None:
        values["adviser_mode"] = adviser_mode
    if keyboard_shortcuts is not None:
        values["keyboard_shortcuts"] = keyboard_shortcuts
    user = account_store.update_user(tx.session, name, **values)
    assert user is not None
    return user


def prune_login_attempts(tx: Tx, *, keep_days: int = 30) -> int:
    """Forget sign-in attempts older than `keep_days` (throttling needs only minutes of them)."""
    if keep_days < 1:
        raise InputError("Keep at least one day of sign-in attempts.")
    return account_store.delete_login_attempts_before(tx.session, tx.now - timedelta(keep_days))


def _account_of(tx: Tx) -> User:
    user = account_store.get_user(tx.session, tx.actor)
    if user is None:
        raise NotFoundError(
            f"{tx.actor} has no account on this server yet. "
            f"The server's administrator can make one with `cosynth user add {tx.actor}`."
        )
    return user


def _password_matches(stored: str | None, password: str) -> bool:
    if stored is None:
        # Spend the time a real check takes, so that an unknown username
        # cannot be told from a known one by how quickly it is refused.
        stored = _unmatchable_hash()
    if len(password) > PASSWORD_MAX:
        return False
    try:
        return _hasher.verify(stored, normalise_password(password))
    except (VerificationError, InvalidHashError):
        return False


@cache
def _unmatchable_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(32))


def _refuse_if_throttled(tx: Tx, username: str) -> None:
    failures = account_store.failures_since(tx.session, username, tx.now - FAILURE_WINDOW)
    if len(failures) < MAX_FAILURES:
        return
    # The window began with the earliest of the last MAX_FAILURES failures.
    began = failures[-MAX_FAILURES]
    wait = sign_in_wait(len(failures), seconds_since_first=(tx.now - began).total_seconds())
    if wait is None:
        return
    raise ThrottledError(
        f"Signing in as {username} is paused for {wait_in_words(wait)}, because of too many "
        "wrong passwords; this slows down anyone trying to guess it. If you have forgotten "
        "your password, ask the person who runs this server.",
        retry_after=wait,
    )


def _record_attempt(tx: Tx, username: str, *, succeeded: bool, remote_addr: str) -> None:
    account_store.insert_login_attempt(
        tx.session, username, at=tx.now, succeeded=succeeded, remote_addr=remote_addr[:100]
    )


def _commit_and_raise(tx: Tx, error: CosynthError) -> NoReturn:
    """Keep what the transaction wrote (a failed attempt), then refuse."""
    tx.session.commit()
    raise error


def _refuse_if_link_guessing(tx: Tx, remote_addr: str) -> None:
    """`ThrottledError` after too many wrong reset links from one address, like sign-in."""
    key = _reset_attempts_key(remote_addr)
    failures = account_store.failures_since(tx.session, key, tx.now - FAILURE_WINDOW)
    if len(failures) < MAX_FAILURES:
        return
    began = failures[-MAX_FAILURES]
    wait = sign_in_wait(len(failures), seconds_since_first=(tx.now - began).total_seconds())
    if wait is None:
        return
    raise ThrottledError(
        f"Reset links from here are paused for {wait_in_words(wait)}, because of too many "
        "links that did not work; this slows down anyone trying to guess one.",
        retry_after=wait,
    )


def _reset_attempts_key(remote_addr: str) -> str:
    # Kept with the sign-in attempts, under a name no username can have (a space,
    # brackets): a wrong link names no account, so the address is what is counted.
    return f"(reset link) {remote_addr[:100]}"


def _checked_display_name(display_name: str) -> str:
    display_name = " ".join(display_name.split())
    if len(display_name) > _NAME_MAX:
        raise InputError(f"A display name can have at most {_NAME_MAX} characters.")
    return display_name


def _checked_email(email: str) -> str:
    email = email.strip()
    if not email:
        return ""
    local, at, domain = email.rpartition("@")
    if not (local and at and domain) or any(c.isspace() for c in email):
        raise InputError(f"{email!r} does not look like an email address (name@example.org).")
    if len(email) > _EMAIL_MAX:
        raise InputError(f"An email address can have at most {_EMAIL_MAX} characters.")
    return email


# invitations


def invite(
    tx: Tx, review_id: int, role: Role, *, note: str = "", valid_days: int = 14
) -> tuple[Invitation, str]:
    """Invite someone to the review in `role`: the invitation and its secret token.

    The token is shown this once; only its digest is kept.
    """
    tx.require(review_id, Permission.MANAGE_MEMBERS)
    if not 1 <= valid_days <= INVITATION_DAYS_MAX:
        raise InputError(
            f"An invitation can stay open for 1 to {INVITATION_DAYS_MAX} days, not {valid_days}."
        )
    token = secrets.token_urlsafe(32)
    invitation = account_store.insert_invitation(
        tx.session,
        review_id,
        role=role,
        token_hash=_digest(token),
        note=note.strip(),
        created_by=tx.actor,
        created_at=tx.now,
        expires_at=tx.now + timedelta(days=valid_days),
    )
    tx.log(
        "invitation created",
        review_id,
        invitation_id=invitation.id,
        role=role.value,
        expires_at=invitation.expires_at.isoformat(),
    )
    return invitation, token


def invitation_for(tx: Tx, token: str) -> Invitation:
    """The open invitation with this token; `NotFoundError` or `InputError` saying why not."""
    invitation = _invitation_by_token(tx, token)
    _refuse_unless_open(tx, invitation)
    return invitation


def invitation_review(tx: Tx, token: str) -> Review:
    """The review an open invitation is to (for the page that asks the invitee to accept)."""
    invitation = invitation_for(tx, token)
    review = review_store.get_review(tx.session, invitation.review_id)
    assert review is not None  # invitations are deleted with their review
    return review


def accept_invitation(
    tx: Tx,
    token: str,
    *,
    username: str,
    password: str,
    display_name: str = "",
    email: str = "",
) -> User:
    """Make an account for a newcomer and add them to the review in the invited role."""
    invitation = invitation_for(tx, token)
    name = check_username(username)
    if account_store.get_user(tx.session, name) is None and review_store.reviews_of(
        tx.session, name
    ):
        # A name on a team with no account yet (added from the command line)
        # belongs to someone: taking it would take their place in that review.
        raise InputError(f"The username {name} is taken; choose another.")
    as_them = replace(tx, actor=name)
    user = create_user(as_them, name, password, display_name=display_name, email=email)
    _join(as_them, invitation, display_name=user.name)
    return user


def join_with_invitation(tx: Tx, token: str) -> Invitation:
    """The actor, who has an account already, joins the review in the invited role."""
    invitation = invitation_for(tx, token)
    if review_store.role_of(tx.session, invitation.review_id, tx.actor) is not None:
        raise InputError(
            f"{tx.actor} is already a member of this review; the invitation is left for "
            "someone else."
        )
    user = account_store.get_user(tx.session, tx.actor)
    _join(tx, invitation, display_name=user.name if user is not None else tx.actor)
    joined = account_store.invitation_by_hash(tx.session, _digest(token))
    assert joined is not None
    return joined


def list_invitations(tx: Tx, review_id: int) -> list[Invitation]:
    """The review's invitations, newest first, whatever their status."""
    tx.require(review_id, Permission.MANAGE_MEMBERS)
    return account_store.invitations_of(tx.session, review_id)


def revoke_invitation(tx: Tx, review_id: int, invitation_id: int) -> Invitation:
    """Withdraw an invitation so its link no longer works (already withdrawn: left as it is)."""
    tx.require(review_id, Permission.MANAGE_MEMBERS)
    invitation = account_store.get_invitation(tx.session, review_id, invitation_id)
    if invitation is None:
        raise NotFoundError(f"Review {review_id} has no invitation {invitation_id}.")
    if invitation.accepted_at is not None:
        raise InputError(
            f"Invitation {invitation_id} was already accepted by {invitation.accepted_by}; "
            "to undo that, change the review's team instead."
        )
    if account_store.mark_invitation_revoked(tx.session, invitation_id, at=tx.now):
        tx.log("invitation revoked", review_id, invitation_id=invitation_id)
    revoked = account_store.get_invitation(tx.session, review_id, invitation_id)
    assert revoked is not None
    return revoked


def _invitation_by_token(tx: Tx, token: str) -> Invitation:
    token = token.strip()
    found = (
        account_store.invitation_by_hash(tx.session, _digest(token))
        if 0 < len(token) <= _TOKEN_MAX
        else None
    )
    if found is None:
        raise NotFoundError(
            "This invitation link is not known. Check that the whole link was copied, "
            "or ask the review's lead for a new one."
        )
    return found


def _refuse_unless_open(tx: Tx, invitation: Invitation) -> None:
    status = invitation.status(tx.now)
    if status == "accepted":
        raise InputError(
            "This invitation has already been used. If that was you, sign in instead; "
            "if not, tell the review's lead."
        )
    if status == "revoked":
        raise InputError(
            "The review's lead has withdrawn this invitation. Ask them for a new one "
            "if you should still join."
        )
    if status == "expired":
        raise InputError(
            f"This invitation expired on {invitation.expires_at:%d %B %Y}. "
            "Ask the review's lead for a new one."
        )


def _join(tx: Tx, invitation: Invitation, *, display_name: str) -> None:
    """The actor takes up the invitation: accepted once only, then a member in its role."""
    if not account_store.mark_invitation_accepted(
        tx.session, invitation.id, username=tx.actor, at=tx.now
    ):
        # Someone else took it (or it was withdrawn) since we looked a moment ago.
        now = account_store.get_invitation(tx.session, invitation.review_id, invitation.id)
        assert now is not None
        _refuse_unless_open(tx, now)
        raise InputError("This invitation can no longer be used.")  # pragma: no cover
    review_store.insert_member(
        tx.session,
        invitation.review_id,
        tx.actor,
        display_name=display_name,
        role=invitation.role,
        at=tx.now,
    )
    tx.log("invitation accepted", invitation.review_id, invitation_id=invitation.id)
    tx.log(
        "member added",
        invitation.review_id,
        username=tx.actor,
        role=invitation.role.value,
        invitation_id=invitation.id,
    )


# API tokens


def issue_api_token(tx: Tx, label: str = "") -> tuple[ApiToken, str]:
    """A new API token for the actor: the record and the secret, which is shown this once."""
    name = _account_of(tx).username
    label = " ".join(label.split())
    if len(label) > _NAME_MAX:
        raise InputError(f"A token's label can have at most {_NAME_MAX} characters.")
    # The prefix makes a leaked token recognisable in logs and to secret scanners.
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = account_store.insert_api_token(
        tx.session, name, label=label, token_hash=_digest(secret), at=tx.now
    )
    tx.log("API token issued", None, token_id=token.id, label=label)
    return token, secret


def user_for_api_token(tx: Tx, token: str) -> User | None:
    """The user a token acts for, or None for an unknown or revoked token."""
    token = token.strip()
    if not token.startswith(API_TOKEN_PREFIX) or len(token) > _TOKEN_MAX:
        return None
    found = account_store.api_token_by_hash(tx.session, _digest(token))
    if found is None or found.revoked_at is not None:
        return None
    user = account_store.get_user(tx.session, found.username)
    if user is None:
        return None
    if found.last_used_at is None or tx.now - found.last_used_at >= TOKEN_USE_RESOLUTION:
        account_store.touch_api_token(tx.session, found.id, at=tx.now)
    return user


def list_api_tokens(tx: Tx) -> list[ApiToken]:
    """The actor's tokens, oldest first, revoked ones included."""
    return account_store.api_tokens_of(tx.session, tx.actor)


def revoke_api_token(tx: Tx, token_id: int) -> None:
    """Revoke one of the actor's own tokens (already revoked: nothing to do)."""
    if account_store.revoke_api_token(tx.session, token_id, username=tx.actor, at=tx.now):
        tx.log("API token revoked", None, token_id=token_id)
        return
    if not any(token.id == token_id for token in account_store.api_tokens_of(tx.session, tx.actor)):
        # The same words for someone else's token as for none, so ids cannot be probed.
        raise NotFoundError(f"{tx.actor} has no API token {token_id}.")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# password reset links


def issue_reset_link(
    tx: Tx, username: str, *, valid_for: timedelta = DEFAULT_VALID_FOR
) -> tuple[PasswordReset, str]:
    """A link for `username` to set a new password: the record and its secret token.

    No permission is asked: the server's administrator calls this from the
    command line. The token is shown this once; only its digest is kept. Any
    older link for the same account stops working.
    """
    user = account_store.get_user(tx.session, normalise_username(username))
    if user is None:
        raise NotFoundError(f"There is no account called {normalise_username(username)}.")
    return _issue_reset(tx, user.username, check_valid_for(valid_for), review_id=None)


def issue_reset_link_for_member(
    tx: Tx, review_id: int, username: str, *, valid_for: timedelta = DEFAULT_VALID_FOR
) -> tuple[PasswordReset, str]:
    """The review's lead makes a reset link for a member of the review, to hand over.

    Only for someone whose every review the lead also leads: a link sets the
    password of the whole account, and a lead of one review must not be able to
    take over a member's place in a review that is not theirs. Anyone else's
    link comes from the server's administrator.
    """
    tx.require(review_id, Permission.MANAGE_MEMBERS)
    name = normalise_username(username)
    if review_store.role_of(tx.session, review_id, name) is None:
        raise NotFoundError(f"{name} is not a member of review {review_id}.")
    if account_store.get_user(tx.session, name) is None:
        raise InputError(
            f"{name} has no account on this server yet, so has no password to reset: "
            "invite them instead."
        )
    elsewhere = [
        review.id
        for review in review_store.reviews_of(tx.session, name)
        if review_store.role_of(tx.session, review.id, tx.actor) != Role.LEAD
    ]
    if elsewhere:
        raise PermissionDeniedError(
            f"{name} is also on reviews you do not lead, so only the server's administrator "
            f"can make them a reset link (`cosynth user reset-link {name}`)."
        )
    return _issue_reset(tx, name, check_valid_for(valid_for), review_id=review_id)


def _issue_reset(
    tx: Tx, username: str, valid_for: timedelta, *, review_id: int | None
) -> tuple[PasswordReset, str]:
    reset_store.revoke_open_resets(tx.session, username, at=tx.now)
    token = secrets.token_urlsafe(32)
    reset = reset_store.insert_reset(
        tx.session,
        username,
        token_hash=_digest(token),
        created_by=tx.actor,
        created_at=tx.now,
        expires_at=tx.now + valid_for,
    )
    tx.log(
        "password reset link issued",
        review_id,
        username=username,
        reset_id=reset.id,
        expires_at=reset.expires_at.isoformat(),
    )  # never the token
    return reset, token


def reset_for(tx: Tx, token: str, *, remote_addr: str = "") -> PasswordReset:
    """The open reset link with this token, or `InputError` with the same words whether it
    is wrong, used, replaced or expired (`ThrottledError` after too many wrong ones).

    A wrong link is committed as a failed attempt before the error is raised:
    call this in a transaction of its own.
    """
    _refuse_if_link_guessing(tx, remote_addr)
    token = token.strip()
    found = (
        reset_store.reset_by_hash(tx.session, _digest(token))
        if 0 < len(token) <= _TOKEN_MAX
        else None
    )
    if found is None or found.status(tx.now) != "open":
        _record_attempt(tx, _reset_attempts_key(remote_addr), succeeded=False, remote_addr="")
        _commit_and_raise(tx, InputError(LINK_NOT_OPEN))
    return found


def reset_password(tx: Tx, token: str, new: str, *, remote_addr: str = "") -> User:
    """Set a new password with a reset link: the link is used up, and every session of the
    account ends (a copied cookie included).

    Like `reset_for`, a wrong link is committed before the error is raised.
    """
    reset = reset_for(tx, token, remote_addr=remote_addr)
    check_new_password(new, reset.username)
    if not reset_store.mark_reset_used(tx.session, reset.id, at=tx.now):
        raise InputError(LINK_NOT_OPEN)  # someone sent the same link a moment ago
    new_hash = _hasher.hash(normalise_password(new))
    account_store.set_password_hash(tx.session, reset.username, new_hash, changed_at=tx.now)
    account_store.set_signed_out(tx.session, reset.username, tx.now)
    _record_attempt(tx, _reset_attempts_key(remote_addr), succeeded=True, remote_addr="")
    # In the log as the account's own act: whoever held the link acted as them.
    replace(tx, actor=reset.username).log(
        "password reset", None, username=reset.username, reset_id=reset.id
    )
    user = account_store.get_user(tx.session, reset.username)
    assert user is not None
    return user


def list_reset_links(tx: Tx, username: str) -> list[PasswordReset]:
    """Every reset link made for `username`, oldest first (the administrator's view)."""
    return reset_store.resets_of(tx.session, normalise_username(username))
