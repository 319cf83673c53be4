"""The meta-ethnography's phases and the relating of studies: the log, the grid, the order.

Noblit & Hare (1988) work in seven phases; the eMERGe reporting guidance
(France et al. 2019) asks what each produced, so the phases page keeps a log
the lead and reviewers write as they go. Phase 4, "determining how the
studies are related", is the concept x study grid (`relating.concept_grid`),
the team's first judgement of how the studies relate (reciprocal,
refutational, line of argument), and the order of translation: the paper
went by publication date; an index paper may go first (eMERGe 13: report it).

Every change is a form POST answered with 303; a form the services refuse
comes back with the reason beside its field and what was typed kept (422).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from cosynth.domain.roles import Permission, may
from cosynth.domain.synthesis import OrderBasis, Phase, PhaseEventKind, Relation
from cosynth.errors import InputError
from cosynth.services import phases as phase_service
from cosynth.services import relating as relating_service
from cosynth.services import reviews as review_service
from cosynth.services import studies as study_service
from cosynth.services import synthesis_figures as figure_service
from cosynth.services import themes as theme_service
from cosynth.services.workspace import Tx
from cosynth.web.access import permission_first
from cosynth.web.auth import login_required
from cosynth.web.context import transaction

blueprint = Blueprint("synthesis", __name__, url_prefix="/reviews/<int:review_id>/synthesis")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The buttons a phase offers in each of its states (PhaseEventKind values).
NEXT_STEPS = {
    "not started": ("started",),
    "in progress": ("completed",),
    "completed": ("reopened",),
}

# The seven phases


@blueprint.route("")
@login_required
def phases(review_id: int) -> str:
    return _phases_page(review_id, errors={}, typed={})


def _phases_page(review_id: int, *, errors: dict[str, str], typed: dict[str, str]) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        states = phase_service.phase_states(tx, review_id)
    return render_template(
        "synthesis/phases.html",
        review=review,
        states=states,
        next_steps=NEXT_STEPS,
        may_synthesise=may(role, Permission.SYNTHESISE),
        errors=errors,
        typed=typed,
    )


@blueprint.route("/phases/<int:phase>", methods=["POST"])
@login_required
@permission_first(Permission.SYNTHESISE)
def log_phase(review_id: int, phase: int) -> tuple[str, int] | Response:
    try:
        chosen = Phase(phase)
    except ValueError:
        abort(404)
    text = request.form.get("text", "").strip()
    try:
        try:
            kind = PhaseEventKind(request.form.get("kind", ""))
        except ValueError:
            raise InputError(
                _("Choose what happened: the phase started, produced something, or was completed.")
            ) from None
        if kind is PhaseEventKind.PRODUCED and not text:
            raise InputError(_("Say what the phase produced: a note, a file's name, a decision."))
        with transaction() as tx:
            phase_service.log_phase(tx, review_id, chosen, kind, text)
    except InputError as exc:
        key = f"phase-{chosen.value}"
        return _phases_page(review_id, errors={key: str(exc)}, typed={key: text}), 422
    flash(_("%(phase)s: %(what)s.", phase=chosen.title, what=_kind_words(kind)), "info")
    return redirect(url_for("synthesis.phases", review_id=review_id) + f"#phase-{phase}", 303)


def _kind_words(kind: PhaseEventKind) -> str:
    words: dict[PhaseEventKind, str] = {
        PhaseEventKind.STARTED: _("started"),
        PhaseEventKind.PRODUCED: _("what it produced is recorded"),
        PhaseEventKind.COMPLETED: _("completed"),
        PhaseEventKind.REOPENED: _("reopened"),
    }
    return words[kind]


# Phase 4: the grid, the judgement of how the studies relate, the order of translation


@blueprint.route("/grid")
@login_required
def grid(review_id: int) -> str:
    return _grid_page(review_id, errors={}, typed={})


def _grid_page(review_id: int, *, errors: dict[str, str], typed: dict[str, Any]) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        found = relating_service.concept_grid(tx, review_id)
        judgements = relating_service.relating_judgements(tx, review_id)
        order = relating_service.translation_order(tx, review_id)
        studies = study_service.included_studies(tx, review_id)
    labels = {study.record_id: study.label for study in studies}
    return render_template(
        "synthesis/grid.html",
        review=review,
        grid=found,
        judgements=list(reversed(judgements)),
        order=order,
        studies=studies,
        labels=labels,
        ordered=[
            (record_id, labels.get(record_id, str(record_id))) for record_id in order.record_ids
        ]
        or list(labels.items()),
        relations=list(Relation),
        bases=list(OrderBasis),
        may_synthesise=may(role, Permission.SYNTHESISE),
        errors=errors,
        typed=typed,
    )


# The files a page links to, by name (as the tables page serves its own).
FILES = {
    "concept-grid.csv": "text/csv",
    "concept-grid.xlsx": XLSX,
    "theme-tree.md": "text/markdown",
    "theme-tree.json": "application/json",
}


@blueprint.route("/files/<filename>")
@login_required
def download(review_id: int, filename: str) -> Response:
    if filename not in FILES:
        abort(404)
    with transaction() as tx:
        data = _file(tx, review_id, filename)
    return _download(data, FILES[filename], filename)


def _file(tx: Tx, review_id: int, filename: str) -> bytes:
    if filename == "concept-grid.xlsx":
        return relating_service.concept_grid_xlsx(tx, review_id)
    if filename == "concept-grid.csv":
        text = relating_service.concept_grid_csv(tx, review_id)
    elif filename == "theme-tree.md":
        text = theme_service.theme_tree_markdown(tx, review_id)
    else:
        text = theme_service.theme_tree_json(tx, review_id)
    return text.encode("utf-8")


@blueprint.route("/relating", methods=["POST"])
@login_required
@permission_first(Permission.SYNTHESISE)
def judge(review_id: int) -> tuple[str, int] | Response:
    rationale = request.form.get("rationale", "")
    chosen = request.form.getlist("study")
    try:
        try:
            relation = Relation(request.form.get("relation", ""))
        except ValueError:
            raise InputError(
                _("Choose how the studies relate: reciprocal, refutational or line of argument.")
            ) from None
        with transaction() as tx:
            relating_service.judge_relation(
                tx, review_id, relation, rationale, record_ids=_ids(chosen, _("A study"))
            )
    except InputError as exc:
        typed: dict[str, Any] = {"relation": request.form.get("relation", "")}
        typed |= {"rationale": rationale, "studies": chosen}
        return _grid_page(review_id, errors={"relating": str(exc)}, typed=typed), 422
    flash(_("The judgement of how the studies relate is recorded."), "info")
    return redirect(url_for("synthesis.grid", review_id=review_id) + "#relating-heading", 303)


@blueprint.route("/order", methods=["POST"])
@login_required
@permission_first(Permission.SYNTHESISE)
def set_order(review_id: int) -> tuple[str, int] | Response:
    rationale = request.form.get("rationale", "")
    index = request.form.get("index", "").strip()
    try:
        try:
            basis = OrderBasis(request.form.get("basis", ""))
        except ValueError:
            raise InputError(
                _("Choose how to order the studies: by date, by co-production score or by hand.")
            ) from None
        by_hand = _positions() if basis is OrderBasis.BY_HAND else ()
        with transaction() as tx:
            relating_service.set_translation_order(
                tx,
                review_id,
                basis,
                index_record_id=_ids([index], _("The index paper"))[0] if index else None,
                record_ids=by_hand,
                rationale=rationale,
            )
    except InputError as exc:
        typed: dict[str, Any] = {
            "basis": request.form.get("basis", ""),
            "index": index,
            "rationale": rationale,
            "positions": {
                key.removeprefix("position-"): value
                for key, value in request.form.items()
                if key.startswith("position-")
            },
        }
        return _grid_page(review_id, errors={"order": str(exc)}, typed=typed), 422
    flash(_("The order of translation is set."), "info")
    return redirect(url_for("synthesis.grid", review_id=review_id) + "#order-heading", 303)


def _positions() -> tuple[int, ...]:
    """The studies in the order their typed positions give ("position-<record id>": "2")."""
    placed: list[tuple[int, int]] = []
    for key, value in request.form.items():
        if not key.startswith("position-") or not key.removeprefix("position-").isdigit():
            continue
        if not value.strip().isdigit():
            raise InputError(
                _("Give every study a position: a whole number, 1 for the first study.")
            )
        placed.append((int(value), int(key.removeprefix("position-"))))
    return tuple(record_id for _position, record_id in sorted(placed))


def _ids(values: list[str], what: str) -> tuple[int, ...]:
    if not all(value.strip().isdigit() for value in values):
        raise InputError(_("%(what)s was not one of this review's studies.", what=what))
    return tuple(int(value) for value in values)


# Figures (the paper's Figures 3-5) as SVG


@blueprint.route("/figures/<name>")
@login_required
def figure(review_id: int, name: str) -> Response:
    with transaction() as tx:
        tx.require(review_id, Permission.VIEW)
        if name not in figure_service.FIGURE_FILES:
            abort(404)
        drawn = figure_service.figure_svg(tx, review_id, name)
    answer = _download(drawn, "image/svg+xml", name, attachment=False)
    # Opened on its own, an SVG is a document: it may draw and style itself, never run a script.
    answer.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return answer


def _download(data: bytes, mimetype: str, name: str, *, attachment: bool = True) -> Response:
    disposition = "attachment" if attachment else "inline"
    return Response(
        data,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'{disposition}; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
