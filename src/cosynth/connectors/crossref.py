"""Crossref's REST API: `works` with deep paging by cursor.

Crossref, "REST API" documentation (https://api.crossref.org/swagger-ui and
"Tips for using the Crossref REST API"): `works?query=...&rows=1000&cursor=*`
answers with `message.total-results`, `message.items` and
`message.next-cursor`; paging ends when a page brings fewer items than asked
for. Callers give a contact address (`mailto`, and in the User-Agent) to be
served from the polite pool, and must back off on HTTP 429, which comes with
Retry-After.
"""

from __future__ import annotations

from collections.abc import Sequence

from cosynth.connectors._json import answer, field, one_per_line
from cosynth.connectors.base import Page
from cosynth.connectors.http import PoliteClient
from cosynth.connectors.settings import ApiSettings
from cosynth.errors import SearchApiError

BASE_URL = "https://api.crossref.org/"
PAGE_SIZE = 1000  # the most rows Crossref gives a page


class CrossrefConnector:
    api = "Crossref"
    reader = "crossref-json"
    extension = "json"

    def __init__(
        self, settings: ApiSettings, client: PoliteClient, *, page_size: int = PAGE_SIZE
    ) -> None:
        self.settings = settings
        self.client = client
        self.page_size = page_size

    @staticmethod
    def per_second(settings: ApiSettings) -> float:
        # The polite pool's documented limit is higher; one request at a time, a few a second.
        return 5.0 if settings.contact_email else 1.0

    def first_cursor(self, query: str) -> str:
        return "*"

    def fetch(self, query: str, cursor: str) -> Page:
        params: dict[str, str | int] = {"query": query, "rows": self.page_size, "cursor": cursor}
        if self.settings.contact_email:
            params["mailto"] = self.settings.contact_email
        response = self.client.get("works", params)
        value = answer(self.api, response)
        if value.get("status") not in (None, "ok"):
            raise SearchApiError(self.api, f"Crossref refused the search: {value.get('message')}")
        items = field(self.api, value, "message", "items")
        if not isinstance(items, list):
            raise SearchApiError(self.api, 'the answer\'s "message.items" is not a list')
        total = value["message"].get("total-results")
        after = value["message"].get("next-cursor")
        done = len(items) < self.page_size or not isinstance(after, str) or not after
        return Page(
            data=response.content,
            records=len(items),
            total=total if isinstance(total, int) else None,
            next_cursor="" if done else str(after),
        )

    def assemble(self, raw_records: Sequence[str]) -> bytes:
        return one_per_line(
            '{"status": "ok", "message-type": "work-list", "message": {"items": [',
            list(raw_records),
            "]}}",
        )

    def close(self) -> None:
        self.client.close()
