"""`cosynth init`, `cosynth status` and `cosynth members`."""

from __future__ import annotations

import json

import click
from rich.table import Table

from cosynth.cli.context import Context, pass_context
from cosynth.cli.output import out
from cosynth.domain.roles import Role
from cosynth.domain.screening.stages import Stage
from cosynth.services import reviews as review_service
from cosynth.services import screening as screening_service


@click.command()
@click.option("--title", default="Untitled review", show_default=True, help="The review's title.")
@click.option("--question", default="", help="The review question.")
@pass_context
def init(context: Context, title: str, question: str) -> None:
    """Start a review in the database (creating the database if needed)."""
    workspace = context.workspace(create=True)
    with workspace.transaction(context.actor) as tx:
        review = review_service.create_review(tx, title, question=question)
    out.print(f"Started review {review.id}: [bold]{review.title}[/] in {workspace.url}")
    out.print(f"You ({context.actor}) are its lead. Next: cosynth import FILE...")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON, for scripts.")
@pass_context
def status(context: Context, as_json: bool) -> None:
    """Counts of what the review holds: members, imported files, records."""
    with context.review_tx() as (tx, review):
        report = review_service.review_status(tx, review.id)
        stages = [screening_service.stage_progress(tx, review.id, stage=stage) for stage in Stage]
    if as_json:
        click.echo(
            json.dumps(
                {
                    "review": {"id": review.id, "title": review.title},
                    "members": report.members,
                    "sources": report.sources,
                    "records": report.records,
                    "records_by_database": dict(report.records_by_database),
                    "duplicate_groups": report.duplicate_groups,
                    "duplicates_removed": report.duplicates_removed,
                    "screening": {
                        p.stage.value: {
                            "records": p.records,
                            "included": p.included,
                            "excluded": p.excluded,
                            "conflicts": p.conflicts,
                            "awaiting": p.awaiting,
                        }
                        for p in stages
                    },
                },
                indent=2,
            )
        )
        return
    out.print(f"[bold]{review.title}[/] (review {review.id})")
    table = Table(show_header=False, box=None)
    table.add_row("members", str(report.members))
    table.add_row("imported files", str(report.sources))
    table.add_row("records", str(report.records))
    for database, n in report.records_by_database:
        table.add_row(f"  from {database}", str(n))
    table.add_row("duplicates removed", str(report.duplicates_removed))
    table.add_row("  in duplicate groups", str(report.duplicate_groups))
    for p in stages:
        table.add_row(
            f"{p.stage.label} screening",
            f"{p.records} records: {p.included} included, {p.excluded} excluded, "
            f"{p.conflicts} conflicts, {p.awaiting} awaiting votes",
        )
    out.print(table)


@click.group(invoke_without_command=True)
@click.pass_context
def members(ctx: click.Context) -> None:
    """The review team (list them, or `members add`)."""
    if ctx.invoked_subcommand is None:
        context = ctx.find_object(Context)
        assert context is not None
        with context.review_tx() as (tx, review):
            team = review_service.list_members(tx, review.id)
        table = Table("username", "name", "role")
        for member in team:
            table.add_row(member.username, member.display_name, member.role.value)
        out.print(table)


@members.command("add")
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default=Role.REVIEWER.value,
    show_default=True,
    help="Their role in the review.",
)
@click.option("--name", "display_name", default="", help="Their name as the team knows it.")
@pass_context
def add_member(context: Context, username: str, role: str, display_name: str) -> None:
    """Add USERNAME to the review team."""
    with context.review_tx() as (tx, review):
        member = review_service.add_member(
            tx, review.id, username, Role(role), display_name=display_name
        )
    out.print(f"Added {member.username} as {member.role.value}.")


@click.command("log")
@click.option(
    "--limit",
    default=50,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="How many entries to show.",
)
@click.option(
    "--offset",
    default=0,
    type=click.IntRange(0),
    help="Skip this many entries first (for the next page).",
)
@pass_context
def log(context: Context, limit: int, offset: int) -> None:
    """The review's audit log, newest first (the lead only)."""
    with context.review_tx() as (tx, review):
        total, events = review_service.audit_log(tx, review.id, limit=limit, offset=offset)
    table = Table("when", "who", "what", "detail")
    for event in events:
        detail = ", ".join(f"{k}={v}" for k, v in event.detail.items())
        table.add_row(f"{event.at:%Y-%m-%d %H:%M:%S}", event.actor, event.action, detail)
    out.print(table)
    out.print(f"{len(events)} of {total} events")
