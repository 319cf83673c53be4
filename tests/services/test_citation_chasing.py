"""alice chases the included studies' citations through OpenAlex: PRISMA's citation searching."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from cosynth.domain.prisma import IdentificationMethod
from cosynth.domain.search_runs import RunPurpose, SearchApi
from cosynth.errors import InputError, PermissionDeniedError
from cosynth.services.citation_chasing import Direction, chase_citations
from cosynth.services.imports import import_file
from cosynth.services.prisma import prisma_flow
from cosynth.services.records import list_records, list_sources
from cosynth.services.search_runs import run_search
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.network import FakeTime, api_file, no_network
from tests.services.screening_helpers import import_search, include_at_full_text
from tests.services.search_run_helpers import OPENALEX, QUERY, connector, pubmed_answers

__all__ = ["no_network"]
pytestmark = pytest.mark.usefixtures("no_network")

REFERENCES_NEXT = "IlsxNTAwMDAwMDAwMDAwLCAnaHR0cHM6Ly9vcGVuYWxleC5vcmcvVzI5MDAwMDAwMTInXSI="


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def two_studies(workspace: Workspace, team: Team, fake_time: FakeTime) -> list[int]:
    """The CINAHL export, then a PubMed search; bob and carol include its first two records."""
    import_search(workspace, team)
    with respx.mock:
        pubmed_answers(respx.mock)
        result = run_search(
            workspace,
            "alice",
            team.review_id,
            SearchApi.PUBMED,
            QUERY,
            connector=connector("pubmed", fake_time),
        )
    assert result.report is not None
    with workspace.transaction("alice") as tx:
        from_pubmed = [
            r.id for r in list_records(tx, team.review_id) if r.source_id == result.report.source.id
        ]
    include_at_full_text(workspace, team, from_pubmed[:2])
    return from_pubmed[:2]


def openalex_answers(router: respx.MockRouter) -> dict[str, respx.Route]:
    return {
        "studies": router.get(
            OPENALEX, params={"filter": "doi:10.5555/hsc.2023.0202|10.5555/ijic.2024.0001"}
        ).mock(return_value=httpx.Response(200, content=api_file("openalex/studies.json"))),
        "references": router.get(
            OPENALEX,
            params={
                "filter": "openalex:W2900000011|W2900000012|W2900000013|W2900000014",
                "cursor": "*",
            },
        ).mock(
            return_value=httpx.Response(200, content=api_file("openalex/references-page1.json"))
        ),
        "references-2": router.get(OPENALEX, params={"cursor": REFERENCES_NEXT}).mock(
            return_value=httpx.Response(200, content=api_file("openalex/references-page2.json"))
        ),
        "citing": router.get(OPENALEX, params={"filter": "cites:W4390000001|W4390000002"}).mock(
            return_value=httpx.Response(200, content=api_file("openalex/citing.json"))
        ),
    }


@respx.mock
def test_backward_chasing_imports_the_new_references_as_citation_searching(
    workspace: Workspace, team: Team, fake_time: FakeTime, two_studies: list[int]
) -> None:
    routes = openalex_answers(respx.mock)
    result = chase_citations(
        workspace,
        "alice",
        team.review_id,
        Direction.BACKWARD,
        connector=connector("openalex", fake_time),
    )
    assert result.run.purpose is RunPurpose.BACKWARD_CITATIONS
    assert routes["references-2"].call_count == 1
    # Four references; one is the CINAHL record "Service users' views of
    # person-centred integrated care planning" under no DOI: the de-duplication
    # rules know it.
    assert (result.imported, result.run.already_known) == (3, 1)
    with workspace.transaction("alice") as tx:
        source = next(s for s in list_sources(tx, team.review_id) if s.id == result.run.source_id)
        flow = prisma_flow(tx, team.review_id)
    assert source.method is IdentificationMethod.CITATION_SEARCHING
    assert source.database == "OpenAlex"
    assert flow.citations_results == 3
    # The database column is untouched: six CINAHL records and three from PubMed.
    assert flow.database_results == 9


@respx.mock
def test_forward_chasing_leaves_out_what_the_review_already_has(
    workspace: Workspace, team: Team, fake_time: FakeTime, two_studies: list[int]
) -> None:
    openalex_answers(respx.mock)
    result = chase_citations(
        workspace,
        "alice",
        team.review_id,
        Direction.FORWARD,
        connector=connector("openalex", fake_time),
    )
    # Two works cite the studies; one is PubMed's third record (its DOI known).
    assert (result.imported, result.run.already_known) == (1, 1)
    with workspace.transaction("alice") as tx:
        titles = [
            r.citation.title
            for r in list_records(tx, team.review_id)
            if r.source_id == result.run.source_id
        ]
        assert prisma_flow(tx, team.review_id).citations_results == 1
    assert titles == ["Sustaining co-produced integrated care after the pilot: a follow-up study"]


@respx.mock
def test_chasing_twice_finds_nothing_new_the_second_time(
    workspace: Workspace, team: Team, fake_time: FakeTime, two_studies: list[int]
) -> None:
    openalex_answers(respx.mock)
    first = chase_citations(
        workspace,
        "alice",
        team.review_id,
        Direction.FORWARD,
        connector=connector("openalex", fake_time),
    )
    again = chase_citations(
        workspace,
        "alice",
        team.review_id,
        Direction.FORWARD,
        connector=connector("openalex", fake_time),
    )
    assert first.imported == 1
    assert (again.imported, again.run.already_known, again.report) == (0, 2, None)


def test_chasing_needs_included_studies(
    workspace: Workspace, team: Team, fake_time: FakeTime
) -> None:
    import_search(workspace, team)
    with pytest.raises(InputError, match="no included studies"):
        chase_citations(
            workspace,
            "alice",
            team.review_id,
            Direction.BACKWARD,
            connector=connector("openalex", fake_time),
        )


def test_pat_may_not_chase_citations(workspace: Workspace, team: Team, fake_time: FakeTime) -> None:
    with pytest.raises(PermissionDeniedError):
        chase_citations(
            workspace,
            "pat",
            team.review_id,
            Direction.FORWARD,
            connector=connector("openalex", fake_time),
        )


@respx.mock
def test_a_study_without_a_doi_is_found_by_its_pubmed_id(
    workspace: Workspace, team: Team, fake_time: FakeTime
) -> None:
    study = (
        "PMID- 39000002\nTI  - Peer support workers as co-deliverers of integrated mental "
        "health services.\nFAU - Mensah, Abena\nDP  - 2023 Nov\n"
    )
    with workspace.transaction("alice") as tx:
        import_file(tx, team.review_id, "one.nbib", study.encode(), database="MEDLINE")
        (record,) = list_records(tx, team.review_id)
    include_at_full_text(workspace, team, [record.id])
    answer = json.loads(api_file("openalex/studies.json"))
    answer["results"] = [work for work in answer["results"] if work["ids"]["pmid"].endswith("2")]
    answer["meta"]["count"] = 1
    by_pmid = respx.get(OPENALEX, params={"filter": "pmid:39000002"}).mock(
        return_value=httpx.Response(200, json=answer)
    )
    citing = json.loads(api_file("openalex/citing.json"))
    citing["results"] = citing["results"][1:]
    respx.get(OPENALEX, params={"filter": "cites:W4390000002"}).mock(
        return_value=httpx.Response(200, json=citing)
    )
    result = chase_citations(
        workspace,
        "alice",
        team.review_id,
        Direction.FORWARD,
        connector=connector("openalex", fake_time),
    )
    assert by_pmid.call_count == 1
    assert result.imported == 1
