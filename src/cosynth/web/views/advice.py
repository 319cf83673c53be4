"""Adviser mode: a full text read in the page, then one question on each page (DESIGN.md rule 7).

Public and patient advisers are asked about the full texts the lead assigned
them: does the study meet the criteria; if not, which one; anything to tell
the team; then a page to check the answers before sending them. There is no
timer and no countdown. The answers are kept in the session as they go, so
going back (or coming back later in the same session) shows what was typed.
What is sent is recorded by `cast_vote`, which keeps an adviser's answer as
advice beside the reviewers' votes (the paper's full-text screening: advisory
group members read studies and the team decided in the light of their views).

Anyone may switch adviser mode on; a reviewer who does answers the same
questions, and their answer is their vote.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from cosynth.domain.review import Review
from cosynth.domain.roles import Permission, may
from cosynth.domain.screening.stages import Stage, StageProtocol
from cosynth.domain.screening.votes import Decision
from cosynth.errors import InputError, PermissionDeniedError
from cosynth.services import fulltext as fulltext_service
from cosynth.services import reviews as review_service
from cosynth.services import screening as screening_service
from cosynth.services import screening_protocol as protocol_service
from cosynth.services.fulltext import FullTextEntry
from cosynth.web.auth import login_required
from cosynth.web.context import transaction
from cosynth.web.plain_reasons import plain_reason

blueprint = Blueprint("advice", __name__, url_prefix="/reviews/<int:review_id>/advice")

FT = Stage.FULL_TEXT
ANSWERS = {"yes": Decision.INCLUDE, "no": Decision.EXCLUDE, "unsure": Decision.UNSURE}
# The answers travel in the signed session cookie, which browsers cap at about
# 4 KB; a longer note belongs in a conversation with the team.
NOTE_MAX = 1000
_DRAFT = "advice_draft"


@blueprint.route("")
@login_required
def queue(review_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        entries = [e for e in fulltext_service.full_text_records(tx, review_id) if e.asked_of_me]
    return render_template(
        "advice/queue.html",
        review=review,
        waiting=[e for e in entries if e.waiting_for_me],
        done=[e for e in entries if not e.waiting_for_me],
    )


@blueprint.route("/<int:record_id>")
@login_required
def read(review_id: int, record_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        entry = _asked(fulltext_service.full_text_record(tx, review_id, record_id))
        mine = screening_service.record_screening(tx, review_id, record_id, stage=FT).my_vote
    if mine is not None and _draft(review_id, record_id) == {}:
        # Changing an answer already sent starts from that answer.
        answer = next(key for key, decision in ANSWERS.items() if decision is mine.decision)
        _save(review_id, record_id, meets=answer, criterion=mine.reason, note=mine.note)
    return render_template("advice/read.html", review=review, entry=entry, sent=mine is not None)


@blueprint.route("/<int:record_id>/meets", methods=["GET", "POST"])
@login_required
def meets(review_id: int, record_id: int) -> str | Response:
    if request.method == "POST":
        answer = request.form.get("answer", "")
        if answer not in ANSWERS:
            abort(400)
        _save(review_id, record_id, meets=answer)
        step = "advice.criterion" if answer == "no" else "advice.note"
        return redirect(url_for(step, review_id=review_id, record_id=record_id), 303)
    review, entry, protocol = _question_context(review_id, record_id)
    return render_template(
        "advice/meets.html",
        review=review,
        entry=entry,
        protocol=protocol,
        draft=_draft(review_id, record_id),
    )


@blueprint.route("/<int:record_id>/criterion", methods=["GET", "POST"])
@login_required
def criterion(review_id: int, record_id: int) -> str | Response:
    draft = _draft(review_id, record_id)
    if draft.get("meets") != "no":
        return redirect(url_for("advice.meets", review_id=review_id, record_id=record_id), 303)
    review, entry, protocol = _question_context(review_id, record_id)
    if not protocol.reasons:  # the lead set no reasons: there is nothing to choose from
        return redirect(url_for("advice.note", review_id=review_id, record_id=record_id), 303)
    if request.method == "POST":
        chosen = protocol.reason_named(request.form.get("criterion", ""))
        if chosen is None:
            raise InputError(
                "Choose the criterion the study does not meet. If you are not sure which, "
                'go back and answer "Not sure" instead.'
            )
        _save(review_id, record_id, criterion=chosen)
        return redirect(url_for("advice.note", review_id=review_id, record_id=record_id), 303)
    return render_template(
        "advice/criterion.html",
        review=review,
        entry=entry,
        reasons=[(reason, plain_reason(reason)) for reason in protocol.reasons],
        draft=draft,
    )


@blueprint.route("/<int:record_id>/note", methods=["GET", "POST"])
@login_required
def note(review_id: int, record_id: int) -> str | Response:
    draft = _draft(review_id, record_id)
    if draft.get("meets") not in ANSWERS:
        return redirect(url_for("advice.meets", review_id=review_id, record_id=record_id), 303)
    if request.method == "POST":
        text = request.form.get("note", "").strip()
        if len(text) > NOTE_MAX:
            raise InputError(
                f"Please keep your note to {NOTE_MAX:,} characters; it has {len(text):,}. "
                "You can tell the team more at the next advisory group meeting."
            )
        _save(review_id, record_id, note=text)
        return redirect(url_for("advice.check", review_id=review_id, record_id=record_id), 303)
    review, entry, _protocol = _question_context(review_id, record_id)
    return render_template(
        "advice/note.html", review=review, entry=entry, draft=draft, note_max=NOTE_MAX
    )


@blueprint.route("/<int:record_id>/check")
@login_required
def check(review_id: int, record_id: int) -> str | Response:
    draft = _draft(review_id, record_id)
    if draft.get("meets") not in ANSWERS:
        return redirect(url_for("advice.meets", review_id=review_id, record_id=record_id), 303)
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        entry = _asked(fulltext_service.full_text_record(tx, review_id, record_id))
    return render_template(
        "advice/check.html",
        review=review,
        entry=entry,
        draft=draft,
        criterion=plain_reason(draft.get("criterion", "")) if draft.get("meets") == "no" else "",
        advising=not may(role, Permission.SCREEN),
    )


@blueprint.route("/<int:record_id>/send", methods=["POST"])
@login_required
def send(review_id: int, record_id: int) -> Response:
    draft = _draft(review_id, record_id)
    if draft.get("meets") not in ANSWERS:
        return redirect(url_for("advice.meets", review_id=review_id, record_id=record_id), 303)
    decision = ANSWERS[draft["meets"]]
    with transaction() as tx:
        screening_service.cast_vote(
            tx,
            review_id,
            record_id,
            decision,
            stage=FT,
            reason=draft.get("criterion", "") if decision is Decision.EXCLUDE else "",
            note=draft.get("note", ""),
        )
    session.pop(_DRAFT, None)
    flash(_("Thank you. The team will see your answers when they decide."), "info")
    return redirect(url_for("advice.queue", review_id=review_id), 303)


def _question_context(
    review_id: int, record_id: int
) -> tuple[Review, FullTextEntry, StageProtocol]:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        entry = _asked(fulltext_service.full_text_record(tx, review_id, record_id))
        protocol = protocol_service.stage_protocol(tx, review_id, FT)
    return review, entry, protocol


def _asked(entry: FullTextEntry) -> FullTextEntry:
    """Only the full texts a person was asked about; the service refuses the rest anyway."""
    if not entry.asked_of_me:
        raise PermissionDeniedError(
            "The team has not asked you to read this full text. "
            "Your list of full texts shows the ones they have."
        )
    if entry.not_retrieved is not None:
        raise InputError(
            "The team could not get this full text, so there is nothing to read. "
            "Your list of full texts shows the ones that are here."
        )
    return entry


# The answers so far: one record at a time, so the session cookie stays small.


def _draft(review_id: int, record_id: int) -> dict[str, str]:
    draft = session.get(_DRAFT) or {}
    if draft.get("review") != review_id or draft.get("record") != record_id:
        return {}
    return {key: value for key, value in draft.items() if key in ("meets", "criterion", "note")}


def _save(review_id: int, record_id: int, **answers: str) -> None:
    draft = {**_draft(review_id, record_id), **answers}
    session[_DRAFT] = {"review": review_id, "record": record_id, **draft}
