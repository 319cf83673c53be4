"""Web of Science tagged files ("Plain text" / `.ciw` export), Zoological Record included.

The format (Clarivate, "Web of Science Core Collection Field Tags",
https://webofscience.help.clarivate.com/en-us/Content/export-records.htm):
the file opens with `FN` and `VR` lines and closes with `EF`; each record runs
from `PT` to `ER`; a tag is two characters at column 0 followed by a space;
continuation lines are indented by three spaces. For the name lists (AU, AF,
CA, CR, ...) each continuation line is another value; for text (TI, AB, DE,
ID, ...) it is the same value wrapped. The other Web of Science collections
(Zoological Record, BIOSIS, MEDLINE on the platform) export the same shape
with some tags of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from cosynth.domain.citation import Citation
from cosynth.errors import ImportFileError
from cosynth.formats.base import Document, Entry
from cosynth.formats.fields import clean, doi_from, page_range, pmid_from, unique, year_from
from cosynth.formats.tagged import (
    Unwrapper,
    Values,
    issn_from,
    looks_like_html,
    numbered_lines,
    without_email,
)

_TAG_LINE = re.compile(r"([A-Z][A-Z0-9])(?: |$)")
# Tags whose continuation lines are separate values: people, groups, cited
# references. C1 (addresses) is one value per line when the lines start with
# "[authors]"; Zoological Record wraps a single address instead.
_ONE_PER_LINE = frozenset({"AU", "AF", "BA", "BF", "BE", "CA", "GP", "CR"})
_HEADER_TAGS = frozenset({"FN", "VR"})
# The collection a record came from, by the prefix of its accession number (UT).
_COLLECTIONS = {
    "WOS": "Web of Science Core Collection",
    "ZOOREC": "Zoological Record",
    "BCI": "BIOSIS Citation Index",
    "BIOSIS": "BIOSIS Previews",
    "MEDLINE": "MEDLINE",
    "CCC": "Current Contents Connect",
    "DIIDW": "Derwent Innovations Index",
    "KJD": "KCI-Korean Journal Database",
    "RSCI": "Russian Science Citation Index",
    "SCIELO": "SciELO Citation Index",
    "CSCD": "Chinese Science Citation Database",
    "INSPEC": "Inspec",
    "CABI": "CAB Abstracts",
    "FSTA": "FSTA",
}
_SNIFF_LINES = 40


class WosReader:
    """Reads Web of Science "Plain text file" exports and other collections on its platform."""

    name = "wos"
    label = "Web of Science tagged (ciw)"

    def sniff(self, doc: Document) -> int:
        lines = [line for _, line in numbered_lines(doc.head) if line.strip()][:_SNIFF_LINES]
        if not lines:
            return 0
        if lines[0].startswith("FN ") and any(line.startswith("VR ") for line in lines[:3]):
            return 98
        # A file without its header: records still open with "PT X" and use
        # two-letter tags; a RIS line ("TY  - ") has two spaces and never matches.
        tagged = sum(1 for line in lines if _TAG_LINE.match(line) and line[3:4] != " ")
        if lines[0].startswith("PT ") and tagged >= len(lines) // 2 and _has_end(lines):
            return 85
        return 0

    def read(self, doc: Document) -> Iterator[Entry]:
        parser = _Parser(doc)
        for number, line in numbered_lines(doc.text):
            yield from parser.feed(number, line)
        yield from parser.finish()


def _has_end(lines: list[str]) -> bool:
    return any(line.rstrip() == "ER" for line in lines)


@dataclass
class _Record:
    start: int
    lines: list[str] = field(default_factory=list)


class _Parser:
    """Walks the file line by line: header, records from PT to ER, the EF end mark."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.unwrapper = Unwrapper()
        self.header = Values()
        self.record: _Record | None = None
        self.seen_anything = False

    def feed(self, number: int, line: str) -> Iterator[Entry]:
        if not line.strip():
            # Blank lines separate records; one inside a record carries nothing.
            return
        if not self.seen_anything:
            self._check_first_line(number, line)
            self.seen_anything = True
        if self.record is not None and line.startswith("PT ") and len(self.record.lines) > 1:
            # A record whose ER line was lost: PT only ever opens a record.
            yield self._entry(self.record, finished=False)
            self.record = None
        if self.record is not None:
            self.record.lines.append(line)
            if line.rstrip() == "ER":
                yield self._entry(self.record, finished=True)
                self.record = None
            return
        found = _TAG_LINE.match(line)
        tag = found.group(1) if found else ""
        if tag in _HEADER_TAGS:
            self.header.add(tag, line[3:])
        elif tag == "EF":
            return
        elif tag == "ER":
            yield Entry.skip(number, line, f"line {number} ends a record that never started")
        else:
            # Any other line opens a record (normally with PT); a line that is
            # not a tag at all is kept in it, and the record explains itself.
            self.record = _Record(start=number, lines=[line])

    def finish(self) -> Iterator[Entry]:
        if self.record is not None:
            yield self._entry(self.record, finished=False)
            self.record = None

    def _check_first_line(self, number: int, line: str) -> None:
        if looks_like_html(line):
            raise ImportFileError(
                self.doc.filename,
                "this is a web page (HTML), not a Web of Science export: the site "
                "probably showed an error or a login page instead of the download; "
                "export the records again as 'Plain text file'",
                line=number,
            )
        if not _TAG_LINE.match(line) or line.startswith("TY  - "):
            raise ImportFileError(
                self.doc.filename,
                "this does not look like a Web of Science tagged export: it should "
                f"start with 'FN' or 'PT', but starts with {line[:60]!r}",
                line=number,
            )

    def _entry(self, record: _Record, *, finished: bool) -> Entry:
        raw = "\n".join(record.lines)
        if not _TAG_LINE.match(record.lines[0]):
            return Entry.skip(
                record.start,
                raw,
                f"the record at line {record.start} does not start with a Web of "
                f"Science tag (it starts with {record.lines[0][:40]!r})",
            )
        lines = record.lines[:-1] if finished else record.lines
        citation = _citation(_values(lines, self.unwrapper), self.header)
        if citation.is_empty:
            # A file cut off inside its last record is read up to the cut; a
            # record cut before any usable field is listed as skipped (with the
            # reason) rather than failing the whole file, so the intact records
            # before it still import and the import report shows the loss.
            reason = "the record has no title, abstract, authors, DOI or PMID"
            if not finished:
                reason += "; no ER line ends it, so it was probably cut off"
            return Entry.skip(record.start, raw, reason)
        return Entry(line=record.start, raw=raw, citation=citation)


def _values(lines: list[str], unwrapper: Unwrapper) -> Values:
    values = Values()
    tag = ""
    field_lines: list[str] = []
    for line in lines:
        found = _TAG_LINE.match(line)
        if found is None:
            # A continuation (three spaces; a lost indent is kept all the same).
            if tag in _ONE_PER_LINE or (tag == "C1" and line.lstrip().startswith("[")):
                _flush(values, tag, field_lines, unwrapper)
                field_lines = []
            field_lines.append(line)
            continue
        _flush(values, tag, field_lines, unwrapper)
        tag, field_lines = found.group(1), [line]
    _flush(values, tag, field_lines, unwrapper)
    return values


def _flush(values: Values, tag: str, lines: list[str], unwrapper: Unwrapper) -> None:
    if not lines:
        return
    if tag in _ONE_PER_LINE:
        # Never wrapped, so the width tracker does not see these lines.
        values.add(tag, lines[0][3:].strip() if _TAG_LINE.match(lines[0]) else lines[0].strip())
        return
    offset = 3 if _TAG_LINE.match(lines[0]) else 0
    values.add(tag, unwrapper.join(lines, offset))


def _citation(values: Values, header: Values) -> Citation:
    return Citation(
        title=values.one("TI"),
        authors=_authors(values),
        year=year_from(values.one("PY") or values.one("EY") or values.one("PD")),
        journal=values.one("SO") or values.one("JI") or values.one("J9"),
        volume=values.one("VL"),
        issue=values.one("IS"),
        pages=_pages(values),
        doi=doi_from(values.one("DI")),
        pmid=pmid_from(values.one("PM")),
        isbn=values.one("BN"),
        issn=issn_from(values.one("SN") or values.one("EI")),
        abstract=values.one("AB"),
        keywords=_keywords(values),
        language=values.one("LA"),
        publication_type=values.one("PT"),
        url=values.one("UR"),
        accession=values.one("UT"),
        database=_database(values, header),
        extra=values.extra(),
    )


def _authors(values: Values) -> tuple[str, ...]:
    """Full names (AF) where given, else AU; then group authors (CA), kept whole."""
    personal = "AF" if "AF" in values else "AU"
    names = [without_email(name) for name in values.get(personal)]
    if names == [clean(name) for name in values.get(personal)]:
        values.carried(personal)
    return unique([*names, *values.every("CA")])


def _pages(values: Values) -> str:
    # An article number (AR) stands for pages in online-only journals;
    # Zoological Record gives the pages as PS ("1484-1496", "e0191645", "14pp.").
    pages = page_range(values.one("BP"), values.one("EP"))
    return pages or values.one("AR") or values.one("PS")


def _keywords(values: Values) -> tuple[str, ...]:
    """Author keywords (DE) and Keywords Plus (ID), split on semicolons."""
    return unique(keyword for value in values.every("DE", "ID") for keyword in value.split(";"))


def _database(values: Values, header: Values) -> str:
    accession = values.one("UT")
    prefix = accession.split(":", 1)[0].upper() if ":" in accession else ""
    if prefix:
        return _COLLECTIONS.get(prefix, prefix)
    platform = header.one("FN")
    for owner in ("Clarivate Analytics ", "Thomson Reuters "):
        platform = platform.removeprefix(owner)
    return platform
