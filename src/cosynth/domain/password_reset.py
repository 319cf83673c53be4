"""Password reset links: what one is, when it stops working, and how long it may last.

cosynth assumes no mail server, so a reset link is handed over by a person:
the server's administrator (`cosynth user reset-link`) or the lead of a review
the account holder is on. The link works once, for a short time, and a newer
link for the same account replaces any older one (OWASP Forgot Password
Cheat Sheet; NIST SP 800-63B §6.1.2.3 on recovery).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from cosynth.errors import InputError

DEFAULT_VALID_FOR = timedelta(minutes=60)
MAX_VALID_FOR = timedelta(days=7)
MIN_VALID_FOR = timedelta(minutes=5)

# The one answer for a link that is wrong, used, replaced or expired: telling
# them apart would tell a guesser which links once existed.
LINK_NOT_OPEN = "This link has been used or has expired: ask your review's lead for a new one."

_DURATION = re.compile(r"\s*(\d{1,6})\s*([mhd])\s*", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


@dataclass(frozen=True)
class PasswordReset:
    """A reset link issued for `username` (its token is never kept, only a digest)."""

    id: int
    username: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    revoked_at: datetime | None

    def status(self, now: datetime) -> str:
        """ "used", "revoked" (a newer link replaced it), "expired" or "open"."""
        if self.used_at is not None:
            return "used"
        if self.revoked_at is not None:
            return "revoked"
        if now >= self.expires_at:
            return "expired"
        return "open"


def parse_valid_for(text: str) -> timedelta:
    """A link's lifetime from words like "60m", "2h" or "1d"."""
    match = _DURATION.fullmatch(text)
    if match is None:
        raise InputError(
            f"{text!r} is not a length of time: write minutes, hours or days, like 60m, 2h or 1d."
        )
    amount, unit = int(match.group(1)), match.group(2).lower()
    return check_valid_for(timedelta(**{_UNITS[unit]: amount}))


def check_valid_for(valid_for: timedelta) -> timedelta:
    """`valid_for`, or `InputError` when it is shorter than 5 minutes or longer than 7 days."""
    if not MIN_VALID_FOR <= valid_for <= MAX_VALID_FOR:
        raise InputError(
            "A reset link can stay open for 5 minutes to 7 days; "
            "the shorter the better, since anyone holding it can take over the account."
        )
    return valid_for
