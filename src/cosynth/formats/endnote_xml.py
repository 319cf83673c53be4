"""EndNote XML exports (File > Export, "XML", from EndNote 8 to EndNote 21).

EndNote writes `<xml><records><record>...</record></records></xml>`, usually
on a single line, one `<record>` per reference (EndNote's RSXML DTD). Text
fields wrap their text in `<style face=... font=... size=...>` runs, several
when part of a title is italic; line breaks inside a field are written `&#xD;`.

The file is parsed with defusedxml, which refuses entity declarations and
external references, so a "billion laughs" file or one that tries to read
local files fails at once with a plain message instead of hanging or leaking.
Records are parsed as a stream and dropped once read, so memory stays flat
however many records there are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from cosynth.domain.citation import Citation
from cosynth.errors import ImportFileError
from cosynth.formats.base import Document, Entry
from cosynth.formats.fields import clean, doi_from, pmcid_from, unique, year_from
from cosynth.formats.tagged import Values, issn_from, looks_like_issn

_RECORD_START = re.compile(r"<record[\s>]")
_RECORD_END = "</record>"
_LINE_BREAK = re.compile(r"[\r\n]+")
_PUBMED = ("pubmed", "medline", "nlm")
_WEB = ("http://", "https://", "ftp://", "www.")


class EndnoteXmlReader:
    """Reads the XML files EndNote exports."""

    name = "endnote-xml"
    label = "EndNote XML"

    def sniff(self, doc: Document) -> int:
        head = doc.head
        if "<records>" not in head or "<record>" not in head:
            return 0
        if "<xml>" in head:
            return 95
        return 70 if doc.extension == "xml" else 0

    def read(self, doc: Document) -> Iterator[Entry]:
        text = doc.text
        spans = _record_spans(text)
        try:
            yield from _entries(doc, text, spans)
        except DefusedXmlException:
            raise ImportFileError(
                doc.filename,
                "the file declares XML entities or points to outside files, which "
                "EndNote never writes; cosynth refuses such files because they can "
                "expand without end or read other files. Export the records from "
                "EndNote again",
            ) from None
        except ParseError as exc:
            line, column = exc.position
            raise ImportFileError(
                doc.filename,
                f"the XML is damaged at column {column} ({_parse_problem(exc)}); if "
                "the file was cut off during download, export it again",
                line=line,
            ) from None


def _entries(doc: Document, text: str, spans: Iterator[tuple[int, str]]) -> Iterator[Entry]:
    root: Element | None = None
    records: Element | None = None
    for event, element in iterparse(_TextSource(text), events=("start", "end")):
        if event == "start":
            if root is None:
                root = element
                _check_root(doc, element)
            elif element.tag == "records" and records is None:
                records = element
            continue
        if element.tag != "record":
            continue
        line, raw = next(spans, (0, ""))
        yield _entry(element, line, raw)
        # Drop the record now that it is read, so the tree never grows.
        if records is not None and len(records) and records[0] is element:
            del records[0]
        else:
            element.clear()


class _TextSource:
    """The decoded text as a file the parser reads in chunks, without a copy of it all.

    (`io.StringIO` would copy the whole text, at four bytes a character.)
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0

    def read(self, size: int = -1) -> str:
        start = self.position
        end = len(self.text) if size < 0 else min(len(self.text), start + size)
        self.position = end
        return self.text[start:end]


def _check_root(doc: Document, root: Element) -> None:
    if root.tag in ("xml", "records"):
        return
    if root.tag.lower() == "html":
        problem = (
            "this is a web page (HTML), not an EndNote XML export: the site probably "
            "showed an error or a login page instead of the download"
        )
    else:
        problem = (
            f"this XML file is not an EndNote export: it holds <{root.tag}> where "
            "EndNote writes <xml><records>"
        )
    raise ImportFileError(doc.filename, problem)


def _parse_problem(exc: ParseError) -> str:
    message = str(exc)
    return message.split(":", 1)[0] if ":" in message else message


def _record_spans(text: str) -> Iterator[tuple[int, str]]:
    """The line where each `<record>` starts and its text, found by scanning the text.

    The XML parser numbers nothing for us (ElementTree has no `sourceline`),
    so the records are found in the text in the same order the parser reads
    them. EndNote writes the whole file on one line, so there every record is
    on line 1; the number is still the true line of the `<record>` tag.
    """
    line = 1
    position = 0
    while found := _RECORD_START.search(text, position):
        start = found.start()
        line += text.count("\n", position, start)
        end = text.find(_RECORD_END, start)
        end = len(text) if end == -1 else end + len(_RECORD_END)
        yield line, text[start:end]
        line += text.count("\n", start, end)
        position = end


def _entry(record: Element, line: int, raw: str) -> Entry:
    citation = _citation(_values(record))
    if citation.is_empty:
        return Entry.skip(line, raw, "the record has no title, abstract, authors, DOI or PMID")
    return Entry(line=line, raw=raw, citation=citation)


def _values(record: Element) -> Values:
    """The record's fields by path ("titles/title"), attributes as "path@name"."""
    values = Values()
    _collect(record, "", values)
    return values


def _collect(element: Element, path: str, values: Values) -> None:
    for child in element:
        child_path = f"{path}/{child.tag}" if path else child.tag
        for name, value in child.attrib.items():
            values.add(f"{child_path}@{name}", value)
        if any(grandchild.tag != "style" for grandchild in child):
            _collect(child, child_path, values)
        else:
            # A leaf: its text, wherever the style runs split it.
            values.add(child_path, "".join(child.itertext()))


def _citation(values: Values) -> Citation:
    database = values.one("remote-database-name") or values.one("remote-database-provider")
    accession = values.one("accession-num")
    isbn, issn = _isbn_issn(values)
    return Citation(
        title=values.one("titles/title"),
        authors=unique(values.every("contributors/authors/author")),
        year=year_from(values.one("dates/year") or values.one("dates/pub-dates/date")),
        journal=(
            values.one("periodical/full-title")
            or values.one("titles/secondary-title")
            or values.one("periodical/abbr-1")
        ),
        volume=values.one("volume"),
        issue=values.one("number") or values.one("issue"),
        pages=values.one("pages"),
        doi=_doi(values),
        pmid=accession if accession.isdigit() and _is_pubmed(database) else "",
        pmcid=_pmcid(values),
        isbn=isbn,
        issn=issn,
        abstract=values.one("abstract"),
        keywords=_keywords(values),
        language=values.one("language"),
        publication_type=values.one("ref-type@name"),
        url=_url(values),
        accession=accession,
        source_id=values.one("rec-number"),
        database=database,
        extra=_extra(values),
    )


def _doi(values: Values) -> str:
    number = values.get("electronic-resource-num")
    doi = doi_from(number[0]) if number else ""
    if doi and clean(number[0]) == doi:
        values.carried("electronic-resource-num")
    return doi


def _pmcid(values: Values) -> str:
    # EndNote's PubMed connection files the PMCID in Custom 2.
    custom = values.get("custom2")
    found = pmcid_from(custom[0]) if custom else ""
    if found and clean(custom[0]).upper() == found:
        values.carried("custom2")
    return found


def _isbn_issn(values: Values) -> tuple[str, str]:
    """The ISBN and the ISSN in <isbn>, which EndNote uses for both."""
    isbns: list[str] = []
    issns: list[str] = []
    for value in values.get("isbn"):
        for part in re.split(r"[\r\n;]", value):
            if looks_like_issn(part):
                issns.append(issn_from(part))
            elif clean(part):
                isbns.append(clean(part))
    if len(isbns) <= 1 and len(issns) <= 1:
        values.carried("isbn")
    return (isbns[0] if isbns else "", issns[0] if issns else "")


def _keywords(values: Values) -> tuple[str, ...]:
    # Keywords usually come one per <keyword>, but a reference imported with
    # keywords in one field keeps them there, a line each.
    return unique(
        keyword
        for value in values.every("keywords/keyword")
        for keyword in _LINE_BREAK.split(value)
    )


def _url(values: Values) -> str:
    """The first web address; EndNote also lists "<Go to ISI>://WOS:..." links."""
    for path in ("urls/related-urls/url", "urls/web-urls/url"):
        urls = [clean(url) for url in values.get(path) if clean(url)]
        if not urls:
            continue
        if len(urls) == 1:
            values.carried(path)
        web = [url for url in urls if url.lower().startswith(_WEB)]
        return (web or urls)[0]
    return ""


def _extra(values: Values) -> dict[str, tuple[str, ...]]:
    """Uncarried fields, a value per line: EndNote joins addresses and notes with `&#xD;`."""
    return {
        path: tuple(part for value in found for part in _lines(value))
        for path, found in values.extra().items()
    }


def _lines(value: str) -> list[str]:
    return [clean(part) for part in _LINE_BREAK.split(value) if clean(part)]


def _is_pubmed(database: str) -> bool:
    lowered = database.lower()
    return any(name in lowered for name in _PUBMED)
