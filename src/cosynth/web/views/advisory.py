"""The advisory group's pages: members, meetings, the action log, roundtables, GRIPP2, and "mine".

The paper's co-production advisory group (six members: service users, unpaid
carers, staff) was recruited, consented, paid for its time, met three times,
kept an action log (the paper's Figure 2) and held a roundtable whose
transcript was coded like a study (Methods). The lead keeps these records
(Permission.MANAGE_ADVISORY_GROUP); the team reads who is in the group, the
meetings, the action log and the transcripts; a member's personal records
(application, consent, access needs, hours and pay) are the lead's, and each
adviser's own on "My involvement", in plain words (DESIGN.md rule 7).

Every form posts and redirects (303); a refused form comes back with what was
typed and the reason beside the field it concerns (422), without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, TypeVar

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from cosynth.domain.advisory import (
    Answer,
    Gripp2Setting,
    MeetingMode,
    MemberKind,
    PreferredFormat,
    format_hours,
    format_money,
    parse_money,
)
from cosynth.domain.roles import Permission, may
from cosynth.domain.synthesis import Phase
from cosynth.errors import InputError, NotFoundError, PermissionDeniedError
from cosynth.services import advisory_group as group_service
from cosynth.services import gripp2 as gripp2_service
from cosynth.services import meetings as meeting_service
from cosynth.services import remuneration as pay_service
from cosynth.services import reviews as review_service
from cosynth.services import roundtables as roundtable_service
from cosynth.web.access import permission_first
from cosynth.web.auth import login_required
from cosynth.web.context import transaction
from cosynth.web.uploads import display_name

blueprint = Blueprint("advisory", __name__, url_prefix="/reviews/<int:review_id>/group")

E = TypeVar("E", bound=Enum)
MANAGE = Permission.MANAGE_ADVISORY_GROUP
# The application form's questions, as the paper's group answered them: "their
# background and experience of co-production within integrated care" (Methods).
APPLICATION_QUESTIONS = (
    "Your background",
    "Your experience of co-production within integrated care",
    "",
)


class FieldError(InputError):
    """A form's answer that cannot be used, with the field it belongs beside."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a form was refused: which form on the page, which field ("" for the whole form)."""

    form: str
    field: str
    message: str


def _refused(page: Callable[..., str], form: str, exc: InputError, **ids: int) -> tuple[str, int]:
    """The form's page again, with what was typed and the reason beside its field."""
    problem = Problem(form, getattr(exc, "field", ""), exc.message)
    typed = {key: request.form.getlist(key) for key in request.form}
    flat = {key: values[0] if len(values) == 1 else values for key, values in typed.items()}
    return page(problem=problem, typed=flat, **ids), 422


# --- reading forms ------------------------------------------------------------------


def _text(name: str) -> str:
    return request.form.get(name, "")


def _checked(name: str) -> bool:
    return request.form.get(name, "") in {"yes", "on", "1", "true"}


def _date(name: str, *, required: bool = True) -> date | None:
    given = request.form.get(name, "").strip()
    if not given:
        if required:
            raise FieldError(name, _("Give the date, e.g. 2023-03-14."))
        return None
    try:
        return date.fromisoformat(given)
    except ValueError:
        raise FieldError(
            name, _("“%(value)s” is not a date like 2023-03-14.", value=given)
        ) from None


def _required_date(name: str) -> date:
    found = _date(name)
    assert found is not None  # required dates raise rather than return None
    return found


def _choice(kind: type[E], name: str, message: str) -> E:
    try:
        return kind(request.form.get(name, ""))
    except ValueError:
        raise FieldError(name, message) from None


def _phase(name: str = "phase", *, required: bool = False) -> Phase | None:
    given = request.form.get(name, "").strip()
    if not given and not required:
        return None
    if given.isdigit() and int(given) in {int(p) for p in Phase}:
        return Phase(int(given))
    raise FieldError(name, _("Choose one of the seven phases."))


def _whole_number(name: str, message: str) -> int:
    given = request.form.get(name, "").strip()
    if not given.isdigit():
        raise FieldError(name, message)
    return int(given)


def _ids(name: str) -> list[int]:
    return [int(value) for value in request.form.getlist(name) if value.isdigit()]


def _optional_id(name: str) -> int | None:
    given = request.form.get(name, "").strip()
    return int(given) if given.isdigit() else None


def _money(name: str) -> int:
    try:
        return parse_money(request.form.get(name, ""))
    except ValueError:
        raise FieldError(
            name, _("Give an amount of money such as 25.00 (pounds and pence).")
        ) from None


def _who(ids: Sequence[int], names: Mapping[int, str], *, team: str = "") -> str:
    """Members' names by id, and the review team when it shares the task, as one list."""
    return ", ".join([*(names.get(i, f"#{i}") for i in ids), *([team] if team else [])])


def _template_globals() -> dict[str, Any]:
    return {
        "who": _who,
        "kinds": list(MemberKind),
        "modes": list(MeetingMode),
        "phases": list(Phase),
        "formats": list(PreferredFormat),
        "money": format_money,
        "hours": format_hours,
        "today": date.today().isoformat(),
    }


def _render(template: str, **context: Any) -> str:
    return render_template(f"advisory/{template}", **_template_globals(), **context)


# --- the group -------------------------------------------------------------------------


@blueprint.route("")
@login_required
def group(review_id: int) -> str:
    return _group_page(review_id=review_id)


def _group_page(
    *, review_id: int, problem: Problem | None = None, typed: Mapping[str, Any] | None = None
) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        manages = may(role, MANAGE)
        members = group_service.group_members(tx, review_id)
        mine = group_service.my_group_member(tx, review_id)
        rates = pay_service.rates(tx, review_id)
        consents = group_service.consents(tx, review_id) if manages else {}
        needs = group_service.all_access_needs(tx, review_id) if manages else {}
        team = review_service.list_members(tx, review_id) if manages else []
    return _render(
        "group.html",
        review=review,
        manages=manages,
        members=members,
        by_kind={kind: [m for m in members if m.kind is kind] for kind in MemberKind},
        mine=mine,
        rates=rates,
        consents=consents,
        needs=needs,
        team=team,
        problem=problem,
        typed=typed or {},
    )


@blueprint.route("/members", methods=["POST"])
@login_required
@permission_first(MANAGE)
def add_member(review_id: int) -> Response | tuple[str, int]:
    try:
        kind = _choice(
            MemberKind,
            "kind",
            _("Choose how they take part: service user, unpaid carer, staff or other."),
        )
        joined = _date("joined_on", required=False)
        with transaction() as tx:
            member = group_service.add_group_member(
                tx,
                review_id,
                _text("name"),
                kind=kind,
                joined_on=joined,
                username=_text("username"),
            )
    except InputError as exc:
        return _refused(_group_page, "member", exc, review_id=review_id)
    flash(_("%(name)s is in the advisory group.", name=member.name), "info")
    return redirect(url_for("advisory.member", review_id=review_id, member_id=member.id), 303)


@blueprint.route("/rate", methods=["POST"])
@login_required
@permission_first(MANAGE)
def set_rate(review_id: int) -> Response | tuple[str, int]:
    try:
        pence = _money("rate")
        from_on = _required_date("from_on")
        with transaction() as tx:
            rate = pay_service.set_rate(tx, review_id, pence, from_on=from_on, note=_text("note"))
    except InputError as exc:
        return _refused(_group_page, "rate", exc, review_id=review_id)
    flash(
        _(
            "From %(day)s, time is paid at %(rate)s an hour.",
            day=rate.from_on.isoformat(),
            rate=format_money(rate.pence_per_hour, rate.currency),
        ),
        "info",
    )
    return redirect(url_for("advisory.group", review_id=review_id), 303)


# --- one member's records (the lead's) ---------------------------------------------------


@blueprint.route("/members/<int:member_id>")
@login_required
def member(review_id: int, member_id: int) -> str:
    return _member_page(review_id=review_id, member_id=member_id)


def _member_page(
    *,
    review_id: int,
    member_id: int,
    problem: Problem | None = None,
    typed: Mapping[str, Any] | None = None,
) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        tx.require(review_id, MANAGE)
        found = group_service.get_group_member(tx, review_id, member_id)
        context = {
            "recruitment": group_service.recruitment(tx, review_id, member_id),
            "consents": group_service.consent_history(tx, review_id, member_id),
            "needs": group_service.access_needs(tx, review_id, member_id),
            "statement": pay_service.statement(tx, review_id, member_id),
            "actions": meeting_service.action_log(tx, review_id, member_id=member_id),
        }
    return _render(
        "member.html",
        review=review,
        member=found,
        questions=APPLICATION_QUESTIONS,
        problem=problem,
        typed=typed or {},
        **context,
    )


def _member_form(
    form: str, action: Callable[[Any, int, int], object], message: Callable[[], str]
) -> Callable[[int, int], Response | tuple[str, int]]:
    """A POST view for one of the forms on a member's page: run `action`, or come back."""

    def view(review_id: int, member_id: int) -> Response | tuple[str, int]:
        try:
            with transaction() as tx:
                action(tx, review_id, member_id)
        except InputError as exc:
            return _refused(_member_page, form, exc, review_id=review_id, member_id=member_id)
        flash(message(), "info")
        return redirect(
            url_for("advisory.member", review_id=review_id, member_id=member_id) + f"#{form}", 303
        )

    view.__name__ = f"member_{form.replace('-', '_')}"
    return view


def _record_recruitment(tx: Any, review_id: int, member_id: int) -> None:
    recruited_on = _required_date("recruited_on")
    answers = [
        Answer(_text(f"question_{n}"), _text(f"answer_{n}"))
        for n in range(1, len(APPLICATION_QUESTIONS) + 1)
        if _text(f"question_{n}").strip() or _text(f"answer_{n}").strip()
    ]
    group_service.record_recruitment(
        tx, review_id, member_id, channel=_text("channel"), recruited_on=recruited_on,
        answers=answers,
    )  # fmt: skip


def _record_consent(tx: Any, review_id: int, member_id: int) -> None:
    given_on = _date("given_on", required=False)
    group_service.record_consent(
        tx, review_id, member_id, involvement=_checked("involvement"), named=_checked("named"),
        quoted=_checked("quoted"), contacted=_checked("contacted"), given_on=given_on,
        note=_text("note"),
    )  # fmt: skip


def _withdraw_consent(tx: Any, review_id: int, member_id: int) -> None:
    on = _date("withdrawn_on", required=False)
    group_service.withdraw_consent(tx, review_id, member_id, on=on, note=_text("note"))


def _record_access_needs(tx: Any, review_id: int, member_id: int) -> None:
    preferred = _choice(
        PreferredFormat, "preferred_format", _("Choose how papers should reach them.")
    )
    group_service.record_access_needs(
        tx, review_id, member_id, preferred_format=preferred, language=_text("language"),
        large_print=_checked("large_print"), easy_read=_checked("easy_read"),
        adjustments=_text("adjustments"),
    )  # fmt: skip


def _record_hours(tx: Any, review_id: int, member_id: int) -> None:
    worked_on = _required_date("worked_on")
    phase = _phase()
    pay_service.record_hours(
        tx, review_id, member_id, _text("hours").strip(), worked_on=worked_on,
        activity=_text("activity"), phase=phase,
    )  # fmt: skip


def _record_payment(tx: Any, review_id: int, member_id: int) -> None:
    pence = _money("amount")
    paid_on = _required_date("paid_on")
    pay_service.record_payment(
        tx, review_id, member_id, pence, paid_on=paid_on, reference=_text("reference")
    )


def _record_leaving(tx: Any, review_id: int, member_id: int) -> None:
    left_on = _date("left_on", required=False)
    group_service.record_leaving(tx, review_id, member_id, left_on=left_on)


for _form, _action, _message in (
    ("recruitment", _record_recruitment, lambda: _("How they were recruited is recorded.")),
    ("consent", _record_consent, lambda: _("Their consent is recorded.")),
    (
        "withdraw",
        _withdraw_consent,
        lambda: _("Their consent is withdrawn; the earlier records are kept."),
    ),
    ("access-needs", _record_access_needs, lambda: _("Their access needs are recorded.")),
    ("hours", _record_hours, lambda: _("The hours are recorded.")),
    ("payment", _record_payment, lambda: _("The payment is recorded.")),
    (
        "leaving",
        _record_leaving,
        lambda: _("Their leaving the group is recorded; their records stay."),
    ),
):
    blueprint.add_url_rule(
        f"/members/<int:member_id>/{_form}",
        view_func=login_required(permission_first(MANAGE)(_member_form(_form, _action, _message))),
        methods=["POST"],
    )


@blueprint.route("/members/<int:member_id>/statement.txt")
@login_required
def statement_text(review_id: int, member_id: int) -> Response:
    with transaction() as tx:
        tx.require(review_id, MANAGE)
        text = pay_service.statement_text(tx, review_id, member_id)
    return _download(text, f"statement-{member_id}.txt")


def _download(text: str, name: str, mimetype: str = "text/plain") -> Response:
    return Response(
        text,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- meetings ------------------------------------------------------------------------------


@blueprint.route("/meetings")
@login_required
def meetings(review_id: int) -> str:
    return _meetings_page(review_id=review_id)


def _meetings_page(
    *, review_id: int, problem: Problem | None = None, typed: Mapping[str, Any] | None = None
) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        found = meeting_service.meetings(tx, review_id)
        members = group_service.group_members(tx, review_id)
    return _render(
        "meetings.html",
        review=review,
        manages=may(role, MANAGE),
        meetings=found,
        members=members,
        names={m.id: m.name for m in members},
        problem=problem,
        typed=typed or {},
    )


@blueprint.route("/meetings", methods=["POST"])
@login_required
@permission_first(MANAGE)
def add_meeting(review_id: int) -> Response | tuple[str, int]:
    try:
        held_on = _required_date("held_on")
        mode = _choice(MeetingMode, "mode", _("Say how the group met."))
        phase = _phase()
        with transaction() as tx:
            added = meeting_service.add_meeting(
                tx, review_id, held_on=held_on, mode=mode, title=_text("title"), phase=phase,
                attendee_ids=_ids("attendees"), agenda=_text("agenda"), minutes=_text("minutes"),
            )  # fmt: skip
    except InputError as exc:
        return _refused(_meetings_page, "meeting", exc, review_id=review_id)
    flash(_("The meeting is recorded."), "info")
    return redirect(url_for("advisory.meeting", review_id=review_id, meeting_id=added.id), 303)


@blueprint.route("/meetings/<int:meeting_id>")
@login_required
def meeting(review_id: int, meeting_id: int) -> str:
    return _meeting_page(review_id=review_id, meeting_id=meeting_id)


def _meeting_page(
    *,
    review_id: int,
    meeting_id: int,
    problem: Problem | None = None,
    typed: Mapping[str, Any] | None = None,
) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        found = meeting_service.get_meeting(tx, review_id, meeting_id)
        members = group_service.group_members(tx, review_id)
        tables = [
            t for t in roundtable_service.roundtables(tx, review_id) if t.meeting_id == meeting_id
        ]
    return _render(
        "meeting.html",
        review=review,
        manages=may(role, MANAGE),
        meeting=found,
        names={m.id: m.name for m in members},
        roundtables=tables,
        problem=problem,
        typed=typed or {},
    )


@blueprint.route("/meetings/<int:meeting_id>/minutes", methods=["POST"])
@login_required
@permission_first(MANAGE)
def minutes(review_id: int, meeting_id: int) -> Response | tuple[str, int]:
    try:
        with transaction() as tx:
            meeting_service.record_minutes(tx, review_id, meeting_id, _text("minutes"))
    except InputError as exc:
        return _refused(
            _meeting_page, "minutes", FieldError("minutes", exc.message),
            review_id=review_id, meeting_id=meeting_id,
        )  # fmt: skip
    flash(_("The minutes are saved."), "info")
    return redirect(url_for("advisory.meeting", review_id=review_id, meeting_id=meeting_id), 303)


# --- the action log (the paper's Figure 2) ---------------------------------------------------


@blueprint.route("/actions")
@login_required
def actions(review_id: int) -> str:
    return _actions_page(review_id=review_id)


def _actions_page(
    *, review_id: int, problem: Problem | None = None, typed: Mapping[str, Any] | None = None
) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        found = meeting_service.action_log(tx, review_id)
        members = group_service.group_members(tx, review_id)
        today = tx.now.date()
    return _render(
        "actions.html",
        review=review,
        manages=may(role, MANAGE),
        actions=found,
        members=members,
        names={m.id: m.name for m in members},
        on=today,
        problem=problem,
        typed=typed or {},
    )


@blueprint.route("/actions", methods=["POST"])
@login_required
@permission_first(MANAGE)
def add_action(review_id: int) -> Response | tuple[str, int]:
    try:
        phase = _phase()
        due_on = _date("due_on", required=False)
        with transaction() as tx:
            meeting_service.add_action(
                tx, review_id, _text("task"), member_ids=_ids("who"),
                review_team=_checked("review_team"), phase=phase, due_on=due_on,
            )  # fmt: skip
    except InputError as exc:
        return _refused(_actions_page, "action", exc, review_id=review_id)
    flash(_("The task is in the action log."), "info")
    return redirect(url_for("advisory.actions", review_id=review_id), 303)


@blueprint.route("/actions/<int:action_id>/done", methods=["POST"])
@login_required
@permission_first(MANAGE)
def action_done(review_id: int, action_id: int) -> Response:
    with transaction() as tx:
        done = meeting_service.complete_action(tx, review_id, action_id)
    flash(_("Done: %(task)s", task=done.task), "info")
    return redirect(url_for("advisory.actions", review_id=review_id) + f"#action-{action_id}", 303)


@blueprint.route("/actions/<int:action_id>/reopen", methods=["POST"])
@login_required
@permission_first(MANAGE)
def action_reopen(review_id: int, action_id: int) -> Response:
    with transaction() as tx:
        opened = meeting_service.reopen_action(tx, review_id, action_id)
    flash(_("Open again: %(task)s", task=opened.task), "info")
    return redirect(url_for("advisory.actions", review_id=review_id) + f"#action-{action_id}", 303)


# --- roundtables and their transcripts ----------------------------------------------------------


@blueprint.route("/roundtables")
@login_required
def roundtables(review_id: int) -> str:
    return _roundtables_page(review_id=review_id)


def _roundtables_page(
    *, review_id: int, problem: Problem | None = None, typed: Mapping[str, Any] | None = None
) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        found = roundtable_service.roundtables(tx, review_id)
        held = meeting_service.meetings(tx, review_id)
        counts: dict[int, int] = {}
        for transcript in roundtable_service.transcripts(tx, review_id):
            counts[transcript.roundtable_id] = counts.get(transcript.roundtable_id, 0) + 1
    return _render(
        "roundtables.html",
        review=review,
        manages=may(role, MANAGE),
        roundtables=found,
        meetings=held,
        counts=counts,
        problem=problem,
        typed=typed or {},
    )


@blueprint.route("/roundtables", methods=["POST"])
@login_required
@permission_first(MANAGE)
def add_roundtable(review_id: int) -> Response | tuple[str, int]:
    try:
        held_on = _required_date("held_on")
        length = _whole_number("minutes", _("Give how long it lasted in minutes, e.g. 90."))
        with transaction() as tx:
            added = roundtable_service.add_roundtable(
                tx, review_id, held_on=held_on, minutes=length, title=_text("title"),
                meeting_id=_optional_id("meeting"),
            )  # fmt: skip
    except InputError as exc:
        return _refused(_roundtables_page, "roundtable", exc, review_id=review_id)
    flash(_("The roundtable is recorded: now upload its transcript."), "info")
    return redirect(
        url_for("advisory.roundtable", review_id=review_id, roundtable_id=added.id), 303
    )


@blueprint.route("/roundtables/<int:roundtable_id>")
@login_required
def roundtable(review_id: int, roundtable_id: int) -> str:
    return _roundtable_page(review_id=review_id, roundtable_id=roundtable_id)


def _roundtable_page(
    *,
    review_id: int,
    roundtable_id: int,
    problem: Problem | None = None,
    typed: Mapping[str, Any] | None = None,
) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        found = roundtable_service.get_roundtable(tx, review_id, roundtable_id)
        kept = roundtable_service.transcripts(tx, review_id, roundtable_id)
        held = (
            meeting_service.get_meeting(tx, review_id, found.meeting_id)
            if found.meeting_id is not None
            else None
        )
    return _render(
        "roundtable.html",
        review=review,
        manages=may(role, MANAGE),
        roundtable=found,
        transcripts=kept,
        meeting=held,
        problem=problem,
        typed=typed or {},
    )


@blueprint.route("/roundtables/<int:roundtable_id>/transcripts", methods=["POST"])
@login_required
@permission_first(MANAGE)
def upload_transcript(review_id: int, roundtable_id: int) -> Response | tuple[str, int]:
    sent = request.files.get("transcript")
    try:
        if sent is None or not sent.filename:
            raise FieldError("transcript", _("Choose the transcript's file: .vtt, .docx or .txt."))
        with transaction() as tx:
            kept = roundtable_service.import_transcript(
                tx, review_id, roundtable_id, display_name(sent.filename), sent.read()
            )
    except InputError as exc:
        error = exc if isinstance(exc, FieldError) else FieldError("transcript", exc.message)
        return _refused(
            _roundtable_page, "transcript", error, review_id=review_id, roundtable_id=roundtable_id
        )
    flash(_("%(file)s is imported: %(n)s turns.", file=kept.filename, n=len(kept.segments)), "info")
    return redirect(url_for("advisory.transcript", review_id=review_id, transcript_id=kept.id), 303)


@blueprint.route("/transcripts/<int:transcript_id>")
@login_required
def transcript(review_id: int, transcript_id: int) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        found = roundtable_service.get_transcript(tx, review_id, transcript_id)
        table = roundtable_service.get_roundtable(tx, review_id, found.roundtable_id)
    speakers = sorted({s.speaker for s in found.segments if s.speaker})
    return _render(
        "transcript.html", review=review, transcript=found, roundtable=table, speakers=speakers
    )


@blueprint.route("/transcripts/<int:transcript_id>/file")
@login_required
def transcript_file(review_id: int, transcript_id: int) -> Response:
    with transaction() as tx:
        name, data = roundtable_service.transcript_file(tx, review_id, transcript_id)
    return Response(
        data,
        mimetype="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{_ascii(name)}"'},
    )


def _ascii(name: str) -> str:
    return "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name)


# --- GRIPP2 short form (Staniszewska et al. 2017) -------------------------------------------------


@blueprint.route("/gripp2")
@login_required
def gripp2(review_id: int) -> str:
    return _gripp2_page(review_id=review_id)


def _gripp2_page(
    *, review_id: int, problem: Problem | None = None, typed: Mapping[str, Any] | None = None
) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        role = tx.require(review_id, Permission.VIEW)
        report = gripp2_service.gripp2_report(tx, review_id)
        texts = gripp2_service.gripp2_texts(tx, review_id)
        contributions = gripp2_service.contributions(tx, review_id)
        members = group_service.group_members(tx, review_id)
    return _render(
        "gripp2.html",
        review=review,
        manages=may(role, MANAGE),
        report=report,
        texts={item.value: text for item, text in texts.items()},
        contributions=contributions,
        members=members,
        names={m.id: m.name for m in members},
        problem=problem,
        typed=typed or {},
    )


@blueprint.route("/gripp2", methods=["POST"])
@login_required
@permission_first(MANAGE)
def gripp2_texts(review_id: int) -> Response:
    with transaction() as tx:
        kept = gripp2_service.gripp2_texts(tx, review_id)
        for item in Gripp2Setting:
            given = _text(item.value).strip()
            if item.value in request.form and given != kept[item]:
                gripp2_service.set_gripp2_text(tx, review_id, item, given)
    flash(_("The short form's own words are saved."), "info")
    return redirect(url_for("advisory.gripp2", review_id=review_id), 303)


@blueprint.route("/contributions", methods=["POST"])
@login_required
@permission_first(MANAGE)
def note_contribution(review_id: int) -> Response | tuple[str, int]:
    try:
        phase = _phase(required=True)
        assert phase is not None  # a required phase raises rather than return None
        noted_on = _date("noted_on", required=False)
        with transaction() as tx:
            gripp2_service.note_contribution(
                tx, review_id, phase, _text("text"), member_id=_optional_id("member"),
                noted_on=noted_on,
            )  # fmt: skip
    except InputError as exc:
        return _refused(_gripp2_page, "contribution", exc, review_id=review_id)
    flash(_("The contribution is noted."), "info")
    return redirect(url_for("advisory.gripp2", review_id=review_id) + "#contributions", 303)


@blueprint.route("/gripp2.md")
@login_required
def gripp2_markdown(review_id: int) -> Response:
    with transaction() as tx:
        text = gripp2_service.gripp2_markdown(tx, review_id)
    return _download(text, "gripp2-short-form.md", "text/markdown")


# --- My involvement: an adviser's own page -------------------------------------------------------


@blueprint.route("/me")
@login_required
def me(review_id: int) -> str:
    return _me_page(review_id=review_id)


def _me_page(
    *, review_id: int, problem: Problem | None = None, typed: Mapping[str, Any] | None = None
) -> str:
    with transaction() as tx:
        review = review_service.get_review(tx, review_id)
        mine = group_service.my_group_member(tx, review_id)
        context: dict[str, Any] = {}
        if mine is not None:
            context = {
                "actions": meeting_service.action_log(tx, review_id, member_id=mine.id),
                "statement": pay_service.statement(tx, review_id, mine.id),
                "needs": group_service.access_needs(tx, review_id, mine.id),
                "consent": group_service.consent(tx, review_id, mine.id),
                "on": tx.now.date(),
            }
    return _render(
        "me.html", review=review, member=mine, problem=problem, typed=typed or {}, **context
    )


@blueprint.route("/me/access-needs", methods=["POST"])
@login_required
@permission_first(Permission.VIEW)
def my_access_needs(review_id: int) -> Response | tuple[str, int]:
    try:
        with transaction() as tx:
            mine = group_service.my_group_member(tx, review_id)
            if mine is None:
                # Refused before the form is read, like any form one may not send.
                raise PermissionDeniedError(
                    _(
                        "Only members of the advisory group record their own access needs, "
                        "and your account is not linked to one; ask the review's lead."
                    )
                )
            _record_access_needs(tx, review_id, mine.id)
    except InputError as exc:
        return _refused(_me_page, "access-needs", exc, review_id=review_id)
    flash(_("Thank you: your needs are saved, and the lead will see them."), "info")
    return redirect(url_for("advisory.me", review_id=review_id), 303)


@blueprint.route("/me/statement.txt")
@login_required
def my_statement(review_id: int) -> Response:
    with transaction() as tx:
        mine = group_service.my_group_member(tx, review_id)
        if mine is None:
            raise NotFoundError(
                _("Your account is not linked to a member of the advisory group: no statement.")
            )
        text = pay_service.statement_text(tx, review_id, mine.id)
    return _download(text, "my-statement.txt")
