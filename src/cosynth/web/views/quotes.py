"""Quotes: direct quotations from the included studies, cited "[study: page]".

The paper keeps "direct citations" from each study with their page, typed as
participants' words (first-order constructs) or the authors' interpretation
(second-order). A quote from an attached full text is checked against it and
its place kept; one typed from paper is kept as unverified (`services.quotes`).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from cosynth.domain.quotes import Quote, QuoteKind
from cosynth.domain.roles import Permission, may
from cosynth.errors import InputError
from cosynth.services import fulltext as fulltext_service
from cosynth.services import quotes as quote_service
from cosynth.services import reviews as review_service
from cosynth.services import studies as study_service
from cosynth.web.access import permission_first
from cosynth.web.auth import login_required
from cosynth.web.context import transaction

blueprint = Blueprint("quotes", __name__, url_prefix="/reviews/<int:review_id>")


@blueprint.route("/quotes")
@login_required
def index(review_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        studies = study_service.included_studies(tx, review_id)
        kept = quote_service.quotes(tx, review_id)
    counts = {study.record_id: 0 for study in studies}
    for quote in kept:
        counts[quote.record_id] = counts.get(quote.record_id, 0) + 1
    return render_template(
        "extraction/quotes_index.html", review=review, studies=studies, quotes=kept, counts=counts
    )


@blueprint.route("/quotes/<int:record_id>")
@login_required
def study(review_id: int, record_id: int) -> str:
    return _study_page(review_id, record_id, typed={}, error="")


def _study_page(review_id: int, record_id: int, *, typed: dict[str, str], error: str) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        found = study_service.get_study(tx, review_id, record_id)
        reports = fulltext_service.reports_for(tx, review_id, record_id)
        kept = quote_service.quotes(tx, review_id, record_id)
    return render_template(
        "extraction/quotes.html",
        review=review,
        study=found,
        reports=reports,
        quotes=kept,
        kinds=list(QuoteKind),
        may_add=may(role, Permission.EXTRACT),
        typed=typed,
        error=error,
    )


@blueprint.route("/quotes/<int:record_id>", methods=["POST"])
@login_required
@permission_first(Permission.EXTRACT)
def add(review_id: int, record_id: int) -> tuple[str, int] | Response:
    try:
        added = _add(review_id, record_id)
    except InputError as exc:
        # The page again with the quote as pasted, so a long quote is not lost.
        typed = {name: request.form.get(name, "") for name in _TYPED}
        return _study_page(review_id, record_id, typed=typed, error=exc.message), 422
    flash(_("The quote is kept: %(citation)s.", citation=added.citation), "info")
    return redirect(url_for("quotes.study", review_id=review_id, record_id=record_id), 303)


_TYPED = ("text", "kind", "page", "report", "pdf_page", "note")


def _add(review_id: int, record_id: int) -> Quote:
    try:
        kind = QuoteKind(request.form.get("kind", ""))
    except ValueError:
        raise InputError(
            _("Say whether the quote is the participants' own words or the authors'.")
        ) from None
    report = request.form.get("report", "")
    pdf_page = request.form.get("pdf_page", "").strip()
    if pdf_page and not pdf_page.isdigit():
        raise InputError(_("The PDF page is a number, counting the PDF's pages from 1."))
    with transaction() as tx:
        return quote_service.add_quote(
            tx,
            review_id,
            record_id,
            request.form.get("text", ""),
            kind=kind,
            page=request.form.get("page", ""),
            report_id=int(report) if report.isdigit() else None,
            pdf_page=int(pdf_page) if pdf_page else None,
            note=request.form.get("note", ""),
        )


@blueprint.route("/quotes.csv")
@login_required
def csv_all(review_id: int) -> Response:
    with transaction() as tx:
        text = quote_service.quotes_csv(tx, review_id)
    return _csv(text, "quotes.csv")


@blueprint.route("/quotes/<int:record_id>.csv")
@login_required
def csv_study(review_id: int, record_id: int) -> Response:
    with transaction() as tx:
        text = quote_service.quotes_csv(tx, review_id, record_id)
    return _csv(text, f"quotes-{record_id}.csv")


def _csv(text: str, name: str) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
