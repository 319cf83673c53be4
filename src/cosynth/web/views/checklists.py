"""Reporting checklists as web pages: each filled from the review, with links to its evidence.

The index lists eMERGe (the reporting guidance the paper followed, France et
al. 2019), ENTREQ, PRISMA 2020 and GRIPP2-SF with how many items are still
flagged. A checklist's page sets each item beside where in the review its
evidence lies (a link to that page), flags what is missing with what to add,
and lets the lead note where the manuscript reports each item. The same table
downloads as Markdown, CSV and Word (DOCX).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response

from cosynth.domain.checklists import EvidenceKind
from cosynth.domain.roles import Permission, may
from cosynth.formats.checklists import FORMATS, write_checklist
from cosynth.services import checklists as checklist_service
from cosynth.services import reviews as review_service
from cosynth.web.access import permission_first
from cosynth.web.auth import login_required
from cosynth.web.context import transaction

blueprint = Blueprint("checklists", __name__, url_prefix="/reviews/<int:review_id>/checklists")

MIMETYPES = {
    "md": "text/markdown",
    "csv": "text/csv",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

# The page where each kind of evidence is kept, first that this app has; no page, no link.
PAGES: dict[EvidenceKind, tuple[str, ...]] = {
    EvidenceKind.QUESTION: ("reviews.dashboard",),
    EvidenceKind.SOURCES: ("imports.index",),
    EvidenceKind.CRITERIA: ("reviews.dashboard",),
    EvidenceKind.SCREENING_PROTOCOL: ("reviews.dashboard",),
    EvidenceKind.FLOW: ("prisma.index", "reviews.dashboard"),
    EvidenceKind.FULL_TEXT_EXCLUSIONS: ("prisma.index", "fulltext.index"),
    EvidenceKind.EXTRACTION_FORM: ("extraction.form",),
    EvidenceKind.EXTRACTION: ("extraction.index",),
    EvidenceKind.QUOTES: ("quotes.index",),
    EvidenceKind.CHARACTERISTICS: ("tables.index",),
    EvidenceKind.APPRAISAL_PROTOCOL: ("appraisal.protocol",),
    EvidenceKind.APPRAISAL_RESULTS: ("appraisal.index",),
    EvidenceKind.PHASES: ("synthesis.phases",),
    EvidenceKind.RELATING: ("synthesis.grid",),
    EvidenceKind.CONCEPT_GRID: ("synthesis.grid",),
    EvidenceKind.TRANSLATION_ORDER: ("synthesis.grid",),
    EvidenceKind.TRANSLATIONS: ("themes.board",),
    EvidenceKind.THEMES: ("themes.tree",),
    EvidenceKind.INTERPRETATIONS: ("themes.tree",),
    EvidenceKind.SOFTWARE: (),
    EvidenceKind.INVOLVEMENT_AIM: ("advisory.gripp2",),
    EvidenceKind.INVOLVEMENT_METHODS: ("advisory.gripp2",),
    EvidenceKind.INVOLVEMENT_RESULTS: ("advisory.gripp2",),
    EvidenceKind.INVOLVEMENT_DISCUSSION: ("advisory.gripp2",),
    EvidenceKind.INVOLVEMENT_REFLECTIONS: ("advisory.gripp2",),
}


def evidence_links(review_id: int) -> dict[EvidenceKind, str]:
    """Each kind of evidence's page in this review, where the app has one."""
    links: dict[EvidenceKind, str] = {}
    for kind, endpoints in PAGES.items():
        for endpoint in endpoints:
            if endpoint not in current_app.view_functions:
                continue
            try:
                links[kind] = url_for(endpoint, review_id=review_id)
            except BuildError:  # the page needs more than the review (a stage, a study)
                continue
            break
    return links


@blueprint.route("")
@login_required
def index(review_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        filled = [
            checklist_service.fill_checklist(tx, review_id, checklist.id)
            for checklist in checklist_service.checklists(tx)
        ]
    return render_template("checklists/index.html", review=review, filled=filled)


@blueprint.route("/<checklist_id>")
@login_required
def checklist(review_id: int, checklist_id: str) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        filled = checklist_service.fill_checklist(tx, review_id, checklist_id)
    return render_template(
        "checklists/checklist.html",
        review=review,
        filled=filled,
        links=evidence_links(review_id),
        may_note=may(role, Permission.EDIT_PROTOCOL),
    )


@blueprint.route("/<checklist_id>/items/<item>", methods=["POST"])
@login_required
@permission_first(Permission.EDIT_PROTOCOL)
def note(review_id: int, checklist_id: str, item: str) -> Response:
    with transaction() as tx:
        noted = checklist_service.record_reported(
            tx, review_id, checklist_id, item, request.form.get("where", "")
        )
    if noted.where:
        flash(
            _("Item %(item)s: reported at %(where)s.", item=noted.item, where=noted.where), "info"
        )
    else:
        flash(_("Item %(item)s: the note is cleared.", item=noted.item), "info")
    target = url_for("checklists.checklist", review_id=review_id, checklist_id=noted.checklist_id)
    return redirect(f"{target}#item-{noted.item}", 303)


@blueprint.route("/<checklist_id>.<fmt>")
@login_required
def download(review_id: int, checklist_id: str, fmt: str) -> Response:
    if fmt not in FORMATS:
        abort(404)
    with transaction() as tx:
        filled = checklist_service.fill_checklist(tx, review_id, checklist_id)
    filename = f"{filled.checklist.id}-checklist.{fmt}"
    return Response(
        write_checklist(filled, fmt),
        mimetype=MIMETYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
