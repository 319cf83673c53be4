"""OpenAlex's `works` endpoint: search and filters, cursor paging, and citation links.

OpenAlex API documentation (https://docs.openalex.org, "Get lists of
entities", "Paging", "Filter works"): `works?search=...&filter=...&per-page=200&cursor=*`
answers with `meta.count`, `meta.next_cursor` (null after the last page) and
`results`. Filters are `attribute:value`, joined by commas (AND); values
joined by `|` are OR'ed, up to 100 of them in one filter. A work's
`referenced_works` lists the OpenAlex ids it cites (backward citation
chasing), and `filter=cites:W...` finds the works that cite it (forward).
Callers give `mailto` for the polite pool, and `api_key` when they have one.

A query is one line per request, each either plain words (sent as `search`)
or `search=...`/`filter=...` parameters joined by `&`; a run pages through
each line in turn (citation chasing splits long lists of ids this way).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl

import httpx

from cosynth.connectors._json import answer, field, one_per_line
from cosynth.connectors.base import Page
from cosynth.connectors.http import PoliteClient
from cosynth.connectors.settings import ApiSettings
from cosynth.errors import InputError, SearchApiError

BASE_URL = "https://api.openalex.org/"
PAGE_SIZE = 200  # the most OpenAlex gives a page
# Values OR'ed in one filter: OpenAlex allows up to 100; fewer keeps URLs short.
MAX_OR_VALUES = 50
_PARAMETERS = frozenset({"search", "filter", "sort"})


class OpenAlexConnector:
    api = "OpenAlex"
    reader = "openalex-json"
    extension = "json"

    def __init__(
        self, settings: ApiSettings, client: PoliteClient, *, page_size: int = PAGE_SIZE
    ) -> None:
        self.settings = settings
        self.client = client
        self.page_size = page_size

    @staticmethod
    def per_second(settings: ApiSettings) -> float:
        return 10.0 if settings.contact_email or settings.openalex_api_key else 1.0

    def first_cursor(self, query: str) -> str:
        parts(query)  # a query that cannot be sent is refused before anything is kept
        return json.dumps({"part": 0, "cursor": "*"})

    def fetch(self, query: str, cursor: str) -> Page:
        requests = parts(query)
        state = _cursor(cursor)
        part = int(state["part"])
        response = self._request({**requests[part], "cursor": state["cursor"]})
        value = answer(self.api, response)
        results = field(self.api, value, "results")
        if not isinstance(results, list):
            raise SearchApiError(self.api, 'the answer\'s "results" is not a list')
        meta = field(self.api, value, "meta")
        after = meta.get("next_cursor") if isinstance(meta, dict) else None
        count = meta.get("count") if isinstance(meta, dict) else None
        if results and isinstance(after, str) and after:
            next_cursor = json.dumps({"part": part, "cursor": after})
        elif part + 1 < len(requests):
            next_cursor = json.dumps({"part": part + 1, "cursor": "*"})
        else:
            next_cursor = ""
        total = count if isinstance(count, int) and len(requests) == 1 else None
        return Page(
            data=response.content,
            records=len(results),
            total=total,
            next_cursor=next_cursor,
        )

    def works_where(self, name: str, values: Sequence[str]) -> list[dict[str, Any]]:
        """The works whose `name` (doi, openalex) is one of `values`, in batches of OR'ed values.

        A batch never has more works than values, so one page of each is all of it.
        """
        found: list[dict[str, Any]] = []
        for batch in _batches(sorted(set(values)), MAX_OR_VALUES):
            value = answer(self.api, self._request({"filter": f"{name}:" + "|".join(batch)}))
            results = field(self.api, value, "results")
            if not isinstance(results, list):
                raise SearchApiError(self.api, 'the answer\'s "results" is not a list')
            found.extend(work for work in results if isinstance(work, dict))
        return found

    def _request(self, params: dict[str, Any]) -> httpx.Response:
        params = {"per-page": self.page_size, **params}
        if self.settings.contact_email:
            params["mailto"] = self.settings.contact_email
        if self.settings.openalex_api_key:
            params["api_key"] = self.settings.openalex_api_key
        return self.client.get("works", params)

    def assemble(self, raw_records: Sequence[str]) -> bytes:
        return one_per_line('{"results": [', list(raw_records), "]}")

    def close(self) -> None:
        self.client.close()


def parts(query: str) -> list[dict[str, str]]:
    """The requests a query stands for: one per non-empty line."""
    found: list[dict[str, str]] = []
    for number, line in enumerate(query.splitlines(), 1):
        text = line.strip()
        if not text:
            continue
        if text.split("=", 1)[0] in _PARAMETERS:
            pairs = parse_qsl(text, keep_blank_values=True)
            unknown = [name for name, _ in pairs if name not in _PARAMETERS]
            if unknown:
                raise InputError(
                    f"OpenAlex query, line {number}: {unknown[0]!r} is not a parameter cosynth "
                    "sends; write search=..., filter=... or sort=..., joined by &."
                )
            found.append(dict(pairs))
        else:
            found.append({"search": text})
    if not found:
        raise InputError("The OpenAlex query is empty: give words to search for, or filter=...")
    return found


def or_filters(name: str, values: Sequence[str]) -> str:
    """A query of one `filter=name:a|b|...` line per batch of values (OpenAlex's OR limit)."""
    return "\n".join(
        f"filter={name}:" + "|".join(batch) for batch in _batches(list(values), MAX_OR_VALUES)
    )


def _batches(values: list[str], size: int) -> list[list[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def _cursor(cursor: str) -> dict[str, Any]:
    try:
        state = json.loads(cursor)
    except json.JSONDecodeError:
        state = None
    if not isinstance(state, dict) or "part" not in state or "cursor" not in state:
        raise SearchApiError("OpenAlex", f"the run's saved position {cursor!r} cannot be read")
    return state
