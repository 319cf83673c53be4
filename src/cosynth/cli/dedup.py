"""`cosynth dedup`: find duplicates, review the uncertain pairs, list groups, undo a merge."""

from __future__ import annotations

import json

import click
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
from rich.table import Table

from cosynth.cli.context import Context
from cosynth.cli.output import out
from cosynth.domain.citation import Citation
from cosynth.domain.dedup.outcomes import PairToReview
from cosynth.services import dedup as dedup_service

# The fields shown side by side when a person compares two records.
_COMPARED = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "pmid",
             "publication_type", "database")  # fmt: skip


def _context(ctx: click.Context) -> Context:
    found = ctx.find_object(Context)
    assert found is not None
    return found


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON, for scripts.")
@click.pass_context
def dedup(ctx: click.Context, as_json: bool) -> None:
    """Find duplicate records across every import (or `dedup review`, `groups`, `undo`)."""
    if ctx.invoked_subcommand is not None:
        return
    context = _context(ctx)
    with context.review_tx() as (tx, review):
        if as_json:
            summary = dedup_service.run_dedup(tx, review.id)
        else:
            columns = (TextColumn("Comparing records"), BarColumn(), TaskProgressColumn())
            with Progress(*columns, console=out, transient=True) as bar:
                task = bar.add_task("compare", total=None)
                summary = dedup_service.run_dedup(
                    tx,
                    review.id,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
    if as_json:
        click.echo(json.dumps(dedup_service.summary_json(summary), indent=2))
        return
    out.print(
        f"{summary.records} records: [bold]{summary.groups} duplicate groups[/], "
        f"{summary.records_merged} duplicates merged, "
        f"{summary.pairs_for_review} pairs for a person to decide."
    )
    if summary.groups_formed or summary.groups_dissolved:
        out.print(
            f"  {summary.groups_formed} groups new since the last run, "
            f"{summary.groups_dissolved} no longer found; "
            f"{summary.decisions_kept} decisions by people kept."
        )
    for conflict in summary.conflicts:
        out.print(f"  [yellow]could not follow a decision:[/] {conflict}")
    if summary.pairs_for_review:
        out.print("Next: cosynth dedup review")


@dedup.command("review")
@click.pass_context
def review_pairs(ctx: click.Context) -> None:
    """Decide the uncertain pairs one by one: merge, distinct or skip."""
    context = _context(ctx)
    with context.review_tx() as (tx, review):
        pairs = dedup_service.pairs_to_review(tx, review.id)
    if not pairs:
        out.print("No pairs are waiting for a decision.")
        return
    decided = 0
    for number, pair in enumerate(pairs, 1):
        _show_pair(pair, number, len(pairs))
        choice = click.prompt(
            "Same work? [m]erge, [d]istinct, [s]kip, [q]uit",
            type=click.Choice(["m", "d", "s", "q"]),
            show_choices=False,
        )
        if choice == "q":
            break
        if choice == "s":
            continue
        with context.review_tx() as (tx, review):
            dedup_service.decide_pair(tx, review.id, pair.a.id, pair.b.id, duplicate=choice == "m")
        decided += 1
    out.print(f"{decided} decisions recorded. They hold in every later run.")


def _show_pair(pair: PairToReview, number: int, total: int) -> None:
    table = Table(title=f"Pair {number} of {total}: {pair.reason}", show_lines=True)
    table.add_column("field")
    table.add_column(f"record {pair.a.id}")
    table.add_column(f"record {pair.b.id}")
    for field in _COMPARED:
        left, right = _value(pair.a.citation, field), _value(pair.b.citation, field)
        if not left and not right:
            continue
        style = "" if left == right else "bold yellow"
        table.add_row(field, left, right, style=style)
    out.print(table)


def _value(citation: Citation, field: str) -> str:
    value = getattr(citation, field)
    if isinstance(value, tuple):
        return "; ".join(value)
    return "" if value is None else str(value)


@dedup.command("groups")
@click.option(
    "--limit",
    default=20,
    show_default=True,
    type=click.IntRange(1),
    help="How many groups to list.",
)
@click.option(
    "--offset",
    default=0,
    type=click.IntRange(0),
    help="Skip this many groups first (for the next page).",
)
@click.pass_context
def groups(ctx: click.Context, limit: int, offset: int) -> None:
    """List the current duplicate groups and why each was formed."""
    context = _context(ctx)
    with context.review_tx() as (tx, review):
        found = dedup_service.list_groups(tx, review.id, limit=limit, offset=offset)
    for group in found:
        out.print(
            f"[bold]group {group.id}[/]: records {', '.join(str(r.id) for r in group.records)}"
        )
        out.print(f"  {group.records[0].citation.title[:100]}")
        for why in group.evidence:
            out.print(f"  - {why}")


@dedup.command("undo")
@click.argument("record_id", type=int, metavar="GROUP")
@click.pass_context
def undo(ctx: click.Context, record_id: int) -> None:
    """Undo duplicate group GROUP (the id `dedup groups` shows, or any of its records)."""
    context = _context(ctx)
    with context.review_tx() as (tx, review):
        group = dedup_service.undo_group(tx, review.id, record_id)
    out.print(
        f"Undone: records {', '.join(str(r.id) for r in group.records)} are separate again, "
        "and later runs keep them apart."
    )
