"""The review's PRISMA 2020 flow as a page: the diagram, each box opening the records behind it.

Every number is counted from the data (services.prisma); the diagram is the
same SVG the report prints, its boxes linked to a page per box listing its
records (with the reason, for the excluded boxes). A table gives the same
numbers as links, the way in for keyboards and screen readers. The SVG,
PNG, interactive HTML and the PRISMA2020 template CSV download from here.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from cosynth.domain.prisma import BOX_NAMES, LISTS, Flow, check_flow
from cosynth.render.prisma import describe_flow, flow_svg
from cosynth.services import prisma as prisma_service
from cosynth.services import reviews as review_service
from cosynth.web.auth import login_required
from cosynth.web.context import transaction

blueprint = Blueprint("prisma", __name__, url_prefix="/reviews/<int:review_id>/prisma")

DOWNLOADS = {
    "prisma-flow.svg": ("svg", "image/svg+xml"),
    "prisma-flow.png": ("png", "image/png"),
    "prisma-flow.html": ("html", "text/html"),
    "prisma-flow.csv": ("csv", "text/csv"),
}


@blueprint.route("")
@login_required
def index(review_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        flow = prisma_service.prisma_flow(tx, review_id)
    # A box links to its records when it counts any (the records are listed on its own page).
    linked = {key: _count(flow, key) > 0 for key in BOX_NAMES if key != "records_imported"}
    drawn = flow_svg(
        flow,
        title=f"PRISMA 2020 flow diagram: {review.title}",
        link=lambda key: url_for("prisma.box", review_id=review_id, key=key),
        linked=linked,
    )
    numbers = [
        (key, name, getattr(flow, key))
        for key, name in BOX_NAMES.items()
        if key not in LISTS and getattr(flow, key) is not None
        and (flow.updated or not key.startswith(("previous", "total")))
    ]  # fmt: skip
    return render_template(
        "prisma/index.html",
        review=review,
        flow=flow,
        # cosynth's own SVG: render/prisma.py escapes every word it writes into it.
        diagram=Markup(drawn.decode("utf-8")),  # noqa: S704
        described=describe_flow(flow),
        numbers=numbers,
        linked=linked,
        problems=check_flow(flow),
        downloads=DOWNLOADS,
    )


@blueprint.route("/boxes/<key>")
@login_required
def box(review_id: int, key: str) -> str:
    if key not in BOX_NAMES:
        abort(404)
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        records = prisma_service.listed_in_box(tx, review_id, key)
    return render_template(
        "prisma/box.html", review=review, key=key, name=BOX_NAMES[key], records=records
    )


def _count(flow: Flow, key: str) -> int:
    value = getattr(flow, key)
    return sum(count.n for count in value) if key in LISTS else int(value or 0)


@blueprint.route("/<filename>")
@login_required
def download(review_id: int, filename: str) -> Response:
    if filename not in DOWNLOADS:
        abort(404)
    kind, mimetype = DOWNLOADS[filename]
    with transaction() as tx:
        made = prisma_service.prisma_files(tx, review_id, (kind,))
    return Response(
        made[kind],
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
