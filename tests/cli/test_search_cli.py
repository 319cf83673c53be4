"""From the terminal: alice sets the SPICES question, builds the strategy, gets each
database's string; bob logs the search as run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cosynth.cli import output
from cosynth.cli.main import cli
from tests.conftest import Team

Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output.out, "width", 300)
    monkeypatch.setattr(output.err, "width", 300)


@pytest.fixture
def run(db_url: str, team: Team) -> Run:
    runner = CliRunner()

    def invoke(*args: str, who: str = "alice") -> Result:
        return runner.invoke(cli, ["--db", db_url, "--as", who, *args], catch_exceptions=False)

    return invoke


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def _strategy(run: Run) -> None:
    ok(
        run(
            "search", "question", "set",
            "--element", "setting=Health and care services within integrated care",
            "--element", "intervention=Co-production",
            "--element", "comparison=Hypothetically, prior to/without co-production",
            "--element", "social_science_method=Qualitative and mixed method",
            "--question", "How has co-production impacted integrated care?",
        )
    )  # fmt: skip
    ok(run("search", "block", "from-question"))
    ok(run("search", "term", "add", "1", "integrated care", "--phrase"))
    ok(
        run(
            "search", "term", "add", "1", "Delivery of Health Care, Integrated", "--heading", "mesh"
        )
    )
    ok(run("search", "term", "add", "2", "coproduc", "--truncate"))
    ok(run("search", "term", "add", "3", "qualitative"))
    ok(run("search", "limits", "--from", "2012-03-01", "--to", "2022-03-31"))


def test_it_sets_the_question_and_shows_table_one(run: Run) -> None:
    _strategy(run)
    shown = ok(run("search", "question", "show", who="pat")).output
    assert "SPICES HEADINGS" in shown
    assert "Qualitative and mixed method" in shown
    assert "How has co-production impacted integrated care?" in shown


def test_it_prints_each_databases_string_with_its_warnings(run: Run) -> None:
    _strategy(run)
    printed = ok(run("search", "translate", "pubmed", "wos", who="bob")).output
    assert (
        '("integrated care"[tiab] OR "Delivery of Health Care, Integrated"[mh]) AND '
        '(coproduc*[tiab]) AND (qualitative[tiab]) AND "2012/03/01:2022/03/31"[dp]'
    ) in printed
    assert 'TI=("integrated care") OR AB=("integrated care")' in printed
    assert "Warning: Web of Science Core Collection has no thesaurus" in printed
    shown = ok(run("search", "show")).output
    assert "AND Block 2: Intervention" in shown


def test_it_exits_with_an_error_when_a_database_cannot_express_the_strategy(run: Run) -> None:
    _strategy(run)
    ok(run("search", "term", "add", "3", "focus group", "--phrase", "--truncate"))
    result = run("search", "translate", "europepmc")
    assert result.exit_code == 1
    assert "Cannot write it: Europe PMC cannot truncate a word inside a phrase" in result.output


def test_it_checks_a_typed_string(run: Run) -> None:
    result = run("search", "check", "pubmed", "service adj3 improvement")
    assert result.exit_code == 1
    assert "PubMed does not know adj (Ovid's proximity operator)." in result.output
    assert ok(run("search", "check", "pubmed", "coproduc*[tiab]")).output.strip() == (
        "No problems found."
    )


def test_it_logs_a_search_from_a_file_and_lists_the_counts(run: Run, tmp_path: Path) -> None:
    strategy = tmp_path / "ovid.txt"
    strategy.write_text(
        "1 coproduc*.ti,ab.\n2 exp Delivery of Health Care, Integrated/\n3 1 and 2\n"
    )
    added = ok(
        run(
            "search", "log", "add", "ovid-medline", "--run-on", "2022-03-31",
            "--string-file", str(strategy), "--hits", "321", who="bob",
        )
    ).output  # fmt: skip
    assert "Search 1 logged: MEDLINE, 2022-03-31." in added
    listed = ok(run("search", "log", "list", "--strings")).output
    assert "Ovid" in listed and "321" in listed
    assert "3 1 and 2" in listed


def test_an_adviser_may_not_change_the_strategy(run: Run) -> None:
    result = run("search", "block", "add", "Setting", who="pat")
    assert result.exit_code == 1
    assert "may not edit protocol" in result.output


def test_it_revises_a_block_and_exports_the_log(run: Run, tmp_path: Path) -> None:
    _strategy(run)
    assert (
        "Block 3: Methods (excluded)."
        in ok(run("search", "block", "revise", "3", "--label", "Methods", "--exclude")).output
    )
    assert "NOT Block 3: Methods" in ok(run("search", "show")).output
    ok(run("search", "log", "add", "wos", "--run-on", "2022-03-31", "--string", "TS=(a)"))
    target = tmp_path / "log.csv"
    ok(run("search", "log", "export", "-o", str(target)))
    assert "Web of Science,Web of Science,2022-03-31" in target.read_text(encoding="utf-8-sig")
