"""De-duplication: run it, decide the uncertain pairs one at a time, and undo a group.

The queue needs no state of its own: a decided pair leaves the list, so the
next pair moves into its place, and "skip" only moves the place along (a
plain link, since it changes nothing).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from cosynth.domain.roles import Permission, may
from cosynth.services import dedup as dedup_service
from cosynth.services import reviews as review_service
from cosynth.web.access import permission_first
from cosynth.web.auth import login_required
from cosynth.web.compare import compare_citations
from cosynth.web.context import transaction

blueprint = Blueprint("dedup", __name__, url_prefix="/reviews/<int:review_id>/duplicates")

GROUPS_PER_PAGE = 25
_DECISIONS = {"merge": True, "distinct": False}


@blueprint.route("")
@login_required
def index(review_id: int) -> str:
    at = request.args.get("at", 0, type=int)
    page = max(request.args.get("page", 1, type=int), 1)
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        pairs = dedup_service.pairs_to_review(tx, review_id)
        groups = dedup_service.list_groups(
            tx, review_id, limit=GROUPS_PER_PAGE + 1, offset=(page - 1) * GROUPS_PER_PAGE
        )
    # Past the end (the last pairs skipped), the queue starts again from the first.
    at = at if 0 <= at < len(pairs) else 0
    pair = pairs[at] if pairs else None
    return render_template(
        "dedup/index.html",
        review=review,
        pair=pair,
        at=at,
        waiting=len(pairs),
        rows=compare_citations(pair.a.citation, pair.b.citation) if pair else [],
        groups=groups[:GROUPS_PER_PAGE],
        page=page,
        more_groups=len(groups) > GROUPS_PER_PAGE,
        may_deduplicate=may(role, Permission.DEDUPLICATE),
    )


@blueprint.route("/run", methods=["POST"])
@login_required
@permission_first(Permission.DEDUPLICATE)
def run(review_id: int) -> Response:
    with transaction() as tx:
        summary = dedup_service.run_dedup(tx, review_id)
    flash(
        _(
            "%(records)s records compared: %(groups)s duplicate groups (%(merged)s copies set "
            "aside), %(pairs)s pairs for a person to decide, %(kept)s decisions by people kept.",
            records=summary.records,
            groups=summary.groups,
            merged=summary.records_merged,
            pairs=summary.pairs_for_review,
            kept=summary.decisions_kept,
        ),
        "info",
    )
    for conflict in summary.conflicts:
        flash(_("A decision could not be followed: %(why)s", why=conflict), "error")
    return redirect(url_for("dedup.index", review_id=review_id), 303)


@blueprint.route("/decide", methods=["POST"])
@login_required
@permission_first(Permission.DEDUPLICATE)
def decide(review_id: int) -> Response:
    decision = request.form.get("decision", "")
    a = request.form.get("a", type=int)
    b = request.form.get("b", type=int)
    if decision not in _DECISIONS or a is None or b is None:
        abort(400)
    with transaction() as tx:
        dedup_service.decide_pair(
            tx,
            review_id,
            a,
            b,
            duplicate=_DECISIONS[decision],
            note=request.form.get("note", ""),
            waiting=True,  # the queue showed the pair as waiting: a stale page is refused
        )
    if _DECISIONS[decision]:
        flash(_("Records %(a)s and %(b)s are merged as one work.", a=a, b=b), "info")
    else:
        flash(_("Records %(a)s and %(b)s are kept apart as different works.", a=a, b=b), "info")
    # The decided pair leaves the queue: the same place now holds the next one.
    at = request.form.get("at", 0, type=int)
    return redirect(url_for("dedup.index", review_id=review_id, at=at), 303)


@blueprint.route("/groups/<int:record_id>/undo", methods=["POST"])
@login_required
@permission_first(Permission.DEDUPLICATE)
def undo(review_id: int, record_id: int) -> Response:
    with transaction() as tx:
        group = dedup_service.undo_group(tx, review_id, record_id)
    flash(
        _(
            "Undone: records %(ids)s are separate again, and later runs keep them apart.",
            ids=", ".join(str(record.id) for record in group.records),
        ),
        "info",
    )
    return redirect(url_for("dedup.index", review_id=review_id), 303)
