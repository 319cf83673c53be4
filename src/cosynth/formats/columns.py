"""Recognising the columns of tabular exports as Citation fields.

CSV, TSV and Excel exports (Scopus, Web of Science, Embase, PubMed, IEEE,
Springer, CINAHL/EBSCO, Rayyan, Covidence, ASReview, OpenAlex) and flat JSON
records all name their columns differently. A column name is compared with
case, spaces and punctuation removed ("Source title" is "sourcetitle"),
against the names each exporter is known to use; a person can also name the
column for a field outright. Columns that map to no field are kept in
`extra` under their own name, so nothing exported is lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from cosynth.domain.citation import CITATION_FIELDS, Citation
from cosynth.errors import ImportFileError
from cosynth.formats.cells import (
    Cell,
    cell_value,
    doi_in_url,
    people,
    rayyan_decision,
    terms,
    text_of,
)
from cosynth.formats.fields import (
    clean,
    doi_from,
    page_range,
    pmcid_from,
    pmid_from,
    unique,
    year_from,
)

_T = TypeVar("_T")

# Field -> normalised column names, most specific first. Sources: the column
# headers of the exporters' own CSV files (shared real files, and the Scopus,
# WoS, IEEE, Covidence, Rayyan, ASReview and OpenAlex documentation).
_NAMES: dict[str, tuple[str, ...]] = {
    "title": (
        "title",
        "articletitle",
        "primarytitle",
        "documenttitle",
        "itemtitle",
        "papertitle",
        "displayname",
        "ti",
        "t1",
    ),
    "authors": (
        "authors",
        "author",
        "authornames",
        "firstauthors",
        "authorlist",
        "creators",
        "creator",
        "authorshipsauthordisplayname",
        "af",
        "au",
        "a1",
    ),
    "year": (
        "year",
        "publicationyear",
        "publishedyear",
        "pubyear",
        "yearpublished",
        "py",
        "yr",
        "y1",
        "date",
        "publicationdate",
        "pubdate",
        "da",
    ),
    "journal": (
        "journal",
        "journaltitle",
        "journalname",
        "sourcetitle",
        "publicationtitle",
        "publicationname",
        "publication",
        "containertitle",
        "primarylocationsourcedisplayname",
        "secondarytitle",
        "journalbook",
        "so",
        "jo",
        "jf",
        "t2",
        "source",
        "booktitle",
    ),
    "volume": ("volume", "journalvolume", "vol", "vl", "bibliovolume"),
    "issue": ("issue", "journalissue", "issueno", "number", "is", "biblioissue"),
    "pages": ("pages", "page", "pagerange", "pagination"),
    "start_page": ("startpage", "pagestart", "firstpage", "spage", "sp", "bp", "bibliofirstpage"),
    "end_page": ("endpage", "pageend", "lastpage", "epage", "ep", "bibliolastpage"),
    "article_number": ("artno", "articlenumber", "articleno", "ar"),
    "doi": ("doi", "itemdoi", "doilink", "idsdoi", "di", "do"),
    "pmid": ("pmid", "pubmedid", "idspmid", "pubmed", "pm"),
    "pmcid": ("pmcid", "pmc", "idspmcid"),
    "isbn": ("isbn", "isbns", "bn"),
    "issn": ("issn", "printissn", "sn"),
    "abstract": ("abstract", "abstractnote", "ab", "n2", "description"),
    "keywords": (
        "keywords",
        "keyword",
        "authorkeywords",
        "indexkeywords",
        "keywordsplus",
        "keywordsdisplayname",
        "meshterms",
        "ieeeterms",
        "subjects",
        "subjectterms",
        "manualtags",
        "automatictags",
        "kw",
        "de",
    ),
    "language": ("language", "languageoforiginaldocument", "lang", "la"),
    "publication_type": (
        "documenttype",
        "publicationtype",
        "typeofreference",
        "referencetype",
        "itemtype",
        "contenttype",
        "type",
        "ty",
        "pt",
        "dt",
    ),
    "url": ("url", "link", "urls", "articleurl", "fulltexturl", "openurllink", "ur"),
    "accession": (
        "accessionnumber",
        "accession",
        "eid",
        "utuniquewosid",
        "uniquewosid",
        "embaseaccessionid",
        "openalexid",
        "idsopenalex",
        "an",
        "ut",
    ),
    "source_id": (
        "recordid",
        "covidence",
        "covidenceno",
        "refid",
        "referenceid",
        "citationkey",
        "sourceid",
        "key",
        "uid",
        "id",
    ),
    "database": ("database", "databaseprovider", "databasename", "db", "dp"),
    # ASReview's own names for a label column (asreview.config.LABEL_NA and
    # the readers' "included" synonyms).
    "label": (
        "included",
        "labelincluded",
        "finalincluded",
        "includedlabel",
        "includedfinal",
        "includedflag",
        "include",
        "label",
    ),
}

# Fields a person may map a column to, and the recognised names that show a
# file is a bibliographic table at all.
_MAPPABLE = frozenset(CITATION_FIELDS)
_KEY_FIELDS = ("title", "abstract", "doi")

_LABELS: dict[str, bool | None] = {
    "1": True,
    "1.0": True,
    "0": False,
    "0.0": False,
    "-1": None,
    "yes": True,
    "y": True,
    "no": False,
    "n": False,
    "true": True,
    "false": False,
    "include": True,
    "included": True,
    "relevant": True,
    "exclude": False,
    "excluded": False,
    "irrelevant": False,
}
_RAYYAN = re.compile(r"RAYYAN-INCLUSION:\s*\{([^}]*)\}")
# Embase's "Source" column: "Cancer (2004) 102:4 (253-258). Date of Publication: ..."
_EMBASE_SOURCE = re.compile(
    r"^(?P<journal>.+?) \((?P<year>\d{4})\)"
    r"(?: (?P<volume>[^\s:(]+)(?::(?P<issue>[^\s(]+))?)?"
    r"(?: \((?P<pages>[^)]*)\))?"
)
# PubMed's "Citation" column: "Nature. 2021 Dec 21;1(2):10-11. doi: ..."
_PUBMED_CITATION = re.compile(
    r";(?P<volume>[^():;.\s]+)?(?:\((?P<issue>[^)]*)\))?(?::(?P<pages>[^.;\s]+))?"
)
_NOT_WORD = re.compile(r"[^\w]+")
_DASH = re.compile("\\s*[-\u2010-\u2015]+\\s*")


def normalise(name: str) -> str:
    """A column name without case, spaces or punctuation: "Source title" -> "sourcetitle"."""
    return _NOT_WORD.sub("", name.lower()).replace("_", "")


@dataclass(frozen=True, slots=True)
class _Dialect:
    """Exporters whose column names mean something else than the generic ones."""

    wos: bool
    scopus: bool
    embase: bool
    pubmed: bool

    @classmethod
    def of(cls, names: set[str]) -> _Dialect:
        return cls(
            # Web of Science tab-delimited: two-letter codes with UT and PT.
            wos={"ut", "pt"} <= names,
            scopus="eid" in names or "sourcetitle" in names,
            embase=any(name.startswith("emtree") for name in names),
            pubmed={"pmid", "citation", "journalbook"} <= names,
        )


class ColumnMap:
    """Which columns of one header hold which Citation fields."""

    def __init__(
        self,
        header: Sequence[str],
        *,
        options: Mapping[str, str] | None = None,
        filename: str = "",
        line: int = 1,
    ) -> None:
        self.header = [
            clean(name) or f"column {number}" for number, name in enumerate(header, start=1)
        ]
        normalised = [normalise(name) for name in self.header]
        self.dialect = _Dialect.of(set(normalised))
        self.columns: dict[str, list[int]] = {}
        for field, names in self._names().items():
            found = [index for name in names for index, n in enumerate(normalised) if n == name]
            if found:
                self.columns[field] = found
        self._apply_options(options or {}, filename, line)
        used = {index for indices in self.columns.values() for index in indices}
        self.unmapped = [index for index in range(len(self.header)) if index not in used]

    def _names(self) -> dict[str, tuple[str, ...]]:
        names = dict(_NAMES)
        dialect = self.dialect
        if dialect.wos:
            # In WoS files ID is Keywords Plus, PT the type code, SO the journal.
            names["keywords"] = (*names["keywords"], "id")
            names["source_id"] = tuple(n for n in names["source_id"] if n != "id")
            names["publication_type"] = ("pt", "dt")
        if dialect.scopus or dialect.embase:
            # Scopus' "Source" is the database; Embase's a citation string.
            names["journal"] = tuple(n for n in names["journal"] if n != "source")
        if dialect.scopus:
            names["database"] = (*names["database"], "source")
        return names

    def _apply_options(self, options: Mapping[str, str], filename: str, line: int) -> None:
        """Honour a person's mapping `{field: column name}`; other options are not ours."""
        exact = {name: index for index, name in reversed(list(enumerate(self.header)))}
        loose = {normalise(name): index for name, index in exact.items()}
        for field, column in options.items():
            if field not in _MAPPABLE:
                continue
            index = exact.get(clean(column), loose.get(normalise(column)))
            if index is None:
                found = ", ".join(repr(name) for name in self.header)
                raise ImportFileError(
                    filename,
                    f"the column mapping names the column {column!r} for {field}, "
                    f"but the file has no such column; its columns are: {found}",
                    line=line,
                )
            # The named column serves this field only.
            for indices in self.columns.values():
                if index in indices:
                    indices.remove(index)
            self.columns[field] = [index]
            if field == "pages":
                for part in ("start_page", "end_page", "article_number"):
                    self.columns.pop(part, None)

    @property
    def recognised(self) -> bool:
        """True when a title, abstract or DOI column was found."""
        return any(field in self.columns for field in _KEY_FIELDS)

    def require_recognised(self, filename: str, line: int = 1) -> None:
        """Raise the whole-file error for a table with no title, abstract or DOI column."""
        if self.recognised:
            return
        found = ", ".join(repr(name) for name in self.header)
        raise ImportFileError(
            filename,
            "no column holds titles, abstracts or DOIs, so this table cannot be read as "
            f"references. Its columns are: {found}. Name the columns to use, for "
            "example title=<column>, in the import options.",
            line=line,
        )

    def citation(self, cells: Sequence[Cell]) -> Citation:
        """The citation in one row of cells (in header order)."""
        return _Row(self, cells).citation()


class _Row:
    """One row being mapped: remembers what was used, so the rest goes to `extra`."""

    def __init__(self, columns: ColumnMap, cells: Sequence[Cell]) -> None:
        self.map = columns
        width = len(columns.header)
        self.cells = [
            cell_value(cells[index]) if index < len(cells) else "" for index in range(width)
        ]
        self.overflow = list(cells[width:])
        self.extra: dict[str, tuple[str, ...]] = {}

    def _keep(self, index: int) -> None:
        value = self.cells[index]
        values = value if isinstance(value, tuple) else (value,)
        kept = tuple(text for text in values if text)
        if kept:
            name = self.map.header[index]
            self.extra[name] = (*self.extra.get(name, ()), *kept)

    def take(self, field: str) -> str:
        """The first non-empty cell of `field`'s columns; other differing ones go to extra.

        From a list cell (JSON's two ISSNs) the first item is taken and the
        rest kept in extra.
        """
        chosen = ""
        for index in self.map.columns.get(field, ()):
            cell = self.cells[index]
            text = clean(cell[0]) if isinstance(cell, tuple) and cell else text_of(cell)
            if not text:
                continue
            if not chosen:
                chosen = text
                if isinstance(cell, tuple) and len(cell) > 1:
                    name = self.map.header[index]
                    self.extra[name] = (*self.extra.get(name, ()), *cell[1:])
            elif text != chosen:
                self._keep(index)
        return chosen

    def take_first(self, field: str, convert: Callable[[Cell], _T]) -> _T | None:
        """The first cell of `field`'s columns that `convert` makes something of.

        Cells it cannot use, and other non-empty cells that differ from the
        one used, go to extra.
        """
        chosen: _T | None = None
        chosen_text = ""
        for index in self.map.columns.get(field, ()):
            cell = self.cells[index]
            text = text_of(cell)
            if not text:
                continue
            if chosen is None:
                converted = convert(cell)
                if converted:
                    chosen, chosen_text = converted, text
                    continue
            if text != chosen_text:
                self._keep(index)
        return chosen

    def citation(self) -> Citation:
        dialect = self.map.dialect
        citation = Citation(
            title=self.take("title"),
            authors=self._authors(),
            year=self._year(),
            journal=self.take("journal"),
            volume=self.take("volume"),
            issue=self.take("issue"),
            pages=self._pages(),
            doi=self._doi(),
            pmid=pmid_from(self.take("pmid")),
            pmcid=pmcid_from(self.take("pmcid")),
            isbn=self.take("isbn"),
            issn=self.take("issn"),
            abstract=self.take("abstract"),
            keywords=self._keywords(),
            language=self.take("language"),
            publication_type=self.take("publication_type"),
            url=self.take("url").split(" ")[0],
            accession=self.take("accession"),
            source_id=self.take("source_id"),
            database=self._database(),
            label=self._label(),
        )
        if dialect.embase:
            citation = self._embase_source(citation)
        if dialect.pubmed:
            citation = self._pubmed_citation(citation)
        for index in self.map.unmapped:
            self._keep(index)
        for index in range(len(self.map.header), len(self.overflow) + len(self.map.header)):
            # Cells beyond the header (a stray delimiter in a row) are kept too.
            text = text_of(self.overflow[index - len(self.map.header)])
            if text:
                self.extra[f"column {index + 1}"] = (text,)
        return citation.with_changes(extra=self.extra)

    def _authors(self) -> tuple[str, ...]:
        return self.take_first("authors", people) or ()

    def _year(self) -> int | None:
        return self.take_first("year", lambda cell: year_from(text_of(cell)))

    def _pages(self) -> str:
        pages = self.take("pages")
        if pages:
            return _DASH.sub("-", pages).strip("-")
        start, end = self.take("start_page"), self.take("end_page")
        return page_range(start, end) or self.take("article_number")

    def _doi(self) -> str:
        # "doi1" in a test file, or a DOI column holding something else, goes to extra.
        doi = self.take_first("doi", lambda cell: doi_from(text_of(cell)))
        if doi:
            return doi
        # Links often carry the DOI (Embase's OpenURL "id=doi:10...", doi.org URLs).
        for index in self.map.columns.get("url", ()):
            found = doi_in_url(text_of(self.cells[index]))
            if found:
                return found
        return ""

    def _keywords(self) -> tuple[str, ...]:
        found: list[str] = []
        for index in self.map.columns.get("keywords", ()):
            found.extend(terms(self.cells[index]))
        return unique(found)

    def _database(self) -> str:
        database = self.take("database")
        if not database and self.map.dialect.wos:
            accession = self.take("accession")
            prefix = accession.split(":", 1)[0].upper() if ":" in accession else ""
            database = "Web of Science Core Collection" if prefix == "WOS" else prefix
        return database

    def _label(self) -> bool | None:
        label = self.take_first("label", _label_of)
        return label[0] if label else self._rayyan_label()

    def _rayyan_label(self) -> bool | None:
        """Rayyan writes decisions into its notes: `RAYYAN-INCLUSION: {"Alice"=>"Included"}`."""
        for index in self.map.unmapped:
            text = text_of(self.cells[index])
            found = _RAYYAN.search(text) if "RAYYAN-INCLUSION" in text else None
            if found:
                return rayyan_decision(found.group(1))
        return None

    def _embase_source(self, citation: Citation) -> Citation:
        index = self._column("source")
        found = _EMBASE_SOURCE.match(text_of(self.cells[index])) if index is not None else None
        if found is None:
            return citation
        parts = found.groupdict()
        return citation.with_changes(
            journal=citation.journal or clean(parts["journal"]),
            year=citation.year or int(parts["year"]),
            volume=citation.volume or clean(parts["volume"]),
            issue=citation.issue or clean(parts["issue"]),
            pages=citation.pages or _DASH.sub("-", clean(parts["pages"])),
        )

    def _pubmed_citation(self, citation: Citation) -> Citation:
        index = self._column("citation")
        found = _PUBMED_CITATION.search(text_of(self.cells[index])) if index is not None else None
        if found is None:
            return citation
        parts = found.groupdict()
        return citation.with_changes(
            volume=citation.volume or clean(parts["volume"]),
            issue=citation.issue or clean(parts["issue"]),
            pages=citation.pages or clean(parts["pages"]),
        )

    def _column(self, name: str) -> int | None:
        for index in self.map.unmapped:
            if normalise(self.map.header[index]) == name:
                return index
        return None


def _label_of(cell: Cell) -> tuple[bool | None] | None:
    """A label cell's meaning, boxed so that "unlabelled" (-1) still counts as read."""
    text = text_of(cell).lower()
    return (_LABELS[text],) if text in _LABELS else None
