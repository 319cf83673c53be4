"""The rules on usernames, new passwords, invitations and sign-in throttling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cosynth.domain.accounts import (
    FAILURE_WINDOW,
    MAX_FAILURES,
    Invitation,
    check_new_password,
    check_username,
    normalise_password,
    sign_in_wait,
    wait_in_words,
)
from cosynth.domain.roles import Role
from cosynth.errors import InputError

NOW = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("given", "stored"),
    [("alice", "alice"), ("  Alice ", "alice"), ("j.smith-2_b", "j.smith-2_b"), ("ＰＡＴ", "pat")],
)
def test_it_normalises_a_username(given: str, stored: str) -> None:
    assert check_username(given) == stored


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ("", "A username is needed"),
        ("a", "2 to 60 characters"),
        ("x" * 61, "2 to 60 characters"),
        ("alice smith", "only the letters a to z"),
        ("-alice", "beginning with a letter or digit"),
        ("аlice", "only the letters a to z"),  # a Cyrillic а
        ("(signing in)", "only the letters a to z"),
    ],
)
def test_it_says_what_is_wrong_with_a_username(given: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        check_username(given)


def test_it_accepts_a_long_passphrase_without_composition_rules() -> None:
    check_new_password("correct horse battery staple", "alice")
    check_new_password("ünïcödé wörds tögether", "alice")


@pytest.mark.parametrize(
    ("password", "words"),
    [
        ("short1!", "at least 10 characters; this one has 7"),
        ("alice-is-great", "must not contain your username"),
        ("ALICE2024!!", "must not contain your username"),
        ("my cosynth pw", "name of this app"),
        ("password123", "first that anyone guessing would try"),
        ("QwertyUiop", "first that anyone guessing would try"),
        ("zzzzzzzzzzzz", "first that anyone guessing would try"),
        ("abcdefghijklm", "first that anyone guessing would try"),
        ("9876543210", "first that anyone guessing would try"),
        ("x" * 1001, "at most 1000 characters"),
    ],
)
def test_it_refuses_a_password_easy_to_guess_and_says_what_to_do(password: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        check_new_password(password, "alice")


def test_it_counts_characters_after_unicode_normalisation() -> None:
    # "e" + combining acute accent is one character, é, as NIST SP 800-63B asks.
    assert normalise_password("cafe\u0301") == "café"
    with pytest.raises(InputError, match="this one has 9"):
        check_new_password("cafe\u0301 bars", "alice")  # 10 code points typed


def test_it_throttles_from_the_fifth_failure_for_the_rest_of_the_window() -> None:
    assert sign_in_wait(0) is None
    assert sign_in_wait(MAX_FAILURES - 1) is None
    assert sign_in_wait(MAX_FAILURES) == FAILURE_WINDOW.total_seconds()
    assert sign_in_wait(MAX_FAILURES, seconds_since_first=600) == 300
    assert sign_in_wait(MAX_FAILURES + 3, seconds_since_first=899.5) == 1
    assert sign_in_wait(MAX_FAILURES, seconds_since_first=900) is None


def test_it_says_a_wait_in_whole_minutes_rounded_up() -> None:
    assert wait_in_words(1) == "1 minute"
    assert wait_in_words(60) == "1 minute"
    assert wait_in_words(61) == "2 minutes"
    assert wait_in_words(900) == "15 minutes"


def invitation(**changes: object) -> Invitation:
    values: dict[str, object] = {
        "id": 1,
        "review_id": 1,
        "role": Role.ADVISER,
        "note": "",
        "created_by": "alice",
        "created_at": NOW,
        "expires_at": NOW + timedelta(days=14),
        "accepted_by": None,
        "accepted_at": None,
        "revoked_at": None,
    }
    return Invitation(**{**values, **changes})  # type: ignore[arg-type]


def test_it_tells_an_invitations_status() -> None:
    assert invitation().status(NOW) == "open"
    assert invitation().status(NOW + timedelta(days=14)) == "expired"
    assert invitation(accepted_by="pat", accepted_at=NOW).status(NOW) == "accepted"
    accepted_late = invitation(accepted_by="pat", accepted_at=NOW)
    assert accepted_late.status(NOW + timedelta(days=30)) == "accepted"
    assert invitation(revoked_at=NOW).status(NOW) == "revoked"
    assert invitation(revoked_at=NOW).status(NOW + timedelta(days=30)) == "revoked"
