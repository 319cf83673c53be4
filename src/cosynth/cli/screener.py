"""The interactive terminal screener: one record at a time, a key per decision.

Keys: [i]nclude, [e]xclude (then a reason by number), [u]nsure, [n]ote,
[b]ack (change your last vote), [s]kip, [q]uit. After each vote the queue is
asked for again, so a ranked queue is retrained on what was just decided.
"""

from __future__ import annotations

import click
from rich.panel import Panel

from cosynth.cli.context import Context
from cosynth.cli.output import out
from cosynth.domain.review import Record
from cosynth.domain.screening.stages import CriterionKind, Stage, StageProtocol
from cosynth.domain.screening.votes import Decision
from cosynth.ranking.stopping import StoppingStatistics
from cosynth.services import screening as screening_service
from cosynth.services import screening_protocol as protocol_service
from cosynth.services.agreement import screening_agreement
from cosynth.services.records import get_record
from cosynth.services.screening_queue import Order, Queue, screening_queue

KEYS = {
    "i": "include",
    "e": "exclude",
    "u": "unsure",
    "n": "note",
    "b": "back",
    "s": "skip",
    "q": "quit",
}
PROMPT = "[i]nclude [e]xclude [u]nsure [n]ote [b]ack [s]kip [q]uit"


def run_screener(context: Context, stage: Stage, *, order: str, calibration: bool) -> None:
    with context.review_tx() as (tx, review):
        review_id = review.id
        protocol = protocol_service.stage_protocol(tx, review_id, stage)
    skipped: set[int] = set()
    voted: list[int] = []
    revisit: int | None = None
    note = ""
    while True:
        with context.tx() as tx:
            queue = screening_queue(
                tx, review_id, stage=stage, order=Order(order), calibration=calibration
            )
            waiting = [unit for unit in queue.record_ids if unit not in skipped]
            record_id = revisit if revisit is not None else (waiting[0] if waiting else None)
            if record_id is None:
                break
            record = get_record(tx, review_id, record_id)
        _show(
            record, protocol, queue, len(voted), len(waiting), explored=record_id in queue.explored
        )
        if note:
            out.print(f"[dim]note: {note}[/]")
        key = click.prompt(PROMPT, type=click.Choice(sorted(KEYS)), show_choices=False)
        if key == "q":
            break
        if key == "s":
            skipped.add(record_id)
            revisit, note = None, ""
            continue
        if key == "n":
            note = click.prompt("Note", default=note, show_default=bool(note))
            revisit = record_id
            continue
        if key == "b":
            if not voted:
                out.print("There is no earlier vote in this session to go back to.")
                revisit = record_id
                continue
            revisit, note = voted.pop(), ""
            continue
        decision = Decision(KEYS[key])
        reason = _reason(protocol) if decision is Decision.EXCLUDE else ""
        with context.tx() as tx:
            cast = screening_service.cast_vote(
                tx,
                review_id,
                record_id,
                decision,
                stage=stage,
                reason=reason,
                note=note,
                calibration=calibration,
            )
        voted.append(cast.record_id)
        out.print(f"[green]{cast.decision.value}[/] recorded for record {cast.record_id}.")
        revisit, note = None, ""
    out.print(f"{len(voted)} votes this session.")
    if record_id is None:
        out.print(f"Nothing more is waiting for you at the {stage.label} stage just now.")
    if calibration:
        _show_calibration_agreement(context, review_id, stage)


def _show_calibration_agreement(context: Context, review_id: int, stage: Stage) -> None:
    """CADIMA shows the calibration kappa before the team goes on; so does cosynth."""
    with context.tx() as tx:
        found = screening_agreement(tx, review_id, stage=stage, calibration=True)
    overall = found.overall
    if overall.value is None:
        out.print(f"Calibration agreement: not yet known ({overall.note or 'too few records'}).")
        return
    out.print(
        f"Calibration agreement over {overall.units} records: {overall.statistic} "
        f"{overall.value:.2f} ({overall.band}), {overall.percent:.0f}% agreed."
    )


def _show(
    record: Record, protocol: StageProtocol, queue: Queue, done: int, left: int, *, explored: bool
) -> None:
    citation = record.citation
    lines = [f"[bold]{citation.title or '(no title)'}[/]"]
    byline = "; ".join(citation.authors[:6]) + (" et al." if len(citation.authors) > 6 else "")
    lines.append(f"{byline} ({citation.year or 'no year'}) {citation.journal}".strip())
    lines.append("")
    lines.append(citation.abstract or "[dim](no abstract)[/]")
    if citation.keywords:
        lines.append("")
        lines.append("Keywords: " + "; ".join(citation.keywords))
    criteria = [
        f"{'include if' if c.kind is CriterionKind.INCLUSION else 'exclude if'}: {c.text}"
        for c in protocol.criteria
    ]
    heading = f"record {record.id} · {_bar(done, left)} {done} voted this session, {left} waiting"
    if explored:
        heading += " · exploring (not the top-ranked)"
    out.print(Panel("\n".join(lines), title=heading, title_align="left"))
    if criteria:
        out.print(Panel("\n".join(criteria), title="criteria", title_align="left"))
    if queue.note:
        out.print(f"[dim]{queue.note}[/]")
    if queue.stopping is not None:
        out.print(f"[dim]{stopping_line(queue.stopping)}[/]")


def stopping_line(stats: StoppingStatistics) -> str:
    """The stopping statistics in one line. Shown to help a person decide; nothing is excluded."""
    line = (
        f"{stats.relevant_found} relevant in {stats.screened} screened; "
        f"{stats.consecutive_irrelevant} irrelevant in a row; "
        f"knee rule {'met' if stats.knee_rule_met else 'not met'}"
    )
    if stats.estimated_recall is not None:
        line += f"; estimated recall about {stats.estimated_recall:.0%} (a rough extrapolation)"
    return line


def _bar(done: int, left: int, width: int = 20) -> str:
    filled = round(width * done / (done + left)) if done + left else width
    return "█" * filled + "░" * (width - filled)


def _reason(protocol: StageProtocol) -> str:
    if not protocol.reasons:
        return str(click.prompt("Reason", default="", show_default=False))
    for number, reason in enumerate(protocol.reasons, 1):
        out.print(f"  {number}. {reason}")
    chosen = click.prompt("Reason number", type=click.IntRange(1, len(protocol.reasons)))
    return protocol.reasons[chosen - 1]
