"""Account settings: adviser mode and keyboard shortcuts, each switched on or off by the person."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from cosynth.services import accounts
from cosynth.web.auth import login_required
from cosynth.web.context import current_user, transaction

blueprint = Blueprint("account", __name__)


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
