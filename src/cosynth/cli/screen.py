"""`cosynth screen`: the interactive screener, and subcommands for scripts and the lead."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from cosynth.cli.context import Context
from cosynth.cli.output import out
from cosynth.cli.screener import run_screener, stopping_line
from cosynth.domain.agreement import Agreement
from cosynth.domain.screening.stages import (
    Assignment,
    Criterion,
    CriterionKind,
    ProtocolChange,
    Stage,
    StageProtocol,
    protocol_fields,
)
from cosynth.domain.screening.votes import Decision, ResolutionMethod, Vote
from cosynth.errors import InputError
from cosynth.services import agreement as agreement_service
from cosynth.services import screening as screening_service
from cosynth.services import screening_protocol as protocol_service
from cosynth.services.screening_queue import Order, screening_queue

_STAGES = {
    "title-abstract": Stage.TITLE_ABSTRACT,
    "ta": Stage.TITLE_ABSTRACT,
    "full-text": Stage.FULL_TEXT,
    "ft": Stage.FULL_TEXT,
}


def stage_option(function: Any) -> Any:
    return click.option(
        "--stage",
        type=click.Choice(sorted(_STAGES)),
        default="title-abstract",
        show_default=True,
        help="Which screening stage (ta and ft for short).",
    )(function)


def _context(ctx: click.Context) -> Context:
    found = ctx.find_object(Context)
    assert found is not None
    return found


@click.group(invoke_without_command=True)
@stage_option
@click.option(
    "--order",
    type=click.Choice(["ranked", "date", "random", "file"]),
    default="ranked",
    show_default=True,
    help="ranked: most likely relevant first, retrained after each vote.",
)
@click.option("--calibration", is_flag=True, help="Screen the calibration sample.")
@click.pass_context
def screen(ctx: click.Context, stage: str, order: str, calibration: bool) -> None:
    """Screen records one at a time in the terminal (or a subcommand, for scripts)."""
    if ctx.invoked_subcommand is not None:
        return

    run_screener(_context(ctx), _STAGES[stage], order=order, calibration=calibration)


@screen.command("next")
@stage_option
@click.option(
    "--order",
    type=click.Choice([o.value for o in Order]),
    default="ranked",
    show_default=True,
    help="The screening order: ranked by active learning, by date, at random, or as imported.",
)
@click.option(
    "--limit",
    default=10,
    show_default=True,
    type=click.IntRange(1),
    help="How many records to show.",
)
@click.option("--calibration", is_flag=True, help="The calibration sample's records.")
@click.option("--json", "as_json", is_flag=True, help="Print it as JSON, for scripts.")
@click.pass_context
def next_records(
    ctx: click.Context, stage: str, order: str, limit: int, calibration: bool, as_json: bool
) -> None:
    """The records waiting for your vote, in screening order, with the stopping statistics."""
    with _context(ctx).review_tx() as (tx, review):
        queue = screening_queue(
            tx, review.id, stage=_STAGES[stage], order=Order(order), calibration=calibration
        )
    shown = queue.record_ids[:limit]
    if as_json:
        stats = queue.stopping
        click.echo(
            json.dumps(
                {
                    "stage": queue.stage.value,
                    "order": queue.order.value,
                    "ranker": queue.ranker,
                    "waiting": len(queue.record_ids),
                    "next": list(shown),
                    "exploration_picks": sorted(set(shown) & queue.explored),
                    "note": queue.note,
                    "stopping": asdict(stats) if stats is not None else None,
                },
                indent=2,
            )
        )
        return
    out.print(f"{len(queue.record_ids)} records waiting for you ({queue.order.value} order).")
    for record_id in shown:
        mark = " (exploration)" if record_id in queue.explored else ""
        out.print(f"  {record_id}{mark}")
    if queue.note:
        out.print(queue.note)
    if queue.stopping is not None:
        out.print(stopping_line(queue.stopping))


@screen.command("vote")
@click.argument("record_id", type=int)
@click.argument("decision", type=click.Choice([d.value for d in Decision]))
@click.option("--reason", default="", help="Why excluded: one of the stage's reasons.")
@click.option("--note", default="", help="A note kept with the vote.")
@click.option("--tag", "tags", multiple=True, help="A tag (repeat for several).")
@stage_option
@click.option("--calibration", is_flag=True, help="A vote in the calibration round.")
@click.pass_context
def vote(
    ctx: click.Context,
    record_id: int,
    decision: str,
    reason: str,
    note: str,
    tags: tuple[str, ...],
    stage: str,
    calibration: bool,
) -> None:
    """Vote include, exclude (with --reason) or unsure on RECORD_ID."""
    with _context(ctx).review_tx() as (tx, review):
        cast = screening_service.cast_vote(
            tx,
            review.id,
            record_id,
            Decision(decision),
            stage=_STAGES[stage],
            reason=reason,
            note=note,
            tags=tags,
            calibration=calibration,
        )
        view = screening_service.record_screening(tx, review.id, record_id, stage=_STAGES[stage])
    what = "Advice" if cast.advice else "Vote"
    out.print(f"{what} recorded: record {cast.record_id}, {_vote_words(cast)}.")
    if view.outcome is not None and view.outcome.all_votes_in:
        out.print(f"All votes are in: {view.outcome.status.value}.")


@screen.command("show")
@click.argument("record_id", type=int)
@stage_option
@click.option("--history", is_flag=True, help="Every vote you may see, changes of mind included.")
@click.pass_context
def show(ctx: click.Context, record_id: int, stage: str, history: bool) -> None:
    """Show RECORD_ID at a stage: its votes as far as blinding allows."""
    with _context(ctx).review_tx() as (tx, review):
        view = screening_service.record_screening(tx, review.id, record_id, stage=_STAGES[stage])
        past = (
            screening_service.vote_history(tx, review.id, record_id, stage=_STAGES[stage])
            if history
            else []
        )
    out.print(f"[bold]{view.record.citation.title}[/] (record {view.record.id})")
    out.print(f"{view.votes_in} of {view.votes_required} votes in at {view.stage.label}.")
    if view.blinded:
        out.print("Blinded: other people's votes show once all the votes are in.")
    if view.outcome is not None and not view.blinded:
        out.print(f"Outcome: {view.outcome.status.value}")
        if view.outcome.resolution is not None:
            r = view.outcome.resolution
            out.print(f"  resolved by {r.resolved_by} ({r.method.value}): {r.rationale}")
    for cast in view.votes:
        out.print(f"  {cast.reviewer}: {_vote_words(cast)}")
    for cast in view.advice:
        out.print(f"  advice from {cast.reviewer}: {_vote_words(cast)}")
    for cast in past:
        out.print(f"  {cast.cast_at:%Y-%m-%d %H:%M} {cast.reviewer}: {_vote_words(cast)}")


def _vote_words(cast: Vote) -> str:
    words = cast.decision.value
    if cast.reason:
        words += f" ({cast.reason})"
    if cast.note:
        words += f" - {cast.note}"
    if cast.tags:
        words += f" [{', '.join(cast.tags)}]"
    return words


@screen.command("progress")
@stage_option
@click.option("--json", "as_json", is_flag=True, help="Print it as JSON, for scripts.")
@click.pass_context
def progress(ctx: click.Context, stage: str, as_json: bool) -> None:
    """How far the stage has got, and each reviewer's share still to do."""
    with _context(ctx).review_tx() as (tx, review):
        found = screening_service.stage_progress(tx, review.id, stage=_STAGES[stage])
    if as_json:
        click.echo(
            json.dumps(
                {
                    "stage": found.stage.value,
                    "records": found.records,
                    "awaiting": found.awaiting,
                    "partly_voted": found.partly_voted,
                    "conflicts": found.conflicts,
                    "included": found.included,
                    "excluded": found.excluded,
                    "excluded_by_reason": dict(found.excluded_by_reason),
                    "marked_ineligible_by_automation": found.marked_ineligible_by_automation,
                    "reviewers": {
                        p.reviewer: {"voted": p.voted, "to_do": p.to_do} for p in found.reviewers
                    },
                },
                indent=2,
            )
        )
        return
    out.print(
        f"[bold]{found.stage.label.capitalize()}[/]: {found.records} records; "
        f"{found.included} included, {found.excluded} excluded, {found.conflicts} conflicts, "
        f"{found.awaiting} awaiting votes ({found.partly_voted} with some votes in)."
    )
    for reason, n in found.excluded_by_reason:
        out.print(f"  excluded, {reason}: {n}")
    if found.marked_ineligible_by_automation:
        out.print(
            f"  marked ineligible by automation tools (applied by the lead): "
            f"{found.marked_ineligible_by_automation}"
        )
    table = Table("reviewer", "voted", "still to do")
    for person in found.reviewers:
        table.add_row(person.reviewer, str(person.voted), str(person.to_do))
    out.print(table)


@screen.command("conflicts")
@stage_option
@click.option("--json", "as_json", is_flag=True, help="Print it as JSON, for scripts.")
@click.pass_context
def conflicts(ctx: click.Context, stage: str, as_json: bool) -> None:
    """Records whose votes disagree, with every vote and the advisers' views beside them."""
    with _context(ctx).review_tx() as (tx, review):
        found = screening_service.list_conflicts(tx, review.id, stage=_STAGES[stage])
    if as_json:
        for conflict in found:
            click.echo(
                json.dumps(
                    {
                        "record_id": conflict.record.id,
                        "title": conflict.record.citation.title,
                        "votes": [_vote_json(v) for v in conflict.votes],
                        "advice": [_vote_json(v) for v in conflict.advice],
                    },
                    ensure_ascii=False,
                )
            )
        return
    if not found:
        out.print("No conflicts are waiting.")
        return
    for conflict in found:
        out.print(f"[bold]record {conflict.record.id}[/]: {conflict.record.citation.title[:100]}")
        for cast in conflict.votes:
            out.print(f"  {cast.reviewer}: {_vote_words(cast)}")
        for cast in conflict.advice:
            out.print(f"  advice from {cast.reviewer}: {_vote_words(cast)}")
    out.print(f"{len(found)} conflicts. Settle one with: cosynth screen resolve ID include|exclude")


def _vote_json(cast: Vote) -> dict[str, Any]:
    return {
        "reviewer": cast.reviewer,
        "decision": cast.decision.value,
        "reason": cast.reason,
        "note": cast.note,
        "tags": list(cast.tags),
        "cast_at": cast.cast_at.isoformat(),
    }


@screen.command("resolve")
@click.argument("record_id", type=int)
@click.argument("decision", type=click.Choice(["include", "exclude"]))
@click.option("--rationale", required=True, help="Why: kept beside the votes.")
@click.option("--reason", default="", help="Why excluded: one of the stage's reasons.")
@click.option(
    "--third-reviewer",
    is_flag=True,
    help="Decide as a third reviewer who did not vote (otherwise: the lead's consensus).",
)
@stage_option
@click.pass_context
def resolve(
    ctx: click.Context,
    record_id: int,
    decision: str,
    rationale: str,
    reason: str,
    third_reviewer: bool,
    stage: str,
) -> None:
    """Settle the conflict on RECORD_ID."""
    method = ResolutionMethod.THIRD_REVIEWER if third_reviewer else ResolutionMethod.CONSENSUS
    with _context(ctx).review_tx() as (tx, review):
        resolution = screening_service.resolve(
            tx,
            review.id,
            record_id,
            Decision(decision),
            stage=_STAGES[stage],
            rationale=rationale,
            reason=reason,
            method=method,
        )
    out.print(
        f"Record {resolution.record_id}: {resolution.decision.value}d by {resolution.method.value}."
    )


@screen.command("stop")
@stage_option
@click.option("--rationale", required=True, help="Why stopping is safe: reported with the count.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def stop(ctx: click.Context, stage: str, rationale: str, yes: bool) -> None:
    """Stop screening: mark the records no one has voted on as ineligible (the lead only)."""
    context = _context(ctx)
    with context.review_tx() as (tx, review):
        progress = screening_service.stage_progress(tx, review.id, stage=_STAGES[stage])
    untouched = progress.awaiting - progress.partly_voted
    if not yes:
        click.confirm(
            f"Mark {untouched} records no one has voted on as ineligible "
            "(reported as marked ineligible by automation tools)?",
            abort=True,
        )
    with context.review_tx() as (tx, review):
        n = screening_service.stop_screening(
            tx, review.id, stage=_STAGES[stage], rationale=rationale
        )
    out.print(f"{n} records marked ineligible by automation tools, as you chose.")


@screen.command("agreement")
@stage_option
@click.option("--calibration", is_flag=True, help="Agreement in the calibration round.")
@click.option("--json", "as_json", is_flag=True, help="Print it as JSON, for scripts.")
@click.pass_context
def agreement(ctx: click.Context, stage: str, calibration: bool, as_json: bool) -> None:
    """Cohen's kappa per reviewer pair, and Fleiss' kappa or Krippendorff's alpha overall."""
    with _context(ctx).review_tx() as (tx, review):
        found = agreement_service.screening_agreement(
            tx, review.id, stage=_STAGES[stage], calibration=calibration
        )
    if as_json:
        click.echo(
            json.dumps(
                {
                    "stage": found.stage.value,
                    "calibration": found.calibration,
                    "overall": _agreement_json(found.overall),
                    "pairs": [
                        {"a": p.reviewer_a, "b": p.reviewer_b, **_agreement_json(p.agreement)}
                        for p in found.pairs
                    ],
                    "unsure": found.unsure_rule,
                },
                indent=2,
            )
        )
        return
    table = Table("reviewers", "records", "% agreement", "statistic", "value", "Landis & Koch")
    for pair in found.pairs:
        table.add_row(f"{pair.reviewer_a} and {pair.reviewer_b}", *_agreement_cells(pair.agreement))
    table.add_row("everyone", *_agreement_cells(found.overall))
    out.print(table)
    for note in {found.overall.note, *(p.agreement.note for p in found.pairs)} - {""}:
        out.print(f"  {note}")
    out.print(found.unsure_rule)


def _agreement_cells(found: Agreement) -> tuple[str, ...]:
    return (
        str(found.units),
        f"{found.percent:.1f}" if found.percent is not None else "-",
        found.statistic,
        f"{found.value:.3f}" if found.value is not None else "undefined",
        found.band or "-",
    )


def _agreement_json(found: Agreement) -> dict[str, Any]:
    return {
        "statistic": found.statistic,
        "records": found.units,
        "percent": found.percent,
        "value": found.value,
        "band": found.band,
        "note": found.note,
    }


@screen.command("protocol")
@stage_option
@click.option("--reviewers", type=int, default=None, help="Votes required per record.")
@click.option("--blinded/--not-blinded", default=None, help="Hide votes until all are in.")
@click.option(
    "--assignment",
    type=click.Choice([a.value for a in Assignment]),
    default=None,
    help="Who screens: everyone, or only the people each record is assigned to.",
)
@click.option("--include-if", "inclusion", multiple=True, help="An inclusion criterion (repeat).")
@click.option("--exclude-if", "exclusion", multiple=True, help="An exclusion criterion (repeat).")
@click.option(
    "--reason", "reasons", multiple=True, help="An exclusion reason (repeat; replaces the list)."
)
@click.option("--amendment", default="", help="Why, when screening has started.")
@click.option("--json", "as_json", is_flag=True, help="Print it as JSON, for scripts.")
@click.pass_context
def protocol(
    ctx: click.Context,
    stage: str,
    reviewers: int | None,
    blinded: bool | None,
    assignment: str | None,
    inclusion: tuple[str, ...],
    exclusion: tuple[str, ...],
    reasons: tuple[str, ...],
    amendment: str,
    as_json: bool,
) -> None:
    """Show the stage's protocol, or set it (locked once screening starts)."""
    criteria = tuple(Criterion(CriterionKind.INCLUSION, text) for text in inclusion) + tuple(
        Criterion(CriterionKind.EXCLUSION, text) for text in exclusion
    )
    change = ProtocolChange(
        reviewers_required=reviewers,
        blinded=blinded,
        assignment=Assignment(assignment) if assignment else None,
        criteria=criteria or None,
        reasons=reasons or None,
    )
    with _context(ctx).review_tx() as (tx, review):
        if change == ProtocolChange():
            found = protocol_service.stage_protocol(tx, review.id, _STAGES[stage])
        else:
            found = protocol_service.set_protocol(
                tx, review.id, _STAGES[stage], change, amendment=amendment
            )
    if as_json:
        click.echo(json.dumps(protocol_fields(found), indent=2))
        return
    _print_protocol(found)


def _print_protocol(found: StageProtocol) -> None:
    out.print(
        f"[bold]{found.stage.label.capitalize()} screening[/] (protocol version {found.version})"
    )
    out.print(
        f"  {found.reviewers_required} votes per record, "
        f"{'blinded' if found.blinded else 'not blinded'}, "
        f"{'everyone screens' if found.assignment is Assignment.EVERYONE else 'by assignment'}"
    )
    for criterion in found.criteria:
        out.print(f"  {criterion.kind.value}: {criterion.text}")
    out.print("  exclusion reasons: " + ("; ".join(found.reasons) or "(any)"))
    if found.amendment:
        out.print(f"  last amendment: {found.amendment}")


@screen.command("unblind")
@stage_option
@click.option("--reason", required=True, help="Why: kept in the audit log.")
@click.pass_context
def unblind(ctx: click.Context, stage: str, reason: str) -> None:
    """Let everyone see every vote at a stage (the lead only)."""
    with _context(ctx).review_tx() as (tx, review):
        protocol_service.unblind(tx, review.id, _STAGES[stage], reason=reason)
    out.print(f"The {_STAGES[stage].label} stage is no longer blinded.")


@screen.command("assign")
@click.argument("record_ids", type=int, nargs=-1, required=True)
@click.option("--to", "members", multiple=True, required=True, help="A member (repeat).")
@click.option("--remove", is_flag=True, help="Take the records back instead.")
@stage_option
@click.pass_context
def assign(
    ctx: click.Context,
    record_ids: tuple[int, ...],
    members: tuple[str, ...],
    remove: bool,
    stage: str,
) -> None:
    """Assign records to named people (e.g. two full texts to each adviser)."""
    with _context(ctx).review_tx() as (tx, review):
        change = protocol_service.unassign if remove else protocol_service.assign
        n = change(tx, review.id, _STAGES[stage], list(record_ids), list(members))
    out.print(f"{n} assignments {'removed' if remove else 'made'}.")


@screen.command("split")
@click.option("--between", "members", multiple=True, required=True, help="A reviewer (repeat).")
@click.option(
    "--seed",
    default=0,
    show_default=True,
    type=int,
    help="The random seed that shares the records out (the same seed, the same shares).",
)
@stage_option
@click.pass_context
def split(ctx: click.Context, members: tuple[str, ...], seed: int, stage: str) -> None:
    """Share the stage's records out between reviewers, each record to as many as required."""
    with _context(ctx).review_tx() as (tx, review):
        shares = protocol_service.split(tx, review.id, _STAGES[stage], list(members), seed=seed)
    for member, n in shares.items():
        out.print(f"  {member}: {n} records")


@screen.command("calibrate")
@click.option("--size", type=int, required=True, help="How many records in the sample.")
@click.option(
    "--seed",
    default=0,
    show_default=True,
    type=int,
    help="The random seed that draws the sample (the same seed, the same sample).",
)
@stage_option
@click.pass_context
def calibrate(ctx: click.Context, size: int, seed: int, stage: str) -> None:
    """Start a calibration round: a random sample everyone screens before screening starts."""
    with _context(ctx).review_tx() as (tx, review):
        sample = protocol_service.start_calibration(
            tx, review.id, _STAGES[stage], size=size, seed=seed
        )
    out.print(f"Calibration sample of {len(sample)} records: {', '.join(map(str, sample))}")
    out.print(
        "Screen it with: cosynth screen --calibration; then: cosynth screen agreement --calibration"
    )


@screen.command("export")
@stage_option
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The CSV file to write.",
)
@click.pass_context
def export(ctx: click.Context, stage: str, output: Path) -> None:
    """Write every vote you may see (history included) to a CSV file."""
    if output.exists() and output.is_dir():
        raise InputError(f"{output} is a folder; give a file name.")
    with (
        _context(ctx).review_tx() as (tx, review),
        output.open("w", newline="", encoding="utf-8") as handle,
    ):
        n = screening_service.export_votes(tx, review.id, handle, stage=_STAGES[stage])
    out.print(f"{n} votes written to {output}.")
