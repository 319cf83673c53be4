"""Conflicts: every vote and the advisers' views side by side, and the lead's resolution."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from cosynth.domain.roles import Permission, may
from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision, ResolutionMethod
from cosynth.errors import InputError
from cosynth.services import reviews as review_service
from cosynth.services import screening as screening_service
from cosynth.services import screening_protocol as protocol_service
from cosynth.services.workspace import Tx
from cosynth.web.access import permission_first
from cosynth.web.auth import login_required
from cosynth.web.context import stage_or_404, transaction

blueprint = Blueprint("conflicts", __name__, url_prefix="/reviews/<int:review_id>/conflicts")


@blueprint.route("/<stage>")
@login_required
def index(review_id: int, stage: str) -> str:
    at = stage_or_404(stage)
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        conflicts = screening_service.list_conflicts(tx, review_id, stage=at)
        protocol = protocol_service.stage_protocol(tx, review_id, at)
    return render_template(
        "screening/conflicts.html",
        review=review,
        stage=at,
        conflicts=conflicts,
        protocol=protocol,
        may_resolve=may(role, Permission.RESOLVE_CONFLICTS),
        may_arbitrate=may(role, Permission.SCREEN),
    )


@blueprint.route("/<stage>/<int:record_id>/resolve", methods=["POST"])
@login_required
@permission_first(Permission.RESOLVE_CONFLICTS, Permission.SCREEN)
def resolve(review_id: int, stage: str, record_id: int) -> Response:
    at = stage_or_404(stage)
    try:
        decision = Decision(request.form.get("decision", ""))
        method = ResolutionMethod(request.form.get("method", ResolutionMethod.CONSENSUS.value))
    except ValueError:
        abort(400)
    with transaction() as tx:
        _refuse_if_resolved(tx, review_id, record_id, at)
        screening_service.resolve(
            tx,
            review_id,
            record_id,
            decision,
            stage=at,
            rationale=request.form.get("rationale", ""),
            reason=request.form.get("reason", "") if decision is Decision.EXCLUDE else "",
            method=method,
        )
    flash(_("Record %(id)s: %(decision)s.", id=record_id, decision=decision.value), "info")
    return redirect(url_for("conflicts.index", review_id=review_id, stage=at.value), 303)


def _refuse_if_resolved(tx: Tx, review_id: int, record_id: int, stage: Stage) -> None:
    """A page opened before someone else resolved the conflict says so, and changes nothing.

    This page lists only conflicts waiting for a decision, so a resolution
    posted from it for a record that has one already comes from a stale page
    (two people settling the same conflict), not from a change of mind.
    """
    outcome = screening_service.record_screening(tx, review_id, record_id, stage=stage).outcome
    done = outcome.resolution if outcome is not None else None
    if done is not None:
        raise InputError(
            _(
                "Record %(id)s was already resolved by %(who)s (%(decision)s) while this page "
                "was open; nothing was changed.",
                id=record_id,
                who=done.resolved_by,
                decision=done.decision.value,
            )
        )
