"""From the terminal: alice keeps the advisory group's records; pat reads their own statement."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cosynth.cli import output
from cosynth.cli.main import cli
from tests.conftest import Team

Run = Callable[..., Result]

VTT = (
    "WEBVTT\n\n"
    "1\n00:00:05.000 --> 00:00:31.000\n<v Alice>Does this match your experience?\n\n"
    "2\n00:03:50.000 --> 00:04:35.000\n<v Pat>It worked where it was one clear project.\n"
)


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output.out, "width", 200)
    monkeypatch.setattr(output.err, "width", 200)


@pytest.fixture
def run(db_url: str, team: Team) -> Run:
    runner = CliRunner()

    def invoke(*args: str, who: str = "alice") -> Result:
        return runner.invoke(cli, ["--db", db_url, "--as", who, *args], catch_exceptions=False)

    return invoke


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def refused(result: Result, message: str) -> Result:
    assert result.exit_code == 1, result.output
    assert message in result.output, result.output
    return result


@pytest.fixture
def members(run: Run) -> None:
    ok(
        run(
            "group", "member", "add", "Pat", "--kind", "service user", "--account", "pat",
            "--joined", "2021-09-20", "--channel", "Healthwatch newsletter",
            "--answer", "Why would you like to join?=To be asked, not told",
        )
    )  # fmt: skip
    ok(run("group", "member", "add", "Jo", "--kind", "unpaid carer", "--joined", "2021-09-20"))


def test_it_adds_and_lists_the_group(run: Run, members: None) -> None:
    listed = ok(run("group", "member", "list", who="bob")).output
    assert "Pat" in listed and "service user" in listed and "unpaid carer" in listed
    refused(run("group", "member", "add", "Sam", "--kind", "staff", who="bob"), "may not manage")
    refused(run("group", "member", "list", who="mallory"), "mallory is not a member")


def test_it_keeps_a_meeting_and_the_action_log(run: Run, members: None) -> None:
    added = run(
        "group", "meeting", "add", "--on", "2021-10-05", "--mode", "online", "--phase", "2",
        "--attendee", "Pat", "--attendee", "jo", "--title", "Meeting 1",
    )  # fmt: skip
    assert "Meeting #1 on 2021-10-05 recorded (2 came)" in ok(added).output
    assert "Pat, Jo" in ok(run("group", "meeting", "list", who="pat")).output
    ok(run("group", "action", "add", "Comment on the search terms", "--who", "Pat", "--due",
           "2021-10-19", "--phase", "2"))  # fmt: skip
    ok(run("group", "action", "add", "Send the papers", "--review-team", "--due", "2021-10-01"))
    overdue = ok(run("group", "action", "list", "--overdue")).output
    assert "Send the papers" in overdue and "overdue" in overdue
    assert (
        "Action #1 done on 2021-10-18"
        in ok(run("group", "action", "done", "1", "--on", "2021-10-18")).output
    )
    log = ok(run("group", "action", "list", who="bob")).output
    assert "2021-10-18" in log and "review team" in log
    refused(run("group", "action", "add", "x", "--who", "Nobody"), "has no member 'Nobody'")
    assert "open again" in ok(run("group", "action", "reopen", "1")).output
    ok(run("group", "meeting", "minutes", "1", "Search terms agreed."))


def test_it_records_a_roundtable_and_imports_its_transcript(
    run: Run, members: None, tmp_path: Path
) -> None:
    ok(run("group", "roundtable", "add", "--on", "2022-09-20", "--minutes", "90"))
    file = tmp_path / "roundtable.vtt"
    file.write_text(VTT, encoding="utf-8")
    imported = ok(run("group", "transcript", "import", "1", str(file))).output
    assert "Transcript #1 imported from roundtable.vtt (webvtt): 2 turns" in imported
    assert "Alice, Pat" in imported
    refused(run("group", "transcript", "import", "1", str(file)), "already imported")
    broken = tmp_path / "broken.vtt"
    broken.write_text("1\n00:00 --> 00:01\nhello\n", encoding="utf-8")
    refused(run("group", "transcript", "import", "1", str(broken)), "broken.vtt, line 1")


def test_it_pays_pat_and_pat_reads_only_their_own_statement(run: Run, members: None) -> None:
    ok(run("group", "rate", "25.00", "--from", "2021-09-01"))
    ok(run("group", "hours", "Pat", "1.5", "--on", "2021-10-05", "--activity", "Meeting 1"))
    ok(run("group", "pay", "Pat", "20", "--on", "2021-11-01", "--reference", "BACS 1"))
    mine = ok(run("group", "statement", who="pat")).output
    assert "1.5 h at £25.00 an hour = £37.50" in mine and "Owed: £17.50" in mine
    refused(run("group", "statement", "Jo", who="pat"), "may see only their own")
    refused(run("group", "statement", who="bob"), "not linked to a member")
    assert "Owed: £0.00" in ok(run("group", "statement", "Jo")).output
    bad = run("group", "pay", "Pat", "twelve", "--on", "2021-11-01")
    assert bad.exit_code == 2 and "not an amount of money" in bad.output


def test_it_writes_the_gripp2_short_form(run: Run, members: None, tmp_path: Path) -> None:
    shown = ok(run("group", "gripp2", who="bob")).output
    assert "## 2. Methods" in shown and "2 members took part" in shown
    ok(run("group", "contribution", "3", "Proposed extraction fields", "--who", "Jo"))
    target = tmp_path / "gripp2.md"
    ok(run("group", "gripp2", "-o", str(target), "--set", "aim", "To involve everyone."))
    written = target.read_text(encoding="utf-8")
    assert "## 1. Aim\n\nTo involve everyone." in written and "*Not yet reported.*" in written
    assert "Phase 3 (Reading the studies): Proposed extraction fields." in written
    refused(run("group", "gripp2", "--set", "aim", "x", who="bob"), "may not manage")


def test_it_records_consent_and_access_needs(run: Run, members: None) -> None:
    ok(run("group", "member", "consent", "Pat", "--named", "--quoted", "--on", "2021-09-20"))
    assert "Consent withdrawn" in ok(run("group", "member", "consent", "Jo", "--withdraw")).output
    refused(run("group", "member", "consent", "Jo", "--no-involvement", "--named"), "involved")
    ok(run("group", "member", "access", "Pat", "--format", "paper", "--large-print", who="pat"))
    refused(run("group", "member", "access", "Jo", who="pat"), "only their own")
