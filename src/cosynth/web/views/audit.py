"""The review's audit log for its lead: who did what and when, newest first, a page at a time.

The log never holds how anyone voted (the services write it), so showing it
whole keeps blinding.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from cosynth.services import reviews as review_service
from cosynth.web.auth import login_required
from cosynth.web.context import transaction

blueprint = Blueprint("audit", __name__, url_prefix="/reviews/<int:review_id>/log")

PER_PAGE = 50


@blueprint.route("")
@login_required
def index(review_id: int) -> str:
    page = max(request.args.get("page", 1, type=int), 1)
    with transaction() as tx:
        total, events = review_service.audit_log(
            tx, review_id, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
        )
        review = review_service.get_review(tx, review_id)
    return render_template(
        "audit/index.html",
        review=review,
        events=events,
        total=total,
        page=page,
        first=(page - 1) * PER_PAGE + 1,
        pages=max((total + PER_PAGE - 1) // PER_PAGE, 1),
    )
