"""From the terminal: alice writes the eMERGe checklist for her review and notes where the
manuscript reports an item."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result

from cosynth.cli import output
from cosynth.cli.main import cli
from tests.conftest import Team

Run = Callable[..., Result]


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


def test_it_lists_the_checklists_with_their_item_counts(run: Run) -> None:
    listed = ok(run("report", "checklists")).output
    for line in ("emerge", "entreq", "prisma-2020", "gripp2-sf"):
        assert line in listed
    assert "│ 19 " in listed and "│ 27 " in listed


def test_it_writes_the_emerge_checklist_as_word_naming_the_flagged_items(
    run: Run, team: Team, tmp_path: Path
) -> None:
    path = tmp_path / "emerge.docx"
    said = ok(
        run("report", "checklist", str(team.review_id), "emerge", "--format", "docx",
            "--out", str(path))
    ).output  # fmt: skip
    assert f"Wrote {path}: eMERGe, 19 of 19 items flagged." in said
    assert "8 Outcome of study selection (missing): Screen the records" in said
    (table,) = docx.Document(io.BytesIO(path.read_bytes())).tables
    assert len(table.rows) == 1 + 19


def test_it_prints_markdown_with_the_note_of_where_an_item_is_reported(run: Run) -> None:
    noted = ok(run("report", "reported", "emerge", "1", "Introduction, p. 2"))
    assert "Item 1 of emerge: Introduction, p. 2" in noted.output
    printed = ok(run("report", "checklist", "emerge")).output
    row = next(line for line in printed.splitlines() if line.startswith("| 1 |"))
    assert row.endswith("| Introduction, p. 2 |")


def test_it_refuses_a_word_checklist_with_nowhere_to_go(run: Run) -> None:
    refused = run("report", "checklist", "emerge", "--format", "docx")
    assert refused.exit_code == 1
    assert "add --out FILE.docx" in refused.output


def test_it_lets_only_the_lead_note_where_an_item_is_reported(run: Run) -> None:
    refused = run("report", "reported", "emerge", "1", "Introduction", who="bob")
    assert refused.exit_code == 1
    assert "may not edit protocol" in refused.output
