"""The review's full report on the web: read in the browser, or downloaded.

The page is the report itself (`services.report`, the same HTML as `cosynth
report build` writes): a standalone document with its figures inside it, so
it is served as it is, under a policy that lets it style itself and show its
own images and nothing else (no script, nothing fetched). The Word document
and a ZIP of everything (Markdown, every figure as SVG and PNG, the PRISMA
flow) are downloads.
"""

from __future__ import annotations

from flask import Blueprint, abort, url_for
from flask_babel import gettext as _
from markupsafe import escape
from werkzeug.wrappers import Response

from cosynth.services import report as report_service
from cosynth.web.auth import login_required
from cosynth.web.context import transaction

blueprint = Blueprint("report", __name__, url_prefix="/reviews/<int:review_id>/report")

DOWNLOADS = {
    "report.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "report.zip": "application/zip",
}
# The report page styles itself and shows its figures as data: images; it runs nothing.
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@blueprint.route("")
@login_required
def index(review_id: int) -> Response:
    with transaction() as tx:
        page = report_service.report_document(tx, review_id, "html")
    answer = Response(_with_way_back(page, review_id), mimetype="text/html")
    answer.headers["Content-Security-Policy"] = POLICY
    answer.headers["X-Content-Type-Options"] = "nosniff"
    return answer


@blueprint.route("/<filename>")
@login_required
def download(review_id: int, filename: str) -> Response:
    """report.docx (the Word document) or report.zip (everything `cosynth report build`
    writes), named for the review when saved."""
    if filename not in DOWNLOADS:
        abort(404)
    with transaction() as tx:
        if filename == "report.zip":
            data = report_service.report_zip(tx, review_id)
        else:
            data = report_service.report_document(tx, review_id, "docx")
    return _attachment(data, f"review-{review_id}-{filename}", DOWNLOADS[filename])


def _with_way_back(page: bytes, review_id: int) -> bytes:
    """The report as `report build` writes it, with one link back to the review at its top:
    in the browser it is a page of the app, and a page with no way back strands its reader."""
    href = escape(url_for("reviews.dashboard", review_id=review_id))
    back = f'<p class="way-back"><a href="{href}">{escape(_("Back to the review"))}</a></p>'

    return page.replace(b"<body>", b"<body>\n" + back.encode("utf-8"), 1)


def _attachment(data: bytes, filename: str, media_type: str) -> Response:
    return Response(
        data,
        mimetype=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
