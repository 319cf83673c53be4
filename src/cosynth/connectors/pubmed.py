"""PubMed through NCBI's E-utilities: ESearch on the History server, then EFetch in MEDLINE.

Sayers E., "The E-utilities In-Depth: Parameters, Syntax and More" (NCBI
Bookshelf NBK25499): ESearch with `usehistory=y` keeps the result set on the
History server and answers with its `WebEnv` and `query_key`; EFetch then
pages through it with `retstart`/`retmax`, here as `rettype=medline&retmode=text`
(the "PubMed format" the MEDLINE reader already reads). Every request carries
`tool` and `email`, and `api_key` when there is one; without a key NCBI allows
3 requests a second, with one 10.

The cursor is the History server's WebEnv and query key and the next
`retstart`. A WebEnv lives for some hours only: a run resumed after that
searches again and goes on from the same position.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from cosynth.connectors._json import answer, field
from cosynth.connectors.base import Page
from cosynth.connectors.http import PoliteClient
from cosynth.connectors.settings import ApiSettings
from cosynth.errors import SearchApiError

BASE_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
# EFetch returns up to 10,000 records a request; smaller pages keep less to redo on a failure.
PAGE_SIZE = 500
# Since the PubMed API update of April 2022, E-utilities give only the first
# 10,000 records of a PubMed search; a larger one is split (by date) instead.
MAX_RECORDS = 10_000
_RECORD_START = re.compile(rb"^PMID- ", re.MULTILINE)


class _HistoryLost(Exception):
    """EFetch answered with an error in place of records: the result set is gone."""


class PubMedConnector:
    api = "PubMed"
    reader = "medline"
    extension = "nbib"

    def __init__(
        self, settings: ApiSettings, client: PoliteClient, *, page_size: int = PAGE_SIZE
    ) -> None:
        self.settings = settings
        self.client = client
        self.page_size = page_size

    @staticmethod
    def per_second(settings: ApiSettings) -> float:
        return 10.0 if settings.ncbi_api_key else 3.0

    def first_cursor(self, query: str) -> str:
        return json.dumps({"retstart": 0})

    def fetch(self, query: str, cursor: str) -> Page:
        state = _cursor(cursor)
        retstart = int(state.get("retstart", 0))
        if "webenv" not in state:
            state = self._search(query, retstart)
        try:
            data = self._efetch(state, retstart)
        except _HistoryLost:
            # The History server forgets a result set after some hours: search again.
            state = self._search(query, retstart)
            try:
                data = self._efetch(state, retstart)
            except _HistoryLost as lost:
                raise SearchApiError(
                    self.api, f"PubMed could not fetch the records: {lost}"
                ) from None
        records = len(_RECORD_START.findall(data))
        count = int(state["count"])
        after = retstart + self.page_size
        more = records > 0 and after < count
        next_cursor = json.dumps({**state, "retstart": after}) if more else ""
        return Page(data=data, records=records, total=count, next_cursor=next_cursor)

    def _params(self) -> dict[str, str]:
        params = {"db": "pubmed", "tool": self.settings.tool}
        if self.settings.contact_email:
            params["email"] = self.settings.contact_email
        if self.settings.ncbi_api_key:
            params["api_key"] = self.settings.ncbi_api_key
        return params

    def _search(self, query: str, retstart: int) -> dict[str, Any]:
        response = self.client.get(
            "esearch.fcgi",
            {**self._params(), "term": query, "usehistory": "y", "retmax": 0, "retmode": "json"},
        )
        result = field(self.api, answer(self.api, response), "esearchresult")
        if isinstance(result, dict) and result.get("ERROR"):
            raise SearchApiError(self.api, f"PubMed refused the search: {result['ERROR']}")
        count = field(self.api, result, "count")
        webenv = field(self.api, result, "webenv")
        query_key = field(self.api, result, "querykey")
        try:
            total = int(count)
        except (TypeError, ValueError):
            raise SearchApiError(self.api, f"the search count {count!r} is not a number") from None
        if total > MAX_RECORDS:
            raise SearchApiError(
                self.api,
                f"the search finds {total:,} records, and PubMed's API gives only the first "
                f"{MAX_RECORDS:,} of a search. Split it by publication date (add, say, "
                "AND 2015:2019[dp]) and run each part; nothing was downloaded.",
            )
        return {"webenv": webenv, "query_key": str(query_key), "count": total, "retstart": retstart}

    def _efetch(self, state: dict[str, Any], retstart: int) -> bytes:
        if int(state["count"]) == 0:
            return b""
        response = self.client.get(
            "efetch.fcgi",
            {
                **self._params(),
                "WebEnv": state["webenv"],
                "query_key": state["query_key"],
                "retstart": retstart,
                "retmax": self.page_size,
                "rettype": "medline",
                "retmode": "text",
            },
        )
        data = response.content
        # EFetch reports a lost result set as a small XML or JSON error, not a status code.
        head = data[:500].decode("utf-8", "replace")
        if "<ERROR>" in head or '"error"' in head:
            raise _HistoryLost(" ".join(head.split()))
        return data

    def assemble(self, raw_records: Sequence[str]) -> bytes:
        return ("\n\n".join(raw.strip("\n") for raw in raw_records) + "\n").encode()

    def close(self) -> None:
        self.client.close()


def _cursor(cursor: str) -> dict[str, Any]:
    try:
        state = json.loads(cursor) if cursor else {}
    except json.JSONDecodeError:
        state = None
    if not isinstance(state, dict):
        raise SearchApiError("PubMed", f"the run's saved position {cursor!r} cannot be read")
    return state
