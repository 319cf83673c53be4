"""What we found: the synthesis's findings in plain English, and whether they match experience.

The paper took its emerging findings to the advisory group's roundtable,
where members said how the findings matched their own experience and
"translated" them in their own words (Findings, "Translation and
interpretation of themes"; GRIPP2, Staniszewska et al. 2017: report how the
public's input changed the work). Each finding is shown in plain words with a
few of its quotes and one question: "Does this match your experience?",
agree / partly / disagree, and "In your own words". An adviser answers for
themself; the lead may write down what a named member said, and sees every
answer beside its finding.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from cosynth.domain.roles import Permission, may
from cosynth.domain.synthesis import FindingKind, Resonance, ResonanceRecord
from cosynth.errors import InputError
from cosynth.services import resonance as resonance_service
from cosynth.services import reviews as review_service
from cosynth.web.access import permission_first
from cosynth.web.auth import login_required
from cosynth.web.context import transaction

blueprint = Blueprint("findings", __name__, url_prefix="/reviews/<int:review_id>/findings")


@blueprint.route("")
@login_required
def index(review_id: int) -> str:
    return _page(review_id, errors={}, typed={})


def _page(review_id: int, *, errors: dict[str, str], typed: dict[str, str]) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        found = resonance_service.plain_findings(tx, review_id)
        sees_all = may(role, Permission.MANAGE_ADVISORY_GROUP)
        heard = resonance_service.resonances(tx, review_id) if sees_all else []
    by_finding: dict[str, list[ResonanceRecord]] = {}
    for record in heard:
        by_finding.setdefault(f"{record.finding.value}-{record.finding_id}", []).append(record)
    return render_template(
        "findings/index.html",
        review=review,
        themes=[f for f in found if f.finding is FindingKind.THEME],
        theme_names={f.finding_id: f.name for f in found if f.finding is FindingKind.THEME},
        interpretations=[f for f in found if f.finding is FindingKind.INTERPRETATION],
        answers=list(Resonance),
        may_answer=may(role, Permission.RECORD_RESONANCE),
        may_answer_for_others=sees_all and may(role, Permission.RECORD_RESONANCE),
        heard=by_finding,
        errors=errors,
        typed=typed,
    )


@blueprint.route("/<kind>/<int:finding_id>", methods=["POST"])
@login_required
@permission_first(Permission.RECORD_RESONANCE)
def answer(review_id: int, kind: str, finding_id: int) -> tuple[str, int] | Response:
    try:
        finding = FindingKind(kind)
    except ValueError:
        abort(404)
    key = f"{finding.value}-{finding_id}"
    words = request.form.get("words", "")
    voice = request.form.get("voice", "").strip()
    try:
        try:
            resonance = Resonance(request.form.get("resonance", ""))
        except ValueError:
            raise InputError(
                _("Choose one answer: it matches, partly matches, or does not match.")
            ) from None
        with transaction() as tx:
            resonance_service.record_resonance(
                tx, review_id, finding, finding_id, resonance, words, voice=voice or None
            )
    except InputError as exc:
        typed = {f"{key}-words": words, f"{key}-voice": voice}
        typed[f"{key}-resonance"] = request.form.get("resonance", "")
        return _page(review_id, errors={key: str(exc)}, typed=typed), 422
    flash(_("Thank you. Your answer is saved."), "info")
    return redirect(url_for("findings.index", review_id=review_id) + f"#finding-{key}", 303)
