"""Full texts: PRISMA 2020 calls each one a *report*; one study may have several."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Report:
    """A full text attached to a record: the PDF is kept whole, its text page by page."""

    id: int
    record_id: int
    filename: str
    sha256: str
    size: int
    title: str
    page_count: int
    has_text: bool
    warnings: tuple[str, ...]
    added_at: datetime
    added_by: str


@dataclass(frozen=True, slots=True)
class ReportPage:
    """One page: `number` counts PDF pages from 1; `label` is the page number as printed."""

    number: int
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class NotRetrieved:
    """A record whose full text the team sought and could not obtain (PRISMA 2020)."""

    record_id: int
    note: str
    marked_at: datetime
    marked_by: str
