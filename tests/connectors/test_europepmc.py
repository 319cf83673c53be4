"""Europe PMC: cursorMark paging over `search`, read by the Europe PMC reader."""

from __future__ import annotations

import httpx
import respx

from cosynth.connectors import ApiSettings, open_connector
from cosynth.formats import Document, get_reader
from tests.network import FakeTime, api_file

SEARCH = "https://www.ebi.ac.uk/europepmc/webservices/rest/search"
QUERY = '"co-production" AND "integrated care"'
SECOND = "AoIIP4AAACgzOTAwMDAwMg=="


@respx.mock
def test_it_follows_next_cursor_mark_to_the_last_page(fake_time: FakeTime) -> None:
    first = respx.get(SEARCH, params={"cursorMark": "*"}).mock(
        return_value=httpx.Response(200, content=api_file("europepmc/page1.json"))
    )
    respx.get(SEARCH, params={"cursorMark": SECOND}).mock(
        return_value=httpx.Response(200, content=api_file("europepmc/page2.json"))
    )
    connector = open_connector("europepmc", ApiSettings(), page_size=2, sleep=fake_time.sleep)
    one = connector.fetch(QUERY, connector.first_cursor(QUERY))
    two = connector.fetch(QUERY, one.next_cursor)

    assert (one.records, one.total, one.next_cursor) == (2, 3, SECOND)
    assert (two.records, two.next_cursor) == (1, "")
    asked = first.calls.last.request.url.params
    assert (asked["format"], asked["resultType"], asked["pageSize"]) == ("json", "core", "2")


def test_the_reader_takes_each_documented_field() -> None:
    entries = list(
        get_reader("europepmc-json").read(Document("page1.json", api_file("europepmc/page1.json")))
    )
    carers, preprint = (entry.citation for entry in entries)
    assert carers is not None and preprint is not None
    assert carers.title.startswith("Co-producing integrated care with unpaid carers")
    assert carers.authors == ("Hartley, Jane", "Okafor, Daniel")
    assert (carers.year, carers.volume, carers.issue, carers.pages) == (2024, "24", "2", "14")
    assert carers.journal == "International journal of integrated care"
    assert (carers.pmid, carers.doi) == ("39000001", "10.5555/ijic.2024.0001")
    assert "<b>" not in carers.abstract and "Methods" in carers.abstract
    assert "Delivery of Health Care, Integrated" in carers.keywords
    assert carers.database == "Europe PMC"
    assert preprint.accession == "PPR:PPR800001"
    assert preprint.publication_type == "Preprint"
    assert entries[0].line < entries[1].line


def test_the_reader_skips_and_counts_a_record_without_what_screening_needs() -> None:
    entries = list(
        get_reader("europepmc-json").read(
            Document("missing.json", api_file("europepmc/missing-fields.json"))
        )
    )
    skipped = [entry for entry in entries if entry.citation is None]
    assert len(entries) == 2
    assert len(skipped) == 1
    assert "no title, abstract, authors, DOI or PMID" in skipped[0].skipped
    assert '"AGR999"' in skipped[0].raw


def test_a_saved_europe_pmc_answer_is_recognised_on_import() -> None:
    from cosynth.formats import detect_reader

    doc = Document("europepmc.json", api_file("europepmc/page1.json"))
    assert detect_reader(doc).name == "europepmc-json"
