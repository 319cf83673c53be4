"""MEDLINE / PubMed tagged files (`.nbib`, `.txt`), and the ERIC and PMC variants.

The format (NLM, "MEDLINE/PubMed Data Element (Field) Descriptions",
https://www.nlm.nih.gov/bsd/mms/medlineelements.html): a tag of up to four
letters padded to four columns, "- " in columns 5-6, the value; long values
continue on lines indented by six spaces; records are separated by a blank
line. ERIC writes the same shape but lets a four-letter tag push the dash one
column right ("ISSN - ISSN-1234-4567"); PubMed Central starts records with
"PMC - " instead of "PMID- ".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cosynth.domain.citation import Citation
from cosynth.errors import ImportFileError
from cosynth.formats.base import Document, Entry
from cosynth.formats.fields import (
    clean,
    doi_from,
    pmcid_from,
    pmid_from,
    unique,
    year_from,
)
from cosynth.formats.tagged import (
    Unwrapper,
    Values,
    issn_from,
    looks_like_html,
    numbered_lines,
    paragraph_records,
)

# A tag line: the tag, padding, a dash, then a space or the end of the line.
_TAG_LINE = re.compile(r"([A-Z][A-Z0-9]{1,4}) *-(?: |$)")
_RIS_START = re.compile(r"^TY  - ", re.MULTILINE)
# Tags only MEDLINE uses: RIS shares the "XX  - " shape and some two-letter
# tags (AU, TI, AB, IS, DP, TA), so only these count as evidence.
_MEDLINE_ONLY = frozenset(
    {
        "PMID", "PMC", "OWN", "STAT", "FAU", "LID", "AID", "JT", "VI", "IP", "PG",
        "DCOM", "LR", "PHST", "EDAT", "MHDA", "CRDT", "PST", "JID", "SB", "MH",
        "OT", "OTO", "PT", "SO", "PL", "DEP", "OID", "AUID", "COIS", "GR", "BTI",
    }
)  # fmt: skip
_SNIFF_LINES = 60


class MedlineReader:
    """Reads PubMed "Save: PubMed format" files, MEDLINE, ERIC and PMC exports."""

    name = "medline"
    label = "MEDLINE / PubMed (nbib)"

    def sniff(self, doc: Document) -> int:
        head = doc.head
        if _RIS_START.search(head):
            return 0
        lines = [line for _, line in numbered_lines(head) if line.strip()][:_SNIFF_LINES]
        if not lines or not _TAG_LINE.match(lines[0]):
            return 0
        tags = {found.group(1) for line in lines if (found := _TAG_LINE.match(line))}
        if "PMID" in tags:
            return 95
        evidence = len(tags & _MEDLINE_ONLY)
        if evidence >= 3:
            return 90
        return 40 if evidence and doc.extension == "nbib" else 0

    def read(self, doc: Document) -> Iterator[Entry]:
        unwrapper = Unwrapper()
        checked = False
        for start, lines in paragraph_records(doc.text, "PMID-"):
            if not checked:
                _check_first_line(doc, start, lines[0])
                checked = True
            yield _entry(start, lines, unwrapper)


def _check_first_line(doc: Document, number: int, line: str) -> None:
    if looks_like_html(line):
        raise ImportFileError(
            doc.filename,
            "this is a web page (HTML), not a MEDLINE/PubMed export: PubMed probably "
            "showed an error or a login page instead of the download; export the "
            "records again with 'Save', format 'PubMed'",
            line=number,
        )
    if line.startswith("TY  - "):
        raise ImportFileError(
            doc.filename,
            "this is a RIS file, not MEDLINE/PubMed: import it as RIS",
            line=number,
        )
    if not _TAG_LINE.match(line):
        raise ImportFileError(
            doc.filename,
            "this does not look like a MEDLINE/PubMed export: records start with "
            f"tags such as 'PMID- ' or 'TI  - ', but the file starts with {line[:60]!r}",
            line=number,
        )


def _entry(start: int, lines: list[str], unwrapper: Unwrapper) -> Entry:
    raw = "\n".join(lines)
    if not _TAG_LINE.match(lines[0]):
        return Entry.skip(
            start,
            raw,
            f"the record at line {start} does not start with a MEDLINE tag "
            f"(it starts with {lines[0][:40]!r}); it may be damaged or cut off",
        )
    citation = _citation(_values(lines, unwrapper))
    if citation.is_empty:
        return Entry.skip(start, raw, "the record has no title, abstract, authors, DOI or PMID")
    return Entry(line=start, raw=raw, citation=citation)


def _values(lines: list[str], unwrapper: Unwrapper) -> Values:
    """The record's tagged values, wrapped lines joined."""
    values = Values()
    field: list[str] = []
    tag = ""
    offset = 0
    for line in lines:
        found = _TAG_LINE.match(line)
        if found is None:
            # Continuation: normally six spaces, but a tab or a lost indent
            # still belongs to the value above, so no text is dropped.
            field.append(line)
            continue
        if field:
            values.add(tag, unwrapper.join(field, offset))
        tag, offset, field = found.group(1), found.end(), [line]
    if field:
        values.add(tag, unwrapper.join(field, offset))
    return values


def _citation(values: Values) -> Citation:
    # A book has only BTI; a chapter has its own TI and the book's BTI.
    title = values.one("TI")
    book = values.one("BTI")
    own = values.get("OWN")
    is_eric = bool(own) and clean(own[0]).upper() == "ERIC"
    return Citation(
        title=title or book,
        authors=_authors(values),
        year=year_from(values.one("DP") or values.one("DEP")),
        journal=values.one("JT") or values.one("TA") or (book if title else ""),
        volume=values.one("VI"),
        issue=values.one("IP"),
        pages=values.one("PG"),
        doi=_doi(values),
        pmid=pmid_from(values.one("PMID")),
        pmcid=pmcid_from(values.one("PMC")),
        isbn=values.one("ISBN"),
        issn=_issn(values),
        abstract=values.one("AB"),
        keywords=_keywords(values),
        language=values.one("LA"),
        publication_type=_first(values.get("PT")),
        url=_url(values),
        accession=values.one("AN") or (values.one("OID") if is_eric else ""),
        database="ERIC" if is_eric else "",
        extra=values.extra(),
    )


def _authors(values: Values) -> tuple[str, ...]:
    """Full names (FAU) where given, else the short ones (AU), with group authors (CN) in place."""
    personal = "FAU" if "FAU" in values else "AU"
    return unique(values.every(personal, "CN"))


def _doi(values: Values) -> str:
    # LID/AID say what each identifier is ("10.1136/x [doi]", "S0883-5403(19)30006-3
    # [pii]"); a pii can look like a DOI, so only "[doi]" values count. ERIC
    # writes the DOI as a bare link; the citation (SO) is the last resort.
    tagged = values.get("LID") + values.get("AID")
    for value in tagged:
        if value.rstrip().endswith("[doi]"):
            return doi_from(value)
    for value in tagged:
        if "[" not in value and (doi := doi_from(value)):
            return doi
    return doi_from(_first(values.get("SO")))


def _issn(values: Values) -> str:
    for value in values.get("IS") + values.get("ISSN"):
        if issn := issn_from(value):
            return issn
    return ""


def _keywords(values: Values) -> tuple[str, ...]:
    # MeSH headings (MH) stay in `extra` as well: their "/subheading" and "*"
    # (major topic) marks matter to searchers; other terms (OT) are carried whole.
    keywords = unique(value for tag, value in values.in_order if tag in ("MH", "OT"))
    values.carried("OT")
    return keywords


def _url(values: Values) -> str:
    for tag, value in values.in_order:
        if tag in ("LID", "AID") and value.startswith(("http://", "https://")):
            return clean(value.split(" [", 1)[0])
    return ""


def _first(values: list[str]) -> str:
    return next((text for value in values if (text := clean(value))), "")
