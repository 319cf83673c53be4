"""People who sign in to the web app, their invitations and API tokens, and the rules on them.

The password rules follow NIST SP 800-63B §5.1.1.2 and the NCSC's password
guidance: a minimum length and a check against passwords everyone tries first,
and no composition rules (no "one capital, one digit, one symbol"), which push
people to predictable patterns without making guessing harder.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from cosynth.domain.roles import Role
from cosynth.errors import InputError

USERNAME_MIN, USERNAME_MAX = 2, 60
# ASCII only, so that two usernames cannot look alike while being different
# (a Cyrillic "а" in "аlice"); a person's name in full goes in display_name.
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]*")

# NIST SP 800-63B asks for at least 8 characters; NCSC and OWASP's ASVS 4.0
# (2.1.1) ask for more when there is no second factor. Long passphrases are
# allowed (at least 64 characters are recommended); the upper bound only stops
# a form post of megabytes.
PASSWORD_MIN, PASSWORD_MAX = 10, 1000

# The most frequent passwords of 10 characters or more in public breach
# corpora (shorter ones are already refused by length). Kept short on purpose:
# the point is to stop the guesses made first, not to hold a dictionary.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "0987654321",
        "1234567891",
        "1111111111",
        "0123456789",
        "123456789a",
        "a123456789",
        "12345678910",
        "123123123123",
        "1q2w3e4r5t",
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "qwertyuiop",
        "qwerty1234",
        "qwerty12345",
        "qwerty123456",
        "asdfghjkl1",
        "zxcvbnm123",
        "password12",
        "password123",
        "password1234",
        "password!!",
        "passw0rd123",
        "p@ssw0rd123",
        "iloveyou12",
        "iloveyou123",
        "letmein123",
        "welcome123",
        "welcome1234",
        "football123",
        "baseball123",
        "sunshine123",
        "princess123",
        "monkey1234",
        "dragon1234",
        "trustno1234",
        "changeme123",
        "administrator",
        "admin12345",
        "admin123456",
        "abcdefghij",
        "abc1234567",
        "abcd123456",
        "superman123",
        "starwars123",
        "whatever123",
        "qazwsxedcrfv",
        "computer123",
        "internet123",
        "summer2024",
        "winter2024",
        "spring2024",
        "autumn2024",
    }
)
# Words anyone guessing a password for this service would try (NIST: "context-specific words").
SERVICE_WORDS = ("cosynth",)

# Sign-in throttling: after this many wrong passwords for one username within
# the window, further attempts are refused until the earliest of them leaves
# the window (OWASP Authentication Cheat Sheet, "Login Throttling"; NIST
# SP 800-63B §5.2.2 asks for a limit on consecutive failed attempts).
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class User:
    """A person with a web account. Their username is their name in every review."""

    id: int
    username: str
    display_name: str
    email: str
    created_at: datetime
    adviser_mode: bool
    keyboard_shortcuts: bool
    # A session begun before this moment is stale: changing a password signs out the others.
    password_changed_at: datetime
    # Signing out ends every session of theirs begun before this moment (issue 10).
    signed_out_at: datetime | None = None

    @property
    def name(self) -> str:
        """How to address them: their display name, else their username."""
        return self.display_name or self.username


@dataclass(frozen=True, slots=True)
class Invitation:
    """A lead's invitation to join a review in a role, by a link shown once."""

    id: int
    review_id: int
    role: Role
    note: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    accepted_by: str | None
    accepted_at: datetime | None
    revoked_at: datetime | None

    def status(self, now: datetime) -> str:
        """One of "open", "accepted", "expired" or "revoked"."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if now >= self.expires_at:
            return "expired"
        return "open"


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A token a script uses on the JSON API as one user (the secret itself is never kept)."""

    id: int
    username: str
    label: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def normalise_username(name: str) -> str:
    """The form a username is stored and looked up in: NFKC, trimmed, lower case."""
    return unicodedata.normalize("NFKC", name).strip().lower()


def check_username(name: str) -> str:
    """`name` as a username (normalised), or `InputError` saying what to change."""
    username = normalise_username(name)
    if not username:
        raise InputError("A username is needed.")
    if not USERNAME_MIN <= len(username) <= USERNAME_MAX:
        raise InputError(
            f"A username needs {USERNAME_MIN} to {USERNAME_MAX} characters; "
            f"{username!r} has {len(username)}."
        )
    if not _USERNAME.fullmatch(username):
        raise InputError(
            f"{name.strip()!r} cannot be a username: use only the letters a to z, digits, "
            "full stops, hyphens and underscores, beginning with a letter or digit "
            "(your full name can go in your display name)."
        )
    return username


def normalise_password(password: str) -> str:
    """The password as hashed: NFKC, so the same characters typed on another keyboard match.

    NIST SP 800-63B §5.1.1.2 asks for Unicode normalisation before hashing.
    """
    return unicodedata.normalize("NFKC", password)


def check_new_password(password: str, username: str) -> None:
    """Raise `InputError` saying what to do when `password` is too easy to guess."""
    password = normalise_password(password)
    if len(password) < PASSWORD_MIN:
        raise InputError(
            f"A password needs at least {PASSWORD_MIN} characters; this one has "
            f"{len(password)}. A few unrelated words together make a long password "
            "that is easy to remember."
        )
    if len(password) > PASSWORD_MAX:
        raise InputError(f"A password can have at most {PASSWORD_MAX} characters.")
    lowered = password.casefold()
    name = normalise_username(username)
    if name and name.casefold() in lowered:
        raise InputError(
            "A password must not contain your username. Choose one that nobody could "
            "guess from your name."
        )
    if any(word in lowered for word in SERVICE_WORDS):
        raise InputError(
            "A password must not contain the name of this app. Choose one that nobody "
            "could guess from where it is used."
        )
    if lowered in COMMON_PASSWORDS or _is_run(lowered):
        raise InputError(
            "That password is one of the first that anyone guessing would try. Choose "
            "another: a few unrelated words together work well."
        )


def _is_run(text: str) -> bool:
    """True for one character repeated, or characters that climb or fall by one (aaaa, 4321)."""
    steps = {ord(b) - ord(a) for a, b in pairwise(text)}
    return len(steps) == 1 and steps <= {-1, 0, 1}


def sign_in_wait(failures_in_window: int, *, seconds_since_first: float = 0) -> int | None:
    """Seconds to wait before the next sign-in attempt, or None when one may be made now.

    `failures_in_window` counts wrong passwords for one username within the
    last `FAILURE_WINDOW` (since its last successful sign-in); from the
    `MAX_FAILURES`th on, attempts are refused for the rest of the window that
    began `seconds_since_first` ago, with the earliest of the last
    `MAX_FAILURES` failures.
    """
    if failures_in_window < MAX_FAILURES:
        return None
    left = FAILURE_WINDOW.total_seconds() - seconds_since_first
    return max(1, math.ceil(left)) if left > 0 else None


def wait_in_words(seconds: int) -> str:
    """A wait as a person reads it: whole minutes, rounded up."""
    minutes = max(1, math.ceil(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
