"""alice draws the review's PRISMA flow in the terminal, and checks the paper's typed-in flow."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cosynth.cli import output
from cosynth.cli.main import cli
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import import_search, include_at_full_text

PAPER = Path(__file__).parent.parent / "data" / "prisma" / "conquer2024_reported.csv"


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output.out, "width", 200)
    monkeypatch.setattr(output.err, "width", 200)


def run(db_url: str, who: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db_url, "--as", who, "prisma", *args])


def test_it_writes_the_flow_in_four_forms(
    db_url: str, workspace: Workspace, team: Team, tmp_path: Path
) -> None:
    ids = import_search(workspace, team)
    include_at_full_text(workspace, team, ids[:2])
    files = {name: tmp_path / f"flow.{name}" for name in ("svg", "png", "html", "csv")}
    args = [item for name, path in files.items() for item in (f"--{name}", str(path))]
    written = run(db_url, "alice", str(team.review_id), *args)
    assert written.exit_code == 0, written.output
    assert files["svg"].read_bytes().startswith(b"<svg")
    assert files["png"].read_bytes().startswith(b"\x89PNG")
    assert b'<section id="new_studies">' in files["html"].read_bytes()
    assert "new_studies,node15,box10" in files["csv"].read_text()


def test_it_shows_the_flow_and_what_does_not_add_up_yet(
    db_url: str, workspace: Workspace, team: Team
) -> None:
    ids = import_search(workspace, team)
    include_at_full_text(workspace, team, ids[:2])
    shown = run(db_url, "pat")
    assert shown.exit_code == 0, shown.output
    assert "Records identified from databases" in shown.output
    assert "The flow does not add up yet:" in shown.output
    assert "4 records screened were neither excluded nor sought" in shown.output


def test_it_names_each_place_the_papers_flow_does_not_add_up(db_url: str) -> None:
    checked = run(db_url, "alice", "check", str(PAPER))
    assert checked.exit_code == 1
    lines = checked.output.splitlines()
    assert len(lines) == 4
    assert "193 records have no box saying what became of them" in lines[0]
    assert "1,144, but 191 is reported" in lines[1]
    assert "191, but 243 is reported" in lines[2]
    assert "243, but 10 is reported" in lines[3]


def test_it_says_a_flow_that_adds_up_does(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "flow.csv"
    assert run(db_url, "alice", "template", "-o", str(path)).exit_code == 0
    checked = run(db_url, "alice", "check", str(path))
    assert checked.exit_code == 0
    assert "flow.csv: every box adds up." in checked.output


def test_it_refuses_a_bad_count_plainly(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "reported.csv"
    path.write_text(PAPER.read_text().replace(",760\n", ",-760\n"))
    refused = run(db_url, "alice", "check", str(path))
    assert refused.exit_code != 0
    assert "reported.csv, line 14:" in refused.output
    assert "a count cannot be negative" in refused.output
    assert "Traceback" not in refused.output


def test_it_shows_mallory_nothing(db_url: str, workspace: Workspace, team: Team) -> None:
    refused = run(db_url, "mallory", str(team.review_id))
    assert refused.exit_code != 0
    assert "Records identified" not in refused.output
