"""Reading and coding (phase 3): a study's quotes, full-text pages and the roundtable's words.

The paper read each study "repeatedly" and coded participants' accounts
(first-order constructs) and the authors' interpretations (second-order);
the advisory group's roundtable transcript was coded "for key concepts" the
same way (Methods, Data analysis). A passage is selected with the mouse
(static/coding.js fills the place of the words in hidden fields) and given a
concept, an existing one or a new one; without JavaScript the words are
pasted into the excerpt field and the services find them
(`coding.code_excerpt`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from cosynth.domain.roles import Permission, may
from cosynth.domain.synthesis import Coding, Concept, ConceptSource, ConstructOrder, PassageKind
from cosynth.errors import InputError
from cosynth.services import coding as coding_service
from cosynth.services import concepts as concept_service
from cosynth.services import fulltext as fulltext_service
from cosynth.services import quotes as quote_service
from cosynth.services import reviews as review_service
from cosynth.services import roundtables as roundtable_service
from cosynth.services import studies as study_service
from cosynth.services.workspace import Tx
from cosynth.web.access import permission_first
from cosynth.web.auth import login_required
from cosynth.web.context import transaction

blueprint = Blueprint("coding", __name__, url_prefix="/reviews/<int:review_id>/synthesis/reading")

_TYPED = ("concept", "name", "order", "where", "start", "end", "excerpt", "note")


@dataclass(frozen=True, slots=True)
class Source:
    """Whose words a reading page shows: a study's, or a roundtable's."""

    record_id: int | None = None
    roundtable_id: int | None = None

    def url(self, review_id: int) -> str:
        if self.record_id is not None:
            return url_for("coding.study", review_id=review_id, record_id=self.record_id)
        return url_for("coding.roundtable", review_id=review_id, roundtable_id=self.roundtable_id)


@blueprint.route("")
@login_required
def index(review_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        studies = study_service.included_studies(tx, review_id)
        kept = concept_service.concepts(tx, review_id)
        coded = coding_service.codings(tx, review_id)
        tables = roundtable_service.roundtables(tx, review_id)
    concepts_of = {study.record_id: 0 for study in studies}
    codings_of = dict(concepts_of)
    for concept in kept:
        if concept.record_id is not None:
            concepts_of[concept.record_id] = concepts_of.get(concept.record_id, 0) + 1
    for coding in coded:
        if coding.record_id is not None:
            codings_of[coding.record_id] = codings_of.get(coding.record_id, 0) + 1
    return render_template(
        "synthesis/reading_index.html",
        review=review,
        studies=studies,
        concepts_of=concepts_of,
        codings_of=codings_of,
        roundtables=tables,
    )


@blueprint.route("/studies/<int:record_id>")
@login_required
def study(review_id: int, record_id: int) -> str:
    return _page(review_id, Source(record_id=record_id), typed={}, error="")


@blueprint.route("/roundtables/<int:roundtable_id>")
@login_required
def roundtable(review_id: int, roundtable_id: int) -> str:
    return _page(review_id, Source(roundtable_id=roundtable_id), typed={}, error="")


def _page(review_id: int, source: Source, *, typed: dict[str, str], error: str) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        shown = _passages(tx, review_id, source)
        if source.record_id is not None:
            own = concept_service.concepts(tx, review_id, record_id=source.record_id)
            coded = coding_service.codings(tx, review_id, record_id=source.record_id)
        else:
            own = [
                concept
                for concept in concept_service.concepts(
                    tx, review_id, source=ConceptSource.ROUNDTABLE
                )
                if concept.roundtable_id == source.roundtable_id
            ]
            ids = {concept.id for concept in own}
            coded = [c for c in coding_service.codings(tx, review_id) if c.concept_id in ids]
    return render_template(
        "synthesis/reading.html",
        review=review,
        source=source,
        back=source.url(review_id),
        concepts=own,
        codings_by_concept=_by_concept(own, coded),
        orders=[ConstructOrder.FIRST, ConstructOrder.SECOND],
        may_code=may(role, Permission.SYNTHESISE),
        typed=typed,
        error=error,
        **shown,
    )


def _passages(tx: Tx, review_id: int, source: Source) -> dict[str, Any]:
    """What the page reads from: a study's quotes and full-text pages, or the transcripts."""
    if source.record_id is not None:
        found = study_service.get_study(tx, review_id, source.record_id)
        reports = fulltext_service.reports_for(tx, review_id, source.record_id)
        return {
            "title": found.label,
            "subtitle": found.citation.title,
            "quotes": quote_service.quotes(tx, review_id, source.record_id),
            "reports": [
                (report, fulltext_service.report_pages(tx, review_id, report.id))
                for report in reports
            ],
            "transcripts": [],
        }
    held = roundtable_service.get_roundtable(tx, review_id, source.roundtable_id or 0)
    return {
        "title": held.title or _("Roundtable of %(day)s", day=held.held_on.isoformat()),
        "subtitle": _("The advisory group's discussion, %(minutes)s minutes", minutes=held.minutes),
        "quotes": [],
        "reports": [],
        "transcripts": roundtable_service.transcripts(tx, review_id, held.id),
    }


def _by_concept(own: list[Concept], coded: list[Coding]) -> list[tuple[Concept, list[Coding]]]:
    return [(concept, [c for c in coded if c.concept_id == concept.id]) for concept in own]


@blueprint.route("/studies/<int:record_id>", methods=["POST"])
@login_required
@permission_first(Permission.SYNTHESISE)
def code_study(review_id: int, record_id: int) -> tuple[str, int] | Response:
    return _code(review_id, Source(record_id=record_id))


@blueprint.route("/roundtables/<int:roundtable_id>", methods=["POST"])
@login_required
@permission_first(Permission.SYNTHESISE)
def code_roundtable(review_id: int, roundtable_id: int) -> tuple[str, int] | Response:
    return _code(review_id, Source(roundtable_id=roundtable_id))


def _code(review_id: int, source: Source) -> tuple[str, int] | Response:
    try:
        with transaction() as tx:
            coded = _coded(tx, review_id, source)
    except InputError as exc:
        # The page again with the words as selected or pasted, and the reason beside the form.
        typed = {name: request.form.get(name, "") for name in _TYPED}
        return _page(review_id, source, typed=typed, error=str(exc)), 422
    flash(_("Coded: \u201c%(words)s\u201d.", words=_shortened(coded.passage.excerpt)), "info")
    return redirect(source.url(review_id) + "#coding-heading", 303)


def _coded(tx: Tx, review_id: int, source: Source) -> Coding:
    kind, source_id, page = _where(request.form.get("where", ""))
    note = request.form.get("note", "")
    start, end = request.form.get("start", "").strip(), request.form.get("end", "").strip()
    excerpt = request.form.get("excerpt", "").strip()
    selected = start.isdigit() and end.isdigit() and (kind is PassageKind.QUOTE or page is not None)
    if not selected and not excerpt:
        raise InputError(_("Select the words to code, or paste them into the excerpt box."))
    concept_id = _concept(tx, review_id, source)
    if not selected:
        return coding_service.code_excerpt(
            tx, review_id, concept_id, kind=kind, source_id=source_id, excerpt=excerpt, page=page,
            note=note,
        )  # fmt: skip
    # The JavaScript path: the selection's place in the passage's own text.
    first, last = int(start), int(end)
    if kind is PassageKind.QUOTE:
        return coding_service.code_quote(
            tx, review_id, concept_id, source_id, start=first, end=last, note=note
        )
    if kind is PassageKind.REPORT:
        return coding_service.code_report_page(
            tx, review_id, concept_id, source_id, pdf_page=page or 0, start=first, end=last,
            note=note,
        )  # fmt: skip
    return coding_service.code_transcript(
        tx, review_id, concept_id, source_id, segment=page or 0, start=first, end=last, note=note
    )


def _where(value: str) -> tuple[PassageKind, int, int | None]:
    """ "quote-12", "report-3-5" (report 3, PDF page 5), "report-3", "transcript-2-14"."""
    parts = value.split("-")
    try:
        kind = PassageKind(parts[0])
        numbers = [int(part) for part in parts[1:]]
    except ValueError:
        raise InputError(
            _("Choose where the words are: a quote, a page or a transcript.")
        ) from None
    if not 1 <= len(numbers) <= (1 if kind is PassageKind.QUOTE else 2):
        raise InputError(_("Choose where the words are: a quote, a page or a transcript."))
    return kind, numbers[0], numbers[1] if len(numbers) == 2 else None


def _concept(tx: Tx, review_id: int, source: Source) -> int:
    chosen = request.form.get("concept", "").strip()
    if chosen.isdigit():
        return int(chosen)
    if chosen != "new":
        raise InputError(_("Choose a concept, or choose to add a new one and name it."))
    try:
        order = ConstructOrder(request.form.get("order", ""))
    except ValueError:
        raise InputError(
            _(
                "Say whose concept it is: the participants' (first-order) "
                "or the authors' (second-order)."
            )
        ) from None
    added = concept_service.add_concept(
        tx,
        review_id,
        request.form.get("name", ""),
        order=order,
        source=ConceptSource.STUDY if source.record_id is not None else ConceptSource.ROUNDTABLE,
        record_id=source.record_id,
        roundtable_id=source.roundtable_id,
    )
    return added.id


def _shortened(words: str, most: int = 80) -> str:
    return words if len(words) <= most else words[: most - 1].rstrip() + "\u2026"


@blueprint.route("/codings/<int:coding_id>/withdraw", methods=["POST"])
@login_required
@permission_first(Permission.SYNTHESISE)
def withdraw(review_id: int, coding_id: int) -> Response:
    record, held = request.form.get("record", ""), request.form.get("roundtable", "")
    with transaction() as tx:
        coding_service.withdraw_coding(
            tx, review_id, coding_id, reason=request.form.get("reason", "")
        )
    flash(_("The coding is withdrawn; it stays in the history."), "info")
    if record.isdigit():
        back = Source(record_id=int(record)).url(review_id)
    elif held.isdigit():
        back = Source(roundtable_id=int(held)).url(review_id)
    else:
        back = url_for("coding.index", review_id=review_id)
    return redirect(back + "#concepts-heading", 303)
