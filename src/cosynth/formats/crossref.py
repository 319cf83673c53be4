"""Crossref works (JSON, as `/works` answers) -> citations.

Fields as Crossref's REST API documents the Work object: `DOI`, `title[]`,
`author[]` (`family`, `given`, or `name` for an organisation),
`container-title[]`, `volume`, `issue`, `page`, `issued.date-parts`
(else `published-print`, `published-online`), `abstract` (JATS XML),
`ISSN[]`, `ISBN[]`, `type`, `language`, `URL` and `subject[]`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cosynth.domain.citation import Citation
from cosynth.formats.api_json import path, read_records, sniff_score, text, texts
from cosynth.formats.base import Document, Entry
from cosynth.formats.fields import clean, doi_from, unique

_TAGS = re.compile(r"</?(?:jats:)?[a-zA-Z][^>]*>")
_DATES = ("issued", "published-print", "published-online", "published", "created")


class CrossrefReader:
    name = "crossref-json"
    label = "Crossref works (JSON)"

    def sniff(self, doc: Document) -> int:
        return sniff_score(doc, '"message-type"')

    def read(self, doc: Document) -> Iterator[Entry]:
        return read_records(doc, citation_of, "Crossref")


def citation_of(work: dict[str, Any]) -> Citation:
    return Citation(
        title=": ".join(unique([text(work.get("title")), text(work.get("subtitle"))])),
        authors=unique(_author(author) for author in work.get("author") or []),
        year=_year(work),
        journal=text(work.get("container-title")),
        volume=text(work.get("volume")),
        issue=text(work.get("issue")),
        pages=text(work.get("page")),
        doi=doi_from(text(work.get("DOI"))),
        isbn="; ".join(texts(work.get("ISBN"))),
        issn="; ".join(texts(work.get("ISSN"))),
        abstract=clean(_TAGS.sub(" ", str(work.get("abstract") or ""))),
        keywords=texts(work.get("subject")),
        language=text(work.get("language")),
        publication_type=text(work.get("type")),
        url=text(work.get("URL")),
        database="Crossref",
    )


def _author(author: Any) -> str:
    if not isinstance(author, dict):
        return ""
    family, given = text(author.get("family")), text(author.get("given"))
    if family and given:
        return f"{family}, {given}"
    return family or text(author.get("name"))


def _year(work: dict[str, Any]) -> int | None:
    for key in _DATES:
        parts = path(work, key, "date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            year = parts[0][0]
            if isinstance(year, int):
                return year
    return None
