"""`cosynth personal-data export`: one person's data, as JSON, on their request (UK GDPR)."""

from __future__ import annotations

from pathlib import Path

import click

from cosynth.cli.context import Context
from cosynth.services import personal_data


def _context(ctx: click.Context) -> Context:
    found = ctx.find_object(Context)
    assert found is not None
    return found


@click.group("personal-data")
def personal_data_group() -> None:
    """A person's data: what cosynth keeps about them, to hand over on request."""


@personal_data_group.command("export")
@click.option(
    "--member",
    "member_id",
    type=int,
    help="An advisory-group member's id (the lead, or the member): their records in the "
    "review. Without it: your own account, reviews and group records.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The JSON file to write (it holds personal data: keep it safe).",
)
@click.pass_context
def export(ctx: click.Context, member_id: int | None, output: Path) -> None:
    """Write one person's data to OUTPUT as JSON."""
    if member_id is None:
        with _context(ctx).tx() as tx:
            data = personal_data.account_export(tx)
    else:
        with _context(ctx).review_tx() as (tx, review):
            data = personal_data.group_member_export(tx, review.id, member_id)
    output.write_bytes(data)
    click.echo(f"Wrote {output} ({len(data):,} bytes). It holds personal data: keep it safe.")


@personal_data_group.command("erase")
@click.option("--member", "member_id", type=int, required=True, help="The group member's id.")
@click.confirmation_option(
    prompt="Erase this member's name, answers and access needs for good?",
    help="Erase without asking.",
)
@click.pass_context
def erase(ctx: click.Context, member_id: int) -> None:
    """Erase an advisory-group member's personal details on their request (the lead)."""
    with _context(ctx).review_tx() as (tx, review):
        erased = personal_data.erase_group_member(tx, review.id, member_id)
    click.echo(
        f"Erased member {member_id}'s personal details; their part in the review is kept "
        f"as {erased.name!r}. Hours and payments are kept as financial records."
    )
