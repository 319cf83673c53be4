"""OpenAlex works (JSON, as `/works` answers) -> citations.

Fields as the OpenAlex documentation gives the Work object: `id`, `doi`,
`title` (or `display_name`), `publication_year`, `authorships[].author.display_name`,
`primary_location.source` (`display_name`, `issn_l`), `biblio` (`volume`,
`issue`, `first_page`, `last_page`), `abstract_inverted_index` (the abstract
as {word: [positions]}), `ids.pmid`/`ids.pmcid`, `language`, `type` and
`keywords[].display_name`. The work's OpenAlex id is kept as its accession,
so a later search or citation chase recognises it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cosynth.domain.citation import Citation
from cosynth.domain.search_runs import openalex_work_id
from cosynth.formats.api_json import path, read_records, sniff_score, text
from cosynth.formats.base import Document, Entry
from cosynth.formats.fields import doi_from, page_range, pmcid_from, pmid_from, unique
from cosynth.formats.json_records import _inverted_abstract


class OpenAlexReader:
    name = "openalex-json"
    label = "OpenAlex works (JSON)"

    def sniff(self, doc: Document) -> int:
        return sniff_score(doc, '"https://openalex.org/W')

    def read(self, doc: Document) -> Iterator[Entry]:
        return read_records(doc, citation_of, "OpenAlex")


def citation_of(work: dict[str, Any]) -> Citation:
    source = path(work, "primary_location", "source") or {}
    inverted = work.get("abstract_inverted_index")
    year = work.get("publication_year")
    keywords = [
        text(keyword.get("display_name"))
        for keyword in work.get("keywords") or []
        if isinstance(keyword, dict)
    ]
    return Citation(
        title=text(work.get("title")) or text(work.get("display_name")),
        authors=unique(
            _surname_first(text(path(authorship, "author", "display_name")))
            for authorship in work.get("authorships") or []
        ),
        year=year if isinstance(year, int) else None,
        journal=text(source.get("display_name")) if isinstance(source, dict) else "",
        volume=text(path(work, "biblio", "volume")),
        issue=text(path(work, "biblio", "issue")),
        pages=page_range(
            text(path(work, "biblio", "first_page")), text(path(work, "biblio", "last_page"))
        ),
        doi=doi_from(text(work.get("doi"))),
        pmid=pmid_from(text(path(work, "ids", "pmid"))),
        pmcid=pmcid_from(text(path(work, "ids", "pmcid"))),
        issn=text(source.get("issn_l")) if isinstance(source, dict) else "",
        abstract=_inverted_abstract(inverted) if isinstance(inverted, dict) else "",
        keywords=unique(keywords),
        language=text(work.get("language")),
        publication_type=text(work.get("type")),
        url=text(path(work, "primary_location", "landing_page_url")),
        accession=openalex_work_id(text(work.get("id"))),
        database="OpenAlex",
    )


def _surname_first(name: str) -> str:
    """ "Jane Q. Smith" -> "Smith, Jane Q." (OpenAlex gives display names, given name first)."""
    parts = name.split()
    if len(parts) < 2 or "," in name:
        return name
    return f"{parts[-1]}, {' '.join(parts[:-1])}"
