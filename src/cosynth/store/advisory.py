"""Queries on the advisory group's records: the latest row of each thing holds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from cosynth.domain.advisory import (
    AccessNeeds,
    Action,
    Answer,
    Consent,
    ContributionNote,
    GroupMember,
    HoursEntry,
    Meeting,
    MeetingMode,
    MemberKind,
    Payment,
    PreferredFormat,
    Rate,
    Recruitment,
    Roundtable,
    Transcript,
    TranscriptSegment,
)
from cosynth.domain.synthesis import Phase
from cosynth.store.advisory_tables import (
    AdvisoryAccessNeedsRow,
    AdvisoryActionDoneRow,
    AdvisoryActionRow,
    AdvisoryConsentRow,
    AdvisoryContributionRow,
    AdvisoryCorrectionRow,
    AdvisoryHoursRow,
    AdvisoryMeetingRow,
    AdvisoryMemberDetailRow,
    AdvisoryMemberRow,
    AdvisoryMinutesRow,
    AdvisoryPaymentRow,
    AdvisoryRateRow,
    AdvisoryRecruitmentRow,
    Gripp2SettingRow,
    RoundtableRow,
    TranscriptRow,
)
from cosynth.store.savepoints import insert_or_concurrent


def _phase(value: int | None) -> Phase | None:
    return Phase(value) if value is not None else None


# --- members ---------------------------------------------------------------------


def insert_member(session: Session, review_id: int, *, at: datetime, actor: str) -> int:
    row = AdvisoryMemberRow(review_id=review_id, at=at, actor=actor)
    session.add(row)
    session.flush()
    return row.id


def insert_member_details(
    session: Session,
    member_id: int,
    *,
    name: str,
    kind: str,
    username: str,
    joined_on: date,
    left_on: date | None,
    at: datetime,
    actor: str,
) -> None:
    session.add(
        AdvisoryMemberDetailRow(
            member_id=member_id,
            name=name,
            kind=kind,
            username=username,
            joined_on=joined_on,
            left_on=left_on,
            at=at,
            actor=actor,
        )
    )
    session.flush()


def members_of(session: Session, review_id: int) -> list[GroupMember]:
    """Every member with their latest details, in the order they were added."""
    latest = (
        select(func.max(AdvisoryMemberDetailRow.id))
        .join(AdvisoryMemberRow, AdvisoryMemberRow.id == AdvisoryMemberDetailRow.member_id)
        .where(AdvisoryMemberRow.review_id == review_id)
        .group_by(AdvisoryMemberDetailRow.member_id)
    )
    rows = session.execute(
        select(AdvisoryMemberRow, AdvisoryMemberDetailRow)
        .join(AdvisoryMemberDetailRow, AdvisoryMemberDetailRow.member_id == AdvisoryMemberRow.id)
        .where(AdvisoryMemberDetailRow.id.in_(latest))
        .order_by(AdvisoryMemberRow.id)
    )
    return [
        GroupMember(
            id=member.id,
            name=detail.name,
            kind=MemberKind(detail.kind),
            username=detail.username,
            joined_on=detail.joined_on,
            left_on=detail.left_on,
            added_at=member.at,
        )
        for member, detail in rows
    ]


# --- recruitment, consent, access needs --------------------------------------------


def insert_recruitment(
    session: Session,
    member_id: int,
    *,
    channel: str,
    recruited_on: date,
    answers: Sequence[Answer],
    at: datetime,
    actor: str,
) -> Recruitment:
    row = AdvisoryRecruitmentRow(
        member_id=member_id,
        channel=channel,
        recruited_on=recruited_on,
        answers=[[a.question, a.answer] for a in answers],
        at=at,
        actor=actor,
    )
    session.add(row)
    session.flush()
    return _recruitment_of(row)


def recruitments_of(session: Session, member_ids: Sequence[int]) -> list[Recruitment]:
    """The latest recruitment record of each member given, in member order."""
    rows = session.scalars(
        select(AdvisoryRecruitmentRow)
        .where(AdvisoryRecruitmentRow.member_id.in_(list(member_ids)))
        .order_by(AdvisoryRecruitmentRow.id)
    )
    latest = {row.member_id: row for row in rows}
    return [_recruitment_of(latest[m]) for m in member_ids if m in latest]


def _recruitment_of(row: AdvisoryRecruitmentRow) -> Recruitment:
    return Recruitment(
        id=row.id,
        member_id=row.member_id,
        channel=row.channel,
        recruited_on=row.recruited_on,
        answers=tuple(Answer(str(q), str(a)) for q, a in row.answers),
        recorded_by=row.actor,
        recorded_at=row.at,
    )


def insert_consent(
    session: Session,
    member_id: int,
    *,
    involvement: bool,
    named: bool,
    quoted: bool,
    contacted: bool,
    given_on: date,
    note: str,
    at: datetime,
    actor: str,
) -> Consent:
    row = AdvisoryConsentRow(
        member_id=member_id,
        involvement=involvement,
        named=named,
        quoted=quoted,
        contacted=contacted,
        given_on=given_on,
        note=note,
        at=at,
        actor=actor,
    )
    session.add(row)
    session.flush()
    return _consent_of(row)


def consents_of(session: Session, member_ids: Sequence[int]) -> list[Consent]:
    """Every consent record of the members given, oldest first (the latest per member holds)."""
    rows = session.scalars(
        select(AdvisoryConsentRow)
        .where(AdvisoryConsentRow.member_id.in_(list(member_ids)))
        .order_by(AdvisoryConsentRow.id)
    )
    return [_consent_of(row) for row in rows]


def _consent_of(row: AdvisoryConsentRow) -> Consent:
    return Consent(
        id=row.id,
        member_id=row.member_id,
        involvement=row.involvement,
        named=row.named,
        quoted=row.quoted,
        contacted=row.contacted,
        given_on=row.given_on,
        note=row.note,
        recorded_by=row.actor,
        recorded_at=row.at,
    )


def insert_access_needs(
    session: Session,
    member_id: int,
    *,
    preferred_format: str,
    language: str,
    large_print: bool,
    easy_read: bool,
    adjustments: str,
    at: datetime,
    actor: str,
) -> AccessNeeds:
    row = AdvisoryAccessNeedsRow(
        member_id=member_id,
        preferred_format=preferred_format,
        language=language,
        large_print=large_print,
        easy_read=easy_read,
        adjustments=adjustments,
        at=at,
        actor=actor,
    )
    session.add(row)
    session.flush()
    return _access_needs_of(row)


def access_needs_of(session: Session, member_ids: Sequence[int]) -> list[AccessNeeds]:
    """The latest access needs of each member given who has any recorded."""
    rows = session.scalars(
        select(AdvisoryAccessNeedsRow)
        .where(AdvisoryAccessNeedsRow.member_id.in_(list(member_ids)))
        .order_by(AdvisoryAccessNeedsRow.id)
    )
    latest = {row.member_id: row for row in rows}
    return [_access_needs_of(latest[m]) for m in member_ids if m in latest]


def _access_needs_of(row: AdvisoryAccessNeedsRow) -> AccessNeeds:
    return AccessNeeds(
        id=row.id,
        member_id=row.member_id,
        preferred_format=PreferredFormat(row.preferred_format),
        language=row.language,
        large_print=row.large_print,
        easy_read=row.easy_read,
        adjustments=row.adjustments,
        recorded_by=row.actor,
        recorded_at=row.at,
    )


# --- meetings and actions ------------------------------------------------------------


def insert_meeting(
    session: Session,
    review_id: int,
    *,
    held_on: date,
    mode: str,
    title: str,
    phase: Phase | None,
    attendee_ids: Sequence[int],
    agenda: str,
    at: datetime,
    actor: str,
) -> int:
    row = AdvisoryMeetingRow(
        review_id=review_id,
        held_on=held_on,
        mode=mode,
        title=title,
        phase=int(phase) if phase is not None else None,
        attendees=list(attendee_ids),
        agenda=agenda,
        at=at,
        actor=actor,
    )
    session.add(row)
    session.flush()
    return row.id


def insert_minutes(
    session: Session, meeting_id: int, text: str, *, at: datetime, actor: str
) -> None:
    session.add(AdvisoryMinutesRow(meeting_id=meeting_id, text=text, at=at, actor=actor))
    session.flush()


def meetings_of(session: Session, review_id: int) -> list[Meeting]:
    """Meetings by date (then as added), each with its latest minutes."""
    rows = list(
        session.scalars(
            select(AdvisoryMeetingRow)
            .where(AdvisoryMeetingRow.review_id == review_id)
            .order_by(AdvisoryMeetingRow.held_on, AdvisoryMeetingRow.id)
        )
    )
    minutes: dict[int, str] = {}
    for row in session.scalars(
        select(AdvisoryMinutesRow)
        .where(AdvisoryMinutesRow.meeting_id.in_([r.id for r in rows]))
        .order_by(AdvisoryMinutesRow.id)
    ):
        minutes[row.meeting_id] = row.text
    return [
        Meeting(
            id=row.id,
            held_on=row.held_on,
            mode=MeetingMode(row.mode),
            title=row.title,
            phase=_phase(row.phase),
            attendee_ids=tuple(int(i) for i in row.attendees),
            agenda=row.agenda,
            minutes=minutes.get(row.id, ""),
            added_by=row.actor,
            added_at=row.at,
        )
        for row in rows
    ]


def insert_action(
    session: Session,
    review_id: int,
    *,
    task: str,
    member_ids: Sequence[int],
    review_team: bool,
    phase: Phase | None,
    due_on: date | None,
    at: datetime,
    actor: str,
) -> int:
    row = AdvisoryActionRow(
        review_id=review_id,
        task=task,
        members=list(member_ids),
        review_team=review_team,
        phase=int(phase) if phase is not None else None,
        due_on=due_on,
        at=at,
        actor=actor,
    )
    session.add(row)
    session.flush()
    return row.id


def insert_action_done(
    session: Session, action_id: int, done_on: date | None, *, at: datetime, actor: str
) -> None:
    session.add(AdvisoryActionDoneRow(action_id=action_id, done_on=done_on, at=at, actor=actor))
    session.flush()


def actions_of(session: Session, review_id: int) -> list[Action]:
    """The action log in the order the actions were added, each with its latest done date."""
    rows = list(
        session.scalars(
            select(AdvisoryActionRow)
            .where(AdvisoryActionRow.review_id == review_id)
            .order_by(AdvisoryActionRow.id)
        )
    )
    done: dict[int, date | None] = {}
    for row in session.scalars(
        select(AdvisoryActionDoneRow)
        .where(AdvisoryActionDoneRow.action_id.in_([r.id for r in rows]))
        .order_by(AdvisoryActionDoneRow.id)
    ):
        done[row.action_id] = row.done_on
    return [
        Action(
            id=row.id,
            task=row.task,
            member_ids=tuple(int(i) for i in row.members),
            review_team=row.review_team,
            phase=_phase(row.phase),
            due_on=row.due_on,
            done_on=done.get(row.id),
            added_by=row.actor,
            added_at=row.at,
        )
        for row in rows
    ]


# --- roundtables and transcripts ---------------------------------------------------


def insert_roundtable(
    session: Session,
    review_id: int,
    *,
    held_on: date,
    minutes: int,
    title: str,
    meeting_id: int | None,
    at: datetime,
    actor: str,
) -> Roundtable:
    row = RoundtableRow(
        review_id=review_id,
        held_on=held_on,
        minutes=minutes,
        title=title,
        meeting_id=meeting_id,
        at=at,
        actor=actor,
    )
    session.add(row)
    session.flush()
    return _roundtable_of(row)


def roundtables_of(session: Session, review_id: int) -> list[Roundtable]:
    rows = session.scalars(
        select(RoundtableRow)
        .where(RoundtableRow.review_id == review_id)
        .order_by(RoundtableRow.held_on, RoundtableRow.id)
    )
    return [_roundtable_of(row) for row in rows]


def _roundtable_of(row: RoundtableRow) -> Roundtable:
    return Roundtable(
        id=row.id,
        held_on=row.held_on,
        minutes=row.minutes,
        title=row.title,
        meeting_id=row.meeting_id,
    )


def transcript_with_digest(session: Session, review_id: int, sha256: str) -> int | None:
    return session.scalar(
        select(TranscriptRow.id).where(
            TranscriptRow.review_id == review_id, TranscriptRow.sha256 == sha256
        )
    )


def insert_transcript(
    session: Session,
    review_id: int,
    roundtable_id: int,
    *,
    filename: str,
    format: str,
    sha256: str,
    raw: bytes,
    segments: Sequence[TranscriptSegment],
    at: datetime,
    actor: str,
) -> TranscriptRow:
    row = TranscriptRow(
        review_id=review_id,
        roundtable_id=roundtable_id,
        filename=filename,
        format=format,
        sha256=sha256,
        size=len(raw),
        raw=raw,
        segments=[
            {
                "number": s.number,
                "speaker": s.speaker,
                "start": s.start,
                "end": s.end,
                "text": s.text,
            }
            for s in segments
        ],
        at=at,
        actor=actor,
    )
    # The same bytes imported twice at the same moment: one lands, the other is refused.
    insert_or_concurrent(
        session, row, f"{filename} was being imported by someone else at the same moment."
    )
    return row


def transcripts_of(
    session: Session,
    review_id: int,
    *,
    roundtable_id: int | None = None,
    transcript_id: int | None = None,
) -> list[Transcript]:
    query = select(TranscriptRow).where(TranscriptRow.review_id == review_id)
    if roundtable_id is not None:
        query = query.where(TranscriptRow.roundtable_id == roundtable_id)
    if transcript_id is not None:
        query = query.where(TranscriptRow.id == transcript_id)
    return [transcript_of(row) for row in session.scalars(query.order_by(TranscriptRow.id))]


def transcript_raw(session: Session, review_id: int, transcript_id: int) -> bytes | None:
    return session.scalar(
        select(TranscriptRow.raw).where(
            TranscriptRow.review_id == review_id, TranscriptRow.id == transcript_id
        )
    )


def transcript_of(row: TranscriptRow) -> Transcript:
    segments: list[dict[str, Any]] = row.segments
    return Transcript(
        id=row.id,
        roundtable_id=row.roundtable_id,
        filename=row.filename,
        format=row.format,
        segments=tuple(
            TranscriptSegment(
                number=int(s["number"]),
                speaker=str(s["speaker"]),
                start=str(s["start"]),
                end=str(s["end"]),
                text=str(s["text"]),
            )
            for s in segments
        ),
        imported_by=row.actor,
        imported_at=row.at,
    )


# --- remuneration ----------------------------------------------------------------


def insert_rate(
    session: Session,
    review_id: int,
    *,
    pence_per_hour: int,
    currency: str,
    from_on: date,
    note: str,
    at: datetime,
    actor: str,
) -> Rate:
    row = AdvisoryRateRow(
        review_id=review_id,
        pence_per_hour=pence_per_hour,
        currency=currency,
        from_on=from_on,
        note=note,
        at=at,
        actor=actor,
    )
    session.add(row)
    session.flush()
    return _rate_of(row)


def rates_of(session: Session, review_id: int) -> list[Rate]:
    rows = session.scalars(
        select(AdvisoryRateRow)
        .where(AdvisoryRateRow.review_id == review_id)
        .order_by(AdvisoryRateRow.from_on, AdvisoryRateRow.id)
    )
    return [_rate_of(row) for row in rows]


def _rate_of(row: AdvisoryRateRow) -> Rate:
    return Rate(
        id=row.id,
        pence_per_hour=row.pence_per_hour,
        currency=row.currency,
        from_on=row.from_on,
        note=row.note,
        set_by=row.actor,
        set_at=row.at,
    )


def insert_hours(
    session: Session,
    member_id: int,
    *,
    worked_on: date,
    minutes: int,
    phase: Phase | None,
    activity: str,
    at: datetime,
    actor: str,
) -> HoursEntry:
    row = AdvisoryHoursRow(
        member_id=member_id,
        worked_on=worked_on,
        minutes=minutes,
        phase=int(phase) if phase is not None else None,
        activity=activity,
        at=at,
        actor=actor,
    )
    session.add(row)
    session.flush()
    return _hours_of(row)


def hours_of(session: Session, member_ids: Sequence[int]) -> list[HoursEntry]:
    """The members' hours by date, leaving out entries withdrawn as mistakes."""
    withdrawn = select(AdvisoryCorrectionRow.hours_id).where(
        AdvisoryCorrectionRow.hours_id.is_not(None)
    )
    rows = session.scalars(
        select(AdvisoryHoursRow)
        .where(
            AdvisoryHoursRow.member_id.in_(list(member_ids)),
            AdvisoryHoursRow.id.not_in(withdrawn),
        )
        .order_by(AdvisoryHoursRow.worked_on, AdvisoryHoursRow.id)
    )
    return [_hours_of(row) for row in rows]


def _hours_of(row: AdvisoryHoursRow) -> HoursEntry:
    return HoursEntry(
        id=row.id,
        member_id=row.member_id,
        worked_on=row.worked_on,
        minutes=row.minutes,
        phase=_phase(row.phase),
        activity=row.activity,
        recorded_by=row.actor,
        recorded_at=row.at,
    )


def insert_payment(
    session: Session,
    member_id: int,
    *,
    paid_on: date,
    pence: int,
    reference: str,
    at: datetime,
    actor: str,
) -> Payment:
    row = AdvisoryPaymentRow(
        member_id=member_id, paid_on=paid_on, pence=pence, reference=reference, at=at, actor=actor
    )
    session.add(row)
    session.flush()
    return _payment_of(row)


def payments_of(session: Session, member_ids: Sequence[int]) -> list[Payment]:
    """The members' payments by date, leaving out those withdrawn as mistakes."""
    withdrawn = select(AdvisoryCorrectionRow.payment_id).where(
        AdvisoryCorrectionRow.payment_id.is_not(None)
    )
    rows = session.scalars(
        select(AdvisoryPaymentRow)
        .where(
            AdvisoryPaymentRow.member_id.in_(list(member_ids)),
            AdvisoryPaymentRow.id.not_in(withdrawn),
        )
        .order_by(AdvisoryPaymentRow.paid_on, AdvisoryPaymentRow.id)
    )
    return [_payment_of(row) for row in rows]


def _payment_of(row: AdvisoryPaymentRow) -> Payment:
    return Payment(
        id=row.id,
        member_id=row.member_id,
        paid_on=row.paid_on,
        pence=row.pence,
        reference=row.reference,
        recorded_by=row.actor,
        recorded_at=row.at,
    )


def insert_correction(
    session: Session,
    *,
    hours_id: int | None = None,
    payment_id: int | None = None,
    reason: str,
    at: datetime,
    actor: str,
) -> None:
    """Withdraw an entry of hours or a payment; withdrawing it twice at once is refused."""
    row = AdvisoryCorrectionRow(
        hours_id=hours_id, payment_id=payment_id, reason=reason, at=at, actor=actor
    )
    insert_or_concurrent(session, row, "Someone withdrew the same entry at the same moment.")


# --- contributions and GRIPP2 ------------------------------------------------------


def insert_contribution(
    session: Session,
    review_id: int,
    *,
    member_id: int | None,
    phase: Phase,
    text: str,
    noted_on: date,
    at: datetime,
    actor: str,
) -> ContributionNote:
    row = AdvisoryContributionRow(
        review_id=review_id,
        member_id=member_id,
        phase=int(phase),
        text=text,
        noted_on=noted_on,
        at=at,
        actor=actor,
    )
    session.add(row)
    session.flush()
    return _contribution_of(row)


def contributions_of(session: Session, review_id: int) -> list[ContributionNote]:
    rows = session.scalars(
        select(AdvisoryContributionRow)
        .where(AdvisoryContributionRow.review_id == review_id)
        .order_by(AdvisoryContributionRow.noted_on, AdvisoryContributionRow.id)
    )
    return [_contribution_of(row) for row in rows]


def _contribution_of(row: AdvisoryContributionRow) -> ContributionNote:
    return ContributionNote(
        id=row.id,
        member_id=row.member_id,
        phase=Phase(row.phase),
        text=row.text,
        noted_on=row.noted_on,
        added_by=row.actor,
        added_at=row.at,
    )


def insert_gripp2_setting(
    session: Session, review_id: int, item: str, text: str, *, at: datetime, actor: str
) -> None:
    session.add(Gripp2SettingRow(review_id=review_id, item=item, text=text, at=at, actor=actor))
    session.flush()


def gripp2_settings_of(session: Session, review_id: int) -> dict[str, str]:
    """The latest text of each item the lead has written."""
    rows = session.scalars(
        select(Gripp2SettingRow)
        .where(Gripp2SettingRow.review_id == review_id)
        .order_by(Gripp2SettingRow.id)
    )
    return {row.item: row.text for row in rows}


def erase_member(session: Session, member_id: int, *, tombstone: str) -> None:
    """Overwrite a member's personal details in every version of them (UK GDPR art. 17).

    The one place history is rewritten rather than appended to: an erasure that
    kept the old versions would erase nothing. The rows stay (the review's
    records of meetings, hours and payments point at them), under `tombstone`.
    """
    session.execute(
        update(AdvisoryMemberDetailRow)
        .where(AdvisoryMemberDetailRow.member_id == member_id)
        .values(name=tombstone, username="")
    )
    session.execute(
        update(AdvisoryRecruitmentRow)
        .where(AdvisoryRecruitmentRow.member_id == member_id)
        .values(channel="(erased)", answers=[])
    )
    session.execute(
        update(AdvisoryConsentRow).where(AdvisoryConsentRow.member_id == member_id).values(note="")
    )
    session.execute(
        update(AdvisoryAccessNeedsRow)
        .where(AdvisoryAccessNeedsRow.member_id == member_id)
        .values(language="", large_print=False, easy_read=False, adjustments="")
    )
