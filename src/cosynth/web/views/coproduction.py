"""Co-production scoring: every study's levels and score, rating one study, consensus, scheme.

The scores page shows what `coproduction.study_scores` returns to the reader:
a reviewer who has not yet given every level on a study sees only their own
until they have (or a consensus is recorded). Rating a study is one form with
a radio group per scale of the scheme, each level with its definition. Where
raters differ, anyone who scores and is past blinding records the consensus
with how it was reached. The lead declares the scheme; once studies are
scored, a change needs its reason (an amendment), as the service asks.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from cosynth.domain.coproduction import Combination, Rating, Scale, ScoringScheme, StudyScore
from cosynth.domain.roles import Permission, may
from cosynth.errors import InputError
from cosynth.services import coproduction as coproduction_service
from cosynth.services import reviews as review_service
from cosynth.services import studies as study_service
from cosynth.web.access import permission_first
from cosynth.web.auth import login_required
from cosynth.web.context import current_user, transaction

blueprint = Blueprint("coproduction", __name__, url_prefix="/reviews/<int:review_id>/coproduction")


@blueprint.route("")
@login_required
def index(review_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        scheme = coproduction_service.scoring_scheme(tx, review_id)
        scales = coproduction_service.review_scales(tx, review_id)
        scores = coproduction_service.study_scores(tx, review_id)
    return render_template(
        "coproduction/index.html",
        review=review,
        scheme=scheme,
        scales=scales,
        scores=scores,
        describe=scheme.describe(scales),
        may_score=may(role, Permission.SCORE_COPRODUCTION),
        may_edit_scheme=may(role, Permission.EDIT_PROTOCOL),
        waiting=[score for score in scores if score.disagreements and not score.blinded],
    )


@blueprint.route("/studies/<int:record_id>")
@login_required
def study(review_id: int, record_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        found = study_service.get_study(tx, review_id, record_id)
        scheme = coproduction_service.scoring_scheme(tx, review_id)
        scales = coproduction_service.review_scales(tx, review_id)
        score = _score_of(coproduction_service.study_scores(tx, review_id), record_id)
        history = coproduction_service.rating_history(tx, review_id, record_id)
    me = current_user().username
    return render_template(
        "coproduction/study.html",
        review=review,
        study=found,
        scheme=scheme,
        scales=[scales[scale_id] for scale_id in scheme.scales],
        score=score,
        mine=score.by_rater.get(me, {}),
        switched_on=scheme.switched_on,
        history=history,
        may_score=may(role, Permission.SCORE_COPRODUCTION),
        may_agree=may(role, Permission.SCORE_COPRODUCTION) and not score.blinded,
    )


@blueprint.route("/studies/<int:record_id>", methods=["POST"])
@login_required
@permission_first(Permission.SCORE_COPRODUCTION)
def rate(review_id: int, record_id: int) -> Response:
    with transaction() as tx:
        scheme = coproduction_service.scoring_scheme(tx, review_id)
        given = _given(scheme)
        if not given:
            raise InputError(_("Choose a level on at least one scale, then save."))
        mine = _current_own(coproduction_service.rating_history(tx, review_id, record_id), tx.actor)
        changed = 0
        for scale_id, (level, rationale) in given.items():
            kept = mine.get(scale_id)
            if kept is not None and str(kept.rank) == level and kept.rationale == rationale:
                continue  # the same level again (a double click): nothing new to record
            coproduction_service.rate_study(
                tx, review_id, record_id, scale_id, level, rationale=rationale
            )
            changed += 1
    if changed:
        flash(_("Your levels for this study are saved."), "info")
    else:
        flash(_("Nothing changed: these are the levels you gave before."), "info")
    return redirect(url_for("coproduction.study", review_id=review_id, record_id=record_id), 303)


def _given(scheme: ScoringScheme) -> dict[str, tuple[str, str]]:
    """The level (its rank, as sent) and the reason given for each scale answered on the form."""
    return {
        scale_id: (
            request.form.get(f"level-{scale_id}", "").strip(),
            request.form.get(f"rationale-{scale_id}", "").strip(),
        )
        for scale_id in scheme.scales
        if request.form.get(f"level-{scale_id}", "").strip()
    }


def _current_own(history: list[Rating], rater: str) -> dict[str, Rating]:
    latest: dict[str, Rating] = {}
    for rating in history:
        if rating.rater == rater and not rating.consensus:
            latest[rating.scale] = rating
    return latest


@blueprint.route("/agree")
@login_required
def disagreements(review_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        scheme = coproduction_service.scoring_scheme(tx, review_id)
        scales = coproduction_service.review_scales(tx, review_id)
        scores = coproduction_service.study_scores(tx, review_id)
    return render_template(
        "coproduction/agree.html",
        review=review,
        scales=scales,
        switched_on=scheme.switched_on,
        waiting=[score for score in scores if score.disagreements and not score.blinded],
        may_agree=may(role, Permission.SCORE_COPRODUCTION),
    )


@blueprint.route("/studies/<int:record_id>/agree", methods=["POST"])
@login_required
@permission_first(Permission.SCORE_COPRODUCTION)
def agree(review_id: int, record_id: int) -> Response:
    scale_id = request.form.get("scale", "")
    with transaction() as tx:
        rating = coproduction_service.agree_level(
            tx,
            review_id,
            record_id,
            scale_id,
            request.form.get("level", "").strip(),
            rationale=request.form.get("rationale", ""),
        )
    flash(
        _("The consensus is recorded: %(level)s on %(scale)s.", level=rating.label, scale=scale_id),
        "info",
    )
    back = request.form.get("next", "")
    if back != url_for("coproduction.study", review_id=review_id, record_id=record_id):
        back = url_for("coproduction.disagreements", review_id=review_id)
    return redirect(back, 303)


@blueprint.route("/scheme")
@login_required
def scheme(review_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        current = coproduction_service.scoring_scheme(tx, review_id)
        scales = coproduction_service.review_scales(tx, review_id)
        scores = coproduction_service.study_scores(tx, review_id)
    return render_template(
        "coproduction/scheme.html",
        review=review,
        scheme=current,
        scales=[scales[s] for s in current.scales] + _others(scales, current.scales),
        optional=_optional_levels(scales),
        describe=current.describe(scales),
        combinations=list(Combination),
        scoring_began=any(score.by_rater or score.consensus for score in scores),
        may_edit=may(role, Permission.EDIT_PROTOCOL),
    )


def _others(scales: dict[str, Scale], chosen: tuple[str, ...]) -> list[Scale]:
    """The scales the scheme does not use, by name: offered below the ones it does."""
    rest = [scale for scale_id, scale in scales.items() if scale_id not in chosen]
    return sorted(rest, key=lambda scale: scale.name.casefold())


def _optional_levels(scales: dict[str, Scale]) -> list[tuple[Scale, str, str]]:
    """Each scale's optional levels (the paper's Co-delivery rung): scale, label, definition."""
    return [
        (scale, level.label, level.definition)
        for scale in sorted(scales.values(), key=lambda scale: scale.name.casefold())
        for level in scale.levels
        if level.optional
    ]


@blueprint.route("/scheme", methods=["POST"])
@login_required
@permission_first(Permission.EDIT_PROTOCOL)
def set_scheme(review_id: int) -> Response:
    chosen = tuple(request.form.getlist("scale"))
    try:
        combination = Combination(request.form.get("combination", Combination.SUM.value))
    except ValueError:
        raise InputError(
            _("Choose how the levels combine: %(ways)s.", ways=", ".join(Combination))
        ) from None
    weights: dict[str, int] = {}
    for scale_id in chosen:
        raw = request.form.get(f"weight-{scale_id}", "").strip() or "1"
        if not raw.isdigit():
            raise InputError(
                _("The weight of %(scale)s must be a whole number of 1 or more.", scale=scale_id)
            )
        weights[scale_id] = int(raw)
    with transaction() as tx:
        done = coproduction_service.set_scoring_scheme(
            tx,
            review_id,
            chosen,
            combination=combination,
            weights=weights,
            switched_on=tuple(request.form.getlist("optional")),
            amendment=request.form.get("amendment", ""),
        )
    flash(_("The scoring scheme is saved (version %(n)s).", n=done.version), "info")
    return redirect(url_for("coproduction.scheme", review_id=review_id), 303)


def _score_of(scores: list[StudyScore], record_id: int) -> StudyScore:
    return next(score for score in scores if score.record_id == record_id)
