"""alice runs saved searches against the databases' APIs; the records enter the review whole."""

from __future__ import annotations

import httpx
import pytest
import respx

from cosynth.domain.prisma import IdentificationMethod
from cosynth.domain.search_runs import RunStatus, SearchApi
from cosynth.errors import ConcurrentChangeError, InputError, PermissionDeniedError, SearchApiError
from cosynth.services import search_runs as run_service
from cosynth.services.records import count_records, list_records, list_sources
from cosynth.services.reviews import create_review
from cosynth.services.search_log import search_log
from cosynth.services.search_runs import (
    api_of,
    download,
    import_search_run,
    keep_page,
    list_search_runs,
    resume_search,
    run_search,
    start_search,
)
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.network import FakeTime, api_file, no_network
from tests.services.search_run_helpers import (
    EUROPE_PMC,
    QUERY,
    connector,
    europe_pmc_answers,
    europe_pmc_page2,
    pubmed_answers,
)

__all__ = ["no_network"]
pytestmark = pytest.mark.usefixtures("no_network")


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@respx.mock
def test_it_imports_a_pubmed_search_as_one_dated_source(
    workspace: Workspace, team: Team, fake_time: FakeTime
) -> None:
    pubmed_answers(respx.mock)
    result = run_search(
        workspace,
        "alice",
        team.review_id,
        SearchApi.PUBMED,
        QUERY,
        connector=connector("pubmed", fake_time),
    )
    assert result.run.status is RunStatus.IMPORTED
    assert (result.run.pages, result.run.fetched, result.run.total) == (2, 3, 3)
    assert result.report is not None
    assert result.report.records_imported == 3
    with workspace.transaction("alice") as tx:
        (source,) = list_sources(tx, team.review_id)
        titles = [record.citation.title for record in list_records(tx, team.review_id)]
    # Filed as an export from PubMed is: MEDLINE's records, on the PubMed platform.
    assert (source.database, source.platform) == ("MEDLINE", "PubMed")
    assert source.searched_on == result.run.started_at.date()
    assert source.method is IdentificationMethod.DATABASE
    assert source.filename.startswith("pubmed-search-run")
    assert titles[0].startswith("Co-producing integrated care with unpaid carers")
    # The search log (PRISMA-S) has the search as run, linked to its records.
    with workspace.transaction("alice") as tx:
        (logged,) = search_log(tx, team.review_id)
    assert (logged.database, logged.platform) == ("MEDLINE", "PubMed")
    assert (logged.string, logged.hits) == (QUERY, 3)
    assert logged.run_on == source.searched_on
    assert logged.source_ids == (source.id,)


@respx.mock
def test_it_reports_progress_page_by_page(
    workspace: Workspace, team: Team, fake_time: FakeTime
) -> None:
    europe_pmc_answers(respx.mock).mock(return_value=europe_pmc_page2())
    seen: list[tuple[int, int | None]] = []
    run_search(
        workspace,
        "alice",
        team.review_id,
        SearchApi.EUROPE_PMC,
        QUERY,
        connector=connector("europepmc", fake_time),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(0, None), (2, 3), (3, 3)]


@respx.mock
def test_an_interrupted_download_keeps_its_pages_and_resumes_to_the_same_records(
    workspace: Workspace, team: Team, fake_time: FakeTime
) -> None:
    second = europe_pmc_answers(respx.mock)
    second.mock(return_value=httpx.Response(503))
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
        (run,) = list_search_runs(tx, team.review_id)
        # Nothing half-imported: the first page is kept, no record is in the review.
        assert count_records(tx, team.review_id) == 0
    assert (run.status, run.pages, run.fetched) == (RunStatus.DOWNLOADING, 1, 2)

    second.mock(return_value=europe_pmc_page2())
    resumed = resume_search(
        workspace, "alice", team.review_id, run.id, connector=connector("europepmc", fake_time)
    )
    assert resumed.run.status is RunStatus.IMPORTED
    assert resumed.imported == 3
    # The first page was not asked for again.
    assert respx.mock.routes[0].call_count == 1

    with workspace.transaction("alice") as tx:
        other = create_review(tx, "The same search, uninterrupted").id
    whole = run_search(
        workspace,
        "alice",
        other,
        SearchApi.EUROPE_PMC,
        QUERY,
        connector=connector("europepmc", fake_time),
    )
    with workspace.transaction("alice") as tx:
        after_resume = [r.citation for r in list_records(tx, team.review_id)]
        uninterrupted = [r.citation for r in list_records(tx, other)]
    assert whole.imported == 3
    assert after_resume == uninterrupted


@respx.mock
def test_a_run_stopped_between_pages_is_resumed_from_its_cursor(
    workspace: Workspace, team: Team, fake_time: FakeTime
) -> None:
    europe_pmc_answers(respx.mock).mock(return_value=europe_pmc_page2())
    client = connector("europepmc", fake_time)
    with workspace.transaction("alice") as tx:
        run = start_search(tx, team.review_id, SearchApi.EUROPE_PMC, QUERY, connector=client)
    stopped = download(workspace, "alice", team.review_id, run.id, client, max_pages=1)
    assert stopped.cursor == "AoIIP4AAACgzOTAwMDAwMg=="
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match="resume it"):
        import_search_run(tx, team.review_id, run.id, client)
    result = resume_search(workspace, "alice", team.review_id, run.id, connector=client)
    assert result.imported == 3
    with pytest.raises(InputError, match="complete"):
        resume_search(workspace, "alice", team.review_id, run.id, connector=client)


@respx.mock
def test_a_record_without_what_screening_needs_is_skipped_and_counted(
    workspace: Workspace, team: Team, fake_time: FakeTime
) -> None:
    respx.get(EUROPE_PMC).mock(
        return_value=httpx.Response(200, content=api_file("europepmc/missing-fields.json"))
    )
    result = run_search(
        workspace,
        "alice",
        team.review_id,
        SearchApi.EUROPE_PMC,
        "carers",
        connector=connector("europepmc", fake_time, page_size=1000),
    )
    assert result.report is not None
    assert result.report.records_imported == 1
    (skipped,) = result.report.skipped
    assert "no title, abstract, authors, DOI or PMID" in skipped.reason


@respx.mock
def test_a_search_that_finds_nothing_is_kept_without_a_source(
    workspace: Workspace, team: Team, fake_time: FakeTime
) -> None:
    answer = {"hitCount": 0, "nextCursorMark": "*", "resultList": {"result": []}}
    respx.get(EUROPE_PMC).mock(return_value=httpx.Response(200, json=answer))
    result = run_search(
        workspace,
        "alice",
        team.review_id,
        SearchApi.EUROPE_PMC,
        "unicorns AND co-production",
        connector=connector("europepmc", fake_time),
    )
    assert result.report is None
    assert (result.run.status, result.run.imported, result.run.source_id) == (
        RunStatus.IMPORTED,
        0,
        None,
    )


def test_pat_and_mallory_may_not_run_searches(
    workspace: Workspace, team: Team, fake_time: FakeTime
) -> None:
    for who in ("pat", "mallory"):
        with workspace.transaction(who) as tx, pytest.raises(PermissionDeniedError):
            start_search(
                tx,
                team.review_id,
                SearchApi.OPENALEX,
                "carers",
                connector=connector("openalex", fake_time),
            )


def test_an_empty_query_or_an_unknown_api_is_refused_in_plain_words(
    workspace: Workspace, team: Team, fake_time: FakeTime
) -> None:
    with workspace.transaction("alice") as tx, pytest.raises(InputError, match="empty"):
        start_search(
            tx, team.review_id, SearchApi.CROSSREF, "  ", connector=connector("crossref", fake_time)
        )
    with pytest.raises(InputError, match="pubmed, europepmc, openalex, crossref"):
        api_of("scopus")
    assert api_of(" PubMed ") is SearchApi.PUBMED
    with workspace.transaction("alice") as tx:
        assert list_search_runs(tx, team.review_id) == []


@respx.mock
def test_an_import_that_fails_leaves_no_record_and_can_be_done_again(
    workspace: Workspace, team: Team, fake_time: FakeTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    europe_pmc_answers(respx.mock).mock(return_value=europe_pmc_page2())
    client = connector("europepmc", fake_time)
    with workspace.transaction("alice") as tx:
        run = start_search(tx, team.review_id, SearchApi.EUROPE_PMC, QUERY, connector=client)
    download(workspace, "alice", team.review_id, run.id, client)

    def broken(*args: object, **kwargs: object) -> None:
        raise InputError("the search log could not be written")

    monkeypatch.setattr(run_service, "log_search", broken)
    with (
        pytest.raises(InputError, match="search log"),
        workspace.transaction("alice") as tx,
    ):
        import_search_run(tx, team.review_id, run.id, client)
    with workspace.transaction("alice") as tx:
        assert count_records(tx, team.review_id) == 0
        assert list_sources(tx, team.review_id) == []
        (kept,) = list_search_runs(tx, team.review_id)
    assert kept.status is RunStatus.DOWNLOADED

    monkeypatch.undo()
    with workspace.transaction("alice") as tx:
        assert import_search_run(tx, team.review_id, run.id, client).imported == 3


@respx.mock
def test_a_page_kept_by_another_download_is_not_kept_twice(
    workspace: Workspace, team: Team, fake_time: FakeTime
) -> None:
    europe_pmc_answers(respx.mock).mock(return_value=europe_pmc_page2())
    client = connector("europepmc", fake_time)
    with workspace.transaction("alice") as tx:
        run = start_search(tx, team.review_id, SearchApi.EUROPE_PMC, QUERY, connector=client)
    page = client.fetch(QUERY, run.cursor)
    with workspace.transaction("alice") as tx:
        keep_page(tx, team.review_id, run.id, run.cursor, page)
    with workspace.transaction("bob") as tx, pytest.raises(ConcurrentChangeError):
        keep_page(tx, team.review_id, run.id, run.cursor, page)
    with workspace.transaction("alice") as tx:
        (kept,) = list_search_runs(tx, team.review_id)
    assert (kept.pages, kept.fetched) == (1, 2)


@respx.mock
def test_records_skipped_with_nothing_left_to_import_are_still_counted(
    workspace: Workspace, team: Team, fake_time: FakeTime
) -> None:
    answer = {
        "hitCount": 1,
        "nextCursorMark": "*",
        "resultList": {"result": [{"id": "AGR999", "source": "AGR", "pubYear": "2021"}]},
    }
    respx.get(EUROPE_PMC).mock(return_value=httpx.Response(200, json=answer))
    result = run_search(
        workspace,
        "alice",
        team.review_id,
        SearchApi.EUROPE_PMC,
        "carers",
        connector=connector("europepmc", fake_time),
    )
    assert result.report is None
    (skipped,) = result.skipped
    assert "no title, abstract, authors, DOI or PMID" in skipped.reason
