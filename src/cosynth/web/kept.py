"""What a person typed, kept when their session has ended before they sent it (issue 5).

A reviewer writes a long note, goes to lunch, and the session times out (or
they signed out in another tab, or changed their password elsewhere). The form
they then send is refused, rightly: its CSRF token belongs to a session that
is gone, or no one is signed in. Instead of a blank error page they get a page
that says what happened and gives back every field they filled in (never a
password), so they can copy it; after signing in on that page, a "Send it
again" button posts it as it was, with a fresh token, once they have looked
at it. Nothing is stored: the text travels in the page and its forms only, so
a note of any length survives.

A form posted from another site (no Origin or Referer of this site) gets the
same explanation without the fields: a forged form must not come back as
"what you typed", ready to send.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask, flash, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import FileStorage, MultiDict

from cosynth.web.uploads import display_name

# The prefix of a kept field in the sign-in form, so it cannot be taken for the sign-in's own.
PREFIX = "kept:"
# The page the form was on, and the address it posted to, in the sign-in form.
BACK, ACTION = "kept_back", "kept_action"
# The names of the files that were chosen (the files themselves cannot be kept).
FILES = "kept_file"
# Never shown again or carried: secrets, and the token that was refused.
_SECRET_WORDS = ("password", "csrf", "token", "secret")
_SECRET_NAMES = frozenset({"current", "new", "again"})
# Words for the fields people type into; any other field is shown under its own name.
_LABELS = {
    "note": _l("Your note"),
    "rationale": _l("Your rationale"),
    "comment": _l("Your comment"),
    "reason": _l("Reason"),
    "decision": _l("Your decision"),
    "tags": _l("Tags"),
    "answer": _l("Your answer"),
    "criterion": _l("Criterion"),
    "database": _l("Database"),
    "platform": _l("Platform"),
    "searched_on": _l("Date searched"),
    "role": _l("Role"),
    "method": _l("Decided by"),
}
# Text a person wrote (shown in a box they can copy and change), rather than a choice.
_WRITTEN = frozenset({"note", "rationale", "comment", "tags", "database", "platform"})
_LONG = 60


@dataclass(frozen=True, slots=True)
class KeptField:
    """One field of the refused form: its name, the words for it, and what was in it."""

    name: str
    label: str
    value: str

    @property
    def written(self) -> bool:
        return self.name in _WRITTEN or len(self.value) > _LONG or "\n" in self.value


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _token_refused)


def kept_fields(form: MultiDict[str, str], *, prefix: str = "") -> list[KeptField]:
    """The fields worth giving back: filled in, and neither a password nor a token."""
    kept = []
    for key, value in form.items(multi=True):
        if not key.startswith(prefix):
            continue
        name = key.removeprefix(prefix)
        if not value.strip() or _secret(name):
            continue
        kept.append(KeptField(name, str(_LABELS.get(name, name)), value))
    return kept


def _secret(name: str) -> bool:
    lowered = name.lower()
    return lowered in _SECRET_NAMES or any(word in lowered for word in _SECRET_WORDS)


def from_this_site() -> bool:
    """True when the browser says the form was on one of this site's pages."""
    origin = request.headers.get("Origin") or request.referrer or ""
    return bool(origin) and urlsplit(origin).netloc == request.host


def page_it_was_on() -> str:
    """The path of the page the form was on (this site only), else the site's home."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/"):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return url_for("reviews.index")


def session_ended(status: int) -> tuple[str, int]:
    """The page for a form that came after its session ended: what happened, and what was typed."""
    mine = from_this_site()
    return render_page(
        fields=kept_fields(request.form) if mine else [],
        files=_file_names(upload for _, upload in request.files.items(multi=True)) if mine else [],
        action=request.path,
        back=page_it_was_on(),
        signed_in=g.get("user") is not None,
        status=status,
    )


def render_page(
    *,
    fields: list[KeptField],
    files: list[str],
    action: str,
    back: str,
    signed_in: bool,
    status: int,
    username: str = "",
) -> tuple[str, int]:
    page = render_template(
        "errors/session_ended.html",
        fields=fields,
        files=files,
        action=action,
        back=back,
        signed_in=signed_in,
        username=username,
        prefix=PREFIX,
        back_field=BACK,
        action_field=ACTION,
        files_field=FILES,
    )
    return page, status


def _token_refused(exc: CSRFError) -> tuple[str, int]:
    if request.endpoint == "auth.login":
        # Only a username was typed: the sign-in page again, with a fresh token.
        flash(_("This sign-in page was open too long. Please sign in again."), "error")
        return render_template("auth/login.html", username=request.form.get("username", "")), 400
    return session_ended(400)


def _file_names(files: Iterable[FileStorage]) -> list[str]:
    return [display_name(upload.filename) for upload in files if upload.filename]
