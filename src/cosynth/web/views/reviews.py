"""My reviews, and each review's dashboard: progress, conflicts, agreement and a PRISMA preview."""

from __future__ import annotations

from flask import Blueprint, render_template

from cosynth.domain.roles import Permission, may
from cosynth.domain.screening.stages import Stage
from cosynth.services import agreement as agreement_service
from cosynth.services import appraisal as appraisal_service
from cosynth.services import fulltext as fulltext_service
from cosynth.services import reviews as review_service
from cosynth.services import screening as screening_service
from cosynth.web.auth import login_required
from cosynth.web.context import transaction

blueprint = Blueprint("reviews", __name__)


@blueprint.route("/")
@login_required
def index() -> str:
    with transaction() as tx:
        reviews = review_service.my_reviews(tx)
    return render_template("reviews/index.html", reviews=reviews)


@blueprint.route("/reviews/<int:review_id>")
@login_required
def dashboard(review_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        status = review_service.review_status(tx, review_id)
        stages = [screening_service.stage_progress(tx, review_id, stage=s) for s in Stage]
        agreement = [agreement_service.screening_agreement(tx, review_id, stage=s) for s in Stage]
        retrieval = fulltext_service.retrieval_summary(tx, review_id)
        # Studies below the appraisal threshold leave the review after full
        # text; PRISMA 2020 lists them among the reports excluded, with why.
        appraisal_excluded = appraisal_service.appraisal_exclusions(tx, review_id)
    return render_template(
        "reviews/dashboard.html",
        review=review,
        role=role,
        may_resolve=may(role, Permission.RESOLVE_CONFLICTS),
        status=status,
        stages=stages,
        agreement=agreement,
        retrieval=retrieval,
        appraisal_excluded=appraisal_excluded,
    )
