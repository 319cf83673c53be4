"""OpenAlex: cursor paging over `/works`, queries of several parts, and the polite pool."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from cosynth.connectors import ApiSettings, open_connector
from cosynth.connectors.openalex import or_filters, parts
from cosynth.errors import InputError
from cosynth.formats import Document, detect_reader, get_reader
from tests.network import FakeTime, api_file

WORKS = "https://api.openalex.org/works"
NEXT = "IlsxNjg5NzY2NDAwMDAwLCAnaHR0cHM6Ly9vcGVuYWxleC5vcmcvVzQzOTAwMDAwMDInXSI="


@respx.mock
def test_it_follows_meta_next_cursor_until_it_is_null(fake_time: FakeTime) -> None:
    first = respx.get(WORKS, params={"cursor": "*"}).mock(
        return_value=httpx.Response(200, content=api_file("openalex/search-page1.json"))
    )
    respx.get(WORKS, params={"cursor": NEXT}).mock(
        return_value=httpx.Response(200, content=api_file("openalex/search-page2.json"))
    )
    connector = open_connector(
        "openalex",
        ApiSettings(contact_email="alice@example.org", openalex_api_key="oa-key"),
        page_size=2,
        sleep=fake_time.sleep,
    )
    query = "co-production integrated care"
    one = connector.fetch(query, connector.first_cursor(query))
    two = connector.fetch(query, one.next_cursor)

    assert (one.records, one.total, two.records, two.next_cursor) == (2, 3, 1, "")
    asked = first.calls.last.request.url.params
    assert asked["search"] == query
    assert asked["per-page"] == "2"
    assert asked["mailto"] == "alice@example.org"
    assert asked["api_key"] == "oa-key"


@respx.mock
def test_a_query_of_several_lines_is_paged_through_line_by_line(fake_time: FakeTime) -> None:
    route = respx.get(WORKS).mock(
        side_effect=[
            httpx.Response(200, content=api_file("openalex/references-page1.json")),
            httpx.Response(200, content=api_file("openalex/references-page2.json")),
            httpx.Response(200, content=api_file("openalex/citing.json")),
        ]
    )
    connector = open_connector("openalex", ApiSettings(), page_size=2, sleep=fake_time.sleep)
    query = "filter=openalex:W2900000011|W2900000012\nfilter=cites:W4390000001"
    cursor = connector.first_cursor(query)
    pages = []
    while cursor:
        page = connector.fetch(query, cursor)
        pages.append(page)
        cursor = page.next_cursor
    assert [page.records for page in pages] == [2, 2, 2]
    filters = [call.request.url.params["filter"] for call in route.calls]
    assert filters == [
        "openalex:W2900000011|W2900000012",
        "openalex:W2900000011|W2900000012",
        "cites:W4390000001",
    ]
    # Several parts: no one total for the whole query.
    assert {page.total for page in pages} == {None}


def test_long_lists_of_ids_are_split_into_filters_openalex_accepts() -> None:
    ids = [f"W{n}" for n in range(1, 121)]
    query = or_filters("cites", ids)
    lines = query.splitlines()
    assert len(lines) == 3
    assert all(line.startswith("filter=cites:") for line in lines)
    assert sum(len(line.split(":", 1)[1].split("|")) for line in lines) == 120


def test_an_unknown_parameter_is_refused_naming_its_line() -> None:
    with pytest.raises(InputError, match="line 2"):
        parts("carers\nfilter=type:article&select=id")


def test_the_reader_rebuilds_the_abstract_and_keeps_the_openalex_id() -> None:
    entries = list(
        get_reader("openalex-json").read(
            Document("page.json", api_file("openalex/search-page1.json"))
        )
    )
    first = entries[0].citation
    assert first is not None
    assert first.accession == "W4390000001"
    assert first.doi == "10.5555/ijic.2024.0001"
    assert first.pmid == "39000001"
    assert first.authors == ("Hartley, Jane", "Okafor, Daniel")
    assert first.abstract.startswith("Unpaid carers and staff co-produced")
    assert first.journal == "International Journal of Integrated Care"
    assert first.database == "OpenAlex"


def test_a_work_without_title_or_identifiers_is_skipped_and_counted() -> None:
    answer = json.loads(api_file("openalex/citing.json"))
    answer["results"].append({"id": "https://openalex.org/W1", "title": None, "doi": None})
    entries = list(
        get_reader("openalex-json").read(Document("c.json", json.dumps(answer).encode()))
    )
    assert [entry.citation is None for entry in entries] == [False, False, True]


def test_a_saved_openalex_answer_is_recognised_on_import() -> None:
    doc = Document("openalex.json", api_file("openalex/search-page1.json"))
    assert detect_reader(doc).name == "openalex-json"
