"""Translating and synthesising (phases 5 and 6): the translation board and the theme tree.

The board lays the studies out in the order of translation, each a column of
its own concepts, as the paper translated "study by study, in chronological
order" (Methods, Data translation and synthesis). Ticked concepts are
translated reciprocally (merged into one third-order concept, each study's
own term kept in the mapping), refutationally (the contradiction and its
explanation recorded) or as a line of argument (Noblit & Hare 1988);
alternative readings are logged, not averaged away.

The theme tree is the paper's hierarchy: categories ("design",
"transformation") > themes > sub-themes, each with the studies and quotes
that support it ("[Study: page]"), and the line-of-argument statements (the
paper's three new interpretations). It downloads as Markdown and JSON, and
the figures (the paper's Figures 3-5) as SVG.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from cosynth.domain.roles import Permission, may
from cosynth.domain.synthesis import (
    ConceptSource,
    ConstructOrder,
    Explanation,
    Relation,
    Theme,
    ThemeLevel,
)
from cosynth.errors import InputError
from cosynth.services import concepts as concept_service
from cosynth.services import relating as relating_service
from cosynth.services import reviews as review_service
from cosynth.services import studies as study_service
from cosynth.services import synthesis_figures as figure_service
from cosynth.services import themes as theme_service
from cosynth.services import translation as translation_service
from cosynth.services.workspace import Tx
from cosynth.web.access import permission_first
from cosynth.web.auth import login_required
from cosynth.web.context import transaction

blueprint = Blueprint("themes", __name__, url_prefix="/reviews/<int:review_id>/synthesis")


def _labels(tx: Tx, review_id: int) -> dict[int, str]:
    return {study.record_id: study.label for study in study_service.included_studies(tx, review_id)}


# The translation board


@blueprint.route("/translate")
@login_required
def board(review_id: int) -> str:
    return _board_page(review_id, errors={}, typed={})


def _board_page(review_id: int, *, errors: dict[str, str], typed: dict[str, Any]) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        labels = _labels(tx, review_id)
        order = relating_service.translation_order(tx, review_id)
        kept = concept_service.concepts(tx, review_id)
        done = translation_service.translations(tx, review_id)
        logged = translation_service.alternatives(tx, review_id)
    columns = [
        (labels.get(record_id, str(record_id)), [c for c in kept if c.record_id == record_id])
        for record_id in (order.record_ids or tuple(labels))
    ]
    roundtable = [c for c in kept if c.source is ConceptSource.ROUNDTABLE]
    if roundtable:
        columns.append((_("The advisory group's roundtable"), roundtable))
    return render_template(
        "synthesis/board.html",
        review=review,
        columns=columns,
        third=[c for c in kept if c.order is ConstructOrder.THIRD],
        concept_names={c.id: _term(c.name, c.record_id, labels) for c in kept},
        translations=done,
        alternatives=logged,
        relations=list(Relation),
        explanations=list(Explanation),
        may_synthesise=may(role, Permission.SYNTHESISE),
        errors=errors,
        typed=typed,
    )


def _term(name: str, record_id: int | None, labels: dict[int, str]) -> str:
    """A concept as the mapping shows it: "Smith 2019: being listened to"."""
    return f"{labels[record_id]}: {name}" if record_id in labels else name


@blueprint.route("/translations", methods=["POST"])
@login_required
@permission_first(Permission.SYNTHESISE)
def translate(review_id: int) -> tuple[str, int] | Response:
    account = request.form.get("account", "")
    try:
        relation = _choice(Relation, "relation", _("Choose how to translate the ticked concepts."))
        ids = _ids(request.form.getlist("concept"))
        with transaction() as tx:
            if relation is Relation.REFUTATIONAL:
                explanation = _choice(
                    Explanation, "explanation", _("Choose what explains the contradiction.")
                )
                translation_service.translate_refutationally(
                    tx, review_id, ids, explanation=explanation, account=account
                )
            elif relation is Relation.RECIPROCAL:
                translation_service.translate_reciprocally(
                    tx, review_id, ids, into=_into(), account=account
                )
            else:
                translation_service.argue_line(tx, review_id, ids, into=_into(), account=account)
    except InputError as exc:
        typed: dict[str, Any] = {
            name: request.form.get(name, "") for name in ("relation", "into", "into_name")
        }
        typed |= {"explanation": request.form.get("explanation", ""), "account": account}
        typed["concepts"] = request.form.getlist("concept")
        return _board_page(review_id, errors={"translate": str(exc)}, typed=typed), 422
    flash(_("The translation is recorded."), "info")
    return redirect(url_for("themes.board", review_id=review_id) + "#translations-heading", 303)


def _into() -> str | int:
    chosen = request.form.get("into", "new").strip()
    if chosen.isdigit():
        return int(chosen)
    name = request.form.get("into_name", "").strip()
    if not name:
        raise InputError(_("Name the new third-order concept, or choose one the review has."))
    return name


@blueprint.route("/alternatives", methods=["POST"])
@login_required
@permission_first(Permission.SYNTHESISE)
def log_alternative(review_id: int) -> tuple[str, int] | Response:
    text = request.form.get("text", "")
    chosen = request.form.get("translation", "").strip()
    try:
        with transaction() as tx:
            translation_service.log_alternative(
                tx, review_id, text, translation_id=int(chosen) if chosen.isdigit() else None
            )
    except InputError as exc:
        typed = {"alternative": text, "translation": chosen}
        return _board_page(review_id, errors={"alternative": str(exc)}, typed=typed), 422
    flash(_("The alternative interpretation is logged."), "info")
    return redirect(url_for("themes.board", review_id=review_id) + "#alternatives-heading", 303)


# The theme tree


@blueprint.route("/themes")
@login_required
def tree(review_id: int) -> str:
    return _tree_page(review_id, errors={}, typed={})


def _tree_page(review_id: int, *, errors: dict[str, str], typed: dict[str, Any]) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        labels = _labels(tx, review_id)
        nodes = theme_service.theme_tree(tx, review_id)
        every = theme_service.themes(tx, review_id)
        kept = concept_service.concepts(tx, review_id)
        statements = theme_service.interpretations(tx, review_id)
    return render_template(
        "synthesis/themes.html",
        review=review,
        nodes=nodes,
        parents=[theme for theme in every if theme.level is not ThemeLevel.SUB_THEME],
        theme_names={theme.id: theme.name for theme in every},
        third=[c for c in kept if c.order is ConstructOrder.THIRD],
        concept_names={c.id: _term(c.name, c.record_id, labels) for c in kept},
        labels=labels,
        interpretations=statements,
        figures=figure_service.FIGURE_FILES,
        levels=list(ThemeLevel),
        may_synthesise=may(role, Permission.SYNTHESISE),
        errors=errors,
        typed=typed,
    )


@blueprint.route("/themes", methods=["POST"])
@login_required
@permission_first(Permission.SYNTHESISE)
def add_theme(review_id: int) -> tuple[str, int] | Response:
    typed = {
        name: request.form.get(name, "") for name in ("name", "level", "parent", "description")
    }
    try:
        level = _choice(ThemeLevel, "level", _("Choose a level: category, theme or sub-theme."))
        parent = typed["parent"].strip()
        with transaction() as tx:
            added = theme_service.add_theme(
                tx,
                review_id,
                typed["name"],
                level=level,
                parent_id=int(parent) if parent.isdigit() else None,
                description=typed["description"],
            )
    except InputError as exc:
        return _tree_page(review_id, errors={"theme": str(exc)}, typed=typed), 422
    flash(_("%(name)s is added to the tree.", name=added.name), "info")
    return redirect(url_for("themes.tree", review_id=review_id) + f"#theme-{added.id}", 303)


@blueprint.route("/interpretations", methods=["POST"])
@login_required
@permission_first(Permission.SYNTHESISE)
def add_interpretation(review_id: int) -> tuple[str, int] | Response:
    title, statement = request.form.get("title", ""), request.form.get("statement", "")
    try:
        with transaction() as tx:
            theme_service.add_interpretation(
                tx,
                review_id,
                title,
                statement,
                theme_ids=_ids(request.form.getlist("theme"), needed=False),
                concept_ids=_ids(request.form.getlist("concept"), needed=False),
            )
    except InputError as exc:
        typed: dict[str, Any] = {"title": title, "statement": statement}
        typed |= {"themes": request.form.getlist("theme")}
        typed |= {"concepts": request.form.getlist("concept")}
        return _tree_page(review_id, errors={"interpretation": str(exc)}, typed=typed), 422
    flash(_("The interpretation is recorded."), "info")
    return redirect(url_for("themes.tree", review_id=review_id) + "#interpretations-heading", 303)


# One theme: rename, move, link and unlink concepts


@blueprint.route("/themes/<int:theme_id>")
@login_required
def theme(review_id: int, theme_id: int) -> str:
    return _theme_page(review_id, theme_id, errors={}, typed={})


def _theme_page(
    review_id: int, theme_id: int, *, errors: dict[str, str], typed: dict[str, Any]
) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        labels = _labels(tx, review_id)
        every = theme_service.themes(tx, review_id)
        shown = _theme_of(every, theme_id)
        support = theme_service.theme_support(tx, review_id, theme_id)
        kept = concept_service.concepts(tx, review_id)
    wanted = {ThemeLevel.THEME: ThemeLevel.CATEGORY, ThemeLevel.SUB_THEME: ThemeLevel.THEME}
    return render_template(
        "synthesis/theme.html",
        review=review,
        theme=shown,
        support=support,
        parents=[t for t in every if t.level is wanted.get(shown.level) and t.id != shown.id],
        concepts=kept,
        concept_names={c.id: _term(c.name, c.record_id, labels) for c in kept},
        labels=labels,
        may_synthesise=may(role, Permission.SYNTHESISE),
        errors=errors,
        typed=typed,
    )


def _theme_of(every: list[Theme], theme_id: int) -> Theme:
    found = next((theme for theme in every if theme.id == theme_id), None)
    if found is None:
        abort(404)
    return found


@blueprint.route("/themes/<int:theme_id>", methods=["POST"])
@login_required
@permission_first(Permission.SYNTHESISE)
def revise_theme(review_id: int, theme_id: int) -> tuple[str, int] | Response:
    typed = {name: request.form.get(name, "") for name in ("name", "description", "parent")}
    typed["position"] = request.form.get("position", "").strip()
    try:
        if typed["position"] and not typed["position"].isdigit():
            raise InputError(_("The position is a whole number: 1 for the first."))
        parent = typed["parent"].strip()
        with transaction() as tx:
            theme_service.revise_theme(
                tx,
                review_id,
                theme_id,
                name=typed["name"] if "name" in request.form else None,
                description=typed["description"] if "description" in request.form else None,
                parent_id=int(parent) if parent.isdigit() else None,
                position=int(typed["position"]) if typed["position"] else None,
            )
    except InputError as exc:
        return _theme_page(review_id, theme_id, errors={"revise": str(exc)}, typed=typed), 422
    flash(_("The theme is saved."), "info")
    return redirect(url_for("themes.theme", review_id=review_id, theme_id=theme_id), 303)


@blueprint.route("/themes/<int:theme_id>/concepts", methods=["POST"])
@login_required
@permission_first(Permission.SYNTHESISE)
def link(review_id: int, theme_id: int) -> tuple[str, int] | Response:
    try:
        ids = _ids(request.form.getlist("concept"))
        with transaction() as tx:
            theme_service.link_concepts(tx, review_id, theme_id, ids)
    except InputError as exc:
        typed = {"concepts": request.form.getlist("concept")}
        return _theme_page(review_id, theme_id, errors={"link": str(exc)}, typed=typed), 422
    flash(_("The concepts are linked to the theme."), "info")
    return redirect(url_for("themes.theme", review_id=review_id, theme_id=theme_id), 303)


@blueprint.route("/themes/<int:theme_id>/concepts/<int:concept_id>/unlink", methods=["POST"])
@login_required
@permission_first(Permission.SYNTHESISE)
def unlink(review_id: int, theme_id: int, concept_id: int) -> Response:
    with transaction() as tx:
        theme_service.unlink_concept(tx, review_id, theme_id, concept_id)
    flash(_("The concept is no longer linked to the theme."), "info")
    return redirect(url_for("themes.theme", review_id=review_id, theme_id=theme_id), 303)


# Form values

_Choice = TypeVar("_Choice", Relation, Explanation, ThemeLevel)


def _choice(kind: type[_Choice], field: str, problem: str) -> _Choice:
    try:
        return kind(request.form.get(field, ""))
    except ValueError:
        raise InputError(problem) from None


def _ids(values: list[str], *, needed: bool = True) -> tuple[int, ...]:
    if needed and not values:
        raise InputError(_("Tick the concepts first."))
    if not all(value.isdigit() for value in values):
        raise InputError(_("Tick the concepts from the list; one of them is not this review's."))
    return tuple(int(value) for value in values)
