"""`cosynth user`, `cosynth invite`, `cosynth invitations` and `cosynth token`: web accounts."""

from __future__ import annotations

import sys
from datetime import datetime

import click
from rich.markup import escape
from rich.table import Table

from cosynth.cli.context import Context, pass_context
from cosynth.cli.output import out
from cosynth.domain.password_reset import parse_valid_for
from cosynth.domain.roles import Role
from cosynth.errors import InputError
from cosynth.services import accounts as account_service


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment is not None else ""


def _day(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d}"


def _read_stdin_lines(count: int) -> list[str]:
    """`count` lines from standard input, each without its line ending (for scripts)."""
    lines = [sys.stdin.readline().rstrip("\r\n") for _ in range(count)]
    if not all(lines):
        expected = "a password" if count == 1 else f"{count} lines"
        raise InputError(f"--password-stdin expects {expected} on standard input.")
    return lines


def _new_password(prompt: str) -> str:
    password: str = click.prompt(
        prompt, hide_input=True, confirmation_prompt="The same again, to be sure"
    )
    return password


# cosynth user


@click.group()
def user() -> None:
    """Accounts for the web app: add one, change your password, make a reset link."""


@user.command("add")
@click.argument("username")
@click.option("--display-name", default="", help="Their name as the team knows it.")
@click.option("--email", default="", help="Their email address (optional).")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of asking.",
)
@pass_context
def add_user(
    context: Context, username: str, display_name: str, email: str, password_stdin: bool
) -> None:
    """Make a web account for USERNAME (the password is asked for twice, not shown)."""
    workspace = context.workspace(create=True)
    password = (
        _read_stdin_lines(1)[0] if password_stdin else _new_password(f"Password for {username}")
    )
    with workspace.transaction(context.actor) as tx:
        made = account_service.create_user(
            tx, username, password, display_name=display_name, email=email
        )
    out.print(f"Made an account for [bold]{made.username}[/] in {workspace.url}.")
    out.print("They can sign in to the web app now.")


@user.command("passwd")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the current password, then the new one, from two lines of standard input.",
)
@pass_context
def change_password(context: Context, password_stdin: bool) -> None:
    """Change your own password (you are --as NAME)."""
    # Look first, so nobody types two passwords only to hear there is no account;
    # the prompts are outside any transaction, which would hold the database.
    with context.tx() as tx:
        known = account_service.get_user(tx, context.actor) is not None
    if not known:
        raise InputError(
            f"{context.actor} has no account here. "
            f"Make one with `cosynth user add {context.actor}`."
        )
    if password_stdin:
        current, new = _read_stdin_lines(2)
    else:
        current = click.prompt("Current password", hide_input=True)
        new = _new_password("New password")
    with context.tx() as tx:
        account_service.change_password(tx, current, new)
    out.print(f"Changed the password of {context.actor}; their other web sessions are signed out.")


@user.command("reset-link")
@click.argument("username")
@click.option(
    "--valid-for",
    default="60m",
    show_default=True,
    help="How long the link works: minutes, hours or days (30m, 2h, 1d; 5 minutes to 7 days).",
)
@pass_context
def reset_link(context: Context, username: str, valid_for: str) -> None:
    """Make a link for USERNAME to set a new password (for the server's administrator).

    cosynth sends no mail: hand the link over yourself. It works once, and any
    older link for the same account stops working.
    """
    lifetime = parse_valid_for(valid_for)
    with context.tx() as tx:
        reset, token = account_service.issue_reset_link(tx, username, valid_for=lifetime)
    out.print(
        f"A password reset link for [bold]{reset.username}[/], "
        f"working once until {_when(reset.expires_at)}."
    )
    out.print(
        "Send it to them yourself, after the web app's address (https://cosynth.example.org):"
    )
    click.echo(f"/reset/{token}")
    out.print(
        "[yellow]It is shown only this once[/] (only a fingerprint of it is kept). "
        "Anyone holding it can set their password: send it by a way you know reaches them."
    )


# cosynth invite and cosynth invitations


@click.command()
@click.argument("role", type=click.Choice([role.value for role in Role]))
@click.option("--note", default="", help="A note for the team: whom it is for.")
@click.option(
    "--days", type=int, default=14, show_default=True, help="How long the link stays open."
)
@pass_context
def invite(context: Context, role: str, note: str, days: int) -> None:
    """Invite someone to the review as ROLE, with a link for the web app."""
    with context.review_tx() as (tx, review):
        invitation, token = account_service.invite(
            tx, review.id, Role(role), note=note, valid_days=days
        )
    out.print(
        f"Invitation {invitation.id} to [bold]{escape(review.title)}[/] "
        f"as {invitation.role.value}, open until {_when(invitation.expires_at)}."
    )
    out.print("Send this link to the person, after the web app's address:")
    click.echo(f"/invitations/{token}")
    out.print(
        "[yellow]It is shown only this once[/] (only a fingerprint of it is kept). "
        "Withdraw it with `cosynth invitations revoke ID`."
    )


@click.group(invoke_without_command=True)
@click.pass_context
def invitations(ctx: click.Context) -> None:
    """The review's invitations and their status (or `invitations revoke ID`)."""
    if ctx.invoked_subcommand is not None:
        return
    context = ctx.find_object(Context)
    assert context is not None
    with context.review_tx() as (tx, review):
        listed = account_service.list_invitations(tx, review.id)
        now = tx.now
    if not listed:
        out.print("No invitations yet. Make one with `cosynth invite ROLE`.")
        return
    table = Table("id", "role", "status", "invited by", "made", "open until", "taken by", "note")
    for invitation in listed:
        table.add_row(
            str(invitation.id),
            invitation.role.value,
            invitation.status(now),
            invitation.created_by,
            _day(invitation.created_at),
            _day(invitation.expires_at),
            invitation.accepted_by or "",
            escape(invitation.note),
        )
    out.print(table)


@invitations.command("revoke")
@click.argument("invitation_id", type=int)
@pass_context
def revoke_invitation(context: Context, invitation_id: int) -> None:
    """Withdraw invitation INVITATION_ID, so that its link no longer works."""
    with context.review_tx() as (tx, review):
        account_service.revoke_invitation(tx, review.id, invitation_id)
    out.print(f"Invitation {invitation_id} is withdrawn; its link no longer works.")


# cosynth token


@click.group()
def token() -> None:
    """API tokens, for scripts that use the web app's JSON API as you."""


@token.command("new")
@click.option("--label", default="", help="What the token is for, to tell it apart later.")
@pass_context
def new_token(context: Context, label: str) -> None:
    """Make an API token for yourself (you are --as NAME)."""
    with context.tx() as tx:
        issued, secret = account_service.issue_api_token(tx, label)
    out.print(f"API token {issued.id} for {issued.username}:")
    click.echo(secret)
    out.print(
        "[yellow]It is shown only this once.[/] Keep it like a password; "
        f"`cosynth token revoke {issued.id}` stops it working."
    )


@token.command("list")
@pass_context
def list_tokens(context: Context) -> None:
    """Your API tokens (never the secrets)."""
    with context.tx() as tx:
        tokens = account_service.list_api_tokens(tx)
    if not tokens:
        out.print(f"{context.actor} has no API tokens. Make one with `cosynth token new`.")
        return
    table = Table("id", "label", "made", "last used", "status")
    for listed in tokens:
        table.add_row(
            str(listed.id),
            escape(listed.label),
            _when(listed.created_at),
            _when(listed.last_used_at) or "never",
            "active" if listed.active else f"revoked {_when(listed.revoked_at)}",
        )
    out.print(table)


@token.command("revoke")
@click.argument("token_id", type=int)
@pass_context
def revoke_token(context: Context, token_id: int) -> None:
    """Stop API token TOKEN_ID working."""
    with context.tx() as tx:
        account_service.revoke_api_token(tx, token_id)
    out.print(f"API token {token_id} is revoked.")
