"""From the terminal: alice logs the phases, bob reads and codes, the team relates and orders."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from cosynth.cli import output
from cosynth.cli.main import cli
from cosynth.domain.quotes import QuoteKind
from cosynth.services import fulltext, quotes
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.extraction_helpers import two_studies
from tests.services.test_quotes import PAGES, article_pdf

Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output.out, "width", 200)
    monkeypatch.setattr(output.err, "width", 200)


@pytest.fixture
def run(db_url: str) -> Run:
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
def sources(workspace: Workspace, team: Team) -> tuple[int, int]:
    """Author1 2013's full text and a quote kept from it; Author2 2014 is included too."""
    studies = two_studies(workspace, team)
    with workspace.transaction("bob") as tx:
        report = fulltext.attach_report(
            tx, team.review_id, studies[0], "author1.pdf", article_pdf(*PAGES)
        )
        quote = quotes.add_quote(
            tx,
            team.review_id,
            studies[0],
            "We were listened to for the first time",
            kind=QuoteKind.FIRST_ORDER,
            report_id=report.id,
        )
    return report.id, quote.id


def test_it_logs_the_phases(run: Run, team: Team) -> None:
    assert (
        "Phase 3 (Reading the studies): started."
        in ok(run("synthesis", "phase", "start", "3")).output
    )
    ok(run("synthesis", "phase", "produce", "3", "Concepts of the first four studies"))
    refused(run("synthesis", "phase", "start", "3"), "was started already")
    ok(run("synthesis", "phase", "complete", "3"))
    log = ok(run("synthesis", "phase", "log", who="pat")).output
    assert "3. Reading the studies" in log and "Concepts of the first four studies" in log
    assert "1. Getting started" in log and "not started" in log
    refused(run("synthesis", "phase", "start", "1", who="mallory"), "mallory")


def test_it_reads_codes_relates_and_exports_the_grid(
    run: Run, team: Team, sources: tuple[int, int], tmp_path: Path
) -> None:
    report, quote = sources
    added = ok(
        run(
            "synthesis", "concept", "add", "being listened to", "--study", "Author1 2013",
            "--order", "first-order", who="bob",
        )
    ).output  # fmt: skip
    assert "Concept #1 'being listened to' (first-order) noted." in added
    refused(
        run("synthesis", "concept", "add", "heard", "--study", "Author2 2014", who="bob"),
        "--order first-order or second-order",
    )
    ok(run("synthesis", "concept", "add", "having a voice"))  # the team's own: third-order
    coded = ok(run("synthesis", "code", "quote", "1", str(quote), "--end", "7", who="bob"))
    assert "Coding #1: 'We were' (quote 1, page 242) to concept #1." in coded.output
    ok(run("synthesis", "code", "page", "2", str(report), "--pdf-page", "1", "--start", "0",
           "--end", "10", who="bob"))  # fmt: skip
    pasted = run("synthesis", "code", "excerpt", "2", "depth of empathy", "--report", str(report))
    assert "(report 1, page 243)" in ok(pasted).output
    refused(run("synthesis", "code", "excerpt", "2", "words"), "one of --quote, --report")
    ok(run("synthesis", "code", "withdraw", "3", "--reason", "too broad"))
    listed = ok(run("synthesis", "concept", "list", who="pat")).output
    assert "being listened to" in listed and "having a voice" in listed

    judged = ok(run("synthesis", "relate", "reciprocal", "Both are about being heard."))
    assert "all the included studies relate as reciprocal" in judged.output
    ordered = ok(run("synthesis", "order", "publication date", "--index", "Author2 2014"))
    assert "1. Author2 2014 (index paper)" in ordered.output
    assert "2. Author1 2013" in ordered.output

    shown = ok(run("synthesis", "grid", who="pat")).output
    assert "being listened to" in shown and "Author2 2014" in shown
    csv_file, xlsx_file = tmp_path / "grid.csv", tmp_path / "grid.xlsx"
    ok(run("synthesis", "grid", "--csv", str(csv_file), "--xlsx", str(xlsx_file)))
    rows = list(csv.reader(csv_file.open(encoding="utf-8")))
    assert rows[0] == ["Concept", "Order", "Author2 2014", "Author1 2013"]
    assert ["being listened to", "first-order", "", "being listened to (p. 242)"] in rows
    sheet = load_workbook(xlsx_file).active
    assert sheet is not None and sheet["C1"].value == "Author2 2014"
