"""Small field clean-ups every reader needs: years, DOIs, page ranges, whitespace.

Readers keep what the database exported; these only take away packaging
(a DOI written as a URL, a year written as "2019///", a page range split over
two tags) so that the same fact reads the same whatever the format.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d|21\d\d)(?!\d)")
_DOI = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)
_DOI_TRAILING = ".,;)]}>\"'"
_SPACE = re.compile(r"\s+")
_PMID = re.compile(r"\d{1,9}")
_PMCID = re.compile(r"PMC\d+", re.IGNORECASE)


def clean(text: str | None) -> str:
    """Collapse runs of whitespace (line breaks included) into one space."""
    if not text:
        return ""
    return _SPACE.sub(" ", text).strip()


def year_from(text: str | None) -> int | None:
    """The first plausible publication year in `text` ("2019///", "2019 May 3", "5/3/2019")."""
    if not text:
        return None
    found = _YEAR.search(text)
    return int(found.group(1)) if found else None


def doi_from(text: str | None) -> str:
    """The first DOI in `text`, without a URL or "doi:" prefix; "" when there is none."""
    if not text:
        return ""
    found = _DOI.search(text)
    if not found:
        return ""
    doi = found.group(0).rstrip(_DOI_TRAILING)
    # A DOI inside a URL may be percent-encoded; "/" and "<" ">" are the common ones.
    return doi.replace("%2F", "/").replace("%2f", "/")


def pmid_from(text: str | None) -> str:
    """A PubMed id from "12345678", "PMID: 12345678" or "12345678 [pmid]"."""
    if not text:
        return ""
    found = _PMID.search(text)
    return found.group(0) if found else ""


def pmcid_from(text: str | None) -> str:
    """A PubMed Central id ("PMC1234567") from text that holds one."""
    if not text:
        return ""
    found = _PMCID.search(text)
    return found.group(0).upper() if found else ""


def page_range(start: str | None, end: str | None) -> str:
    """Join a start and end page as "start-end" (either may be missing)."""
    first = clean(start)
    last = clean(end)
    if first and last and first != last:
        return f"{first}-{last}"
    return first or last


def first(values: Mapping[str, list[str]], *keys: str) -> str:
    """The first non-empty value under any of `keys`, cleaned."""
    for key in keys:
        for value in values.get(key, ()):
            text = clean(value)
            if text:
                return text
    return ""


def unique(values: Iterable[str]) -> tuple[str, ...]:
    """Non-empty cleaned values in their first order, without repeats."""
    seen: dict[str, None] = {}
    for value in values:
        text = clean(value)
        if text:
            seen.setdefault(text, None)
    return tuple(seen)
