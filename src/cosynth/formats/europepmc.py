"""Europe PMC search answers (JSON, `resultType=core`) -> citations.

Fields as Europe PMC's REST API documents them for `resultType=core`: `pmid`,
`pmcid`, `doi`, `title`, `authorList.author[]` (`lastName`, `firstName`,
`fullName`), `journalInfo` (`volume`, `issue`, `yearOfPublication`,
`journal.title`, `journal.issn`), `pubYear`, `pageInfo`, `abstractText`,
`language`, `pubTypeList.pubType[]`, `keywordList.keyword[]` and
`meshHeadingList.meshHeading[].descriptorName`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cosynth.domain.citation import Citation
from cosynth.formats.api_json import path, read_records, sniff_score, text, texts
from cosynth.formats.base import Document, Entry
from cosynth.formats.fields import doi_from, pmcid_from, pmid_from, unique, year_from

_TAGS = re.compile(r"</?[a-zA-Z][^>]*>")


class EuropePmcReader:
    name = "europepmc-json"
    label = "Europe PMC search results (JSON)"

    def sniff(self, doc: Document) -> int:
        return sniff_score(doc, '"resultList"')

    def read(self, doc: Document) -> Iterator[Entry]:
        return read_records(doc, citation_of, "Europe PMC")


def citation_of(record: dict[str, Any]) -> Citation:
    journal = path(record, "journalInfo", "journal") or {}
    keywords = texts(path(record, "keywordList", "keyword"))
    mesh = tuple(
        text(heading.get("descriptorName"))
        for heading in path(record, "meshHeadingList", "meshHeading") or []
        if isinstance(heading, dict)
    )
    return Citation(
        title=text(record.get("title")),
        authors=_authors(record),
        year=year_from(text(record.get("pubYear")))
        or year_from(text(path(record, "journalInfo", "yearOfPublication"))),
        journal=text(journal.get("title")) or text(record.get("journalTitle")),
        volume=text(path(record, "journalInfo", "volume")),
        issue=text(path(record, "journalInfo", "issue")),
        pages=text(record.get("pageInfo")),
        doi=doi_from(text(record.get("doi"))),
        pmid=pmid_from(text(record.get("pmid"))),
        pmcid=pmcid_from(text(record.get("pmcid"))),
        issn=text(journal.get("issn")) or text(journal.get("essn")),
        abstract=_TAGS.sub("", text(record.get("abstractText"))),
        keywords=unique((*keywords, *mesh)),
        language=text(record.get("language")),
        publication_type="; ".join(texts(path(record, "pubTypeList", "pubType"))),
        accession=f"{text(record.get('source'))}:{text(record.get('id'))}".strip(":"),
        database="Europe PMC",
    )


def _authors(record: dict[str, Any]) -> tuple[str, ...]:
    listed = path(record, "authorList", "author")
    if isinstance(listed, list) and listed:
        names = []
        for author in listed:
            if not isinstance(author, dict):
                continue
            last, given = text(author.get("lastName")), text(author.get("firstName"))
            names.append(
                f"{last}, {given}"
                if last and given
                else last or text(author.get("fullName")) or text(author.get("collectiveName"))
            )
        return unique(names)
    # `resultType=lite` gives only "Smith J, Jones K."
    return unique(part.strip(" .") for part in text(record.get("authorString")).split(","))
