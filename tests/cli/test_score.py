"""bob and carol score co-production from the terminal; alice agrees where they differ."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cosynth.cli import output
from cosynth.cli.main import cli
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import import_search, include_at_full_text


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output.out, "width", 200)
    monkeypatch.setattr(output.err, "width", 200)


def run(db_url: str, who: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db_url, "--as", who, "score", *args])


def test_it_rates_agrees_and_lists_studies_by_score(
    db_url: str, workspace: Workspace, team: Team
) -> None:
    ids = import_search(workspace, team)
    include_at_full_text(workspace, team, ids[:2])
    for who, spectrum in (("bob", "Devolving"), ("carol", "4")):
        assert run(db_url, who, "rate", str(ids[1]), "tlap-ladder", "Co-production").exit_code == 0
        assert run(db_url, who, "rate", str(ids[1]), "nhse-spectrum", spectrum).exit_code == 0
    differ = run(db_url, "alice")
    assert "raters differ" in differ.output
    agreed = run(
        db_url, "alice", "agree", str(ids[1]), "nhse-spectrum", "5", "--rationale", "Discussed"
    )
    assert agreed.exit_code == 0, agreed.output
    listed = run(db_url, "alice").output
    assert "sum of TLAP ladder of co-production and NHS England spectrum" in listed
    assert "Author2 2014" in listed and "12" in listed
    assert "5 Devolving (agreed)" in listed
    history = run(db_url, "alice", "history", str(ids[1])).output
    assert "consensus (alice): nhse-spectrum 5 Devolving - Discussed" in history


def test_it_refuses_plainly(db_url: str, workspace: Workspace, team: Team, tmp_path: Path) -> None:
    ids = import_search(workspace, team)
    refused = run(db_url, "bob", "rate", str(ids[0]), "tlap-ladder", "Co-design")
    assert refused.exit_code == 1
    assert "not an included study" in refused.output
    bad = tmp_path / "ours.toml"
    bad.write_text('[scale]\nid = "ours"\n', encoding="utf-8")
    added = run(db_url, "alice", "add-scale", str(bad))
    assert added.exit_code == 1
    assert "ours.toml, line 1: 'source' in the [scale] table is missing" in added.output


def test_it_switches_on_co_delivery(db_url: str, team: Team) -> None:
    result = run(db_url, "alice", "scheme", "--scale", "tlap-ladder", "--switch-on", "co-delivery")
    assert result.exit_code == 0, result.output
    assert "range 1-8" in result.output
    assert "Co-delivery" in run(db_url, "alice", "scales").output
