"""PubMed through E-utilities: ESearch on the History server, EFetch in MEDLINE pages."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from cosynth.connectors import ApiSettings, open_connector
from cosynth.errors import SearchApiError
from cosynth.formats import Document, get_reader
from tests.network import FakeTime, api_file

EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
QUERY = '"co-production" AND "integrated care"'


def recorded() -> tuple[respx.Route, respx.Route]:
    search = respx.get(EUTILS + "esearch.fcgi").mock(
        return_value=httpx.Response(200, content=api_file("pubmed/esearch.json"))
    )
    fetch = respx.get(EUTILS + "efetch.fcgi").mock(
        side_effect=lambda request: httpx.Response(
            200,
            content=api_file(
                "pubmed/efetch-page1.txt"
                if request.url.params["retstart"] == "0"
                else "pubmed/efetch-page2.txt"
            ),
        )
    )
    return search, fetch


@respx.mock
def test_it_pages_through_the_history_server_in_medline(fake_time: FakeTime) -> None:
    search, fetch = recorded()
    connector = open_connector(
        "pubmed",
        ApiSettings(contact_email="alice@example.org"),
        page_size=2,
        sleep=fake_time.sleep,
        clock=fake_time.clock,
    )
    first = connector.fetch(QUERY, connector.first_cursor(QUERY))
    second = connector.fetch(QUERY, first.next_cursor)

    assert (first.records, first.total, second.records) == (2, 3, 1)
    assert second.next_cursor == ""
    asked = search.calls.last.request.url.params
    assert asked["term"] == QUERY
    assert asked["usehistory"] == "y"
    assert asked["tool"] == "cosynth"
    assert asked["email"] == "alice@example.org"
    assert "api_key" not in asked
    pages = [call.request.url.params for call in fetch.calls]
    assert [p["retstart"] for p in pages] == ["0", "2"]
    assert {p["WebEnv"] for p in pages} == {"MCID_6745b1f2a1b2c3d4e5f60718"}
    assert {(p["rettype"], p["retmode"], p["query_key"]) for p in pages} == {
        ("medline", "text", "1")
    }
    # One search for the whole run: the second page uses the History server.
    assert search.call_count == 1


@respx.mock
def test_its_pages_are_read_by_the_medline_reader(fake_time: FakeTime) -> None:
    recorded()
    connector = open_connector("pubmed", ApiSettings(), page_size=2, sleep=fake_time.sleep)
    page = connector.fetch(QUERY, connector.first_cursor(QUERY))
    entries = list(get_reader(connector.reader).read(Document("page.nbib", page.data)))
    citations = [entry.citation for entry in entries if entry.citation is not None]
    assert [c.pmid for c in citations] == ["39000001", "39000002"]
    assert citations[0].doi == "10.5555/ijic.2024.0001"
    assert citations[0].authors[0].startswith("Hartley")


@respx.mock
def test_it_sends_the_api_key_and_goes_faster_with_one(fake_time: FakeTime) -> None:
    search, _ = recorded()
    keyed = open_connector(
        "pubmed",
        ApiSettings(ncbi_api_key="k3y"),
        page_size=2,
        sleep=fake_time.sleep,
        clock=fake_time.clock,
    )
    keyed.fetch(QUERY, keyed.first_cursor(QUERY))
    assert search.calls.last.request.url.params["api_key"] == "k3y"
    # ESearch then EFetch: one wait between them, a tenth of a second with a key.
    assert fake_time.sleeps == pytest.approx([0.1])


@respx.mock
def test_it_shows_pubmeds_own_words_for_a_refused_search(fake_time: FakeTime) -> None:
    respx.get(EUTILS + "esearch.fcgi").mock(
        return_value=httpx.Response(200, content=api_file("pubmed/esearch-error.json"))
    )
    connector = open_connector("pubmed", ApiSettings(), sleep=fake_time.sleep)
    with pytest.raises(SearchApiError, match="unbalanced parentheses"):
        connector.fetch("(carers", connector.first_cursor("(carers"))


@respx.mock
def test_a_search_beyond_pubmeds_ten_thousand_is_refused_before_any_download(
    fake_time: FakeTime,
) -> None:
    answer = {"esearchresult": {"count": "48213", "querykey": "1", "webenv": "MCID_1"}}
    respx.get(EUTILS + "esearch.fcgi").mock(return_value=httpx.Response(200, json=answer))
    fetch = respx.get(EUTILS + "efetch.fcgi")
    connector = open_connector("pubmed", ApiSettings(), sleep=fake_time.sleep)
    with pytest.raises(SearchApiError, match="48,213 records") as caught:
        connector.fetch("carers", connector.first_cursor("carers"))
    assert "Split it by publication date" in caught.value.message
    assert fetch.call_count == 0


@respx.mock
def test_a_run_resumed_after_the_history_server_forgot_it_searches_again(
    fake_time: FakeTime,
) -> None:
    search = respx.get(EUTILS + "esearch.fcgi").mock(
        return_value=httpx.Response(200, content=api_file("pubmed/esearch.json"))
    )
    lost = "<eFetchResult><ERROR>Unable to obtain query #1</ERROR></eFetchResult>"
    fetch = respx.get(EUTILS + "efetch.fcgi").mock(
        side_effect=[
            httpx.Response(200, text=lost),
            httpx.Response(200, content=api_file("pubmed/efetch-page2.txt")),
        ]
    )
    connector = open_connector("pubmed", ApiSettings(), page_size=2, sleep=fake_time.sleep)
    yesterday = json.dumps({"webenv": "MCID_old", "query_key": "1", "count": 3, "retstart": 2})
    page = connector.fetch(QUERY, yesterday)
    assert (page.records, page.next_cursor) == (1, "")
    assert search.call_count == 1
    assert [call.request.url.params["retstart"] for call in fetch.calls] == ["2", "2"]
    assert fetch.calls.last.request.url.params["WebEnv"] == "MCID_6745b1f2a1b2c3d4e5f60718"
