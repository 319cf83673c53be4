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

from dataclasses import dataclass
from typing import Any

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
from cosynth.web.access import permission_first
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
@permission_first(Permission.SCREEN, Permission.ADVISE)
def meets(review_id: int, record_id: int) -> str | Response:
    step = _step(review_id, record_id)
    if request.method == "POST":
        answer = request.form.get("answer", "")
        if answer not in ANSWERS:
            abort(400)
        _save(review_id, record_id, meets=answer)
        after = "advice.criterion" if answer == "no" else "advice.note"
        return redirect(url_for(after, review_id=review_id, record_id=record_id), 303)
    return render_template("advice/meets.html", **step.context(), protocol=step.protocol)


@blueprint.route("/<int:record_id>/criterion", methods=["GET", "POST"])
@login_required
@permission_first(Permission.SCREEN, Permission.ADVISE)
def criterion(review_id: int, record_id: int) -> str | Response:
    step = _step(review_id, record_id)
    if step.draft.get("meets") != "no":
        return _go(step, "advice.meets")
    reasons = step.protocol.reasons
    if not reasons:  # the lead set no reasons: there is nothing to choose from
        return _go(step, "advice.note")
    if request.method == "POST":
        chosen = step.protocol.reason_named(request.form.get("criterion", ""))
        if chosen is None:
            raise InputError(
                _(
                    "Choose the criterion the study does not meet. If you are not sure which, "
                    'go back and answer "Not sure" instead.'
                )
            )
        _save(review_id, record_id, criterion=chosen)
        return _go(step, "advice.note")
    return render_template(
        "advice/criterion.html",
        **step.context(),
        reasons=[(reason, plain_reason(reason)) for reason in reasons],
    )


@blueprint.route("/<int:record_id>/note", methods=["GET", "POST"])
@login_required
@permission_first(Permission.SCREEN, Permission.ADVISE)
def note(review_id: int, record_id: int) -> str | Response:
    step = _step(review_id, record_id)
    if step.draft.get("meets") not in ANSWERS:
        return _go(step, "advice.meets")
    if request.method == "POST":
        text = request.form.get("note", "").strip()
        if len(text) > NOTE_MAX:
            raise InputError(
                _(
                    "Please keep your note to %(most)s characters; it has %(has)s. "
                    "You can tell the team more at the next advisory group meeting.",
                    most=format(NOTE_MAX, ","),
                    has=format(len(text), ","),
                )
            )
        _save(review_id, record_id, note=text)
        return _go(step, "advice.check")
    return render_template("advice/note.html", **step.context(), note_max=NOTE_MAX)


@blueprint.route("/<int:record_id>/check")
@login_required
def check(review_id: int, record_id: int) -> str | Response:
    step = _step(review_id, record_id)
    if step.draft.get("meets") not in ANSWERS:
        return _go(step, "advice.meets")
    chosen = step.draft.get("criterion", "") if step.draft.get("meets") == "no" else ""
    return render_template(
        "advice/check.html",
        **step.context(),
        criterion=plain_reason(chosen) if chosen else "",
        advising=step.advising,
    )


@blueprint.route("/<int:record_id>/send", methods=["POST"])
@login_required
@permission_first(Permission.SCREEN, Permission.ADVISE)
def send(review_id: int, record_id: int) -> Response:
    step = _step(review_id, record_id)
    if step.draft.get("meets") not in ANSWERS:
        return _go(step, "advice.meets")
    decision = ANSWERS[step.draft["meets"]]
    with transaction() as tx:
        screening_service.cast_vote(
            tx,
            review_id,
            record_id,
            decision,
            stage=FT,
            reason=step.draft.get("criterion", "") if decision is Decision.EXCLUDE else "",
            note=step.draft.get("note", ""),
        )
    session.pop(_DRAFT, None)
    flash(_("Thank you. The team will see your answers when they decide."), "info")
    return redirect(url_for("advice.queue", review_id=review_id), 303)


@dataclass(frozen=True, slots=True)
class Step:
    """What every question page needs: the study, the stage's protocol and the answers so far."""

    review: Review
    entry: FullTextEntry
    protocol: StageProtocol
    advising: bool
    draft: dict[str, str]

    def context(self) -> dict[str, Any]:
        return {"review": self.review, "entry": self.entry, "draft": self.draft}


def _step(review_id: int, record_id: int) -> Step:
    """The services' answer to "may this person answer about this full text?", asked first.

    Every step asks, whatever the method: someone not on the team, or not asked
    about this full text, is refused before anything is kept in their session.
    """
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        entry = _asked(fulltext_service.full_text_record(tx, review_id, record_id))
        protocol = protocol_service.stage_protocol(tx, review_id, FT)
    return Step(
        review, entry, protocol, not may(role, Permission.SCREEN), _draft(review_id, record_id)
    )


def _go(step: Step, endpoint: str) -> Response:
    return redirect(
        url_for(endpoint, review_id=step.review.id, record_id=step.entry.record.id), 303
    )


def _asked(entry: FullTextEntry) -> FullTextEntry:
    """Only the full texts a person was asked about; the service refuses the rest anyway."""
    if not entry.asked_of_me:
        raise PermissionDeniedError(
            _(
                "The team has not asked you to read this full text. "
                "Your list of full texts shows the ones they have."
            )
        )
    if entry.not_retrieved is not None:
        raise InputError(
            _(
                "The team could not get this full text, so there is nothing to read. "
                "Your list of full texts shows the ones that are here."
            )
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
