"""alice updates the Europe PMC search: only the new records come in, queued for screening."""

from __future__ import annotations

import httpx
import pytest
import respx

from cosynth.domain.screening.stages import Stage
from cosynth.domain.search_runs import RunPurpose, SearchApi
from cosynth.errors import InputError, PermissionDeniedError, SearchApiError
from cosynth.services.living_updates import previous_version, update_search
from cosynth.services.prisma import prisma_files, prisma_flow
from cosynth.services.records import list_records
from cosynth.services.screening_state import load_stage
from cosynth.services.search_runs import list_search_runs, run_search
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.network import FakeTime, api_file, no_network
from tests.services.screening_helpers import include_at_full_text
from tests.services.search_run_helpers import (
    EUROPE_PMC,
    QUERY,
    connector,
    europe_pmc_answers,
    europe_pmc_page2,
)

__all__ = ["no_network"]
pytestmark = pytest.mark.usefixtures("no_network")


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def first_search(workspace: Workspace, team: Team, fake_time: FakeTime) -> int:
    """alice's Europe PMC search (three records); bob and carol include the first."""
    with respx.mock:
        europe_pmc_answers(respx.mock).mock(return_value=europe_pmc_page2())
        result = run_search(
            workspace,
            "alice",
            team.review_id,
            SearchApi.EUROPE_PMC,
            QUERY,
            connector=connector("europepmc", fake_time),
        )
    with workspace.transaction("alice") as tx:
        first = list_records(tx, team.review_id)[0].id
    include_at_full_text(workspace, team, [first])
    return result.run.id


def update_answer(router: respx.MockRouter) -> None:
    router.get(EUROPE_PMC).mock(
        return_value=httpx.Response(200, content=api_file("europepmc/update-page1.json"))
    )


@respx.mock
def test_an_update_imports_only_the_records_not_seen_before(
    workspace: Workspace, team: Team, fake_time: FakeTime, first_search: int
) -> None:
    update_answer(respx.mock)
    result = update_search(
        workspace,
        "alice",
        team.review_id,
        first_search,
        connector=connector("europepmc", fake_time, page_size=1000),
    )
    # Three found again: one known by its PMID and DOI, one (the preprint, now
    # without its DOI) by the de-duplication rules, and one new.
    assert (result.imported, result.run.already_known) == (1, 2)
    assert result.run.purpose is RunPurpose.UPDATE
    assert result.run.updates_run_id == first_search
    assert result.run.query == QUERY
    with workspace.transaction("alice") as tx:
        new = [r for r in list_records(tx, team.review_id) if r.source_id == result.run.source_id]
        waiting = load_stage(tx, team.review_id, Stage.TITLE_ABSTRACT)
    assert [r.citation.title for r in new] == [
        "Co-producing hospital discharge with unpaid carers: a mixed-methods study."
    ]
    # Queued for screening like any import.
    assert new[0].id in waiting.units


@respx.mock
def test_an_update_marks_the_review_updated_for_the_prisma_flow(
    workspace: Workspace, team: Team, fake_time: FakeTime, first_search: int
) -> None:
    update_answer(respx.mock)
    update_search(
        workspace,
        "alice",
        team.review_id,
        first_search,
        connector=connector("europepmc", fake_time, page_size=1000),
    )
    with workspace.transaction("alice") as tx:
        version = previous_version(tx, team.review_id)
        flow = prisma_flow(tx, team.review_id)
    assert version is not None
    assert version.studies == 1
    assert (flow.previous_studies, flow.previous_reports) == (1, 1)
    assert flow.updated
    # Only the update's record is counted as identified; the new study count waits
    # for its screening, and the total adds the previous version's study.
    assert flow.database_results == 1
    assert (flow.new_studies, flow.total_studies) == (0, 1)
    # The diagram is drawn with the updated review's boxes.
    with workspace.transaction("alice") as tx:
        svg = prisma_files(tx, team.review_id, ["svg"])["svg"].decode()
    assert "Studies included in previous version of review" in svg


@respx.mock
def test_updating_again_with_nothing_new_imports_nothing_and_keeps_the_version(
    workspace: Workspace, team: Team, fake_time: FakeTime, first_search: int
) -> None:
    update_answer(respx.mock)
    client = connector("europepmc", fake_time, page_size=1000)
    first = update_search(workspace, "alice", team.review_id, first_search, connector=client)
    with workspace.transaction("alice") as tx:
        version = previous_version(tx, team.review_id)
    again = update_search(workspace, "alice", team.review_id, first.run.id, connector=client)
    assert (again.imported, again.run.already_known, again.report) == (0, 3, None)
    # An update of an update repeats the first search.
    assert again.run.updates_run_id == first_search
    with workspace.transaction("alice") as tx:
        assert previous_version(tx, team.review_id) == version


def test_a_review_never_updated_has_no_previous_version(workspace: Workspace, team: Team) -> None:
    with workspace.transaction("alice") as tx:
        assert previous_version(tx, team.review_id) is None
        assert not prisma_flow(tx, team.review_id).updated


@respx.mock
def test_an_unfinished_run_is_resumed_before_it_is_updated(
    workspace: Workspace, team: Team, fake_time: FakeTime
) -> None:
    europe_pmc_answers(respx.mock).mock(return_value=httpx.Response(503))
    with pytest.raises(SearchApiError, match="resume"):
        run_search(
            workspace,
            "alice",
            team.review_id,
            SearchApi.EUROPE_PMC,
            QUERY,
            connector=connector("europepmc", fake_time),
        )
    with workspace.transaction("alice") as tx:
        (unfinished,) = list_search_runs(tx, team.review_id)
    with pytest.raises(InputError, match="resume it"):
        update_search(
            workspace,
            "alice",
            team.review_id,
            unfinished.id,
            connector=connector("europepmc", fake_time),
        )


def test_pat_may_not_update_a_search(
    workspace: Workspace, team: Team, fake_time: FakeTime, first_search: int
) -> None:
    with pytest.raises(PermissionDeniedError):
        update_search(
            workspace,
            "pat",
            team.review_id,
            first_search,
            connector=connector("europepmc", fake_time),
        )
