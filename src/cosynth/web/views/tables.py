"""The review's tables (the paper's Tables 2-5 and the link analysis) as web pages and files.

The page shows every table as an HTML table, computed from the data by
`report_tables.review_tables`, and the link-analysis dot plots inline as SVG
(each with a title and a description, beside the table that says the same
in numbers). The same tables download as CSV, Markdown and Word (DOCX).
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from markupsafe import Markup
from werkzeug.wrappers import Response

from cosynth.render.tables import FORMATS
from cosynth.services import report_tables
from cosynth.services import reviews as review_service
from cosynth.web.auth import login_required
from cosynth.web.context import transaction

blueprint = Blueprint("tables", __name__, url_prefix="/reviews/<int:review_id>/tables")

MIMETYPES = {
    "csv": "text/csv",  # werkzeug adds "; charset=utf-8" to text types
    "md": "text/markdown",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "svg": "image/svg+xml",
}


@blueprint.route("")
@login_required
def index(review_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        tables = report_tables.review_tables(tx, review_id)
        plots = report_tables.link_plots(tx, review_id, id_prefix="plot-")
    return render_template(
        "tables/index.html",
        review=review,
        tables=tables,
        # cosynth's own SVG: render/link_plot.py escapes every word it writes into it.
        plots={name: Markup(svg.decode("utf-8")) for name, svg in plots.items()},  # noqa: S704
    )


@blueprint.route("/<filename>")
@login_required
def download(review_id: int, filename: str) -> Response:
    suffix = filename.rsplit(".", maxsplit=1)[-1]
    with transaction() as tx:
        files = report_tables.report_files(tx, review_id, (suffix,) if suffix in FORMATS else ())
    if filename not in files or suffix not in MIMETYPES:
        abort(404)
    return Response(
        files[filename],
        mimetype=MIMETYPES[suffix],
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
