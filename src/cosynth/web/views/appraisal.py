"""Critical appraisal: the summary, the lead's protocol, one study's form, and consensus.

The pages follow the services in `cosynth.services.appraisal` (issue 6): the
lead chooses the instrument and the scoring rule; each appraiser answers every
item of a study with a reason, blind to the others until the appraisers the
protocol requires have finished it (DESIGN.md rule 3: the services decide what
a person may see, and these pages show what they return); where answers
differ, the lead, or the appraisers after discussion, record the agreed
answer with its rationale. Studies below the bar are excluded with the reason
PRISMA and the reports print.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from cosynth.domain.appraisal.instruments import Instrument, Item, Rule
from cosynth.domain.appraisal.judgements import ConsensusMethod, ItemAnswer
from cosynth.domain.appraisal.protocol import AppraisalProtocolChange
from cosynth.domain.roles import Permission, Role, may
from cosynth.errors import InputError
from cosynth.services import appraisal as appraisal_service
from cosynth.services import reviews as review_service
from cosynth.services.appraisal import StudyAppraisal
from cosynth.services.workspace import Tx
from cosynth.web.access import permission_first
from cosynth.web.auth import login_required
from cosynth.web.context import current_user, transaction
from cosynth.web.uploads import display_name

blueprint = Blueprint("appraisal", __name__, url_prefix="/reviews/<int:review_id>/appraisal")

# The most an integer field may hold: a threshold or a number of appraisers.
_MAX_NUMBER_LENGTH = 6


@dataclass(frozen=True, slots=True)
class AppraiserProgress:
    """One appraiser's progress over the included studies, as the summary may show it."""

    appraiser: str
    started: int
    finished: int


@blueprint.route("")
@login_required
def index(review_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        protocol = appraisal_service.appraisal_protocol(tx, review_id)
        summary: list[StudyAppraisal] = []
        exclusions: list[appraisal_service.AppraisalExclusion] = []
        if protocol.instrument is not None:
            summary = appraisal_service.appraisal_summary(tx, review_id)
            exclusions = appraisal_service.appraisal_exclusions(tx, review_id)
    return render_template(
        "appraisal/index.html",
        review=review,
        role=role,
        protocol=protocol,
        summary=summary,
        exclusions=exclusions,
        progress=_progress(summary),
        may_appraise=may(role, Permission.APPRAISE),
        may_edit=may(role, Permission.EDIT_PROTOCOL),
        me=current_user().username,
    )


@blueprint.route("/protocol")
@login_required
def protocol(review_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        in_force = appraisal_service.appraisal_protocol(tx, review_id)
        history = appraisal_service.appraisal_protocol_history(tx, review_id)
        instruments = appraisal_service.list_instruments(tx, review_id)
    return render_template(
        "appraisal/protocol.html",
        review=review,
        protocol=in_force,
        history=history,
        instruments=instruments,
        may_edit=may(role, Permission.EDIT_PROTOCOL),
        rules=list(Rule),
    )


@blueprint.route("/protocol", methods=["POST"])
@login_required
@permission_first(Permission.EDIT_PROTOCOL)
def set_protocol(review_id: int) -> Response:
    form = request.form
    rule = _rule(form.get("rule", ""))
    with transaction() as tx:
        chosen = form.get("instrument", "").strip()
        change = AppraisalProtocolChange(
            instrument=(
                appraisal_service.get_instrument(tx, review_id, chosen) if chosen else None
            ),
            rule=rule,
            threshold=(
                _number(form.get("threshold", ""), _("The threshold"))
                if rule is not Rule.ALL_CRITICAL
                else None
            ),
            appraisers_required=_number(
                form.get("appraisers_required", ""), _("Appraisers per study")
            ),
        )
        saved = appraisal_service.set_appraisal_protocol(
            tx, review_id, change, amendment=form.get("amendment", "")
        )
    assert saved.instrument is not None  # the service refuses a protocol without one
    flash(
        _(
            "The appraisal protocol is version %(version)s: %(instrument)s, %(rule)s.",
            version=saved.version,
            instrument=saved.instrument.name,
            rule=saved.scoring.words,
        ),
        "info",
    )
    return redirect(url_for("appraisal.protocol", review_id=review_id), 303)


@blueprint.route("/instruments", methods=["POST"])
@login_required
@permission_first(Permission.EDIT_PROTOCOL)
def add_instrument(review_id: int) -> Response:
    upload = request.files.get("instrument_file")
    if upload is None or not upload.filename:
        raise InputError(_("Choose the instrument's TOML file to add."))
    with transaction() as tx:
        added = appraisal_service.add_instrument(
            tx, review_id, display_name(upload.filename), upload.read()
        )
    flash(
        _(
            "%(name)s (version %(version)s) is added: choose it below.",
            name=added.name,
            version=added.version,
        ),
        "info",
    )
    return redirect(url_for("appraisal.protocol", review_id=review_id), 303)


@blueprint.route("/studies/<int:record_id>")
@login_required
def study(review_id: int, record_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        found = appraisal_service.study_appraisal(tx, review_id, record_id)
    me = current_user().username
    mine = {j.item_id: j for j in found.judgements if j.appraiser == me}
    return render_template(
        "appraisal/study.html",
        review=review,
        found=found,
        mine=mine,
        others=[j for j in found.judgements if j.appraiser != me],
        may_appraise=may(role, Permission.APPRAISE),
        answer_label=_answer_labels(found.instrument),
    )


@blueprint.route("/studies/<int:record_id>", methods=["POST"])
@login_required
@permission_first(Permission.APPRAISE)
def judge(review_id: int, record_id: int) -> Response:
    instrument_id = request.form.get("instrument", "")
    answers = _answers(request.form, request.form.get("items", "").split())
    with transaction() as tx:
        recorded = appraisal_service.record_judgements(
            tx, review_id, record_id, answers, instrument=instrument_id or None
        )
    flash(
        _("Your answers are saved (%(n)s items).", n=len(recorded)),
        "info",
    )
    return redirect(url_for("appraisal.study", review_id=review_id, record_id=record_id), 303)


@blueprint.route("/studies/<int:record_id>/compare")
@login_required
def compare(review_id: int, record_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        found = appraisal_service.compare_appraisals(tx, review_id, record_id)
    me = current_user().username
    return render_template(
        "appraisal/compare.html",
        review=review,
        found=found,
        # Once enough appraisers have finished, the comparison is of theirs; before then
        # (the lead looking early) of everyone's so far.
        appraisers=found.finished if len(found.finished) >= found.required else found.appraisers,
        may_agree=(
            may(role, Permission.APPRAISE)
            and len(found.finished) >= found.required
            and (role is Role.LEAD or me in found.finished)
        ),
        answer_label=_answer_labels(found.instrument),
    )


@blueprint.route("/studies/<int:record_id>/consensus", methods=["POST"])
@login_required
@permission_first(Permission.APPRAISE)
def agree(review_id: int, record_id: int) -> Response:
    item_id = request.form.get("item", "")
    with transaction() as tx:
        _refuse_if_agreed(tx, review_id, record_id, item_id)
        agreed = appraisal_service.record_consensus(
            tx,
            review_id,
            record_id,
            item_id,
            request.form.get("answer", ""),
            rationale=request.form.get("rationale", ""),
        )
    flash(
        _(
            "Item %(item)s: the agreed answer is kept (%(method)s).",
            item=agreed.item_id,
            method=(
                _("decided by the lead")
                if agreed.method is ConsensusMethod.LEAD
                else _("agreed by the appraisers in discussion")
            ),
        ),
        "info",
    )
    return redirect(url_for("appraisal.compare", review_id=review_id, record_id=record_id), 303)


def _refuse_if_agreed(tx: Tx, review_id: int, record_id: int, item_id: str) -> None:
    """A page opened before someone else agreed the item says so, and changes nothing.

    The comparison page offers a form only for items with no agreed answer, so
    an answer posted for an item that has one comes from a stale page (the
    lead and an appraiser settling it at once), not from a change of mind.
    """
    found = appraisal_service.compare_appraisals(tx, review_id, record_id)
    wanted = item_id.strip().casefold()
    for compared in found.items:
        done = compared.consensus
        if compared.item.id.casefold() == wanted and done is not None:
            raise InputError(
                _(
                    "Item %(item)s of %(study)s was already agreed by %(who)s (%(answer)s) "
                    "while this page was open; nothing was changed.",
                    item=compared.item.id,
                    study=found.study.label,
                    who=done.agreed_by,
                    answer=_answer_labels(found.instrument)(compared.item, done.answer),
                )
            )


# -- reading the forms


def _rule(given: str) -> Rule | None:
    if not given:
        return None
    try:
        return Rule(given)
    except ValueError:
        raise InputError(
            _("Choose the rule: a score at or above the threshold, or all critical items met.")
        ) from None


def _number(given: str, field: str) -> int | None:
    """A whole number typed in a field, or None when it was left empty."""
    given = given.strip()
    if not given:
        return None
    if len(given) > _MAX_NUMBER_LENGTH or not given.isdigit():
        raise InputError(_("%(field)s must be a whole number, such as 7.", field=field))
    return int(given)


def _answers(form: MultiDict[str, str], items: list[str]) -> list[ItemAnswer]:
    """The items the form answered, each with its reason; items left blank are not sent.

    A scored item's answer is a radio button and its reason a text box; an item
    answered in words (`free-ID`) has only the text box.
    """
    answers = []
    for item_id in items:
        answer = form.get(f"answer-{item_id}", "")
        reason = form.get(f"reason-{item_id}", "")
        if form.get(f"free-{item_id}", "") == "1":
            if reason.strip():
                answers.append(ItemAnswer(item=item_id, answer="", reason=reason))
        elif answer:
            answers.append(ItemAnswer(item=item_id, answer=answer, reason=reason))
        elif reason.strip():
            raise InputError(
                _(
                    "Item %(item)s has a reason but no answer: choose an answer, or clear "
                    "the reason.",
                    item=item_id,
                )
            )
    return answers


# -- what the pages show


def _progress(summary: list[StudyAppraisal]) -> list[AppraiserProgress]:
    """Each appraiser: how many studies they have started and finished (as the services say)."""
    started: dict[str, int] = {}
    done: dict[str, int] = {}
    for found in summary:
        for who in found.appraisers:
            started[who] = started.get(who, 0) + 1
        for who in found.finished:
            done[who] = done.get(who, 0) + 1
    return [AppraiserProgress(who, n, done.get(who, 0)) for who, n in sorted(started.items())]


def _answer_labels(instrument: Instrument) -> Callable[[Item | str, str], str]:
    """`answer_label(item, answer_id)`: the answer's words on the item's scale."""

    def label(item: Item | str, answer_id: str) -> str:
        found = instrument.item(item) if isinstance(item, str) else item
        scale = instrument.scale_of(found) if found is not None else None
        answer = scale.answer(answer_id) if scale is not None and answer_id else None
        return answer.label if answer is not None else answer_id

    return label
