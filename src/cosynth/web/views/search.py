"""The question and the search: the question by framework (the paper's Table 1), the
strategy builder (concept blocks and their terms, each with who suggested it), the
strategy written for each database with its warnings and a copy button, and the
search log.

The lead sets the question and builds the strategy (Permission.EDIT_PROTOCOL);
reviewers log the searches they run (Permission.IMPORT); the whole team,
advisers included, reads every page: the paper's terms came from "SPICES and
guidance from CAG members" (Search strategy). Every form posts and redirects
(303); a refused form comes back with what was typed and the reason at the top
of the form (422), without JavaScript. The copy button is an enhancement: the
strings are plain text to select without it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from cosynth.domain.roles import Permission, may
from cosynth.domain.search import (
    DEFAULT_FIELDS,
    FIELD_ORDER,
    Database,
    Field,
    TermKind,
    Vocabulary,
    question_table,
)
from cosynth.errors import CosynthError, InputError, NotFoundError
from cosynth.services import advisory_group as group_service
from cosynth.services import question as question_service
from cosynth.services import records as record_service
from cosynth.services import reviews as review_service
from cosynth.services import search_log as log_service
from cosynth.services import strategy as strategy_service
from cosynth.web.access import permission_first
from cosynth.web.auth import login_required
from cosynth.web.context import transaction

blueprint = Blueprint("search", __name__, url_prefix="/reviews/<int:review_id>/search")

EDIT = Permission.EDIT_PROTOCOL


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a form was refused: which form on the page and the reason."""

    form: str
    message: str


def _refused(page: Callable[..., str], form: str, exc: CosynthError, **ids: int) -> tuple[str, int]:
    typed = {key: request.form.getlist(key) for key in request.form}
    flat = {key: values[0] if len(values) == 1 else values for key, values in typed.items()}
    return page(problem=Problem(form, exc.message), typed=flat, **ids), 422


def _text(name: str) -> str:
    return request.form.get(name, "")


def _date(name: str, label: str) -> date | None:
    given = _text(name).strip()
    if not given:
        return None
    try:
        return date.fromisoformat(given)
    except ValueError:
        raise InputError(
            _("%(label)s: “%(value)s” is not a date like 2022-03-31.", label=label, value=given)
        ) from None


def _whole(name: str, label: str) -> int | None:
    given = _text(name).strip().replace(",", "")
    if not given:
        return None
    if not given.isdigit():
        raise InputError(_("%(label)s must be a whole number.", label=label))
    return int(given)


# --- the question --------------------------------------------------------------------


@blueprint.route("/question")
@login_required
def question(review_id: int) -> str:
    return _question_page(review_id)


def _question_page(
    review_id: int, *, problem: Problem | None = None, typed: dict[str, object] | None = None
) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        current = question_service.current_question(tx, review_id)
        history = question_service.question_history(tx, review_id)
    frameworks = question_service.available_frameworks()
    typed = typed or {}
    chosen_id = str(
        typed.get("framework") or request.args.get("framework")
        or (current.framework_id if current else "spices")
    )  # fmt: skip
    chosen = next((f for f in frameworks if f.id == chosen_id), None) or next(
        f for f in frameworks if f.id == "spices"
    )
    table = question_table(current) if current is not None else None
    return render_template(
        "search/question.html",
        review=review,
        question=current,
        table=table,
        history=history,
        frameworks=frameworks,
        framework=chosen,
        may_edit=may(role, EDIT),
        problem=problem,
        typed=typed,
    )


@blueprint.route("/question", methods=["POST"])
@login_required
@permission_first(EDIT)
def set_question(review_id: int) -> Response | tuple[str, int]:
    framework_id = _text("framework")
    try:
        framework = question_service.get_framework(framework_id)
        answers = {e.key: _text(f"element-{e.key}") for e in framework.elements}
        with transaction() as tx:
            set_ = question_service.set_question(
                tx, review_id, framework_id, answers, text=_text("question")
            )
    except (InputError, NotFoundError) as exc:
        return _refused(_question_page, "question", exc, review_id=review_id)
    flash(_("The question is set (version %(n)s).", n=set_.version), "info")
    return redirect(url_for("search.question", review_id=review_id), 303)


# --- the strategy --------------------------------------------------------------------


@blueprint.route("/strategy")
@login_required
def strategy(review_id: int) -> str:
    return _strategy_page(review_id)


def _strategy_page(
    review_id: int, *, problem: Problem | None = None, typed: dict[str, object] | None = None
) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        found = strategy_service.get_strategy(tx, review_id)
        members = group_service.group_members(tx, review_id)
        team = review_service.list_members(tx, review_id)
        current = question_service.current_question(tx, review_id)
    return render_template(
        "search/strategy.html",
        review=review,
        strategy=found,
        members=members,
        team=team,
        question=current,
        fields=FIELD_ORDER,
        default_fields=DEFAULT_FIELDS,
        vocabularies=list(Vocabulary),
        may_edit=may(role, EDIT),
        problem=problem,
        typed=typed or {},
    )


@blueprint.route("/strategy/blocks", methods=["POST"])
@login_required
@permission_first(EDIT)
def add_block(review_id: int) -> Response | tuple[str, int]:
    try:
        with transaction() as tx:
            if _text("from_question"):
                added = strategy_service.blocks_from_question(tx, review_id)
                message = _("%(n)s blocks added from the question.", n=len(added))
            else:
                block = strategy_service.add_block(
                    tx, review_id, _text("label"), exclude=_text("exclude") == "yes"
                )
                message = _("The block “%(label)s” is added.", label=block.label)
    except InputError as exc:
        return _refused(_strategy_page, "block", exc, review_id=review_id)
    flash(message, "info")
    return redirect(url_for("search.strategy", review_id=review_id), 303)


@blueprint.route("/strategy/blocks/<int:block_id>/remove", methods=["POST"])
@login_required
@permission_first(EDIT)
def remove_block(review_id: int, block_id: int) -> Response:
    with transaction() as tx:
        strategy_service.remove_block(tx, review_id, block_id)
    flash(_("The block is removed."), "info")
    return redirect(url_for("search.strategy", review_id=review_id), 303)


@blueprint.route("/strategy/blocks/<int:block_id>/terms", methods=["POST"])
@login_required
@permission_first(EDIT)
def add_term(review_id: int, block_id: int) -> Response | tuple[str, int]:
    form = f"term-{block_id}"
    try:
        kind_given = _text("kind")
        try:
            kind = TermKind(kind_given)
        except ValueError:
            raise InputError(_("Choose what the term is: a word, a phrase or a heading.")) from None
        vocabulary = None
        if kind is TermKind.HEADING:
            try:
                vocabulary = Vocabulary(_text("vocabulary"))
            except ValueError:
                raise InputError(_("Choose the heading's thesaurus: MeSH or CINAHL.")) from None
        fields = frozenset(
            Field(f) for f in request.form.getlist("fields") if f in {x.value for x in Field}
        )
        member = _text("suggested_by_member").strip()
        with transaction() as tx:
            added = strategy_service.add_term(
                tx,
                review_id,
                block_id,
                _text("text"),
                kind=kind,
                truncated=_text("truncated") == "yes",
                proximity=_whole("proximity", _("Words within")),
                fields=fields,
                vocabulary=vocabulary,
                explode=_text("explode") != "no",
                suggested_by_member=int(member) if member.isdigit() else None,
                suggested_by_username=_text("suggested_by_username"),
                note=_text("note"),
            )
    except InputError as exc:
        return _refused(_strategy_page, form, exc, review_id=review_id)
    flash(_("“%(term)s” is added.", term=added.text), "info")
    return redirect(
        url_for("search.strategy", review_id=review_id, _anchor=f"block-{block_id}"), 303
    )


@blueprint.route("/strategy/terms/<int:term_id>/remove", methods=["POST"])
@login_required
@permission_first(EDIT)
def remove_term(review_id: int, term_id: int) -> Response:
    with transaction() as tx:
        strategy_service.remove_term(tx, review_id, term_id, reason=_text("reason"))
    flash(_("The term is removed."), "info")
    return redirect(url_for("search.strategy", review_id=review_id), 303)


@blueprint.route("/strategy/limits", methods=["POST"])
@login_required
@permission_first(EDIT)
def set_limits(review_id: int) -> Response | tuple[str, int]:
    try:
        start = _date("start", _("Published from"))
        end = _date("end", _("Published to"))
        with transaction() as tx:
            limits = strategy_service.set_date_limits(tx, review_id, start, end)
    except InputError as exc:
        return _refused(_strategy_page, "limits", exc, review_id=review_id)
    flash(_("Date limits: %(limits)s.", limits=limits.describe()), "info")
    return redirect(url_for("search.strategy", review_id=review_id), 303)


# --- the strings for each database ---------------------------------------------------


@blueprint.route("/strings")
@login_required
def strings(review_id: int) -> tuple[str, int] | str:
    """The strategy for each database; with ?database=&string=, a typed string checked too
    (a GET: checking changes nothing, so anyone who may read the review may ask)."""
    database_given = request.args.get("database", "")
    string = request.args.get("string")
    if string is None:
        return _strings_page(review_id)
    typed: dict[str, object] = {"database": database_given, "string": string}
    try:
        database = Database(database_given)
    except ValueError:
        problem = Problem("check", _("Choose the database."))
        return _strings_page(review_id, problem=problem, typed=typed), 422
    found = strategy_service.validate_string(database, string)
    checked = [(p.severity.value, p.message) for p in found]
    return _strings_page(review_id, typed=typed, checked=checked)


def _strings_page(
    review_id: int,
    *,
    problem: Problem | None = None,
    typed: dict[str, object] | None = None,
    checked: list[tuple[str, str]] | None = None,
) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        translations = strategy_service.translate_all(tx, review_id)
    return render_template(
        "search/strings.html",
        review=review,
        translations=translations,
        databases=list(Database),
        problem=problem,
        typed=typed or {},
        checked=checked,
    )


# --- the search log ------------------------------------------------------------------


@blueprint.route("/log")
@login_required
def log(review_id: int) -> str:
    return _log_page(review_id)


def _log_page(
    review_id: int, *, problem: Problem | None = None, typed: dict[str, object] | None = None
) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        entries = log_service.search_log(tx, review_id)
        counts = log_service.database_counts(tx, review_id)
        sources = record_service.list_sources(tx, review_id)
    return render_template(
        "search/log.html",
        review=review,
        entries=entries,
        counts=counts,
        sources=sources,
        databases=list(Database),
        may_log=may(role, Permission.IMPORT),
        problem=problem,
        typed=typed or {},
        today=date.today().isoformat(),
    )


@blueprint.route("/log.csv")
@login_required
def log_csv(review_id: int) -> Response:
    with transaction() as tx:
        data = log_service.search_log_csv(tx, review_id)
    return Response(
        data,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="search-log.csv"'},
    )


@blueprint.route("/log", methods=["POST"])
@login_required
@permission_first(Permission.IMPORT)
def add_log(review_id: int) -> Response | tuple[str, int]:
    try:
        run_on = _date("run_on", _("Date run"))
        if run_on is None:
            raise InputError(_("Give the date the search was run, e.g. 2022-03-31."))
        source = _text("source_id").strip()
        with transaction() as tx:
            entry = log_service.log_search(
                tx,
                review_id,
                _text("database"),
                run_on=run_on,
                string=_text("string"),
                platform=_text("platform"),
                limits=_text("limits"),
                hits=_whole("hits", _("Hits")),
                source_id=int(source) if source.isdigit() else None,
                note=_text("note"),
            )
    except InputError as exc:
        return _refused(_log_page, "log", exc, review_id=review_id)
    flash(_("The search of %(database)s is logged.", database=entry.database), "info")
    return redirect(url_for("search.log", review_id=review_id), 303)


@blueprint.route("/log/<int:entry_id>/link", methods=["POST"])
@login_required
@permission_first(Permission.IMPORT)
def link(review_id: int, entry_id: int) -> Response | tuple[str, int]:
    source = _text("source_id").strip()
    try:
        if not source.isdigit():
            raise InputError(_("Choose the import of this search's records."))
        with transaction() as tx:
            log_service.link_source(tx, review_id, entry_id, int(source))
    except InputError as exc:
        return _refused(_log_page, f"link-{entry_id}", exc, review_id=review_id)
    flash(_("The search is linked to its import."), "info")
    return redirect(url_for("search.log", review_id=review_id), 303)
