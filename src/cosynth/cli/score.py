"""`cosynth score`: the extent of co-production of each included study, on the review's scales."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from cosynth.cli.context import Context
from cosynth.cli.output import out
from cosynth.domain.coproduction import Combination, Rating, StudyScore
from cosynth.services import coproduction
from cosynth.services.scales import read_scale_file


def _context(ctx: click.Context) -> Context:
    found = ctx.find_object(Context)
    assert found is not None
    return found


@click.group(invoke_without_command=True)
@click.pass_context
def score(ctx: click.Context) -> None:
    """Score co-production per study (TLAP ladder + NHS England spectrum), or a subcommand."""
    if ctx.invoked_subcommand is not None:
        return
    with _context(ctx).review_tx() as (tx, review):
        scheme = coproduction.scoring_scheme(tx, review.id)
        scales = coproduction.review_scales(tx, review.id)
        scores = coproduction.study_scores(tx, review.id)
    out.print(f"[bold]Extent of co-production[/]: {scheme.describe(scales)}")
    table = Table("study", "record", *(scales[s].name for s in scheme.scales), "score", "raters")
    for found in scores:
        table.add_row(
            found.label,
            str(found.record_id),
            *(_level_cell(found, scale) for scale in scheme.scales),
            _score_cell(found),
            ", ".join(found.raters) or "-",
        )
    out.print(table)


def _level_cell(found: StudyScore, scale: str) -> str:
    if scale in found.consensus:
        return f"{found.consensus[scale].rank} {found.consensus[scale].label} (agreed)"
    given = {
        mine[scale].label: mine[scale].rank for mine in found.by_rater.values() if scale in mine
    }
    return " / ".join(f"{rank} {label}" for label, rank in given.items()) or "-"


def _score_cell(found: StudyScore) -> str:
    if found.blinded:
        return "blinded until you have rated every scale"
    if found.score is not None:
        return str(found.score)
    if found.disagreements:
        return "raters differ: agree a level"
    return "-"


@score.command("rate")
@click.argument("record_id", type=int)
@click.argument("scale")
@click.argument("level")
@click.option("--rationale", default="", help="Why this level (kept with it).")
@click.pass_context
def rate(ctx: click.Context, record_id: int, scale: str, level: str, rationale: str) -> None:
    """Give study RECORD_ID a LEVEL (rank or label) on SCALE (e.g. tlap-ladder Co-design)."""
    with _context(ctx).review_tx() as (tx, review):
        given = coproduction.rate_study(tx, review.id, record_id, scale, level, rationale=rationale)
    out.print(f"Rated: record {given.record_id}, {given.scale}: {given.rank} {given.label}.")


@score.command("agree")
@click.argument("record_id", type=int)
@click.argument("scale")
@click.argument("level")
@click.option("--rationale", required=True, help="How the consensus was reached.")
@click.pass_context
def agree(ctx: click.Context, record_id: int, scale: str, level: str, rationale: str) -> None:
    """Record the consensus LEVEL for study RECORD_ID on SCALE."""
    with _context(ctx).review_tx() as (tx, review):
        given = coproduction.agree_level(
            tx, review.id, record_id, scale, level, rationale=rationale
        )
    out.print(f"Agreed: record {given.record_id}, {given.scale}: {given.rank} {given.label}.")


@score.command("history")
@click.argument("record_id", type=int)
@click.pass_context
def history(ctx: click.Context, record_id: int) -> None:
    """Every rating of study RECORD_ID, changes of mind included (as far as blinding allows)."""
    with _context(ctx).review_tx() as (tx, review):
        ratings = coproduction.rating_history(tx, review.id, record_id)
    for rating in ratings:
        out.print(_rating_line(rating))


def _rating_line(rating: Rating) -> str:
    who = f"consensus ({rating.rater})" if rating.consensus else rating.rater
    why = f" - {rating.rationale}" if rating.rationale else ""
    return f"{rating.at:%Y-%m-%d %H:%M} {who}: {rating.scale} {rating.rank} {rating.label}{why}"


@score.command("scales")
@click.pass_context
def scales(ctx: click.Context) -> None:
    """The scales this review can score with, their levels and sources."""
    with _context(ctx).review_tx() as (tx, review):
        found = coproduction.review_scales(tx, review.id)
        scheme = coproduction.scoring_scheme(tx, review.id)
    for scale in found.values():
        used = " (in the scheme)" if scale.id in scheme.scales else ""
        out.print(f"[bold]{scale.id}[/]: {scale.name}, {scale.version}{used}")
        out.print(f"  credit: {scale.credit}")
        out.print(f"  source: {scale.source} {scale.url}".rstrip())
        for level in scale.levels:
            marks = [m for m, on in (("optional", level.optional), ("check", level.check)) if on]
            note = f" ({', '.join(marks)})" if marks else ""
            out.print(f"  {level.rank} {level.label}{note}: {level.definition}")


@score.command("scheme")
@click.option("--scale", "chosen", multiple=True, help="A scale to score on (repeat for several).")
@click.option(
    "--combination",
    type=click.Choice([c.value for c in Combination]),
    default="sum",
    help="How the levels on the scales combine into one score.",
)
@click.option(
    "--switch-on", "switched_on", multiple=True, help="An optional level, e.g. Co-delivery."
)
@click.option("--amendment", default="", help="Why the scheme changes after scoring began.")
@click.pass_context
def scheme(
    ctx: click.Context,
    chosen: tuple[str, ...],
    combination: str,
    switched_on: tuple[str, ...],
    amendment: str,
) -> None:
    """Show the review's scoring scheme, or (lead) set it with --scale."""
    with _context(ctx).review_tx() as (tx, review):
        if chosen:
            coproduction.set_scoring_scheme(
                tx,
                review.id,
                chosen,
                combination=Combination(combination),
                switched_on=switched_on,
                amendment=amendment,
            )
        current = coproduction.scoring_scheme(tx, review.id)
        described = current.describe(coproduction.review_scales(tx, review.id))
    out.print(f"Scheme version {current.version}: {described}.")
    if current.switched_on:
        out.print(f"Optional levels switched on: {', '.join(current.switched_on)}.")


@score.command("add-scale")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def add_scale(ctx: click.Context, path: Path) -> None:
    """Add the review's own scale from a TOML file (see cosynth/scales/*.toml for the layout)."""
    parsed, text = read_scale_file(path)
    with _context(ctx).review_tx() as (tx, review):
        coproduction.add_scale(tx, review.id, path.name, text)
    out.print(f"Added {parsed.id}: {parsed.name}, {len(parsed.levels)} levels.")
