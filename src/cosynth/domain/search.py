"""The question and the search strategy: frameworks, concept blocks and terms.

A review's question is built with a framework (the paper used SPICES, Booth
2006 with a Social science method element; METHODS.md §2): an ordered list of
elements, each with a letter, a name and a prompt. The answers fill the
paper's Table 1 ("SPICES HEADINGS | REVIEW CONCEPT") and the question text.

The strategy is the usual shape of a systematic search (Cochrane Handbook,
Technical Supplement to chapter 4): concept blocks, each the synonyms of one
concept OR'd together, the blocks AND'ed; a block may be an exclusion (NOT),
which is allowed with a warning because NOT drops records that mention the
excluded words anywhere, relevant or not. A term is a keyword (one word), a
phrase, or a controlled heading (MeSH or CINAHL Subject Headings) exploded or
not; words may be truncated, a phrase's words may be asked to fall within N
words of each other, and each term says which fields it searches. Who
suggested a term is kept: the paper's search terms were "derived from SPICES
and guidance from CAG members" (Search strategy).

Frameworks are data files (`cosynth.frameworks`, DESIGN.md rule 6);
`framework_from_dict` checks the table a TOML reader made of one, raising
`FrameworkDataError` naming the key at fault.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from cosynth.errors import InputError

FORMAT = 1
MAX_ID = 100
MAX_TERM = 300
MAX_ANSWER = 2000
MAX_LABEL = 200
MAX_PROXIMITY = 99
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
_KEY = re.compile(r"[a-z][a-z0-9_]*")

Path = tuple[str | int, ...]


# --- question frameworks -------------------------------------------------------------


class FrameworkDataError(InputError):
    """A framework's table is wrong at `path`; `value` helps find the line."""

    def __init__(self, problem: str, path: Path, value: object = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.path = path
        self.value = value


@dataclass(frozen=True, slots=True)
class FrameworkElement:
    """One element of a question framework: SPICES's "S", Setting, and what to ask."""

    key: str
    letter: str
    name: str
    prompt: str
    # Some elements shape the question but are not searched (SPICE's Comparison is
    # often hypothetical: the paper's "prior to/without co-production").
    searched: bool = True


@dataclass(frozen=True, slots=True)
class Framework:
    id: str
    name: str
    title: str
    version: str
    citation: str
    url: str
    elements: tuple[FrameworkElement, ...]
    check: str = ""

    def element(self, key: str) -> FrameworkElement:
        for element in self.elements:
            if element.key == key:
                return element
        keys = ", ".join(e.key for e in self.elements)
        raise InputError(f'{self.name} has no element "{key}"; its elements are: {keys}.')


_TOP = frozenset({"format", "id", "name", "title", "version", "check", "source", "elements"})
_SOURCE = frozenset({"citation", "url", "check"})
_ELEMENT = frozenset({"key", "letter", "name", "prompt", "searched"})


def framework_from_dict(data: Mapping[str, Any]) -> Framework:
    """Check a framework file's table and build the `Framework` (or `FrameworkDataError`)."""
    _keys(data, _TOP, ())
    version_of_format = data.get("format", FORMAT)
    if version_of_format != FORMAT:
        raise FrameworkDataError(
            f"the file is in format {version_of_format!r}, and this cosynth reads format {FORMAT}",
            ("format",),
            version_of_format,
        )
    identifier = _text(data, "id", ())
    if len(identifier) > MAX_ID or not _ID.fullmatch(identifier):
        raise FrameworkDataError(
            f'the id "{identifier}" must be letters, digits, "-", "_" or "." (at most {MAX_ID})',
            ("id",),
            identifier,
        )
    source = data.get("source")
    if not isinstance(source, Mapping):
        raise FrameworkDataError(
            "the file has no [source] table: cite where the framework comes from", ("source",)
        )
    _keys(source, _SOURCE, ("source",))
    checks = [_text(data, "check", (), False), _text(source, "check", ("source",), False)]
    return Framework(
        id=identifier,
        name=_text(data, "name", ()),
        title=_text(data, "title", (), False) or _text(data, "name", ()),
        version=_text(data, "version", ()),
        citation=_text(source, "citation", ("source",)),
        url=_text(source, "url", ("source",), False),
        elements=_elements(data),
        check=" ".join(part for part in checks if part),
    )


def _elements(data: Mapping[str, Any]) -> tuple[FrameworkElement, ...]:
    raw = data.get("elements")
    if not isinstance(raw, list) or not raw:
        raise FrameworkDataError(
            "the file has no [[elements]]: give each element of the framework", ("elements",)
        )
    elements: list[FrameworkElement] = []
    seen: set[str] = set()
    for i, table in enumerate(raw):
        path: Path = ("elements", i)
        if not isinstance(table, Mapping):
            raise FrameworkDataError("each element must be a table: [[elements]]", path)
        _keys(table, _ELEMENT, path)
        key = _text(table, "key", path)
        if not _KEY.fullmatch(key):
            raise FrameworkDataError(
                f'the element key "{key}" must be small letters, digits and "_"',
                (*path, "key"),
                key,
            )
        if key in seen:
            raise FrameworkDataError(
                f'two elements have the key "{key}": each needs its own', (*path, "key"), key
            )
        seen.add(key)
        searched = table.get("searched", True)
        if not isinstance(searched, bool):
            raise FrameworkDataError(
                "searched must be true or false", (*path, "searched"), searched
            )
        elements.append(
            FrameworkElement(
                key=key,
                letter=_text(table, "letter", path),
                name=_text(table, "name", path),
                prompt=_text(table, "prompt", path),
                searched=searched,
            )
        )
    return tuple(elements)


def _keys(table: Mapping[str, Any], allowed: frozenset[str], path: Path) -> None:
    for key in table:
        if key not in allowed:
            raise FrameworkDataError(
                f'"{key}" is not a key cosynth knows here; use: {", ".join(sorted(allowed))}',
                (*path, key),
            )


def _text(table: Mapping[str, Any], key: str, path: Path, required: bool = True) -> str:
    value = table.get(key)
    if value is None:
        if required:
            raise FrameworkDataError(f'"{key}" is missing: give it as text', (*path, key))
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise FrameworkDataError(f'"{key}" must be text, not empty', (*path, key), value)
    return " ".join(value.split())


# --- the question ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answer:
    """What the review puts under one element: Setting -> "Health and care services..."."""

    key: str
    letter: str
    name: str
    text: str


@dataclass(frozen=True, slots=True)
class Question:
    """One version of the review's question; a change is a new version (append-only)."""

    review_id: int
    version: int
    framework_id: str
    framework_name: str
    answers: tuple[Answer, ...]
    text: str
    set_by: str
    set_at: datetime

    def answer(self, key: str) -> str:
        return next((a.text for a in self.answers if a.key == key), "")


@dataclass(frozen=True, slots=True)
class TableRow:
    heading: str
    concept: str


@dataclass(frozen=True, slots=True)
class QuestionTable:
    """The paper's Table 1: the framework's headings beside the review's concepts."""

    caption: str
    heading_label: str
    concept_label: str
    rows: tuple[TableRow, ...]
    question: str


def question_table(question: Question) -> QuestionTable:
    """Table 1 as the paper lays it out ("SPICES framework and resulting research question")."""
    name = question.framework_name
    return QuestionTable(
        caption=f"{name} framework and resulting research question.",
        heading_label=f"{name} headings".upper(),
        concept_label="REVIEW CONCEPT",
        rows=tuple(TableRow(a.name, a.text) for a in question.answers if a.text),
        question=question.text,
    )


def check_answers(framework: Framework, answers: Mapping[str, str]) -> tuple[Answer, ...]:
    """The answers in the framework's order, or `InputError` naming an unknown element."""
    known = {e.key for e in framework.elements}
    unknown = [key for key in answers if key not in known]
    if unknown:
        listed = ", ".join(f"{e.key} ({e.name})" for e in framework.elements)
        raise InputError(
            f'{framework.name} has no element "{unknown[0]}"; its elements are: {listed}.'
        )
    found: list[Answer] = []
    for element in framework.elements:
        text = " ".join(answers.get(element.key, "").split())
        if len(text) > MAX_ANSWER:
            raise InputError(
                f"The answer for {element.name} is longer than {MAX_ANSWER} characters."
            )
        found.append(Answer(element.key, element.letter, element.name, text))
    if not any(a.text for a in found):
        raise InputError(
            f"Fill in at least one element of {framework.name} "
            f"({', '.join(e.name for e in framework.elements)})."
        )
    return tuple(found)


# --- the strategy ---------------------------------------------------------------------


class TermKind(StrEnum):
    KEYWORD = "keyword"
    PHRASE = "phrase"
    HEADING = "heading"


class Field(StrEnum):
    TITLE = "title"
    ABSTRACT = "abstract"
    KEYWORDS = "keywords"
    ALL = "all text"


class Vocabulary(StrEnum):
    """The thesauri a heading can come from: each database indexes with its own."""

    MESH = "MeSH"
    CINAHL = "CINAHL Subject Headings"


DEFAULT_FIELDS = frozenset({Field.TITLE, Field.ABSTRACT})
FIELD_ORDER = (Field.TITLE, Field.ABSTRACT, Field.KEYWORDS, Field.ALL)


@dataclass(frozen=True, slots=True)
class Suggester:
    """Who suggested a term: a cosynth account, an advisory-group member, or both."""

    username: str = ""
    group_member_id: int | None = None
    name: str = ""

    @property
    def label(self) -> str:
        return (
            self.name
            or self.username
            or (f"group member {self.group_member_id}" if self.group_member_id else "")
        )


@dataclass(frozen=True, slots=True)
class Term:
    id: int
    block_id: int
    text: str
    kind: TermKind
    truncated: bool = False
    proximity: int | None = None
    fields: frozenset[Field] = DEFAULT_FIELDS
    vocabulary: Vocabulary | None = None
    explode: bool = True
    suggested_by: Suggester | None = None
    note: str = ""
    added_by: str = ""
    added_at: datetime | None = None

    @property
    def words(self) -> list[str]:
        return self.text.split()

    @property
    def field_list(self) -> list[Field]:
        return [f for f in FIELD_ORDER if f in self.fields]

    def describe(self) -> str:
        """The term in plain words, for the pages and the log."""
        if self.kind is TermKind.HEADING:
            vocabulary = self.vocabulary.value if self.vocabulary else "heading"
            how = "exploded" if self.explode else "not exploded"
            return f"{self.text} ({vocabulary}, {how})"
        parts = [f'"{self.text}"' if self.kind is TermKind.PHRASE else self.text]
        if self.truncated:
            parts.append("with any ending")
        if self.proximity is not None:
            parts.append(f"words within {self.proximity} of each other")
        parts.append("in " + ", ".join(f.value for f in self.field_list))
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Block:
    """A concept block: its terms are OR'd; blocks are AND'ed, an exclusion NOT'ed."""

    id: int
    label: str
    element_key: str = ""
    exclude: bool = False
    position: int = 0
    terms: tuple[Term, ...] = ()


@dataclass(frozen=True, slots=True)
class DateLimits:
    """Publication dates searched, both ends included (the paper: March 2012 - March 2022)."""

    start: date | None = None
    end: date | None = None

    @property
    def empty(self) -> bool:
        return self.start is None and self.end is None

    def describe(self) -> str:
        if self.empty:
            return "no date limits"
        start = self.start.isoformat() if self.start else "the earliest"
        end = self.end.isoformat() if self.end else "the latest"
        return f"published {start} to {end}"


@dataclass(frozen=True, slots=True)
class Strategy:
    review_id: int
    blocks: tuple[Block, ...] = ()
    limits: DateLimits = field(default_factory=DateLimits)

    @property
    def included(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if not b.exclude)

    @property
    def excluded(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.exclude)

    @property
    def suggested_terms(self) -> tuple[Term, ...]:
        return tuple(t for b in self.blocks for t in b.terms if t.suggested_by is not None)


def check_term(
    text: str,
    kind: TermKind,
    *,
    truncated: bool,
    proximity: int | None,
    fields: frozenset[Field],
    vocabulary: Vocabulary | None,
) -> str:
    """The term's text tidied, or `InputError` saying what does not fit together."""
    text = " ".join(text.split()).strip()
    if not text:
        raise InputError("The term is empty: type the word, phrase or heading.")
    if len(text) > MAX_TERM:
        raise InputError(f"The term is longer than {MAX_TERM} characters.")
    if '"' in text or any(c in text for c in "()[]{}"):
        raise InputError(
            f"The term {text!r} has quotes or brackets in it: type the words only; "
            "cosynth writes each database's quotes and brackets."
        )
    if "*" in text or "$" in text or "?" in text:
        raise InputError(
            f"The term {text!r} has a wildcard in it: type the stem (e.g. coproduc) and tick "
            '"any ending"; cosynth writes each database\'s truncation mark.'
        )
    if kind is TermKind.HEADING:
        if vocabulary is None:
            raise InputError(
                f"Say which thesaurus the heading {text!r} is from: MeSH or CINAHL Subject "
                "Headings."
            )
        if truncated or proximity is not None:
            raise InputError(
                f"The heading {text!r} is searched as it stands: a heading has no truncation "
                "or proximity."
            )
        if "/" in text:
            # Ovid ends a heading with "/" and reads one after it as a subheading.
            raise InputError(
                f"The heading {text!r} has a slash in it: type the heading as the thesaurus "
                "spells it, without a subheading."
            )
        return text
    if vocabulary is not None:
        raise InputError(f"Only a heading has a thesaurus; {text!r} is a {kind.value}.")
    if not fields:
        raise InputError(f"Say which fields {text!r} is searched in (e.g. title and abstract).")
    words = text.split()
    if kind is TermKind.KEYWORD and len(words) > 1:
        raise InputError(
            f"{text!r} is more than one word: make it a phrase, or give its words a proximity."
        )
    if proximity is not None:
        if len(words) < 2:
            raise InputError(f"A proximity needs two words or more; {text!r} is one word.")
        if not 0 <= proximity <= MAX_PROXIMITY:
            raise InputError(f"The proximity must be from 0 to {MAX_PROXIMITY} words.")
    return text


def check_limits(limits: DateLimits) -> None:
    if limits.start and limits.end and limits.start > limits.end:
        raise InputError(
            f"The date limits run backwards: {limits.start.isoformat()} is after "
            f"{limits.end.isoformat()}."
        )


# --- translations ---------------------------------------------------------------------


class Database(StrEnum):
    """The databases (and platforms) a strategy is translated for."""

    PUBMED = "pubmed"
    OVID_MEDLINE = "ovid-medline"
    CINAHL = "cinahl"
    WOS = "wos"
    SCOPUS = "scopus"
    EUROPE_PMC = "europepmc"

    @property
    def label(self) -> str:
        return DATABASE_LABELS[self][0]

    @property
    def platform(self) -> str:
        return DATABASE_LABELS[self][1]

    @property
    def database_name(self) -> str:
        """The name an import of this database's export is filed under."""
        return DATABASE_LABELS[self][2]


DATABASE_LABELS: dict[Database, tuple[str, str, str]] = {
    Database.PUBMED: ("PubMed", "PubMed", "MEDLINE"),
    Database.OVID_MEDLINE: ("Ovid MEDLINE", "Ovid", "MEDLINE"),
    Database.CINAHL: ("CINAHL (EBSCOhost)", "EBSCOhost", "CINAHL"),
    Database.WOS: ("Web of Science Core Collection", "Web of Science", "Web of Science"),
    Database.SCOPUS: ("Scopus", "Scopus", "Scopus"),
    Database.EUROPE_PMC: ("Europe PMC", "Europe PMC", "Europe PMC"),
}


def database_named(name: str) -> Database:
    """The database called `name` (its key or label, any case), or a plain `InputError`."""
    wanted = name.strip().lower()
    for database in Database:
        if wanted in (
            database.value,
            database.label.lower(),
            database.label.split(" (")[0].lower(),
        ):
            return database
    known = ", ".join(d.value for d in Database)
    raise InputError(f'"{name}" is not a database cosynth writes strings for; use one of: {known}.')


class Severity(StrEnum):
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a translation or the validator found, in plain words."""

    severity: Severity
    message: str


@dataclass(frozen=True, slots=True)
class Translation:
    """A strategy in one database's syntax. With errors, `string` is "" (never a wrong one)."""

    database: Database
    string: str
    warnings: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    # Limits set in the database's own screens rather than in the string (EBSCO's limiters).
    limiters: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


# --- the search log -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchLogEntry:
    """One search as run in one database (PRISMA-S items 1, 8, 9, 13: database, platform,
    date, limits, the exact string, the hits), linked to the import of its records."""

    id: int
    review_id: int
    database: str
    platform: str
    run_on: date
    string: str
    limits: str
    hits: int | None
    source_ids: tuple[int, ...]
    note: str
    logged_by: str
    logged_at: datetime
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DatabaseCount:
    """Per database: the hits its searches reported and the records imported from them."""

    database: str
    searches: int
    hits: int | None
    records_imported: int
