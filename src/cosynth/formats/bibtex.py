"""BibTeX and biblatex files: reading them into citations, and writing citations as BibTeX.

Reference managers, Scopus, Web of Science, ACM, IEEE, dblp, Crossref and
publishers all export BibTeX, each with its own habits (see the shared real
files under `bibtexparser-edgecases/` and `colrev/`). The parser is
`bibtex_syntax`; this module turns its entries into `Citation` values:
LaTeX decoded to Unicode, names put in "Surname, Given" order, `crossref`
parents' fields inherited as BibTeX does, and every field without a Citation
slot kept in `extra`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TextIO

from cosynth.domain.citation import Citation
from cosynth.formats.base import Document, Entry
from cosynth.formats.bibtex_names import name_to_bibtex, names_from
from cosynth.formats.bibtex_syntax import BibtexParser, RawEntry, SyntaxProblem
from cosynth.formats.fields import clean, doi_from, pmcid_from, pmid_from, unique, year_from
from cosynth.formats.latex import (
    latex_to_text,
    text_to_latex,
    unescape_entities,
    unescape_verbatim,
    verbatim_to_latex,
)

# Fields whose values are addresses, not prose: no LaTeX text rules apply.
_VERBATIM = frozenset({"doi", "url", "eprint", "file", "pdf", "biburl", "urls"})
_HEAD_LINE = re.compile(r"^[ \t]*@[ \t]*[A-Za-z][\w:-]*[ \t]*[{(]", re.MULTILINE)
# Other helpers' tagged formats, which never start a BibTeX file.
_TAGGED_START = re.compile(r"\A\s*(?:[A-Z][A-Z0-9]{1,3} {0,2}- |FN |PT |%[0-9A-Z] )")
_NOTE_PMID = re.compile(r"\s*PMID:?\s*(\d{1,9})\s*", re.IGNORECASE)
# Hyphen, and the Unicode hyphens and dashes exporters put in page ranges.
_PAGE_DASH = re.compile("\\s*[-\u2010-\u2015]+\\s*")
_CROSSREF = re.compile(r"crossref", re.IGNORECASE)
_NUMBERED_KINDS = frozenset(
    {
        "book",
        "mvbook",
        "inbook",
        "bookinbook",
        "suppbook",
        "collection",
        "mvcollection",
        "incollection",
        "suppcollection",
        "proceedings",
        "mvproceedings",
        "manual",
        "patent",
        "report",
        "techreport",
        "thesis",
        "phdthesis",
        "mastersthesis",
    }
)


class BibtexReader:
    """Reads BibTeX and biblatex (`.bib`) files."""

    name = "bibtex"
    label = "BibTeX / biblatex"

    def sniff(self, doc: Document) -> int:
        head = doc.head
        if _TAGGED_START.match(head):
            return 0
        named_bib = doc.extension in ("bib", "bibtex", "biblatex")
        if _HEAD_LINE.search(head):
            return 95 if named_bib else 80
        # A .bib file may open with more comment or @preamble than the head holds.
        return 60 if named_bib and _HEAD_LINE.search(doc.text) else 0

    def read(self, doc: Document) -> Iterator[Entry]:
        text = doc.text
        parents = _crossref_parents(text)
        for item in BibtexParser(text):
            if isinstance(item, SyntaxProblem):
                yield Entry.skip(item.line, item.raw, f"BibTeX syntax error: {item.reason}")
                continue
            yield _entry(item, parents)


def _entry(item: RawEntry, parents: Mapping[str, RawEntry]) -> Entry:
    if item.kind == "set":
        return Entry.skip(
            item.line,
            item.raw,
            "a biblatex @set only groups other entries; its members are imported on their own",
        )
    parent = parents.get(_crossref_key(item))
    citation = _citation(item, parent)
    if citation.is_empty:
        return Entry.skip(
            item.line, item.raw, "the entry has no title, authors, abstract, DOI or PMID"
        )
    return Entry(line=item.line, raw=item.raw, citation=citation)


def _crossref_key(item: RawEntry) -> str:
    for name, value in item.fields:
        if name == "crossref":
            return clean(value).lower()
    return ""


def _crossref_parents(text: str) -> dict[str, RawEntry]:
    """Entries named in some `crossref` field, found by a second pass only when there are any.

    BibTeX puts the parent after its children, so they cannot be streamed.
    """
    if not _CROSSREF.search(text):
        return {}
    wanted: set[str] = set()
    entries: dict[str, RawEntry] = {}
    for item in BibtexParser(text):
        if isinstance(item, RawEntry):
            wanted.add(_crossref_key(item))
            entries.setdefault(item.key.lower(), item)
    return {key: entries[key] for key in wanted if key and key in entries}


class _Fields:
    """The fields of one entry; what the mapping takes is marked, the rest becomes `extra`."""

    def __init__(self, item: RawEntry, parent: RawEntry | None) -> None:
        self.values: dict[str, list[str]] = {}
        for name, value in item.fields:
            self.values.setdefault(name, []).append(value)
        if parent is not None:
            self._inherit(parent)
        self.used: set[str] = set()
        self.leftover: dict[str, list[str]] = {}

    def _inherit(self, parent: RawEntry) -> None:
        # BibTeX copies every field the child lacks; biblatex also maps the
        # parent's title to the child's booktitle (biblatex manual, 2.4.1).
        for name, value in parent.fields:
            if name in ("crossref", "entryset", "ids", "key"):
                continue
            target = "booktitle" if name == "title" else name
            if target not in self.values:
                self.values[target] = [value]

    def raw(self, *names: str) -> str:
        """The first value of the first present field among `names`; repeats go to extra."""
        for name in names:
            found = self.values.get(name)
            if found and not found[0].isspace() and found[0]:
                self.used.add(name)
                if len(found) > 1:
                    self.leftover[name] = found[1:]
                return found[0]
        return ""

    def text(self, *names: str) -> str:
        return clean(latex_to_text(unescape_entities(self.raw(*names))))

    def verbatim(self, *names: str) -> str:
        return clean(unescape_verbatim(self.raw(*names)))

    def keep(self, name: str, value: str) -> None:
        """Put a value the mapping could not use back into extra."""
        self.leftover.setdefault(name, []).insert(0, value)

    def extra(self) -> dict[str, tuple[str, ...]]:
        extra: dict[str, tuple[str, ...]] = {}
        for name, values in self.values.items():
            kept = values if name not in self.used else []
            for value in [*kept, *self.leftover.get(name, [])]:
                decoded = _decode(name, value)
                if decoded:
                    extra[name] = (*extra.get(name, ()), decoded)
        return extra


def _decode(name: str, value: str) -> str:
    if name in _VERBATIM:
        return clean(unescape_verbatim(value))
    return clean(latex_to_text(unescape_entities(value)))


def _citation(item: RawEntry, parent: RawEntry | None) -> Citation:
    fields = _Fields(item, parent)
    title = fields.text("title")
    subtitle = fields.text("subtitle")
    if subtitle:
        title = f"{title}: {subtitle}" if title else subtitle
    year_text = fields.text("year", "date")
    year = year_from(year_text)
    if year_text and year is None:
        fields.keep("year", year_text)
    doi_text = fields.verbatim("doi")
    doi = doi_from(doi_text)
    if doi_text and not doi:
        fields.keep("doi", doi_text)
    url = _first_url(fields)
    if not doi and "doi.org/" in url:
        doi = doi_from(url)
    return Citation(
        title=title,
        authors=names_from(fields.raw("author")),
        year=year,
        journal=fields.text("journal", "journaltitle", "booktitle"),
        volume=fields.text("volume"),
        issue=fields.text("issue") or _issue_number(item.kind, fields),
        pages=_pages(fields),
        doi=doi,
        pmid=_pmid(fields),
        pmcid=pmcid_from(fields.text("pmcid")),
        isbn=fields.text("isbn"),
        issn=fields.text("issn"),
        abstract=fields.text("abstract"),
        keywords=_keywords(fields),
        language=fields.text("language", "langid"),
        publication_type=item.kind,
        url=url,
        accession=fields.text("unique-id", "accession-number", "accession"),
        source_id=clean(item.key),
        database=fields.text("source"),
        extra=fields.extra(),
    )


def _issue_number(kind: str, fields: _Fields) -> str:
    # "number" is the issue of a journal, but a report's, patent's or book
    # series' own number elsewhere (BibTeXing, section 3.2), kept in extra.
    return "" if kind in _NUMBERED_KINDS else fields.text("number")


def _first_url(fields: _Fields) -> str:
    url = fields.verbatim("url")
    if not url and fields.values.get("eprint"):
        eprint = clean(unescape_verbatim(fields.values["eprint"][0]))
        if eprint.startswith(("http://", "https://")):
            url = fields.verbatim("eprint")
    return url.split()[0] if url else ""


def _pages(fields: _Fields) -> str:
    pages = clean(latex_to_text(fields.raw("pages"), dashes=False))
    if pages:
        return _PAGE_DASH.sub("-", pages).strip("-")
    # Online-only articles have an article number instead of pages.
    return fields.text("art_number", "articleno", "article-number", "eid")


def _pmid(fields: _Fields) -> str:
    pmid = pmid_from(fields.text("pmid"))
    if pmid:
        return pmid
    if clean(_first(fields.values, "eprinttype")).lower() == "pubmed":
        return pmid_from(fields.text("eprint"))
    # Taylor & Francis put the PubMed id in the note: "PMID: 33355555".
    note = _first(fields.values, "note")
    found = _NOTE_PMID.fullmatch(note)
    if found:
        fields.raw("note")
        return found.group(1)
    return ""


def _first(values: Mapping[str, list[str]], name: str) -> str:
    found = values.get(name)
    return found[0] if found else ""


def _keywords(fields: _Fields) -> tuple[str, ...]:
    found: list[str] = []
    for name in ("keywords", "keyword", "author_keywords", "key words"):
        value = fields.text(name)
        if value:
            # Scopus separates with ";" and keeps commas inside a keyword.
            found.extend(value.split(";") if ";" in value else value.split(","))
    return unique(found)


# Writer -----------------------------------------------------------------

# RIS reference types and their nearest BibTeX entry types.
_RIS_TYPES: dict[str, str] = {
    "JOUR": "article",
    "JFULL": "article",
    "EJOUR": "article",
    "MGZN": "article",
    "NEWS": "article",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "book",
    "CHAP": "incollection",
    "ECHAP": "incollection",
    "CONF": "inproceedings",
    "CPAPER": "inproceedings",
    "THES": "phdthesis",
    "RPRT": "techreport",
    "UNPB": "unpublished",
}
_BIBTEX_TYPES = frozenset(
    {
        "article",
        "book",
        "booklet",
        "inbook",
        "incollection",
        "inproceedings",
        "conference",
        "manual",
        "mastersthesis",
        "misc",
        "phdthesis",
        "proceedings",
        "techreport",
        "unpublished",
        "online",
        "report",
        "thesis",
    }
)
_SAFE_KEY = re.compile(r"[A-Za-z0-9_:./+\-]+")
_KEY_WORD = re.compile(r"[A-Za-z0-9]+")


class BibtexWriter:
    """Writes citations as a BibTeX file with unique citation keys."""

    name = "bibtex"
    label = "BibTeX"
    extension = "bib"

    def write(self, citations: Iterable[Citation], out: TextIO) -> int:
        used: set[str] = set()
        count = 0
        for citation in citations:
            if count:
                out.write("\n")
            out.write(_entry_text(citation, _unique_key(citation, used)))
            count += 1
        return count


def _unique_key(citation: Citation, used: set[str]) -> str:
    base = citation.source_id if _SAFE_KEY.fullmatch(citation.source_id) else _made_key(citation)
    key = base
    suffix = 0
    while key.lower() in used:
        suffix += 1
        key = f"{base}{_suffix(suffix)}"
    used.add(key.lower())
    return key


def _suffix(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _made_key(citation: Citation) -> str:
    """A key in the common "Surname2020Word" style, ASCII letters and digits only."""
    surname = citation.authors[0].split(",")[0] if citation.authors else ""
    words = [*_KEY_WORD.findall(surname), str(citation.year or "")]
    title_words = _KEY_WORD.findall(citation.title)
    if title_words:
        words.append(title_words[0].capitalize())
    return "".join(words) or "ref"


def _entry_text(citation: Citation, key: str) -> str:
    kind = _entry_type(citation)
    container = "booktitle" if kind in ("inproceedings", "incollection") else "journal"
    fields: list[tuple[str, str]] = [
        ("title", citation.title),
        ("author", " and ".join(name_to_bibtex(name) for name in citation.authors)),
        ("year", str(citation.year) if citation.year is not None else ""),
        (container, citation.journal),
        ("volume", citation.volume),
        # A book's or report's "number" is not an issue (see `_issue_number`).
        ("issue" if kind in _NUMBERED_KINDS else "number", citation.issue),
        ("pages", citation.pages),
        ("doi", citation.doi),
        ("pmid", citation.pmid),
        ("pmcid", citation.pmcid),
        ("isbn", citation.isbn),
        ("issn", citation.issn),
        ("abstract", citation.abstract),
        ("keywords", _joined_keywords(citation.keywords)),
        ("language", citation.language),
        ("url", citation.url),
        ("accession", citation.accession),
        ("source", citation.database),
    ]
    lines = [f"@{kind}{{{key},"]
    for name, value in fields:
        if not value:
            continue
        if name == "author":
            written = value  # names are encoded one by one in `name_to_bibtex`
        elif name in _VERBATIM:
            written = verbatim_to_latex(value)
        else:
            written = text_to_latex(value)
        lines.append(f"  {name} = {{{written}}},")
    lines.append("}\n")
    return "\n".join(lines)


def _entry_type(citation: Citation) -> str:
    given = citation.publication_type.strip()
    if given.lower() in _BIBTEX_TYPES:
        return given.lower()
    if given.upper() in _RIS_TYPES:
        return _RIS_TYPES[given.upper()]
    return "article" if citation.journal else "misc"


def _joined_keywords(keywords: tuple[str, ...]) -> str:
    joined = "; ".join(keywords)
    # One keyword with a comma in it would be read back as several: a
    # trailing ";" tells the reader the separator is ";".
    return f"{joined};" if len(keywords) == 1 and "," in joined else joined
