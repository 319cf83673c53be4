"""`cosynth personal-data export` and `erase`: one person's data, on their request (UK GDPR)."""

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
@click.option("--member", "member_id", type=int, help="An advisory-group member's id (the lead).")
@click.option(
    "--account",
    "username",
    help="An account holder's username (the server's administrator): their name, e-mail and "
    "password go, and their work in every review stays under a tombstone.",
)
@click.option("--yes", is_flag=True, help="Erase without asking.")
@click.pass_context
def erase(ctx: click.Context, member_id: int | None, username: str | None, yes: bool) -> None:
    """Erase a person's personal details on their request: an advisory-group member's
    (--member, the lead) or an account holder's (--account, the server's administrator)."""
    if (member_id is None) == (username is None):
        raise click.UsageError("Name one person: --member ID or --account USERNAME.")
    if username is not None:
        if not yes:
            click.confirm(
                f"Erase the account {username}: name, e-mail, password and sessions, for good?",
                abort=True,
            )
        with _context(ctx).tx() as tx:
            tombstone = personal_data.erase_account(tx, username)
        click.echo(
            f"Erased the account {username}. Their votes, judgements and codings are kept, "
            f"as {tombstone!r}; their sessions, API tokens and reset links no longer work."
        )
        return
    assert member_id is not None
    if not yes:
        click.confirm("Erase this member's name, answers and access needs for good?", abort=True)
    with _context(ctx).review_tx() as (tx, review):
        erased = personal_data.erase_group_member(tx, review.id, member_id)
    click.echo(
        f"Erased member {member_id}'s personal details; their part in the review is kept "
        f"as {erased.name!r}. Hours and payments are kept as financial records."
    )
