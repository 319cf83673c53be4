"""alice writes the review's full report from the terminal; the demo writes the worked
example's report beside its database."""

from __future__ import annotations

from pathlib import Path

import argon2
import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner, Result
from defusedxml import ElementTree

from cosynth.cli import output
from cosynth.cli.main import cli
from cosynth.services import accounts
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.appraisal_helpers import appraise, choose_tapupas, eleven_studies

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output.out, "width", 200)
    monkeypatch.setattr(output.err, "width", 200)


def run(db_url: str, who: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db_url, "--as", who, "report", *args])


def test_it_writes_the_report_in_the_formats_asked_for(
    db_url: str, workspace: Workspace, team: Team, tmp_path: Path
) -> None:
    ids = eleven_studies(workspace, team)
    choose_tapupas(workspace, team)
    for who in team.reviewers:
        appraise(workspace, who, team, ids[0], unmet=("T",))
    folder = tmp_path / "report"
    done = run(db_url, "alice", "build", str(team.review_id), "--out", str(folder))
    assert done.exit_code == 0, done.output
    assert f"Wrote the report of review {team.review_id}" in done.output
    assert str(folder / "report.html") in done.output
    for name in ("report.html", "report.md", "report.docx"):
        assert (folder / name).stat().st_size > 0
    assert (folder / "prisma" / "prisma-flow.png").read_bytes().startswith(PNG)
    assert (folder / "figures" / "figure-1-prisma-flow.svg").read_bytes().startswith(b"<svg")
    ElementTree.fromstring((folder / "report.html").read_bytes())
    markdown = (folder / "report.md").read_text(encoding="utf-8")
    assert "## Critical appraisal" in markdown and "Vennik 2016" in markdown
    # Only Markdown, asked for: no HTML or Word beside it.
    only = tmp_path / "md"
    assert run(db_url, "alice", "build", "--out", str(only), "--format", "md").exit_code == 0
    assert (only / "report.md").exists() and not (only / "report.html").exists()


def test_it_refuses_an_unknown_format_and_mallory(db_url: str, team: Team, tmp_path: Path) -> None:
    wrong = run(db_url, "alice", "build", "--out", str(tmp_path / "x"), "--format", "pdf")
    assert wrong.exit_code == 1
    assert "Unknown report format pdf; formats: html, md, docx." in wrong.output
    refused = run(db_url, "mallory", "build", str(team.review_id), "--out", str(tmp_path / "m"))
    assert refused.exit_code == 1
    assert not (tmp_path / "m").exists()


def test_the_demo_writes_the_worked_examples_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)
    )
    folder = tmp_path / "demo"
    result = CliRunner().invoke(cli, ["demo", "--out", str(folder), "--no-serve"])
    assert result.exit_code == 0, result.output
    report = folder / "report"
    assert f"The worked example's full report is in {report}" in result.output
    for name in (
        "report.html",
        "report.docx",
        "report.md",
        "prisma/prisma-flow.svg",
        "prisma/prisma-flow.png",
        "prisma/prisma-flow.html",
        "figures/figure-3-theme-map.svg",
        "figures/figure-4-interpretations.png",
        "figures/figure-5-co-delivery-cycle.svg",
    ):
        assert (report / name).stat().st_size > 0, name
    text = (report / "report.md").read_text(encoding="utf-8")
    assert "Table 2. Included studies" in text and "Narrow focus" in text
