"""Crossref: cursor paging over `/works`, mailto for the polite pool, the Crossref reader."""

from __future__ import annotations

import httpx
import respx

from cosynth.connectors import ApiSettings, open_connector
from cosynth.formats import Document, detect_reader, get_reader
from tests.network import FakeTime, api_file

WORKS = "https://api.crossref.org/works"
NEXT = "DnF1ZXJ5VGhlbkZldGNoBgAAAAAAbDpjFmRVd1pR"
THIRD = "DnF1ZXJ5VGhlbkZldGNoBgAAAAAAbDpjFmRVd1pS"


@respx.mock
def test_it_pages_by_cursor_until_a_page_comes_back_short(fake_time: FakeTime) -> None:
    first = respx.get(WORKS, params={"cursor": "*"}).mock(
        return_value=httpx.Response(200, content=api_file("crossref/page1.json"))
    )
    respx.get(WORKS, params={"cursor": NEXT}).mock(
        return_value=httpx.Response(200, content=api_file("crossref/page2.json"))
    )
    respx.get(WORKS, params={"cursor": THIRD}).mock(
        return_value=httpx.Response(200, content=api_file("crossref/page3.json"))
    )
    connector = open_connector(
        "crossref",
        ApiSettings(contact_email="alice@example.org"),
        page_size=2,
        sleep=fake_time.sleep,
    )
    query = "co-production integrated care"
    cursor = connector.first_cursor(query)
    pages = []
    while cursor:
        page = connector.fetch(query, cursor)
        pages.append(page)
        cursor = page.next_cursor
    assert [page.records for page in pages] == [2, 2, 0]
    assert pages[0].total == 4
    asked = first.calls.last.request
    assert asked.url.params["mailto"] == "alice@example.org"
    assert asked.url.params["rows"] == "2"
    assert "mailto:alice@example.org" in asked.headers["User-Agent"]


def test_the_reader_takes_jats_abstracts_dates_and_organisations() -> None:
    entries = list(
        get_reader("crossref-json").read(Document("p.json", api_file("crossref/page2.json")))
    )
    report, peers = (entry.citation for entry in entries)
    assert report is not None and peers is not None
    assert report.authors == ("NHS England",)
    assert report.year == 2020
    assert report.publication_type == "report"
    assert peers.authors == ("Mensah, Abena",)
    assert (peers.volume, peers.issue, peers.pages) == ("31", "4", "201-210")
    first = next(
        get_reader("crossref-json").read(Document("p.json", api_file("crossref/page1.json")))
    ).citation
    assert first is not None
    assert first.abstract.startswith("Unpaid carers and staff")
    assert "<jats:p>" not in first.abstract


def test_a_saved_crossref_answer_is_recognised_on_import() -> None:
    doc = Document("crossref.json", api_file("crossref/page1.json"))
    assert detect_reader(doc).name == "crossref-json"


@respx.mock
def test_it_backs_off_when_crossref_says_too_many_requests(fake_time: FakeTime) -> None:
    route = respx.get(WORKS).mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "2"}),
            httpx.Response(200, content=api_file("crossref/page1.json")),
        ]
    )
    connector = open_connector("crossref", ApiSettings(), page_size=2, sleep=fake_time.sleep)
    page = connector.fetch("carers", "*")
    assert page.records == 2
    assert route.call_count == 2
    assert 2.0 in fake_time.sleeps
