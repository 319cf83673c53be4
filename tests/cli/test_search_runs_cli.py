"""alice searches Europe PMC from the command line, resumes a cut-off download and updates it."""

from __future__ import annotations

import re

import httpx
import pytest
import respx
from click.testing import CliRunner, Result

from cosynth.cli import output
from cosynth.cli.main import cli
from cosynth.connectors import Connector
from cosynth.services import search_runs as run_service
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.network import FakeTime, api_file, no_network
from tests.services.search_run_helpers import (
    EUROPE_PMC,
    QUERY,
    connector,
    europe_pmc_answers,
    europe_pmc_page2,
)

__all__ = ["no_network"]
pytestmark = pytest.mark.usefixtures("no_network")


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output.out, "width", 200)
    monkeypatch.setattr(output.err, "width", 200)


@pytest.fixture(autouse=True)
def recorded_connectors(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands' connectors wait on a fake clock and page two records at a time."""
    fake_time = FakeTime()

    def opened(api: str) -> Connector:
        return connector(api, fake_time)

    monkeypatch.setattr(run_service, "open_connector", opened)


def search(db_url: str, who: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db_url, "--as", who, "search", *args])


def run_id(shown: Result) -> str:
    found = re.search(r"Search run (\d+)", shown.output)
    assert found is not None, shown.output
    return found.group(1)


@respx.mock
def test_it_runs_a_search_and_lists_it(db_url: str, workspace: Workspace, team: Team) -> None:
    europe_pmc_answers(respx.mock).mock(return_value=europe_pmc_page2())
    ran = search(db_url, "alice", "run", "europepmc", QUERY)
    assert ran.exit_code == 0, ran.output
    assert "3 records downloaded" in ran.output
    assert "3 imported as source" in ran.output
    listed = search(db_url, "pat", "runs")
    assert listed.exit_code == 0, listed.output
    assert "Europe PMC" in listed.output
    assert "imported" in listed.output


@respx.mock
def test_a_cut_off_download_says_how_to_resume_and_resumes(
    db_url: str, workspace: Workspace, team: Team
) -> None:
    second = europe_pmc_answers(respx.mock)
    second.mock(return_value=httpx.Response(503))
    cut = search(db_url, "alice", "run", "europepmc", QUERY)
    assert cut.exit_code == 1
    found = re.search(r"cosynth search resume (\d+)", cut.output)
    assert found is not None, cut.output
    assert "Traceback" not in cut.output

    second.mock(return_value=europe_pmc_page2())
    resumed = search(db_url, "alice", "resume", found.group(1))
    assert resumed.exit_code == 0, resumed.output
    assert "3 imported" in resumed.output


@respx.mock
def test_an_update_imports_only_the_new_record(
    db_url: str, workspace: Workspace, team: Team
) -> None:
    europe_pmc_answers(respx.mock).mock(return_value=europe_pmc_page2())
    first = run_id(search(db_url, "alice", "run", "europepmc", QUERY))
    respx.mock.clear()
    respx.get(EUROPE_PMC, params={"cursorMark": "*"}).mock(
        return_value=httpx.Response(200, content=api_file("europepmc/update-page1.json"))
    )
    last = "AoIIP4AAACgzOTAwMDAxMA=="
    respx.get(EUROPE_PMC, params={"cursorMark": last}).mock(
        return_value=httpx.Response(
            200, json={"hitCount": 3, "nextCursorMark": last, "resultList": {"result": []}}
        )
    )
    updated = search(db_url, "alice", "update", first)
    assert updated.exit_code == 0, updated.output
    assert "2 already in the review: left out" in updated.output
    assert "1 imported" in updated.output


def test_chasing_without_included_studies_is_refused_in_plain_words(
    db_url: str, workspace: Workspace, team: Team
) -> None:
    chased = search(db_url, "alice", "chase", "--direction", "backward")
    assert chased.exit_code == 1
    assert "no included studies" in chased.output


def test_pat_may_not_run_a_search(db_url: str, workspace: Workspace, team: Team) -> None:
    refused = search(db_url, "pat", "run", "openalex", "carers")
    assert refused.exit_code == 1
    assert "may not import" in refused.output
