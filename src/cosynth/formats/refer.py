"""EndNote / Refer tagged files (`.enw`, `.txt`, `.enl` text exports).

The format is the Unix `refer` bibliography format as EndNote extends it
(EndNote's "EndNote Import" filter and its Tagged Import Format table): each
field is a line `%X value` where X is one character, a record is a run of such
lines, and records are separated by a blank line. A line without a tag
continues the field above it (an abstract with paragraphs, or more keywords).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cosynth.domain.citation import Citation
from cosynth.errors import ImportFileError
from cosynth.formats.base import Document, Entry
from cosynth.formats.fields import clean, doi_from, pmcid_from, unique, year_from
from cosynth.formats.tagged import (
    Values,
    issn_from,
    looks_like_html,
    looks_like_issn,
    numbered_lines,
    paragraph_records,
)

# "%" and one tag character, then a space or the end of the line. The tag
# characters are EndNote's: letters, digits and the punctuation of its table.
_TAG_LINE = re.compile(r"%([0-9A-Za-z@!#$&()*+^<>\[\]=~?|])(?: |$)")
_EVIDENCE = frozenset("0TADJBVNPKXU")
_PUBMED = ("pubmed", "medline", "nlm")
_SNIFF_LINES = 40


class ReferReader:
    """Reads EndNote's tagged export and other Refer-format files."""

    name = "endnote-tagged"
    label = "EndNote / Refer tagged (enw)"

    def sniff(self, doc: Document) -> int:
        lines = [line for _, line in numbered_lines(doc.head) if line.strip()][:_SNIFF_LINES]
        if not lines or not _TAG_LINE.match(lines[0]):
            return 0
        tags = {found.group(1) for line in lines if (found := _TAG_LINE.match(line))}
        # A TeX or BibTeX comment also starts with "%": ask for the fields
        # every reference has before claiming the file.
        if len(tags & _EVIDENCE) >= 3 and ("T" in tags or "0" in tags):
            return 90
        return 0

    def read(self, doc: Document) -> Iterator[Entry]:
        checked = False
        for start, lines in paragraph_records(doc.text, "%0"):
            if not checked:
                _check_first_line(doc, start, lines[0])
                checked = True
            yield _entry(start, lines)


def _check_first_line(doc: Document, number: int, line: str) -> None:
    if looks_like_html(line):
        raise ImportFileError(
            doc.filename,
            "this is a web page (HTML), not an EndNote tagged export: the site "
            "probably showed an error or a login page instead of the download; "
            "export the records again",
            line=number,
        )
    if not _TAG_LINE.match(line):
        raise ImportFileError(
            doc.filename,
            "this does not look like an EndNote/Refer tagged export: records start "
            f"with tags such as '%0' or '%T', but the file starts with {line[:60]!r}",
            line=number,
        )


def _entry(start: int, lines: list[str]) -> Entry:
    raw = "\n".join(lines)
    if not _TAG_LINE.match(lines[0]):
        return Entry.skip(
            start,
            raw,
            f"the record at line {start} does not start with a %-tag "
            f"(it starts with {lines[0][:40]!r}); it may be damaged or cut off",
        )
    citation = _citation(_values(lines))
    if citation.is_empty:
        return Entry.skip(start, raw, "the record has no title, abstract, authors, DOI or PMID")
    return Entry(line=start, raw=raw, citation=citation)


def _values(lines: list[str]) -> Values:
    """The record's values; a continuation line joins its field with a newline."""
    values = Values()
    tag = ""
    parts: list[str] = []
    for line in lines:
        found = _TAG_LINE.match(line)
        if found is None:
            parts.append(line.strip())
            continue
        if parts:
            values.add(tag, "\n".join(parts))
        tag, parts = found.group(1), [line[found.end() :].strip()]
    if parts:
        values.add(tag, "\n".join(parts))
    return values


def _citation(values: Values) -> Citation:
    database = values.one("~") or values.one("W")
    accession = values.one("M")
    numbers = _isbn_issn(values)
    return Citation(
        title=values.one("T"),
        authors=unique(values.every("A")),
        year=year_from(values.one("D") or values.one("8")),
        # %J is the journal; AIS and other sources put it in %B (secondary
        # title), which is also a chapter's book title: either is the source.
        journal=values.one("J") or values.one("B"),
        volume=values.one("V"),
        issue=values.one("N"),
        pages=values.one("P"),
        doi=doi_from(values.one("R")),
        pmid=accession if accession.isdigit() and _is_pubmed(database) else "",
        pmcid=pmcid_from(values.one("2")),
        isbn=numbers[0],
        issn=numbers[1],
        abstract=values.one("X"),
        keywords=_keywords(values),
        language=values.one("G"),
        publication_type=values.one("0"),
        url=_url(values),
        accession=accession,
        database=database,
        extra=values.extra(),
    )


def _isbn_issn(values: Values) -> tuple[str, str]:
    """The ISBN and the ISSN in %@, which EndNote uses for both."""
    isbns: list[str] = []
    issns: list[str] = []
    for value in values.get("@"):
        for part in re.split(r"[\n;]", value):
            if looks_like_issn(part):
                issns.append(issn_from(part))
            elif clean(part):
                isbns.append(clean(part))
    if len(isbns) <= 1 and len(issns) <= 1:
        values.carried("@")
    return (isbns[0] if isbns else "", issns[0] if issns else "")


def _keywords(values: Values) -> tuple[str, ...]:
    # EndNote writes one %K line per keyword or one %K with a keyword a line;
    # other tools put several on one line, separated by semicolons.
    return unique(
        keyword
        for value in values.every("K")
        for line in value.split("\n")
        for keyword in line.split(";")
    )


def _is_pubmed(database: str) -> bool:
    lowered = database.lower()
    return any(name in lowered for name in _PUBMED)


def _url(values: Values) -> str:
    """The first URL; EndNote puts several in one %U, a line each."""
    urls = [url for value in values.get("U") for url in value.split()]
    if len(urls) == 1:
        values.carried("U")
    return urls[0] if urls else ""
