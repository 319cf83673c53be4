"""Full texts: the records at the full-text stage, each with its PDFs, retrieval and vote form.

The PDF is served from the store with headers that keep a hostile file from
acting as a web page (see `_pdf_headers`); its text is also shown page by
page, with the page numbers as printed, for people who cannot use the PDF.
"""

from __future__ import annotations

import unicodedata

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from cosynth.domain.roles import Permission, may
from cosynth.domain.screening.reports import Report
from cosynth.domain.screening.stages import Stage
from cosynth.services import fulltext as fulltext_service
from cosynth.services import reviews as review_service
from cosynth.services import screening as screening_service
from cosynth.services import screening_protocol as protocol_service
from cosynth.web.access import permission_first
from cosynth.web.auth import login_required
from cosynth.web.context import transaction
from cosynth.web.uploads import display_name

blueprint = Blueprint("fulltext", __name__, url_prefix="/reviews/<int:review_id>")

FT = Stage.FULL_TEXT


@blueprint.route("/fulltext")
@login_required
def index(review_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        entries = fulltext_service.full_text_records(tx, review_id)
        summary = fulltext_service.retrieval_summary(tx, review_id)
    return render_template("fulltext/index.html", review=review, entries=entries, summary=summary)


@blueprint.route("/fulltext/<int:record_id>")
@login_required
def record(review_id: int, record_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        entry = fulltext_service.full_text_record(tx, review_id, record_id)
        view = screening_service.record_screening(tx, review_id, record_id, stage=FT)
        protocol = protocol_service.stage_protocol(tx, review_id, FT)
    return render_template(
        "fulltext/record.html",
        review=review,
        entry=entry,
        view=view,
        protocol=protocol,
        may_attach=may(role, Permission.ATTACH_FULL_TEXT),
        may_vote=entry.asked_of_me,
        advising=not may(role, Permission.SCREEN),
        max_upload_mb=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024),
    )


@blueprint.route("/fulltext/<int:record_id>/reports", methods=["POST"])
@login_required
@permission_first(Permission.ATTACH_FULL_TEXT)
def attach(review_id: int, record_id: int) -> Response:
    back = url_for("fulltext.record", review_id=review_id, record_id=record_id)
    upload = request.files.get("pdf")
    if upload is None or not upload.filename:
        flash(_("Choose a PDF file to attach."), "error")
        return redirect(back, 303)
    with transaction() as tx:
        report = fulltext_service.attach_report(
            tx, review_id, record_id, display_name(upload.filename), upload.read()
        )
    flash(
        _("%(name)s is attached: %(n)s pages.", name=report.filename, n=report.page_count), "info"
    )
    return redirect(back, 303)


@blueprint.route("/fulltext/<int:record_id>/not-retrieved", methods=["POST"])
@login_required
@permission_first(Permission.ATTACH_FULL_TEXT)
def not_retrieved(review_id: int, record_id: int) -> Response:
    with transaction() as tx:
        fulltext_service.mark_not_retrieved(
            tx, review_id, record_id, note=request.form.get("note", "")
        )
    flash(_("Record %(id)s is marked not retrieved.", id=record_id), "info")
    return redirect(url_for("fulltext.record", review_id=review_id, record_id=record_id), 303)


@blueprint.route("/fulltext/<int:record_id>/seek-again", methods=["POST"])
@login_required
@permission_first(Permission.ATTACH_FULL_TEXT)
def seek_again(review_id: int, record_id: int) -> Response:
    with transaction() as tx:
        fulltext_service.seek_again(tx, review_id, record_id, note=request.form.get("note", ""))
    flash(_("Record %(id)s's full text is being sought again.", id=record_id), "info")
    return redirect(url_for("fulltext.record", review_id=review_id, record_id=record_id), 303)


@blueprint.route("/reports/<int:report_id>.pdf")
@login_required
def pdf(review_id: int, report_id: int) -> Response:
    with transaction() as tx:
        report, content = fulltext_service.report_pdf(tx, review_id, report_id)
    return Response(content, mimetype="application/pdf", headers=_pdf_headers(report))


@blueprint.route("/reports/<int:report_id>/pages")
@login_required
def pages(review_id: int, report_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        report = fulltext_service.get_report(tx, review_id, report_id)
        text = fulltext_service.report_pages(tx, review_id, report_id)
    return render_template("fulltext/pages.html", review=review, report=report, pages=text)


def _pdf_headers(report: Report) -> dict[str, str]:
    return {
        # Shown in the page, under a name that cannot break the header (RFC 6266).
        "Content-Disposition": f'inline; filename="{_ascii_name(report)}"',
        # The browser must not guess another type: an HTML file disguised as a
        # PDF would otherwise run as a page on this site.
        "X-Content-Type-Options": "nosniff",
        # Nothing on this response may run or load: no scripts, no forms, no
        # plugins of its own, and only this site may frame it. Chromium's and
        # Firefox's PDF viewers still render the file.
        "Content-Security-Policy": (
            "default-src 'none'; script-src 'none'; object-src 'none'; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
        ),
        "X-Frame-Options": "SAMEORIGIN",
        "Cache-Control": "private, no-store",
        "Referrer-Policy": "no-referrer",
    }


def _ascii_name(report: Report) -> str:
    """The file's name in ASCII letters, digits, dots, dashes and underscores, ending .pdf."""
    folded = unicodedata.normalize("NFKD", report.filename).encode("ascii", "ignore").decode()
    stem = secure_filename(folded)
    if stem.lower().endswith(".pdf"):
        stem = stem[: -len(".pdf")]
    return f"{stem or f'full-text-{report.id}'}.pdf"
