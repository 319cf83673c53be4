"""Signing in and out, changing a password, and keeping everyone else out.

Sessions are Flask's signed cookies (HttpOnly, SameSite=Lax, Secure on a
server behind TLS). A session names the person, when their password last
changed and when they last signed out, so changing a password signs out every
other session, and signing out ends every session of theirs, a copied cookie
included (issue 10).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from cosynth.domain.accounts import User
from cosynth.errors import CosynthError, ThrottledError
from cosynth.services import accounts
from cosynth.web import kept
from cosynth.web.context import anonymous_transaction, transaction

blueprint = Blueprint("auth", __name__)

View = Callable[..., Any]


def init_app(app: Flask) -> None:
    app.before_request(_load_user)


def _load_user() -> None:
    g.user = None
    username = session.get("user")
    if not username:
        return
    # Every request starts here: reading only, it takes no write lock, so
    # pages are not queued behind each other on SQLite.
    with anonymous_transaction(read_only=True) as tx:
        user = accounts.get_user(tx, username)
    if (
        user is None
        or session.get("since") != user.password_changed_at.isoformat()
        or session.get("out", "") != _signed_out(user)
    ):
        session.clear()
        return
    g.user = user


def login_required(view: View) -> View:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.user is None:
            if request.method == "POST":
                # A form sent after the session ended: what was typed comes back (issue 5).
                return kept.session_ended(401)
            return redirect(url_for("auth.login", next=request.full_path), 303)
        return view(*args, **kwargs)

    return wrapped


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    if request.method == "GET":
        return render_template("auth/login.html", username="")
    username = request.form.get("username", "").strip()
    resuming = kept.ACTION in request.form  # signing in on the "your session had ended" page
    try:
        with anonymous_transaction() as tx:
            user = accounts.authenticate(
                tx,
                username,
                request.form.get("password", ""),
                remote_addr=request.remote_addr or "",
            )
    except ThrottledError as exc:
        flash(str(exc), "error")
        page = _resume(signed_in=False, status=429) if resuming else _login_page(username, 429)
        return page[0], page[1], {"Retry-After": str(exc.retry_after)}
    except CosynthError as exc:
        flash(str(exc), "error")
        return _resume(signed_in=False, status=401) if resuming else _login_page(username, 401)
    sign_in(user)
    if resuming:
        return _resume(signed_in=True, status=200)
    return redirect(_safe_next(request.args.get("next")), 303)


def _login_page(username: str, status: int) -> tuple[str, int]:
    return render_template("auth/login.html", username=username), status


def _resume(*, signed_in: bool, status: int) -> tuple[str, int]:
    """The "your session had ended" page again, with the fields it carried through sign-in."""
    form = request.form
    return kept.render_page(
        fields=kept.kept_fields(form, prefix=kept.PREFIX),
        files=form.getlist(kept.FILES),
        action=_safe_next(form.get(kept.ACTION)),
        back=_safe_next(form.get(kept.BACK)),
        signed_in=signed_in,
        status=status,
        username=request.form.get("username", "").strip(),
    )


def sign_in(user: User) -> None:
    """Start a fresh session for `user` (a new session, so an old one cannot be fixated)."""
    session.clear()
    session.permanent = True
    session["user"] = user.username
    session["since"] = user.password_changed_at.isoformat()
    session["out"] = _signed_out(user)


def _signed_out(user: User) -> str:
    """When they last signed out: a session made before then is stale (a copied cookie)."""
    return user.signed_out_at.isoformat() if user.signed_out_at else ""


def _safe_next(target: str | None) -> str:
    """Only a path on this site: an open redirect would let a link send people anywhere."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("reviews.index")


@blueprint.route("/logout", methods=["POST"])
def logout() -> Response:
    if g.user is not None:
        # Forgetting the cookie here is not enough: a copy of it would still work.
        with transaction() as tx:
            accounts.sign_out(tx)
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"), 303)


@blueprint.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response | tuple[str, int]:
    if request.method == "GET":
        return render_template("auth/password.html")
    if request.form.get("new", "") != request.form.get("again", ""):
        flash(_("The two new passwords are not the same."), "error")
        return render_template("auth/password.html"), 400
    with transaction() as tx:
        accounts.change_password(tx, request.form.get("current", ""), request.form.get("new", ""))
        user = accounts.get_user(tx, tx.actor)
    assert user is not None
    session["since"] = user.password_changed_at.isoformat()
    flash(_("Your password has been changed; other sessions are signed out."), "info")
    return redirect(url_for("reviews.index"), 303)
