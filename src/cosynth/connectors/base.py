"""What every API client gives back: one page of the API's own bytes and the cursor after it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Page:
    """One page of results, as the API sent it (re-encoded only where noted).

    `next_cursor` is what to ask for the following page with; "" when this
    was the last. `total` is the number of records the API says the query
    finds (None when it does not say).
    """

    data: bytes
    records: int
    total: int | None
    next_cursor: str


class Connector(Protocol):
    """A client for one API. Cursors are opaque strings a run keeps between pages."""

    api: str
    # The name of the `cosynth.readers` reader that reads this API's pages.
    reader: str
    extension: str

    def first_cursor(self, query: str) -> str:
        """The cursor of a run's first page."""
        ...

    def fetch(self, query: str, cursor: str) -> Page:
        """The page at `cursor`; raises `SearchApiError` when the API cannot give it."""
        ...

    def assemble(self, raw_records: Sequence[str]) -> bytes:
        """One file in this API's format holding these records' own texts (as read)."""
        ...

    def close(self) -> None: ...
