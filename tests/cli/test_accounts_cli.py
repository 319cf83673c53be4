"""Web accounts from the command line: the server's admin adds people, alice invites pat."""

from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher, profiles
from click.testing import CliRunner, Result

from cosynth.cli import output
from cosynth.cli.main import cli
from cosynth.errors import SignInError
from cosynth.services import accounts
from cosynth.services.workspace import open_workspace

PASSWORD = "a long enough passphrase"


@pytest.fixture(autouse=True)
def wide_and_quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables as a wide terminal shows them, and argon2id at its cheapest."""
    monkeypatch.setattr(output.out, "width", 200)
    monkeypatch.setattr(output.err, "width", 200)
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture
def run(db_url: str) -> object:
    runner = CliRunner()

    def invoke(*args: str, who: str = "alice", input: str | None = None) -> Result:
        return runner.invoke(
            cli, ["--db", db_url, "--as", who, *args], input=input, catch_exceptions=False
        )

    return invoke


def signs_in(db_url: str, who: str, password: str) -> bool:
    workspace = open_workspace(db_url)
    try:
        with workspace.transaction("(signing in)") as tx:
            accounts.authenticate(tx, who, password)
        return True
    except SignInError:
        return False
    finally:
        workspace.close()


def test_it_adds_an_account_asking_for_the_password_twice(run, db_url: str) -> None:
    made = run("user", "add", "Bob", "--display-name", "Bob B.", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert made.exit_code == 0, made.output
    assert "Made an account for bob" in made.output
    assert PASSWORD not in made.output  # hidden as it is typed
    assert signs_in(db_url, "bob", PASSWORD)


def test_it_reads_the_password_from_stdin_for_scripts(run, db_url: str) -> None:
    made = run("user", "add", "carol", "--password-stdin", input=f"{PASSWORD}\n")
    assert made.exit_code == 0, made.output
    assert signs_in(db_url, "carol", PASSWORD)


def test_it_says_what_to_do_about_a_weak_password(run) -> None:
    refused = run("user", "add", "carol", "--password-stdin", input="hunter22\n")
    assert refused.exit_code == 1
    assert "at least 10 characters" in refused.output
    again = run("user", "add", "carol", "--password-stdin", input="")
    assert again.exit_code == 1 and "expects a password" in again.output


def test_it_changes_your_own_password(run, db_url: str) -> None:
    run("user", "add", "bob", "--password-stdin", input=f"{PASSWORD}\n")
    new = "a different passphrase"
    changed = run("user", "passwd", who="bob", input=f"{PASSWORD}\n{new}\n{new}\n")
    assert changed.exit_code == 0, changed.output
    assert signs_in(db_url, "bob", new) and not signs_in(db_url, "bob", PASSWORD)
    wrong = run("user", "passwd", "--password-stdin", who="bob", input=f"nope\n{PASSWORD}\n")
    assert wrong.exit_code == 1 and "not your current password" in wrong.output
    nobody = run("user", "passwd", who="zed", input="")
    assert nobody.exit_code == 1 and "cosynth user add zed" in nobody.output


def test_it_invites_pat_and_lists_the_invitation(run, db_url: str) -> None:
    run("init", "--title", "Co-production in integrated care")
    invited = run("invite", "adviser", "--note", "pat [advisory group]", "--days", "7")
    assert invited.exit_code == 0, invited.output
    assert "shown only this once" in invited.output
    link = re.search(r"^/invitations/(\S+)$", invited.output, re.MULTILINE)
    assert link is not None

    listed = run("invitations")
    assert "adviser" in listed.output and "open" in listed.output
    assert "pat [advisory group]" in listed.output

    workspace = open_workspace(db_url)
    with workspace.transaction("(signing in)") as tx:
        accounts.accept_invitation(tx, link.group(1), username="pat", password=PASSWORD)
    workspace.close()
    assert "accepted" in run("invitations").output
    assert "pat" in run("members").output


def test_it_withdraws_an_invitation(run) -> None:
    run("init")
    run("invite", "reviewer")
    withdrawn = run("invitations", "revoke", "1")
    assert withdrawn.exit_code == 0, withdrawn.output
    assert "revoked" in run("invitations").output
    refused = run("invite", "reviewer", who="mallory")
    assert refused.exit_code == 1 and "not a member" in refused.output


def test_it_makes_lists_and_revokes_api_tokens(run, db_url: str) -> None:
    run("user", "add", "bob", "--password-stdin", input=f"{PASSWORD}\n")
    made = run("token", "new", "--label", "nightly export", who="bob")
    assert made.exit_code == 0, made.output
    secret = re.search(r"^(cst_\S+)$", made.output, re.MULTILINE)
    assert secret is not None

    listed = run("token", "list", who="bob")
    assert "nightly export" in listed.output and "never" in listed.output
    assert secret.group(1) not in listed.output

    revoked = run("token", "revoke", "1", who="bob")
    assert revoked.exit_code == 0, revoked.output
    assert "revoked" in run("token", "list", who="bob").output
    workspace = open_workspace(db_url)
    with workspace.transaction("(api)") as tx:
        assert accounts.user_for_api_token(tx, secret.group(1)) is None
    workspace.close()

    mallorys = run("token", "revoke", "1", who="mallory")
    assert mallorys.exit_code == 1 and "no API token 1" in mallorys.output
