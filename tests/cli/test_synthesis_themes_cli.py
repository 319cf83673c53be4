"""From the terminal: bob translates, alice builds and exports the themes, pat says how they fit."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cosynth.cli import output
from cosynth.cli.main import cli
from cosynth.services import translation
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.translation_helpers import Read, three_studies_read

Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output.out, "width", 200)
    monkeypatch.setattr(output.err, "width", 200)


@pytest.fixture
def run(db_url: str) -> Run:
    runner = CliRunner()

    def invoke(*args: str, who: str = "alice") -> Result:
        return runner.invoke(
            cli, ["--db", db_url, "--as", who, "synthesis", *args], catch_exceptions=False
        )

    return invoke


@pytest.fixture
def read(workspace: Workspace, team: Team) -> Read:
    return three_studies_read(workspace, team)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def refused(result: Result, message: str) -> Result:
    assert result.exit_code == 1, result.output
    assert message in " ".join(result.output.split()), result.output
    return result


def test_it_translates_builds_the_tree_and_exports_it(
    run: Run, workspace: Workspace, team: Team, read: Read, tmp_path: Path
) -> None:
    listened, peers, hub = (str(c) for c in read.concepts)
    said = ok(
        run("translate", "reciprocal", listened, peers, "--into", "Expertise valued", who="bob")
    )
    assert "Translation #1 (reciprocal) into 'Expertise valued'." in said.output
    refused(
        run("translate", "reciprocal", listened, "--into", "Alone", who="bob"),
        "at least two concepts; 1 was given",
    )
    ok(
        run(
            "translate", "refute", listened, hub, "--explanation", "context",
            "--account", "A small carers' group against a whole estate", who="carol",
        )
    )  # fmt: skip
    ok(run("translate", "alternative", "Perhaps tokenism", "--translation", "1", who="bob"))
    listed = ok(run("translate", "list")).output
    assert "being listened to; co-delivery by peers" in listed
    assert "different contexts: A small carers' group" in listed
    assert "Alternative #1 (translation 1): Perhaps tokenism" in listed

    assert (
        "Category #1 'Design' added."
        in ok(run("theme", "add", "Design", "--level", "category")).output
    )
    ok(run("theme", "add", "Person-centred design", "--level", "theme", "--parent", "1"))
    refused(run("theme", "add", "Stray", "--level", "theme"), "A theme sits under a category")
    with workspace.transaction("bob") as tx:
        expertise = str(translation.translations(tx, team.review_id)[0].into_concept_id)
    assert "rests on concepts" in ok(run("theme", "link", "2", expertise)).output
    tree = ok(run("theme", "tree", who="pat")).output
    assert "#2 Person-centred design (theme) Author1 2013; Author2 2014" in tree
    ok(run("interpretation", "add", "Co-delivery", "Peers deliver.", "--theme", "2"))
    assert "1. Co-delivery (#1)" in ok(run("interpretation", "list")).output

    target = tmp_path / "tree.md"
    ok(run("theme", "export", "-o", str(target)))
    assert "  - Person-centred design (theme)\\" in target.read_text()
    document = json.loads(ok(run("theme", "export", "--format", "json")).output)
    assert document["categories"][0]["children"][0]["citations"] == [
        "[Author1 2013: 241]",
        "[Author2 2014: 12]",
    ]


def test_it_records_resonance_as_the_adviser_or_for_a_named_member(run: Run, read: Read) -> None:
    ok(run("theme", "add", "Design", "--level", "category"))
    kept = ok(run("resonance", "record", "theme", "1", "partly", "--words", "Sometimes", who="pat"))
    assert "Kept pat's view: this partly matches my experience." in kept.output
    ok(run("resonance", "record", "theme", "1", "agree", "--voice", "Sam"))
    refused(
        run("resonance", "record", "theme", "1", "agree", "--voice", "Sam", who="pat"),
        "pat may record their own view only",
    )
    listed = ok(run("resonance", "list", who="bob")).output
    assert "Sometimes" in listed and "Sam" in listed
    refused(run("theme", "tree", who="mallory"), "mallory is not a member")
