"""Europe PMC's RESTful web service: `search` with cursorMark paging.

Europe PMC, "Articles RESTful API" (https://europepmc.org/RestfulWebService):
`search?query=...&format=json&resultType=core&cursorMark=*&pageSize=1000`
answers with `hitCount`, `nextCursorMark` and `resultList.result`; the next
page is asked for with `cursorMark` set to the `nextCursorMark` received, and
the last page is the one whose `nextCursorMark` is the mark that was sent (or
that brings fewer results than a page holds). `resultType=core` gives abstracts, MeSH and
keywords, which screening needs. `synonym` is left off, so the string runs
exactly as written and logged (the website expands MeSH synonyms, so its
counts can be higher).
"""

from __future__ import annotations

from collections.abc import Sequence

from cosynth.connectors._json import answer, field, one_per_line
from cosynth.connectors.base import Page
from cosynth.connectors.http import PoliteClient
from cosynth.connectors.settings import ApiSettings
from cosynth.errors import SearchApiError

BASE_URL = "https://www.ebi.ac.uk/europepmc/webservices/rest/"
PAGE_SIZE = 1000  # the most Europe PMC gives a page


class EuropePmcConnector:
    api = "Europe PMC"
    reader = "europepmc-json"
    extension = "json"

    def __init__(
        self, settings: ApiSettings, client: PoliteClient, *, page_size: int = PAGE_SIZE
    ) -> None:
        self.settings = settings
        self.client = client
        self.page_size = page_size

    @staticmethod
    def per_second(settings: ApiSettings) -> float:
        return 5.0

    def first_cursor(self, query: str) -> str:
        return "*"

    def fetch(self, query: str, cursor: str) -> Page:
        params = {
            "query": query,
            "format": "json",
            "resultType": "core",
            "cursorMark": cursor,
            "pageSize": self.page_size,
        }
        if self.settings.contact_email:
            params["email"] = self.settings.contact_email
        response = self.client.get("search", params)
        value = answer(self.api, response)
        results = field(self.api, value, "resultList", "result")
        if not isinstance(results, list):
            raise SearchApiError(self.api, 'the answer\'s "resultList.result" is not a list')
        hits = value.get("hitCount")
        total = hits if isinstance(hits, int) else None
        after = value.get("nextCursorMark")
        done = (
            len(results) < self.page_size
            or not isinstance(after, str)
            or not after
            or after == cursor
        )
        return Page(
            data=response.content,
            records=len(results),
            total=total,
            next_cursor="" if done else str(after),
        )

    def assemble(self, raw_records: Sequence[str]) -> bytes:
        return one_per_line('{"resultList": {"result": [', list(raw_records), "]}}")

    def close(self) -> None:
        self.client.close()
