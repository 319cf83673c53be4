"""The server's administrator makes bob a password reset link from the command line."""

from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher, profiles
from click.testing import CliRunner, Result

from cosynth.cli import output
from cosynth.cli.main import cli
from cosynth.errors import InputError
from cosynth.services import accounts
from cosynth.services.workspace import open_workspace

PASSWORD = "a long enough passphrase"
NEW = "kettle marmalade lighthouse"
_PATH = re.compile(r"^/reset/([A-Za-z0-9_-]{43,})$", re.MULTILINE)


@pytest.fixture(autouse=True)
def wide_and_quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output.out, "width", 200)
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


def invoke(db_url: str, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(
        cli, ["--db", db_url, "--as", "admin", *args], input=input, catch_exceptions=False
    )


def test_it_prints_a_link_that_works_once(db_url: str) -> None:
    made = invoke(db_url, "user", "add", "bob", "--password-stdin", input=f"{PASSWORD}\n")
    assert made.exit_code == 0, made.output
    first = invoke(db_url, "user", "reset-link", "bob", "--valid-for", "30m")
    second = invoke(db_url, "user", "reset-link", "bob")
    assert first.exit_code == second.exit_code == 0, first.output
    assert "shown only this once" in second.output
    older, newer = (_PATH.search(result.output) for result in (first, second))
    assert older is not None and newer is not None
    workspace = open_workspace(db_url)
    try:
        with pytest.raises(InputError), workspace.transaction("(signing in)") as tx:
            accounts.reset_password(tx, older.group(1), NEW)  # replaced by the newer link
        with workspace.transaction("(signing in)") as tx:
            accounts.reset_password(tx, newer.group(1), NEW)
        with workspace.transaction("(signing in)") as tx:
            assert accounts.authenticate(tx, "bob", NEW).username == "bob"
        with workspace.transaction("admin") as tx:
            links = accounts.list_reset_links(tx, "bob")
    finally:
        workspace.close()
    lives = [(link.expires_at - link.created_at).total_seconds() for link in links]
    assert lives == [1800, 3600]


def test_it_refuses_an_unknown_account_or_a_long_life(db_url: str) -> None:
    invoke(db_url, "user", "add", "bob", "--password-stdin", input=f"{PASSWORD}\n")
    unknown = invoke(db_url, "user", "reset-link", "nobody")
    assert unknown.exit_code != 0 and "no account called nobody" in unknown.output
    too_long = invoke(db_url, "user", "reset-link", "bob", "--valid-for", "30d")
    assert too_long.exit_code != 0 and "5 minutes to 7 days" in too_long.output
