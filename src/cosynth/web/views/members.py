"""The review's team and, for the lead, invitations and password reset links.

An invitation's or a reset link's URL holds its secret token, which the store
does not keep (only its digest). The link is shown once, on the page the lead
lands on after making it: it rides in the lead's own session cookie across
that one redirect and is dropped as soon as the page has shown it (a page no
cache may keep).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
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

from cosynth.domain.roles import Permission, Role, may
from cosynth.services import accounts as account_service
from cosynth.services import reviews as review_service
from cosynth.web.access import permission_first
from cosynth.web.auth import login_required
from cosynth.web.context import current_user, transaction

blueprint = Blueprint("members", __name__, url_prefix="/reviews/<int:review_id>/members")

_NEW_INVITATION = "new_invitation"
_NEW_RESET_LINK = "new_reset_link"
DEFAULT_DAYS = 14


@blueprint.route("")
@login_required
def index(review_id: int) -> Response:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        members = review_service.list_members(tx, review_id)
        manages = may(role, Permission.MANAGE_MEMBERS)
        invitations = account_service.list_invitations(tx, review_id) if manages else []
        now = tx.now
    new_invitation = _new_invitation(review_id)
    new_reset_link = _new_reset_link(review_id)
    response = make_response(
        render_template(
            "members/index.html",
            review=review,
            members=members,
            may_manage=manages,
            me=current_user().username,
            invitations=invitations,
            now=now,
            new_invitation=new_invitation,
            new_reset_link=new_reset_link,
            roles=list(Role),
            default_days=DEFAULT_DAYS,
            max_days=account_service.INVITATION_DAYS_MAX,
        )
    )
    if new_invitation or new_reset_link:
        response.headers["Cache-Control"] = "no-store"  # the page holds a secret link
    return response


@blueprint.route("/invitations", methods=["POST"])
@login_required
@permission_first(Permission.MANAGE_MEMBERS)
def invite(review_id: int) -> Response:
    try:
        role = Role(request.form.get("role", ""))
    except ValueError:
        abort(400)
    days = request.form.get("valid_days", DEFAULT_DAYS, type=int)
    with transaction() as tx:
        invitation, token = account_service.invite(
            tx, review_id, role, note=request.form.get("note", ""), valid_days=days
        )
    session[_NEW_INVITATION] = {
        "review": review_id,
        "id": invitation.id,
        "role": invitation.role.value,
        "url": url_for("invitations.accept", token=token, _external=True),
    }
    return redirect(url_for("members.index", review_id=review_id), 303)


@blueprint.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
@login_required
@permission_first(Permission.MANAGE_MEMBERS)
def revoke(review_id: int, invitation_id: int) -> Response:
    with transaction() as tx:
        account_service.revoke_invitation(tx, review_id, invitation_id)
    flash(_("Invitation %(id)s is withdrawn: its link no longer works.", id=invitation_id), "info")
    return redirect(url_for("members.index", review_id=review_id), 303)


@blueprint.route("/<username>/reset-link", methods=["POST"])
@login_required
@permission_first(Permission.MANAGE_MEMBERS)
def reset_link(review_id: int, username: str) -> Response:
    """A password reset link for a member, shown once for the lead to send them."""
    with transaction() as tx:
        reset, token = account_service.issue_reset_link_for_member(tx, review_id, username)
    session[_NEW_RESET_LINK] = {
        "review": review_id,
        "username": reset.username,
        "expires": reset.expires_at.strftime("%Y-%m-%d %H:%M UTC"),
        "url": url_for("account.reset_form", token=token, _external=True),
    }
    return redirect(url_for("members.index", review_id=review_id), 303)


def _new_reset_link(review_id: int) -> dict[str, object] | None:
    """The reset link just made on this review: shown this once, then forgotten."""
    made = session.pop(_NEW_RESET_LINK, None)
    if not isinstance(made, dict) or made.get("review") != review_id:
        return None
    return made


def _new_invitation(review_id: int) -> dict[str, object] | None:
    """The invitation just made on this review, with its link: shown this once, then forgotten."""
    made = session.pop(_NEW_INVITATION, None)
    if not isinstance(made, dict) or made.get("review") != review_id:
        return None
    return made
