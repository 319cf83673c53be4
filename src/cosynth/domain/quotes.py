"""Direct quotations from the included studies, kept with their study and page.

Meta-ethnography works from what the studies say: first-order constructs
(participants' own words) and second-order constructs (the authors'
interpretations) (Noblit & Hare 1988; METHODS.md §5). The paper keeps each
quotation with its study and page and cites it as "[22: 241]"; cosynth cites
"[Smith 2019: 241]", the study's label and the page as printed.

A quote checked against the study's PDF carries its position in the page
text; one typed from a paper copy has only the page typed by hand and is
flagged unverified.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class QuoteKind(StrEnum):
    FIRST_ORDER = "first-order"
    SECOND_ORDER = "second-order"

    @property
    def description(self) -> str:
        if self is QuoteKind.FIRST_ORDER:
            return "participants' own words"
        return "the authors' interpretation"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a quote lies in a report's text: from character `start` of page `page_number`
    to character `end` (exclusive) of page `end_page` (the next page when it runs over)."""

    page_number: int
    start: int
    end_page: int
    end: int


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation from a study. `location` is None when it was not checked against a PDF."""

    id: int
    record_id: int
    study_label: str
    text: str
    kind: QuoteKind
    page_label: str
    page_number: int | None
    report_id: int | None
    location: Location | None
    note: str
    added_by: str
    added_at: datetime

    @property
    def verified(self) -> bool:
        """Found in the study's PDF on the page it cites."""
        return self.location is not None

    @property
    def citation(self) -> str:
        return cite(self.study_label, self.page_label)


def cite(study_label: str, page: str) -> str:
    """ "[Smith 2019: 241]", or "[Smith 2019]" for a source without page numbers."""
    return f"[{study_label}: {page}]" if page else f"[{study_label}]"


# Quotation marks people paste around a quote; they are not part of it.
_OUTER_MARKS = "\"'“”‘’«»„‟‹›"
# Square brackets mark the quoter's own words: "[…]" an omission, "[to]" an
# insertion. Neither is in the source, so each stands for "words left out".
_BRACKETED = re.compile(r"\[[^\]]*\]")
_ELLIPSIS = re.compile(r"\.{3,}|…")


def clean_quote(text: str) -> str:
    """The quote as kept: outer quotation marks and surrounding space removed, spaces tidied."""
    cleaned = " ".join(text.split())
    while len(cleaned) >= 2 and cleaned[0] in _OUTER_MARKS and cleaned[-1] in _OUTER_MARKS:
        cleaned = cleaned[1:-1].strip()
    return cleaned


def searchable(text: str) -> str:
    """The quote as searched for in a PDF: bracketed editorial words become an ellipsis."""
    return _BRACKETED.sub(" ... ", clean_quote(text))


def locate(pages: Sequence[str], quote: str) -> tuple[int, int, int, int] | None:
    """Where `quote` first lies across consecutive page texts, or None.

    Returns (first page index, start, last page index, end) with character
    offsets into those pages' texts. Matching compares letters and digits
    only, case-folded, like `formats.fulltext.find_quote`; an ellipsis
    stands for omitted words, and the parts must occur in order.
    """
    parts = [_key(part) for part in _ELLIPSIS.split(searchable(quote))]
    parts = [part for part in parts if part]
    if not parts:
        return None
    keys: list[str] = []
    origins: list[tuple[int, int]] = []
    for page_index, text in enumerate(pages):
        for char_index, character in enumerate(text):
            for folded in unicodedata.normalize("NFKC", character).casefold():
                if folded.isalnum():
                    keys.append(folded)
                    origins.append((page_index, char_index))
    joined = "".join(keys)
    first = joined.find(parts[0])
    while first >= 0:
        end = _rest_from(joined, parts, first)
        if end is not None:
            start_page, start = origins[first]
            end_page, last = origins[end - 1]
            return start_page, start, end_page, last + 1
        first = joined.find(parts[0], first + 1)
    return None


def _rest_from(joined: str, parts: Sequence[str], first: int) -> int | None:
    position = first + len(parts[0])
    for part in parts[1:]:
        found = joined.find(part, position)
        if found < 0:
            return None
        position = found + len(part)
    return position


def _key(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())
