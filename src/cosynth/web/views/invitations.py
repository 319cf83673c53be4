"""The page an invitation link opens: a newcomer makes an account, someone signed in joins.

Either way the person is then signed in and lands on the review. A link that
was used, withdrawn or has expired gets the accounts service's plain words,
whether it is opened or its form is posted.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from cosynth.domain.accounts import Invitation, User
from cosynth.domain.review import Review
from cosynth.errors import InputError
from cosynth.services import accounts as account_service
from cosynth.web.auth import sign_in
from cosynth.web.context import anonymous_transaction, transaction

blueprint = Blueprint("invitations", __name__, url_prefix="/invitations")

# What the newcomer typed is kept when the form is refused; passwords never are.
_KEPT = ("username", "display_name", "email")


@blueprint.route("/<token>")
def accept(token: str) -> str:
    invitation, review = _open_invitation(token)
    return _page(invitation, review, token, typed={})


@blueprint.route("/<token>", methods=["POST"])
def take_up(token: str) -> str | Response | tuple[str, int]:
    try:
        invitation, review = _open_invitation(token)
    except InputError as exc:
        # Used, withdrawn or expired: nothing typed on the form could change that.
        return render_template("errors/error.html", message=str(exc)), 400
    if g.user is not None:
        with transaction() as tx:
            account_service.join_with_invitation(tx, token)
    else:
        try:
            user = _make_account(token)
        except InputError as exc:
            flash(str(exc), "error")
            return _page(invitation, review, token, typed=request.form), 400
        sign_in(user)
    flash(_("Welcome to %(title)s.", title=review.title), "info")
    return redirect(url_for("reviews.dashboard", review_id=review.id), 303)


def _open_invitation(token: str) -> tuple[Invitation, Review]:
    with anonymous_transaction() as tx:
        return account_service.invitation_for(tx, token), account_service.invitation_review(
            tx, token
        )


def _make_account(token: str) -> User:
    form = request.form
    if form.get("password", "") != form.get("again", ""):
        raise InputError(_("The two passwords are not the same."))
    with anonymous_transaction() as tx:
        return account_service.accept_invitation(
            tx,
            token,
            username=form.get("username", ""),
            password=form.get("password", ""),
            display_name=form.get("display_name", ""),
            email=form.get("email", ""),
        )


def _page(invitation: Invitation, review: Review, token: str, typed: Mapping[str, str]) -> str:
    return render_template(
        "invitations/accept.html",
        invitation=invitation,
        review=review,
        token=token,
        typed={key: typed.get(key, "") for key in _KEPT},
    )
