"""Account settings (adviser mode, keyboard shortcuts) and the page a password reset link opens.

A reset link carries its secret in the URL, so its page tells no other site
where it came from (`Referrer-Policy: no-referrer`: a link on the page, or a
resource it loaded, would otherwise hand the token over in the Referer header)
and is kept by no cache (`Cache-Control: no-store`). A wrong, used, replaced
or expired link gets one and the same page, so the answer tells a guesser
nothing; wrong links are counted per address and slowed down like sign-in.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from cosynth.errors import InputError, ThrottledError
from cosynth.services import accounts
from cosynth.web.auth import login_required
from cosynth.web.context import anonymous_transaction, current_user, transaction

blueprint = Blueprint("account", __name__)

_RESET_HEADERS = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


@blueprint.route("/account")
@login_required
def settings() -> str:
    return render_template("account/settings.html", user=current_user())


@blueprint.route("/account", methods=["POST"])
@login_required
def save_settings() -> Response:
    # An unticked checkbox sends nothing, so absence means "off".
    with transaction() as tx:
        accounts.set_preferences(
            tx,
            adviser_mode=request.form.get("adviser_mode") == "on",
            keyboard_shortcuts=request.form.get("keyboard_shortcuts") == "on",
        )
    flash(_("Your settings are saved."), "info")
    return redirect(url_for("account.settings"), 303)


@blueprint.route("/reset/<token>")
def reset_form(token: str) -> Response:
    refused = _refused_link(token)
    if refused is not None:
        return refused
    return _reset_answer(render_template("account/reset.html"), 200)


@blueprint.route("/reset/<token>", methods=["POST"])
def reset_password(token: str) -> Response:
    refused = _refused_link(token)
    if refused is not None:
        return refused
    if request.form.get("new", "") != request.form.get("again", ""):
        flash(_("The two new passwords are not the same."), "error")
        return _reset_answer(render_template("account/reset.html"), 400)
    try:
        with anonymous_transaction() as tx:
            accounts.reset_password(
                tx, token, request.form.get("new", ""), remote_addr=request.remote_addr or ""
            )
    except ThrottledError as exc:
        return _link_not_open(429, retry_after=exc.retry_after)
    except InputError as exc:
        flash(str(exc), "error")
        return _reset_answer(render_template("account/reset.html"), 400)
    # Every session of theirs has ended; whoever was signed in on this browser is too.
    session.clear()
    flash(_("Your new password is set and you are signed out everywhere: sign in with it."), "info")
    response = redirect(url_for("auth.login"), 303)
    response.headers.update(_RESET_HEADERS)
    return response


def _refused_link(token: str) -> Response | None:
    """The plain page for a link that does not work (or None when it works)."""
    try:
        with anonymous_transaction() as tx:
            accounts.reset_for(tx, token, remote_addr=request.remote_addr or "")
    except ThrottledError as exc:
        return _link_not_open(429, retry_after=exc.retry_after)
    except InputError:
        return _link_not_open(404)
    return None


def _link_not_open(status: int, *, retry_after: int | None = None) -> Response:
    message = _("This link has been used or has expired: ask your review's lead for a new one.")
    if retry_after is not None:
        message = _("Too many links that did not work came from here. Try again later.")
    response = _reset_answer(render_template("errors/error.html", message=message), status)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def _reset_answer(body: str, status: int) -> Response:
    response = make_response(body, status)
    response.headers.update(_RESET_HEADERS)
    return response
