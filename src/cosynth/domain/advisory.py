"""The co-production advisory group: its members, meetings, action log, roundtables and pay.

The paper's review was co-produced with a co-production advisory group (CAG) of six
people: two service users, two unpaid carers and two staff, recruited through a local
Healthwatch network by newsletter and word of mouth, who met three times and kept in
touch by email and telephone, and were paid for their time (the paper's Methods). Its
action log (the paper's Figure 2) records who did what in which phase; a 90-minute
roundtable was recorded and its transcript coded for key concepts like a study's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from cosynth.domain.synthesis import Phase


@dataclass(frozen=True, slots=True)
class TranscriptSegment:
    """One turn of a transcript: `number` counts from 1; `start` and `end` are WebVTT
    cue times such as "00:01:02.500", and "" for a plain-text or DOCX transcript."""

    number: int
    speaker: str
    start: str
    end: str
    text: str


@dataclass(frozen=True, slots=True)
class Transcript:
    """A roundtable's transcript as imported: `format` is "text", "docx" or "webvtt"."""

    id: int
    roundtable_id: int
    filename: str
    format: str
    segments: tuple[TranscriptSegment, ...]
    imported_by: str
    imported_at: datetime


@dataclass(frozen=True, slots=True)
class Roundtable:
    """A recorded discussion with the group, e.g. the paper's 90-minute roundtable."""

    id: int
    held_on: date
    minutes: int
    title: str
    meeting_id: int | None


# --- Members, recruitment, consent, access needs -------------------------------------


class MemberKind(StrEnum):
    """Who a member is: the paper's group had two of each of the first three."""

    SERVICE_USER = "service user"
    UNPAID_CARER = "unpaid carer"
    STAFF = "staff"
    OTHER = "other"

    @property
    def plural(self) -> str:
        return {
            MemberKind.SERVICE_USER: "service users",
            MemberKind.UNPAID_CARER: "unpaid carers",
            MemberKind.STAFF: "members of staff",
            MemberKind.OTHER: "others",
        }[self]


@dataclass(frozen=True, slots=True)
class GroupMember:
    """A member of the advisory group as they stand now (the latest of their details).

    `username` links the member to a cosynth account (an adviser who signs in),
    "" when they have none.
    """

    id: int
    name: str
    kind: MemberKind
    username: str
    joined_on: date
    left_on: date | None
    added_at: datetime

    def active_on(self, on: date) -> bool:
        return self.joined_on <= on and (self.left_on is None or on < self.left_on)


@dataclass(frozen=True, slots=True)
class Answer:
    """One question of the application form and the member's answer."""

    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class Recruitment:
    """How a member came to the group: the paper's were recruited "through a local
    Healthwatch network via newsletter and word of mouth" and filled in "a simple
    application form" (Methods)."""

    id: int
    member_id: int
    channel: str
    recruited_on: date
    answers: tuple[Answer, ...]
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class Consent:
    """What a member agreed to, as of `given_on`. A withdrawal is a later Consent with
    everything refused; nothing earlier is edited."""

    id: int
    member_id: int
    involvement: bool
    named: bool  # named in the acknowledgements (the paper names its CAG members)
    quoted: bool  # their words quoted in outputs
    contacted: bool  # contacted about this and later work
    given_on: date
    note: str
    recorded_by: str
    recorded_at: datetime

    @property
    def withdrawn(self) -> bool:
        return not (self.involvement or self.named or self.quoted or self.contacted)


class PreferredFormat(StrEnum):
    EMAIL = "email"
    PAPER = "paper"
    TELEPHONE = "telephone"


@dataclass(frozen=True, slots=True)
class AccessNeeds:
    """How a member wants to receive papers and take part."""

    id: int
    member_id: int
    preferred_format: PreferredFormat
    language: str
    large_print: bool
    easy_read: bool
    adjustments: str
    recorded_by: str
    recorded_at: datetime

    @property
    def any(self) -> bool:
        """Anything beyond English papers by email."""
        return (
            self.preferred_format is not PreferredFormat.EMAIL
            or self.language.strip().lower() not in ("", "english")
            or self.large_print
            or self.easy_read
            or bool(self.adjustments.strip())
        )


# --- Meetings and the action log (the paper's Figure 2) -------------------------------


class MeetingMode(StrEnum):
    IN_PERSON = "in person"
    ONLINE = "online"
    TELEPHONE = "telephone"
    EMAIL = "email"


@dataclass(frozen=True, slots=True)
class Meeting:
    """A meeting of the group; `minutes` is the latest minutes recorded ("" for none)."""

    id: int
    held_on: date
    mode: MeetingMode
    title: str
    phase: Phase | None
    attendee_ids: tuple[int, ...]
    agenda: str
    minutes: str
    added_by: str
    added_at: datetime


REVIEW_TEAM = "review team"


@dataclass(frozen=True, slots=True)
class Action:
    """One line of the action log: a task, who does it (group members and/or the review
    team), the phase it belongs to, when it is due and when it was done."""

    id: int
    task: str
    member_ids: tuple[int, ...]
    review_team: bool
    phase: Phase | None
    due_on: date | None
    done_on: date | None
    added_by: str
    added_at: datetime

    @property
    def done(self) -> bool:
        return self.done_on is not None

    def overdue(self, today: date) -> bool:
        """Not done and past its due date."""
        return self.done_on is None and self.due_on is not None and self.due_on < today


# --- Remuneration (NIHR payment guidance for public contributors) ----------------------


@dataclass(frozen=True, slots=True)
class Rate:
    """The review's rate for involvement, in pence per hour, from a date on."""

    id: int
    pence_per_hour: int
    currency: str
    from_on: date
    note: str
    set_by: str
    set_at: datetime


@dataclass(frozen=True, slots=True)
class HoursEntry:
    """Time a member gave: kept in whole minutes so that money never passes through floats."""

    id: int
    member_id: int
    worked_on: date
    minutes: int
    phase: Phase | None
    activity: str
    recorded_by: str
    recorded_at: datetime

    @property
    def hours(self) -> str:
        return format_hours(self.minutes)


@dataclass(frozen=True, slots=True)
class Payment:
    id: int
    member_id: int
    paid_on: date
    pence: int
    reference: str
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One entry of hours valued at the rate in force on its date (`rate` None: no rate
    was set then, so it is valued at nothing until one is)."""

    entry: HoursEntry
    rate: Rate | None
    pence: int


@dataclass(frozen=True, slots=True)
class Statement:
    """A member's statement: what their time is worth, what was paid, what is owed."""

    member: GroupMember
    currency: str
    lines: tuple[StatementLine, ...]
    payments: tuple[Payment, ...]

    @property
    def minutes(self) -> int:
        return sum(line.entry.minutes for line in self.lines)

    @property
    def earned(self) -> int:
        return sum(line.pence for line in self.lines)

    @property
    def paid(self) -> int:
        return sum(payment.pence for payment in self.payments)

    @property
    def owed(self) -> int:
        """Negative when more was paid than the hours are worth (an advance)."""
        return self.earned - self.paid

    @property
    def unpriced(self) -> tuple[StatementLine, ...]:
        return tuple(line for line in self.lines if line.rate is None)


def rate_on(rates: Sequence[Rate], on: date) -> Rate | None:
    """The rate in force on `on`: the latest one from a date no later than it (of two
    from the same date, the one set last)."""
    candidates = [rate for rate in rates if rate.from_on <= on]
    if not candidates:
        return None
    return max(candidates, key=lambda rate: (rate.from_on, rate.set_at, rate.id))


def value_of(minutes: int, pence_per_hour: int) -> int:
    """What `minutes` are worth at `pence_per_hour`, to the nearest penny (halves up)."""
    return (minutes * pence_per_hour + 30) // 60


def build_statement(
    member: GroupMember,
    entries: Sequence[HoursEntry],
    payments: Sequence[Payment],
    rates: Sequence[Rate],
    *,
    currency: str = "GBP",
) -> Statement:
    lines = []
    for entry in sorted(entries, key=lambda e: (e.worked_on, e.id)):
        rate = rate_on(rates, entry.worked_on)
        pence = value_of(entry.minutes, rate.pence_per_hour) if rate else 0
        lines.append(StatementLine(entry=entry, rate=rate, pence=pence))
    latest = max(rates, key=lambda r: (r.from_on, r.set_at, r.id)) if rates else None
    return Statement(
        member=member,
        currency=latest.currency if latest else currency,
        lines=tuple(lines),
        payments=tuple(sorted(payments, key=lambda p: (p.paid_on, p.id))),
    )


_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def format_money(pence: int, currency: str = "GBP") -> str:
    """ "£12.50", "-£3.00", or "12.50 CHF" for a currency without a symbol here."""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    symbol = _SYMBOLS.get(currency)
    if symbol:
        return f"{sign}{symbol}{whole:,}.{part:02d}"
    return f"{sign}{whole:,}.{part:02d} {currency}"


_MONEY = re.compile(r"^\s*[£€$]?\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$")


def parse_money(text: str) -> int:
    """Pence from "12.50", "£12.5" or "12"; ValueError for anything else."""
    match = _MONEY.match(text.replace(",", ""))
    if not match:
        raise ValueError(f"{text!r} is not an amount of money such as 12.50")
    pounds, pence = match.group(1), (match.group(2) or "0").ljust(2, "0")
    return int(pounds) * 100 + int(pence)


_HOURS = re.compile(r"^\s*(\d{1,4})(?:\.(\d{1,2}))?\s*$|^\s*(\d{1,4}):([0-5]\d)\s*$")


def parse_hours(text: str) -> int:
    """Whole minutes from "1.5", "2", "0.25" or "1:30"; ValueError for anything else
    (including an amount that is not a whole number of minutes, such as 0.01)."""
    match = _HOURS.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a number of hours such as 1.5 or 1:30")
    if match.group(3) is not None:
        return int(match.group(3)) * 60 + int(match.group(4))
    hundredths = int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
    if (hundredths * 60) % 100:
        raise ValueError(f"{text} hours is not a whole number of minutes")
    return hundredths * 60 // 100


def format_hours(minutes: int) -> str:
    """ "1.5", "2", "0.25"; minutes that are not a tidy fraction as "1:07"."""
    if (minutes * 100) % 60:
        return f"{minutes // 60}:{minutes % 60:02d}"
    hundredths = minutes * 100 // 60
    whole, part = divmod(hundredths, 100)
    return f"{whole}" if not part else f"{whole}.{part:02d}".rstrip("0")


# --- Contributions per phase --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContributionNote:
    """A contribution written down in words: by one member, or the group (None)."""

    id: int
    member_id: int | None
    phase: Phase
    text: str
    noted_on: date
    added_by: str
    added_at: datetime


@dataclass(frozen=True, slots=True)
class PhaseContribution:
    """What the group gave to one of Noblit & Hare's phases (None: not tied to a phase)."""

    phase: Phase | None
    actions: tuple[Action, ...]
    meetings: tuple[Meeting, ...]
    minutes: int  # the group's hours in the phase, all members together
    notes: tuple[ContributionNote, ...]
    roundtables: tuple[Roundtable, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.actions or self.meetings or self.minutes or self.notes or self.roundtables)


def contributions_by_phase(
    actions: Sequence[Action],
    meetings: Sequence[Meeting],
    hours: Sequence[HoursEntry],
    notes: Sequence[ContributionNote],
) -> list[PhaseContribution]:
    """One entry per phase in order (all seven), then one for what has no phase if any."""
    keys: list[Phase | None] = [*Phase, None]
    result = []
    for phase in keys:
        entry = PhaseContribution(
            phase=phase,
            actions=tuple(a for a in actions if a.phase == phase),
            meetings=tuple(m for m in meetings if m.phase == phase),
            minutes=sum(h.minutes for h in hours if h.phase == phase),
            notes=tuple(n for n in notes if n.phase == phase),
        )
        if phase is not None or not entry.empty:
            result.append(entry)
    return result


# --- GRIPP2 short form (Staniszewska et al. 2017, BMJ 358:j3453) ----------------------


class Gripp2Setting(StrEnum):
    """The items of the short form that are the lead's own words, kept per review."""

    AIM = "aim"
    DISCUSSION = "discussion"
    REFLECTIONS = "reflections"


GRIPP2_TITLES: dict[int, str] = {
    1: "Aim",
    2: "Methods",
    3: "Results",
    4: "Discussion and conclusions",
    5: "Reflections/critical perspective",
}

# The short form's own prompts, so a missing item says what belongs there.
GRIPP2_PROMPTS: dict[int, str] = {
    1: "Report the aim of patient and public involvement in the study.",
    2: "Provide a clear description of the methods by which patients and the public were involved.",
    3: "Report the outcomes of patient and public involvement in the study, including "
    "both positive and negative outcomes.",
    4: "Comment on the extent to which patient and public involvement has influenced "
    "the study overall. Describe positive and negative effects.",
    5: "Comment critically on the study, reflecting on the things that went well and "
    "those that did not, so others can learn from this study.",
}


@dataclass(frozen=True, slots=True)
class Gripp2Item:
    """One item of the short form: its text as built from the records, and `missing`
    when the review has nothing for it yet (the text then says what belongs there)."""

    number: int
    title: str
    text: str
    missing: bool


@dataclass(frozen=True, slots=True)
class Gripp2Report:
    items: tuple[Gripp2Item, ...]

    @property
    def complete(self) -> bool:
        return not any(item.missing for item in self.items)


@dataclass(frozen=True, slots=True)
class GroupRecords:
    """What the short form is written from: the group's records, read by the service."""

    aim: str
    discussion: str
    reflections: str
    members: tuple[GroupMember, ...]
    recruitments: tuple[Recruitment, ...]
    meetings: tuple[Meeting, ...]
    rates: tuple[Rate, ...]
    total_minutes: int
    total_paid: int
    access_needs: tuple[AccessNeeds, ...]
    contributions: tuple[PhaseContribution, ...]
    actions: tuple[Action, ...]
    roundtables: tuple[Roundtable, ...]


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _listed(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def gripp2_short_form(records: GroupRecords) -> Gripp2Report:
    """The five items of the GRIPP2 short form, items 2 and 3 built from the records."""
    return Gripp2Report(
        items=(
            _own_words(1, records.aim),
            _methods(records),
            _results(records),
            _own_words(4, records.discussion),
            _own_words(5, records.reflections),
        )
    )


def _own_words(number: int, text: str) -> Gripp2Item:
    text = text.strip()
    return Gripp2Item(number, GRIPP2_TITLES[number], text or GRIPP2_PROMPTS[number], not text)


def _methods(records: GroupRecords) -> Gripp2Item:
    members = records.members
    if not members:
        return Gripp2Item(2, GRIPP2_TITLES[2], GRIPP2_PROMPTS[2], True)
    kinds = [
        f"{_count(n, kind.value, kind.plural)}"
        for kind in MemberKind
        if (n := sum(1 for m in members if m.kind is kind))
    ]
    sentences = [
        f"An advisory group of {len(members)} "
        f"{'member' if len(members) == 1 else 'members'} took part: {_listed(kinds)}."
    ]
    channels = sorted({r.channel for r in records.recruitments if r.channel})
    if channels:
        forms = sum(1 for r in records.recruitments if r.answers)
        sentence = f"Members were recruited through {_listed(channels)}"
        if forms:
            sentence += f"; {_count(forms, 'member', 'members')} completed an application form"
        sentences.append(sentence + ".")
    # The paper: "The group met three times with additional email and telephone
    # communications" (Methods): meetings proper, then the contact in between.
    met = [m for m in records.meetings if m.mode in (MeetingMode.IN_PERSON, MeetingMode.ONLINE)]
    if met:
        modes = [
            f"{n} {mode.value}"
            for mode in (MeetingMode.IN_PERSON, MeetingMode.ONLINE)
            if (n := sum(1 for m in met if m.mode is mode))
        ]
        sentences.append(f"The group met {_count(len(met), 'time', 'times')} ({_listed(modes)}).")
    between = [
        f"{mode.value} ({n})"
        for mode in (MeetingMode.EMAIL, MeetingMode.TELEPHONE)
        if (n := sum(1 for m in records.meetings if m.mode is mode))
    ]
    if between:
        sentences.append(f"Members also took part by {_listed(between)}.")
    if records.rates:
        latest = max(records.rates, key=lambda r: (r.from_on, r.set_at, r.id))
        sentence = (
            f"Members were paid for their time at "
            f"{format_money(latest.pence_per_hour, latest.currency)} an hour"
        )
        if records.total_minutes:
            sentence += f"; {format_hours(records.total_minutes)} hours were recorded"
        if records.total_paid:
            sentence += f" and {format_money(records.total_paid, latest.currency)} paid"
        sentences.append(sentence + ".")
    needs = [n for n in records.access_needs if n.any]
    if needs:
        parts = []
        if n := sum(1 for a in needs if a.preferred_format is PreferredFormat.PAPER):
            parts.append(f"papers on paper for {n}")
        if n := sum(1 for a in needs if a.preferred_format is PreferredFormat.TELEPHONE):
            parts.append(f"contact by telephone for {n}")
        if n := sum(1 for a in needs if a.large_print):
            parts.append(f"large print for {n}")
        if n := sum(1 for a in needs if a.easy_read):
            parts.append(f"easy read for {n}")
        if n := sum(1 for a in needs if a.language.strip().lower() not in ("", "english")):
            parts.append(f"another language for {n}")
        if n := sum(1 for a in needs if a.adjustments.strip()):
            parts.append(f"other adjustments for {n}")
        sentences.append(f"Access needs were met: {_listed(parts)}.")
    return Gripp2Item(2, GRIPP2_TITLES[2], " ".join(sentences), False)


def _results(records: GroupRecords) -> Gripp2Item:
    lines = []
    for entry in records.contributions:
        if entry.empty or entry.phase is None:
            continue
        parts = [
            *(a.task for a in entry.actions if a.done),
            *(n.text for n in entry.notes),
        ]
        if entry.meetings:
            parts.append(_count(len(entry.meetings), "meeting", "meetings"))
        if entry.minutes:
            parts.append(f"{format_hours(entry.minutes)} hours")
        if parts:
            lines.append(f"Phase {entry.phase.value} ({entry.phase.title}): {'; '.join(parts)}.")
    done = sum(1 for a in records.actions if a.done)
    if records.actions:
        lines.append(
            f"{done} of {_count(len(records.actions), 'action', 'actions')} in the action log "
            "were done."
        )
    for table in records.roundtables:
        title = f" ({table.title})" if table.title else ""
        lines.append(
            f"A {table.minutes}-minute roundtable{title} on {table.held_on.isoformat()} "
            "discussed the findings with the group."
        )
    if not lines:
        return Gripp2Item(3, GRIPP2_TITLES[3], GRIPP2_PROMPTS[3], True)
    return Gripp2Item(3, GRIPP2_TITLES[3], "\n".join(lines), False)
