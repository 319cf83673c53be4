"""Recorded API answers for the search-run stories: alice searches, bob and carol screen."""

from __future__ import annotations

import httpx
import respx

from cosynth.connectors import ApiSettings, Connector, RetryPolicy, open_connector
from tests.network import FakeTime, api_file

EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
EUROPE_PMC = "https://www.ebi.ac.uk/europepmc/webservices/rest/search"
OPENALEX = "https://api.openalex.org/works"
QUERY = '"co-production" AND "integrated care"'
SECOND_MARK = "AoIIP4AAACgzOTAwMDAwMg=="
ALICE = ApiSettings(contact_email="alice@example.org")


def connector(api: str, fake_time: FakeTime, *, page_size: int = 2, attempts: int = 2) -> Connector:
    return open_connector(
        api,
        ALICE,
        page_size=page_size,
        retry=RetryPolicy(attempts=attempts),
        sleep=fake_time.sleep,
        clock=fake_time.clock,
    )


def pubmed_answers(router: respx.MockRouter) -> None:
    router.get(EUTILS + "esearch.fcgi").mock(
        return_value=httpx.Response(200, content=api_file("pubmed/esearch.json"))
    )
    router.get(EUTILS + "efetch.fcgi", params={"retstart": "0"}).mock(
        return_value=httpx.Response(200, content=api_file("pubmed/efetch-page1.txt"))
    )
    router.get(EUTILS + "efetch.fcgi", params={"retstart": "2"}).mock(
        return_value=httpx.Response(200, content=api_file("pubmed/efetch-page2.txt"))
    )


def europe_pmc_answers(router: respx.MockRouter) -> respx.Route:
    """The first page answered; the second page's route is returned for the test to set."""
    router.get(EUROPE_PMC, params={"cursorMark": "*"}).mock(
        return_value=httpx.Response(200, content=api_file("europepmc/page1.json"))
    )
    return router.get(EUROPE_PMC, params={"cursorMark": SECOND_MARK})


def europe_pmc_page2() -> httpx.Response:
    return httpx.Response(200, content=api_file("europepmc/page2.json"))
