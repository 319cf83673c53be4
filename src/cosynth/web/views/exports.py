"""Downloads of the review's records, set by set, and of the whole review as an archive.

Each set is the records behind one box of the PRISMA flow (`services.exports`),
as RIS, BibTeX or CSV: plain links. The lead also downloads the whole review
as one `.cosynth` file; that writes a line in the audit log, so it is a form
that posts (a GET only reads: issue 5), with no JavaScript needed.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from werkzeug.wrappers import Response

from cosynth.domain.roles import Permission, may
from cosynth.services import archive as archive_service
from cosynth.services import exports as export_service
from cosynth.services import reviews as review_service
from cosynth.web.access import permission_first
from cosynth.web.auth import login_required
from cosynth.web.context import transaction

blueprint = Blueprint("exports", __name__, url_prefix="/reviews/<int:review_id>/exports")

# File extension -> (writer, label).
FORMATS = {"ris": ("ris", "RIS"), "bib": ("bibtex", "BibTeX"), "csv": ("csv", "CSV")}


@blueprint.route("")
@login_required
def index(review_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
    return render_template(
        "exports/index.html",
        review=review,
        sets=list(export_service.EXPORT_SETS.values()),
        formats={extension: label for extension, (_name, label) in FORMATS.items()},
        may_archive=may(role, Permission.ARCHIVE_REVIEW),
    )


@blueprint.route("/<set_name>.<extension>")
@login_required
def records(review_id: int, set_name: str, extension: str) -> Response:
    if extension not in FORMATS or set_name not in export_service.EXPORT_SETS:
        abort(404)
    format_name = FORMATS[extension][0]
    with transaction() as tx:
        exported = export_service.export_set_file(tx, review_id, set_name, format_name)
    return _attachment(exported.data, exported.filename, exported.media_type)


@blueprint.route("/archive", methods=["POST"])
@login_required
@permission_first(Permission.ARCHIVE_REVIEW)
def archive(review_id: int) -> Response:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        data = archive_service.export_review(tx, review_id)
    return _attachment(data, archive_service.archive_filename(review), archive_service.MEDIA_TYPE)


def _attachment(data: bytes, filename: str, media_type: str) -> Response:
    return Response(
        data,
        mimetype=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
