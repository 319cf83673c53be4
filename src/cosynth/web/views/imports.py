"""Importing database exports: the upload form, what each file gave, and every file's report.

Each file is imported in a transaction of its own, so one file that cannot be
read leaves the others imported (DESIGN.md rule 4: a file lands whole or not
at all). The reports of the files just imported are shown after the redirect,
found again by their source ids kept in the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from cosynth.domain.prisma import IdentificationMethod
from cosynth.domain.roles import Permission, may
from cosynth.errors import InputError
from cosynth.services import imports as import_service
from cosynth.services import jobs as job_service
from cosynth.services import records as record_service
from cosynth.services import reviews as review_service
from cosynth.web.access import permission_first
from cosynth.web.auth import login_required
from cosynth.web.context import transaction
from cosynth.web.jobs import queue_import
from cosynth.web.uploads import Upload, read_uploads

blueprint = Blueprint("imports", __name__, url_prefix="/reviews/<int:review_id>")

_JUST_IMPORTED = "imported"
# Skipped records listed on the import page; the rest are on each file's own report page.
SHOW_SKIPPED = 20


@dataclass(frozen=True, slots=True)
class SearchDetails:
    """What the person said about the search behind the files (PRISMA-S items 1 and 3)."""

    database: str
    platform: str
    searched_on: date | None
    # How the records were found: the column of the PRISMA 2020 flow.
    method: IdentificationMethod = IdentificationMethod.DATABASE

    def as_options(self) -> dict[str, Any]:
        return {
            "database": self.database,
            "platform": self.platform,
            "searched_on": self.searched_on,
            "method": self.method,
        }


@blueprint.route("/import")
@login_required
def index(review_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        sources = record_service.list_sources(tx, review_id)
        reports = [
            record_service.source_report(tx, review_id, source_id)
            for source_id in _just_imported(review_id)
        ]
    return render_template(
        "imports/index.html",
        review=review,
        sources=sources,
        reports=reports,
        show_skipped=SHOW_SKIPPED,
        may_import=may(role, Permission.IMPORT),
        max_upload_mb=(current_app.config["MAX_CONTENT_LENGTH"] or 0) // 1024**2,
    )


@blueprint.route("/import", methods=["POST"])
@login_required
@permission_first(Permission.IMPORT)
def upload(review_id: int) -> Response:
    details = _search_details()
    uploads = read_uploads(request.files.getlist("files"))
    if not uploads:
        raise InputError(_("Choose one or more export files to import."))
    imported: list[int] = []
    queued: list[tuple[str, int]] = []
    again = "again" in request.form
    for file in uploads:
        try:
            if job_service.runs_as_job(len(file.data)):
                # A large file is imported by a background job; its page shows the progress.
                job = queue_import(
                    review_id, file.display_name, file.data, again=again, **details.as_options()
                )
                queued.append((file.display_name, job.id))
            else:
                imported.append(_import_one(review_id, file, details, again=again))
        except InputError as exc:
            # The file's own problem, in the import service's words; the other files go on.
            flash(_("Not imported: %(problem)s", problem=str(exc)), "error")
    session[_JUST_IMPORTED] = {"review": review_id, "sources": imported}
    if queued and not imported:
        if len(queued) == 1:
            return redirect(url_for("jobs.job", review_id=review_id, job_id=queued[0][1]), 303)
        return redirect(url_for("jobs.index", review_id=review_id), 303)
    for name, _job_id in queued:
        flash(_("%(file)s is large: it is being imported in the background.", file=name), "status")
    return redirect(url_for("imports.index", review_id=review_id), 303)


def _import_one(review_id: int, file: Upload, details: SearchDetails, *, again: bool) -> int:
    """Import one file in a transaction of its own; the id of its source."""
    with transaction() as tx:
        report = import_service.import_file(
            tx, review_id, file.display_name, file.data, again=again, **details.as_options()
        )
    return report.source.id


@blueprint.route("/sources/<int:source_id>")
@login_required
def source(review_id: int, source_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        report = record_service.source_report(tx, review_id, source_id)
    return render_template("imports/source.html", review=review, report=report)


def _search_details() -> SearchDetails:
    searched = request.form.get("searched_on", "").strip()
    try:
        searched_on = date.fromisoformat(searched) if searched else None
    except ValueError:
        raise InputError(
            _("“%(value)s” is not a date like 2022-03-31; nothing was imported.", value=searched)
        ) from None
    chosen = request.form.get("method", IdentificationMethod.DATABASE.value)
    if chosen not in {method.value for method in IdentificationMethod}:
        raise InputError(_("Choose how the records were found; nothing was imported."))
    return SearchDetails(
        database=request.form.get("database", "").strip(),
        platform=request.form.get("platform", "").strip(),
        searched_on=searched_on,
        method=IdentificationMethod(chosen),
    )


def _just_imported(review_id: int) -> list[int]:
    """The sources the person's last upload to this review made (once: then forgotten)."""
    kept = session.pop(_JUST_IMPORTED, None)
    if not isinstance(kept, dict) or kept.get("review") != review_id:
        return []
    return [int(source_id) for source_id in kept.get("sources", [])]
