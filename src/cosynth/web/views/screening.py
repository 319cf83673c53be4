"""Screening, one record at a time: the record, the criteria beside it, and the vote form.

Blinding is the services' job: this page shows what `record_screening`
returns, which never holds a vote the person may not see yet.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.services import reviews as review_service
from cosynth.services import screening as screening_service
from cosynth.services import screening_protocol as protocol_service
from cosynth.services.screening_queue import Order, record_and_queue, screening_queue
from cosynth.web.auth import login_required
from cosynth.web.context import current_user, stage_or_404, transaction
from cosynth.web.highlight import criteria_terms, highlight

blueprint = Blueprint("screening", __name__, url_prefix="/reviews/<int:review_id>/screen")


def _order() -> Order:
    chosen = request.args.get("order")
    if chosen in {order.value for order in Order}:
        session["order"] = chosen
    return Order(session.get("order", Order.RANKED.value))


@blueprint.route("/<stage>")
@login_required
def next_record(review_id: int, stage: str) -> str | Response:
    """Send the person to the next record waiting for their vote, in their chosen order."""
    at = stage_or_404(stage)
    order = _order()
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        queue = screening_queue(tx, review_id, stage=at, order=order)
        # The stage's counts are only for the "nothing waiting" page: counting
        # every reviewer's share costs more than the redirect itself.
        first = queue.first
        progress = (
            None if first is not None else screening_service.stage_progress(tx, review_id, stage=at)
        )
    if first is None:
        return render_template("screening/done.html", review=review, stage=at, progress=progress)
    return redirect(
        url_for("screening.record", review_id=review_id, stage=at.value, record_id=first),
        303,
    )


@blueprint.route("/<stage>/records/<int:record_id>")
@login_required
def record(review_id: int, stage: str, record_id: int) -> str:
    at = stage_or_404(stage)
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        view, queue = record_and_queue(tx, review_id, record_id, stage=at, order=_order())
        protocol = protocol_service.stage_protocol(tx, review_id, at)
    terms = criteria_terms(criterion.text for criterion in protocol.criteria)
    citation = view.record.citation
    return render_template(
        "screening/record.html",
        review=review,
        stage=at,
        view=view,
        protocol=protocol,
        title=highlight(citation.title, terms),
        abstract=highlight(citation.abstract, terms),
        keywords=[highlight(keyword, terms) for keyword in citation.keywords],
        waiting=queue.waiting,
        stopping=queue.stopping,
        explored=queue.is_explored(view.record.id),
        order=queue.order,
        orders=list(Order),
        shortcuts=current_user().keyboard_shortcuts,
    )


@blueprint.route("/<stage>/records/<int:record_id>/vote", methods=["POST"])
@login_required
def vote(review_id: int, stage: str, record_id: int) -> Response:
    at = stage_or_404(stage)
    with transaction() as tx:
        try:
            decision = Decision(request.form.get("decision", ""))
        except ValueError:
            # Who may vote is asked before the form is judged (issue 5): an
            # outsider learns nothing of the form's rules.
            screening_service.check_may_vote(tx, review_id)
            abort(400)
        screening_service.cast_vote(
            tx,
            review_id,
            record_id,
            decision,
            stage=at,
            reason=request.form.get("reason", "") if decision is Decision.EXCLUDE else "",
            note=request.form.get("note", ""),
            tags=tuple(t.strip() for t in request.form.get("tags", "").split(",") if t.strip()),
        )
    # The full-text page posts here too, and its people go back to it (a path on
    # this site only: never a redirect elsewhere).
    back = request.form.get("next", "")
    if at is Stage.FULL_TEXT and back.startswith(f"/reviews/{review_id}/fulltext/"):
        return redirect(back, 303)
    return redirect(url_for("screening.next_record", review_id=review_id, stage=at.value), 303)
