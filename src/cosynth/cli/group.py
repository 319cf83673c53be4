"""`cosynth group`: the advisory group's members, meetings, action log, roundtables and pay."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.markup import escape
from rich.table import Table

from cosynth.cli.context import Context
from cosynth.cli.output import out
from cosynth.domain.advisory import (
    REVIEW_TEAM,
    Gripp2Setting,
    GroupMember,
    MeetingMode,
    MemberKind,
    PreferredFormat,
    format_hours,
    format_money,
    parse_money,
)
from cosynth.domain.synthesis import Phase
from cosynth.errors import InputError
from cosynth.render.advisory import statement_text
from cosynth.services import advisory_group, gripp2, meetings, remuneration, roundtables
from cosynth.services.workspace import Tx


def _context(ctx: click.Context) -> Context:
    found = ctx.find_object(Context)
    assert found is not None
    return found


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2022-09-20.") from None


def _phase(_ctx: click.Context, _param: click.Parameter, value: int | None) -> Phase | None:
    return Phase(value) if value is not None else None


F = TypeVar("F", bound=Callable[..., Any])


def date_option(*decls: str, help: str, required: bool = False) -> Callable[[F], F]:
    return click.option(*decls, callback=_date, required=required, metavar="YYYY-MM-DD", help=help)


phase_option = click.option(
    "--phase",
    type=click.IntRange(1, 7),
    callback=_phase,
    help="Noblit & Hare's phase, 1 to 7 (e.g. 5: translating the studies into one another).",
)


def member_id(tx: Tx, review_id: int, text: str) -> int:
    """A group member named by id or by name (names are matched ignoring case)."""
    members = advisory_group.group_members(tx, review_id)
    if text.isdigit() and any(m.id == int(text) for m in members):
        return int(text)
    named = [m for m in members if m.name.casefold() == text.strip().casefold()]
    if len(named) == 1:
        return named[0].id
    if named:
        ids = ", ".join(str(m.id) for m in named)
        raise InputError(f"Several group members are called {text!r} (ids {ids}); give the id.")
    raise InputError(f"The advisory group has no member {text!r}; see `cosynth group member list`.")


def _names(members: list[GroupMember], ids: tuple[int, ...]) -> str:
    by_id = {m.id: m.name for m in members}
    return ", ".join(by_id.get(i, str(i)) for i in ids)


@click.group()
def group() -> None:
    """The co-production advisory group: members, meetings, actions, roundtables, pay."""


# --- members -----------------------------------------------------------------------


@group.group()
def member() -> None:
    """Members of the group (service users, unpaid carers, staff)."""


@member.command("add")
@click.argument("name")
@click.option(
    "--kind", type=click.Choice([k.value for k in MemberKind]), required=True, help="Who they are."
)
@click.option("--account", default="", help="Their cosynth username, if they sign in.")
@date_option("--joined", help="When they joined (default: today).")
@click.option("--channel", default="", help="How they were recruited, e.g. 'word of mouth'.")
@date_option("--applied", help="The date of their application (with --channel).")
@click.option(
    "--answer",
    "answers",
    multiple=True,
    metavar="QUESTION=ANSWER",
    help="An application form answer (repeat for each question).",
)
@click.pass_context
def member_add(
    ctx: click.Context,
    name: str,
    kind: str,
    account: str,
    joined: date | None,
    channel: str,
    applied: date | None,
    answers: tuple[str, ...],
) -> None:
    """Add NAME to the advisory group."""
    pairs = []
    for answer in answers:
        question, sep, said = answer.partition("=")
        if not sep:
            raise click.BadParameter(f"{answer!r} is not QUESTION=ANSWER.", param_hint="--answer")
        pairs.append((question, said))
    if (answers or applied) and not channel:
        raise click.BadParameter("say how they were recruited", param_hint="--channel")
    with _context(ctx).review_tx() as (tx, review):
        added = advisory_group.add_group_member(
            tx, review.id, name, kind=MemberKind(kind), joined_on=joined, username=account
        )
        if channel:
            advisory_group.record_recruitment(
                tx, review.id, added.id, channel=channel,
                recruited_on=applied or added.joined_on, answers=pairs,
            )  # fmt: skip
    out.print(f"Group member #{added.id} {escape(added.name)} ({added.kind.value}) added.")


@member.command("list")
@click.pass_context
def member_list(ctx: click.Context) -> None:
    """Everyone in the group."""
    with _context(ctx).review_tx() as (tx, review):
        found = advisory_group.group_members(tx, review.id)
    if not found:
        out.print("No group members yet.")
        return
    table = Table("id", "name", "kind", "account", "joined", "left")
    for m in found:
        table.add_row(
            str(m.id), escape(m.name), m.kind.value, escape(m.username),
            m.joined_on.isoformat(), m.left_on.isoformat() if m.left_on else "",
        )  # fmt: skip
    out.print(table)


@member.command("consent")
@click.argument("who")
@click.option(
    "--involvement/--no-involvement",
    default=True,
    help="Whether they agree to take part (--no-involvement: they do not).",
)
@click.option("--named", is_flag=True, help="May be named in the acknowledgements.")
@click.option("--quoted", is_flag=True, help="Their words may be quoted.")
@click.option("--contacted", is_flag=True, help="May be contacted about later work.")
@click.option("--withdraw", is_flag=True, help="They withdraw their consent.")
@date_option("--on", help="The date (default: today).")
@click.option("--note", default="", help="A note kept with the consent.")
@click.pass_context
def member_consent(
    ctx: click.Context,
    who: str,
    involvement: bool,
    named: bool,
    quoted: bool,
    contacted: bool,
    withdraw: bool,
    on: date | None,
    note: str,
) -> None:
    """Record what WHO (id or name) agreed to, or their withdrawal."""
    with _context(ctx).review_tx() as (tx, review):
        target = member_id(tx, review.id, who)
        if withdraw:
            advisory_group.withdraw_consent(tx, review.id, target, on=on, note=note)
        else:
            advisory_group.record_consent(
                tx, review.id, target, involvement=involvement, named=named, quoted=quoted,
                contacted=contacted, given_on=on, note=note,
            )  # fmt: skip
    out.print("Consent withdrawn." if withdraw else "Consent recorded.")


@member.command("access")
@click.argument("who")
@click.option(
    "--format",
    "preferred",
    type=click.Choice([f.value for f in PreferredFormat]),
    default=PreferredFormat.EMAIL.value,
    help="How papers should reach them.",
)
@click.option("--language", default="English", help="The language papers should be in.")
@click.option("--large-print", is_flag=True, help="Papers in large print.")
@click.option("--easy-read", is_flag=True, help="Papers in easy read.")
@click.option("--adjustments", default="", help="Other adjustments, in words.")
@click.pass_context
def member_access(
    ctx: click.Context,
    who: str,
    preferred: str,
    language: str,
    large_print: bool,
    easy_read: bool,
    adjustments: str,
) -> None:
    """Record WHO's access needs."""
    with _context(ctx).review_tx() as (tx, review):
        advisory_group.record_access_needs(
            tx, review.id, member_id(tx, review.id, who),
            preferred_format=PreferredFormat(preferred), language=language,
            large_print=large_print, easy_read=easy_read, adjustments=adjustments,
        )  # fmt: skip
    out.print("Access needs recorded.")


# --- meetings and actions --------------------------------------------------------


@group.group()
def meeting() -> None:
    """The group's meetings."""


@meeting.command("add")
@date_option("--on", help="The day it was held.", required=True)
@click.option(
    "--mode",
    type=click.Choice([m.value for m in MeetingMode]),
    required=True,
    help="How the group met.",
)
@click.option("--title", default="", help="A short title for the meeting.")
@phase_option
@click.option("--attendee", "attendees", multiple=True, help="Who came (id or name; repeat).")
@click.option("--agenda", default="", help="What the meeting was to cover.")
@click.option("--minutes", default="", help="What was said and agreed (can be added later).")
@click.pass_context
def meeting_add(
    ctx: click.Context,
    on: date,
    mode: str,
    title: str,
    phase: Phase | None,
    attendees: tuple[str, ...],
    agenda: str,
    minutes: str,
) -> None:
    """Record a meeting of the group."""
    with _context(ctx).review_tx() as (tx, review):
        added = meetings.add_meeting(
            tx, review.id, held_on=on, mode=MeetingMode(mode), title=title, phase=phase,
            attendee_ids=[member_id(tx, review.id, a) for a in attendees], agenda=agenda,
            minutes=minutes,
        )  # fmt: skip
    out.print(f"Meeting #{added.id} on {on.isoformat()} recorded ({len(added.attendee_ids)} came).")


@meeting.command("list")
@click.pass_context
def meeting_list(ctx: click.Context) -> None:
    """The group's meetings by date."""
    with _context(ctx).review_tx() as (tx, review):
        found = meetings.meetings(tx, review.id)
        members = advisory_group.group_members(tx, review.id)
    if not found:
        out.print("No meetings yet.")
        return
    table = Table("id", "date", "mode", "title", "phase", "attendees")
    for m in found:
        table.add_row(
            str(m.id), m.held_on.isoformat(), m.mode.value, escape(m.title),
            str(int(m.phase)) if m.phase else "", escape(_names(members, m.attendee_ids)),
        )  # fmt: skip
    out.print(table)


@meeting.command("minutes")
@click.argument("meeting_id", type=int)
@click.argument("text")
@click.pass_context
def meeting_minutes(ctx: click.Context, meeting_id: int, text: str) -> None:
    """Record TEXT as the minutes of MEETING_ID (earlier minutes are kept)."""
    with _context(ctx).review_tx() as (tx, review):
        meetings.record_minutes(tx, review.id, meeting_id, text)
    out.print(f"Minutes of meeting #{meeting_id} recorded.")


@group.group()
def action() -> None:
    """The action log (the paper's Figure 2)."""


@action.command("add")
@click.argument("task")
@click.option("--who", "who", multiple=True, help="A group member (id or name; repeat).")
@click.option("--review-team", is_flag=True, help="The review team does it (too).")
@phase_option
@date_option("--due", help="When it is due.")
@click.pass_context
def action_add(
    ctx: click.Context,
    task: str,
    who: tuple[str, ...],
    review_team: bool,
    phase: Phase | None,
    due: date | None,
) -> None:
    """Add TASK to the action log."""
    with _context(ctx).review_tx() as (tx, review):
        added = meetings.add_action(
            tx, review.id, task, member_ids=[member_id(tx, review.id, w) for w in who],
            review_team=review_team, phase=phase, due_on=due,
        )  # fmt: skip
    out.print(f"Action #{added.id} added.")


@action.command("done")
@click.argument("action_id", type=int)
@date_option("--on", help="When it was done (default: today).")
@click.pass_context
def action_done(ctx: click.Context, action_id: int, on: date | None) -> None:
    """Mark action ACTION_ID done."""
    with _context(ctx).review_tx() as (tx, review):
        done = meetings.complete_action(tx, review.id, action_id, done_on=on)
    assert done.done_on is not None
    out.print(f"Action #{done.id} done on {done.done_on.isoformat()}.")


@action.command("reopen")
@click.argument("action_id", type=int)
@click.pass_context
def action_reopen(ctx: click.Context, action_id: int) -> None:
    """Open action ACTION_ID again (it was marked done by mistake, or needs more)."""
    with _context(ctx).review_tx() as (tx, review):
        meetings.reopen_action(tx, review.id, action_id)
    out.print(f"Action #{action_id} is open again.")


@action.command("list")
@click.option("--overdue", is_flag=True, help="Only the actions past their due date.")
@click.pass_context
def action_list(ctx: click.Context, overdue: bool) -> None:
    """The action log."""
    with _context(ctx).review_tx() as (tx, review):
        found = meetings.action_log(tx, review.id, overdue=overdue)
        members = advisory_group.group_members(tx, review.id)
        today = tx.now.date()
    if not found:
        out.print("No overdue actions." if overdue else "The action log is empty.")
        return
    table = Table("id", "task", "who", "phase", "due", "done")
    for a in found:
        who = _names(members, a.member_ids)
        if a.review_team:
            who = f"{who}, {REVIEW_TEAM}" if who else REVIEW_TEAM
        done = (
            a.done_on.isoformat() if a.done_on else ("[red]overdue[/]" if a.overdue(today) else "")
        )
        table.add_row(
            str(a.id), escape(a.task), escape(who), str(int(a.phase)) if a.phase else "",
            a.due_on.isoformat() if a.due_on else "", done,
        )  # fmt: skip
    out.print(table)


# --- roundtables and transcripts -----------------------------------------------------


@group.group()
def roundtable() -> None:
    """Roundtables with the group."""


@roundtable.command("add")
@date_option("--on", help="The day it was held.", required=True)
@click.option("--minutes", type=int, required=True, help="How long it ran, in minutes.")
@click.option("--title", default="", help="A short title for the roundtable.")
@click.option("--meeting", "meeting_id", type=int, help="The meeting it was part of.")
@click.pass_context
def roundtable_add(
    ctx: click.Context, on: date, minutes: int, title: str, meeting_id: int | None
) -> None:
    """Record a roundtable."""
    with _context(ctx).review_tx() as (tx, review):
        added = roundtables.add_roundtable(
            tx, review.id, held_on=on, minutes=minutes, title=title, meeting_id=meeting_id
        )
    out.print(f"Roundtable #{added.id} on {on.isoformat()} ({minutes} minutes) recorded.")


@group.group()
def transcript() -> None:
    """Roundtable transcripts."""


@transcript.command("import")
@click.argument("roundtable_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def transcript_import(ctx: click.Context, roundtable_id: int, file: Path) -> None:
    """Import FILE (plain text, DOCX or WebVTT) as the transcript of ROUNDTABLE_ID."""
    data = file.read_bytes()
    with _context(ctx).review_tx() as (tx, review):
        imported = roundtables.import_transcript(tx, review.id, roundtable_id, file.name, data)
    speakers = sorted({s.speaker for s in imported.segments if s.speaker})
    out.print(
        f"Transcript #{imported.id} imported from {escape(file.name)} ({imported.format}): "
        f"{len(imported.segments)} turns; speakers: {escape(', '.join(speakers)) or 'none named'}."
    )


# --- remuneration ------------------------------------------------------------------


@group.command("rate")
@click.argument("amount")
@date_option("--from", "from_on", help="From this date on.", required=True)
@click.option("--currency", default="GBP", help="The currency of AMOUNT (ISO 4217 code).")
@click.option("--note", default="", help="A note kept with the rate (e.g. the policy it follows).")
@click.pass_context
def rate(ctx: click.Context, amount: str, from_on: date, currency: str, note: str) -> None:
    """Set the hourly rate: AMOUNT such as 25.00 (a new rate applies from its date on)."""
    pence = _money(amount, "AMOUNT")
    with _context(ctx).review_tx() as (tx, review):
        kept = remuneration.set_rate(
            tx, review.id, pence, from_on=from_on, currency=currency, note=note
        )
    out.print(
        f"Rate {format_money(kept.pence_per_hour, kept.currency)} an hour from "
        f"{kept.from_on.isoformat()}."
    )


@group.command("hours")
@click.argument("who")
@click.argument("hours")
@date_option("--on", help="The day of the work.", required=True)
@click.option("--activity", required=True, help="What the time was for.")
@phase_option
@click.pass_context
def hours(
    ctx: click.Context, who: str, hours: str, on: date, activity: str, phase: Phase | None
) -> None:
    """Record HOURS (e.g. 1.5 or 1:30) that WHO (id or name) gave."""
    with _context(ctx).review_tx() as (tx, review):
        entry = remuneration.record_hours(
            tx, review.id, member_id(tx, review.id, who), hours, worked_on=on,
            activity=activity, phase=phase,
        )  # fmt: skip
    out.print(f"{format_hours(entry.minutes)} hours recorded (entry #{entry.id}).")


@group.command("pay")
@click.argument("who")
@click.argument("amount")
@date_option("--on", help="The day it was paid.", required=True)
@click.option("--reference", default="", help="The invoice or transfer reference.")
@click.pass_context
def pay(ctx: click.Context, who: str, amount: str, on: date, reference: str) -> None:
    """Record a payment of AMOUNT (e.g. 50.00) to WHO."""
    pence = _money(amount, "AMOUNT")
    with _context(ctx).review_tx() as (tx, review):
        payment = remuneration.record_payment(
            tx, review.id, member_id(tx, review.id, who), pence, paid_on=on, reference=reference
        )
    out.print(f"Payment #{payment.id} of {format_money(payment.pence)} recorded.")


@group.command("statement")
@click.argument("who", required=False)
@click.pass_context
def statement(ctx: click.Context, who: str | None) -> None:
    """WHO's statement of hours, pay and what is owed (without WHO: your own)."""
    with _context(ctx).review_tx() as (tx, review):
        if who is None:
            found = remuneration.my_statement(tx, review.id)
            if found is None:
                raise InputError(
                    "You are not linked to a member of the advisory group; name whose "
                    "statement you want."
                )
        else:
            found = remuneration.statement(tx, review.id, member_id(tx, review.id, who))
    click.echo(statement_text(found), nl=False)


@group.command("contribution")
@click.argument("phase", type=click.IntRange(1, 7))
@click.argument("text")
@click.option("--who", default=None, help="The member (id or name); without it, the group.")
@date_option("--on", help="When (default: today).")
@click.pass_context
def contribution(
    ctx: click.Context, phase: int, text: str, who: str | None, on: date | None
) -> None:
    """Note in words what the group (or one member) gave to PHASE (1 to 7)."""
    with _context(ctx).review_tx() as (tx, review):
        target = member_id(tx, review.id, who) if who is not None else None
        note = gripp2.note_contribution(
            tx, review.id, Phase(phase), text, member_id=target, noted_on=on
        )
    out.print(f"Contribution #{note.id} noted in phase {phase} ({Phase(phase).title}).")


@group.command("gripp2")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write it to this file (default: print it).",
)
@click.option(
    "--set",
    "texts",
    multiple=True,
    type=(click.Choice([item.value for item in Gripp2Setting]), str),
    metavar="ITEM TEXT",
    help="First write your words for an item: aim, discussion or reflections.",
)
@click.pass_context
def gripp2_command(
    ctx: click.Context, output: Path | None, texts: tuple[tuple[str, str], ...]
) -> None:
    """The GRIPP2 short form, written from the group's records, as Markdown."""
    with _context(ctx).review_tx() as (tx, review):
        for item, words in texts:
            gripp2.set_gripp2_text(tx, review.id, Gripp2Setting(item), words)
        text = gripp2.gripp2_markdown(tx, review.id)
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    out.print(f"Wrote the GRIPP2 short form to {output}.")


def _money(text: str, name: str) -> int:
    try:
        return parse_money(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=name) from None
