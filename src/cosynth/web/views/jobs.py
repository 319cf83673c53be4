"""Background jobs: start a de-duplication run or a ranking retrain, and watch any job's progress.

A job's page works without JavaScript (a "refresh" link); with htmx its
progress part reloads itself every second until the job has ended.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response

from cosynth.domain.jobs import Job, JobKind
from cosynth.domain.roles import Permission, may
from cosynth.domain.screening.stages import Stage
from cosynth.services import jobs as job_service
from cosynth.services import reviews as review_service
from cosynth.web.access import permission_first
from cosynth.web.auth import login_required
from cosynth.web.context import transaction
from cosynth.web.jobs import job_queue

blueprint = Blueprint("jobs", __name__, url_prefix="/reviews/<int:review_id>/jobs")


@blueprint.route("")
@login_required
def index(review_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        jobs = job_service.recent_jobs(tx, review_id)
    return render_template(
        "jobs/index.html",
        review=review,
        jobs=jobs,
        stages=list(Stage),
        may_dedup=may(role, Permission.DEDUPLICATE),
        may_rank=may(role, Permission.SCREEN),
    )


@blueprint.route("/<int:job_id>")
@login_required
def job(review_id: int, job_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        found = job_service.job_status(tx, job_id, review_id=review_id, board=job_queue().board)
    # htmx asks for the progress part alone (progressive enhancement).
    template = "jobs/_progress.html" if request.headers.get("HX-Request") else "jobs/job.html"
    return render_template(template, review=review, job=found, onwards=_onwards(found))


@blueprint.route("/dedup", methods=["POST"])
@login_required
@permission_first(Permission.DEDUPLICATE)
def dedup(review_id: int) -> Response:
    with transaction() as tx:
        queued = job_service.queue_dedup(tx, review_id)
    return _started(queued)


@blueprint.route("/ranking", methods=["POST"])
@login_required
@permission_first(Permission.SCREEN)
def ranking(review_id: int) -> Response:
    try:
        stage = Stage(request.form.get("stage", Stage.TITLE_ABSTRACT.value))
    except ValueError:
        abort(400)
    with transaction() as tx:
        queued = job_service.queue_ranking(tx, review_id, stage=stage)
    return _started(queued)


def _started(queued: Job) -> Response:
    # Only after the commit: the worker must find the job when it wakes.
    job_queue().enqueue(queued.id)
    return redirect(url_for("jobs.job", review_id=queued.review_id, job_id=queued.id), 303)


def _onwards(found: Job) -> str:
    """Where a person goes once the job is done: the import's report, the duplicates, screening."""
    review_id = found.review_id
    result = found.result or {}
    if found.kind is JobKind.RANKING:
        return url_for("screening.next_record", review_id=review_id, stage=found.params["stage"])
    if found.kind is JobKind.IMPORT:
        # Done: the file's import report; failed: the import page, to try again.
        pages: list[tuple[str, dict[str, Any]]] = [("imports.index", {})]
        if "source_id" in result:
            pages.insert(0, ("imports.source", {"source_id": result["source_id"]}))
        return _first_url(review_id, *pages)
    if found.kind is JobKind.DEDUP:
        return _first_url(review_id, ("dedup.index", {}))
    return url_for("reviews.dashboard", review_id=review_id)


def _first_url(review_id: int | None, *choices: tuple[str, dict[str, Any]]) -> str:
    """The first of these pages the app has (each comes with its own blueprint), else the review."""
    for endpoint, values in choices:
        if endpoint in current_app.view_functions:
            try:
                return url_for(endpoint, review_id=review_id, **values)
            except BuildError:
                continue
    return url_for("reviews.dashboard", review_id=review_id)
