"""Reporting checklists as data, and a review's checklist filled from its records.

A checklist (eMERGe, France et al. 2019; ENTREQ, Tong et al. 2012; PRISMA
2020, Page et al. 2021; the GRIPP2 short form, Staniszewska et al. 2017) is
never hard-coded (DESIGN.md rule 6): it is a versioned TOML file that cites
its source and licence. `checklist_from_dict` checks the table a TOML reader
made of the file and builds a `Checklist`, or raises `ChecklistDataError`
naming the key at fault, so that the reader can name the file and line.

Each item names the kinds of evidence in a review that answer it
(`EvidenceKind`): eMERGe 8 the flow diagram, 13 the order of translation and
the translations. Filling a checklist for a review sets each item beside what
the review holds for it: found, partly found, missing (with what to add), or
for the manuscript only (cosynth keeps no data for it, e.g. PRISMA 24a
registration), with the lead's note of where the manuscript reports it.

The layout of a file (format 1)::

    format = 1
    id = "emerge"                  # letters, digits, '-', '_', '.'
    name = "eMERGe"
    title = "..."
    version = "1"                  # this file's version: bump it when an item changes
    check = "..."                  # optional: what is not confirmed

    [source]
    citation = "..."
    url = "..."
    licence = "..."

    [[items]]
    number = "8"                   # "16a": a sub-item of item 16
    section = "Phase 2: deciding what is relevant (Findings)"
    title = "Outcome of study selection"
    explanation = "..."            # the file's own words; read the source for the guideline's
    evidence = ["flow"]            # [] when only the manuscript can answer it
    check = "..."                  # optional
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from cosynth.errors import InputError

FORMAT = 1
MAX_ID = 100
MAX_WHERE = 500
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
# "8", "16a": an item, or a lettered sub-item of one (PRISMA 2020's 13a-13f).
_NUMBER = re.compile(r"([1-9][0-9]{0,2})([a-z]?)")

Path = tuple[str | int, ...]


class ChecklistDataError(InputError):
    """A checklist's table is wrong at `path` (keys and list indexes from the top).

    `value` is the offending value where there is one, to find its line.
    """

    def __init__(self, problem: str, path: Path, value: object = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.path = path
        self.value = value


class EvidenceKind(StrEnum):
    """A place in a review where an item's evidence lies."""

    QUESTION = "question"
    SOURCES = "sources"
    CRITERIA = "criteria"
    SCREENING_PROTOCOL = "screening-protocol"
    FLOW = "flow"
    FULL_TEXT_EXCLUSIONS = "full-text-exclusions"
    EXTRACTION_FORM = "extraction-form"
    EXTRACTION = "extraction"
    QUOTES = "quotes"
    CHARACTERISTICS = "characteristics"
    APPRAISAL_PROTOCOL = "appraisal-protocol"
    APPRAISAL_RESULTS = "appraisal-results"
    PHASES = "phases"
    RELATING = "relating"
    CONCEPT_GRID = "concept-grid"
    TRANSLATION_ORDER = "translation-order"
    TRANSLATIONS = "translations"
    THEMES = "themes"
    INTERPRETATIONS = "interpretations"
    SOFTWARE = "software"
    # The GRIPP2 short form's five items, written from the advisory group's records.
    INVOLVEMENT_AIM = "involvement-aim"
    INVOLVEMENT_METHODS = "involvement-methods"
    INVOLVEMENT_RESULTS = "involvement-results"
    INVOLVEMENT_DISCUSSION = "involvement-discussion"
    INVOLVEMENT_REFLECTIONS = "involvement-reflections"

    @property
    def label(self) -> str:
        return EVIDENCE_LABELS[self]

    @property
    def to_add(self) -> str:
        """What to add to the review when it has nothing of this kind, in plain words."""
        return EVIDENCE_TO_ADD[self]


EVIDENCE_LABELS: dict[EvidenceKind, str] = {
    EvidenceKind.QUESTION: "The review question",
    EvidenceKind.SOURCES: "Searches and imported sources",
    EvidenceKind.CRITERIA: "Inclusion and exclusion criteria",
    EvidenceKind.SCREENING_PROTOCOL: "Screening protocol",
    EvidenceKind.FLOW: "PRISMA flow diagram",
    EvidenceKind.FULL_TEXT_EXCLUSIONS: "Full texts excluded, with reasons",
    EvidenceKind.EXTRACTION_FORM: "Data extraction form",
    EvidenceKind.EXTRACTION: "Data extraction",
    EvidenceKind.QUOTES: "Quotes",
    EvidenceKind.CHARACTERISTICS: "Characteristics of included studies",
    EvidenceKind.APPRAISAL_PROTOCOL: "Appraisal protocol",
    EvidenceKind.APPRAISAL_RESULTS: "Appraisal results",
    EvidenceKind.PHASES: "Meta-ethnography phases",
    EvidenceKind.RELATING: "How the studies relate",
    EvidenceKind.CONCEPT_GRID: "Concept grid",
    EvidenceKind.TRANSLATION_ORDER: "Order of translation",
    EvidenceKind.TRANSLATIONS: "Translations",
    EvidenceKind.THEMES: "Themes",
    EvidenceKind.INTERPRETATIONS: "Interpretations (the synthesis)",
    EvidenceKind.SOFTWARE: "Software",
    EvidenceKind.INVOLVEMENT_AIM: "GRIPP2 item 1: aim of involvement",
    EvidenceKind.INVOLVEMENT_METHODS: "GRIPP2 item 2: methods of involvement",
    EvidenceKind.INVOLVEMENT_RESULTS: "GRIPP2 item 3: results of involvement",
    EvidenceKind.INVOLVEMENT_DISCUSSION: "GRIPP2 item 4: discussion and conclusions",
    EvidenceKind.INVOLVEMENT_REFLECTIONS: "GRIPP2 item 5: reflections",
}

EVIDENCE_TO_ADD: dict[EvidenceKind, str] = {
    EvidenceKind.QUESTION: "Write the review question in the review's settings.",
    EvidenceKind.SOURCES: "Import each database's export, with the database, platform and "
    "date searched (cosynth import FILE --database NAME --searched DATE).",
    EvidenceKind.CRITERIA: "Write the inclusion and exclusion criteria in the screening protocol.",
    EvidenceKind.SCREENING_PROTOCOL: "Set the screening protocol for title and abstract and for "
    "full text (reviewers per record, blinding).",
    EvidenceKind.FLOW: "Screen the records: the flow diagram is drawn from the screening.",
    EvidenceKind.FULL_TEXT_EXCLUSIONS: "Screen the full texts, giving a reason for each one "
    "excluded.",
    EvidenceKind.EXTRACTION_FORM: "Save the data extraction form (co-designed with the advisory "
    "group).",
    EvidenceKind.EXTRACTION: "Extract data from the included studies and mark each study done.",
    EvidenceKind.QUOTES: "Keep quotes from the included studies, each with its page.",
    EvidenceKind.CHARACTERISTICS: "Agree the extracted values of the included studies: the "
    "characteristics table is built from them.",
    EvidenceKind.APPRAISAL_PROTOCOL: "Choose an appraisal instrument and its threshold in the "
    "appraisal protocol.",
    EvidenceKind.APPRAISAL_RESULTS: "Appraise the included studies and agree each one's result.",
    EvidenceKind.PHASES: "Log the meta-ethnography's phases as the work goes through them.",
    EvidenceKind.RELATING: "Record how the studies relate (reciprocal, refutational, line of "
    "argument) and why.",
    EvidenceKind.CONCEPT_GRID: "Code the studies' concepts: the concept grid is built from them.",
    EvidenceKind.TRANSLATION_ORDER: "Set the order in which the studies are translated, and why.",
    EvidenceKind.TRANSLATIONS: "Record the translations of the studies' concepts into one another.",
    EvidenceKind.THEMES: "Build the themes from the translated concepts.",
    EvidenceKind.INTERPRETATIONS: "Write the synthesis's interpretations (third-order "
    "constructs) and link them to their themes.",
    EvidenceKind.SOFTWARE: "Nothing to add: cosynth names itself.",
    EvidenceKind.INVOLVEMENT_AIM: "Write the aim of the advisory group's involvement (GRIPP2 "
    "item 1).",
    EvidenceKind.INVOLVEMENT_METHODS: "Add the advisory group's members, recruitment and meetings.",
    EvidenceKind.INVOLVEMENT_RESULTS: "Log the advisory group's actions and contributions to each "
    "phase.",
    EvidenceKind.INVOLVEMENT_DISCUSSION: "Write how far the involvement shaped the review (GRIPP2 "
    "item 4).",
    EvidenceKind.INVOLVEMENT_REFLECTIONS: "Write the reflections on the involvement (GRIPP2 "
    "item 5).",
}


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    number: str
    section: str
    title: str
    explanation: str
    evidence: tuple[EvidenceKind, ...] = ()
    check: str = ""

    @property
    def top(self) -> int:
        """The top-level item this is, or is a sub-item of ("16a" -> 16)."""
        found = _NUMBER.fullmatch(self.number)
        assert found is not None  # checked when the file was read
        return int(found.group(1))

    @property
    def manuscript_only(self) -> bool:
        """Only the manuscript can answer it: cosynth keeps no data for it."""
        return not self.evidence


@dataclass(frozen=True, slots=True)
class Checklist:
    id: str
    name: str
    title: str
    version: str
    citation: str
    licence: str
    url: str
    items: tuple[ChecklistItem, ...]
    check: str = ""

    def item(self, number: str) -> ChecklistItem | None:
        """The item numbered `number` ("16a", "16A" or " 16a ")."""
        wanted = number.strip().casefold()
        return next((i for i in self.items if i.number.casefold() == wanted), None)

    @property
    def top_level_items(self) -> int:
        """How many items the guideline counts (PRISMA 2020's 42 rows are its 27 items)."""
        return len({item.top for item in self.items})

    @property
    def evidence_kinds(self) -> tuple[EvidenceKind, ...]:
        """Every kind of evidence the checklist asks for, in the order first asked."""
        return tuple(dict.fromkeys(kind for item in self.items for kind in item.evidence))


# -- a checklist filled for a review


class ItemStatus(StrEnum):
    FOUND = "found"
    PARTIAL = "partly found"
    MISSING = "missing"
    MANUSCRIPT = "manuscript only"


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a review holds of one kind: `summary` says it with its numbers; `found` is False
    when the review has nothing of this kind yet, and `to_add` then says what to add."""

    kind: EvidenceKind
    found: bool
    summary: str
    to_add: str = ""


@dataclass(frozen=True, slots=True)
class ReportedAt:
    """Where the manuscript reports an item, in the lead's words ("Methods, p. 4")."""

    checklist_id: str
    item: str
    where: str
    by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class FilledItem:
    item: ChecklistItem
    status: ItemStatus
    evidence: tuple[Evidence, ...]
    reported: ReportedAt | None = None

    @property
    def flagged(self) -> bool:
        """Something is still to do: evidence missing, or a manuscript-only item not placed."""
        if self.status is ItemStatus.MANUSCRIPT:
            return self.reported is None
        return self.status is not ItemStatus.FOUND

    @property
    def to_add(self) -> tuple[str, ...]:
        """What to add, in plain words, one line per missing piece."""
        if self.status is ItemStatus.MANUSCRIPT:
            if self.reported is None:
                return ("cosynth keeps no data for this item: write it in the manuscript and "
                        "note where it is reported.",)  # fmt: skip
            return ()
        return tuple(e.to_add for e in self.evidence if not e.found and e.to_add)


@dataclass(frozen=True, slots=True)
class FilledChecklist:
    checklist: Checklist
    review_id: int
    review_title: str
    items: tuple[FilledItem, ...]
    software: str
    filled_at: datetime

    @property
    def flagged(self) -> tuple[FilledItem, ...]:
        return tuple(item for item in self.items if item.flagged)

    @property
    def missing(self) -> tuple[FilledItem, ...]:
        return tuple(item for item in self.items if item.status is ItemStatus.MISSING)


def status_of(item: ChecklistItem, evidence: Sequence[Evidence]) -> ItemStatus:
    if item.manuscript_only:
        return ItemStatus.MANUSCRIPT
    found = sum(1 for e in evidence if e.found)
    if found == len(evidence):
        return ItemStatus.FOUND
    return ItemStatus.PARTIAL if found else ItemStatus.MISSING


def fill_items(
    checklist: Checklist,
    evidence: Mapping[EvidenceKind, Evidence],
    reported: Mapping[str, ReportedAt],
) -> tuple[FilledItem, ...]:
    """Each item beside the evidence the review holds for it and where it is reported.

    `evidence` must hold every kind the checklist asks for; `reported` is keyed by item number.
    """
    filled = []
    for item in checklist.items:
        pieces = tuple(evidence[kind] for kind in item.evidence)
        filled.append(
            FilledItem(
                item=item,
                status=status_of(item, pieces),
                evidence=pieces,
                reported=reported.get(item.number),
            )
        )
    return tuple(filled)


def clean_where(text: str) -> str:
    """The lead's note of where an item is reported, on one line; empty clears it."""
    where = " ".join(text.split())
    if len(where) > MAX_WHERE:
        raise InputError(
            f"Say where the item is reported in at most {MAX_WHERE} characters "
            '(e.g. "Methods, Search strategy, p. 4").'
        )
    return where


# -- reading a parsed TOML table

_TOP = frozenset({"format", "id", "name", "title", "version", "check", "source", "items"})
_SOURCE = frozenset({"citation", "url", "licence", "check"})
_ITEM = frozenset({"number", "section", "title", "explanation", "evidence", "check"})


def checklist_from_dict(data: Mapping[str, Any]) -> Checklist:
    """Check a parsed checklist file and build the checklist, or say what is wrong and where."""
    _keys(data, _TOP, ())
    version_of_format = data.get("format", FORMAT)
    if version_of_format != FORMAT:
        raise ChecklistDataError(
            f"the file is in format {version_of_format!r}, and this cosynth reads format {FORMAT}",
            ("format",),
            version_of_format,
        )
    source = data.get("source")
    if not isinstance(source, Mapping):
        raise ChecklistDataError(
            "the file has no [source] table: cite the guideline, its address and licence",
            ("source",),
        )
    _keys(source, _SOURCE, ("source",))
    checks = [_text(data, "check", (), required=False), _text(source, "check", ("source",), False)]
    return Checklist(
        id=_identifier(data),
        name=_text(data, "name", ()),
        title=_text(data, "title", (), required=False) or _text(data, "name", ()),
        version=_text(data, "version", ()),
        citation=_text(source, "citation", ("source",)),
        licence=_text(source, "licence", ("source",)),
        url=_text(source, "url", ("source",), required=False),
        items=_items(data),
        check=" ".join(part for part in checks if part),
    )


def _items(data: Mapping[str, Any]) -> tuple[ChecklistItem, ...]:
    raw = data.get("items")
    if not isinstance(raw, list) or not raw:
        raise ChecklistDataError("the file has no [[items]]: give at least one", ("items",))
    items: list[ChecklistItem] = []
    for i, table in enumerate(raw):
        path: Path = ("items", i)
        if not isinstance(table, Mapping):
            raise ChecklistDataError("each item must be a table: [[items]]", path)
        _keys(table, _ITEM, path)
        if "number" not in table:
            raise ChecklistDataError(
                f'item {i + 1} has no number: give each item its number, e.g. number = "8"', path
            )
        number = table["number"]
        if isinstance(number, int) and not isinstance(number, bool):
            number = str(number)
        if not isinstance(number, str) or not _NUMBER.fullmatch(number.strip()):
            raise ChecklistDataError(
                f"the item number {number!r} is not one cosynth reads: use a number, or a number "
                'and one small letter for a sub-item ("16a")',
                (*path, "number"),
                number,
            )
        number = number.strip()
        if any(item.number == number for item in items):
            raise ChecklistDataError(
                f'the item number "{number}" is used twice: item numbers must be unique',
                (*path, "number"),
                number,
            )
        items.append(
            ChecklistItem(
                number=number,
                section=_text(table, "section", path, required=False),
                title=_text(table, "title", path),
                explanation=_text(table, "explanation", path, required=False),
                evidence=_evidence(table, path),
                check=_text(table, "check", path, required=False),
            )
        )
    return tuple(items)


def _evidence(table: Mapping[str, Any], path: Path) -> tuple[EvidenceKind, ...]:
    raw = table.get("evidence", [])
    if not isinstance(raw, list):
        raise ChecklistDataError(
            'evidence must be a list, e.g. evidence = ["flow"] (or [] for the manuscript only)',
            (*path, "evidence"),
        )
    kinds: list[EvidenceKind] = []
    for given in raw:
        try:
            kind = EvidenceKind(given)
        except ValueError:
            known = ", ".join(kind.value for kind in EvidenceKind)
            raise ChecklistDataError(
                f'"{given}" is not a kind of evidence cosynth knows; use one of: {known}',
                (*path, "evidence"),
                given,
            ) from None
        if kind in kinds:
            raise ChecklistDataError(
                f'the evidence "{given}" is named twice', (*path, "evidence"), given
            )
        kinds.append(kind)
    return tuple(kinds)


def _keys(table: Mapping[str, Any], allowed: frozenset[str], path: Path) -> None:
    for key in table:
        if key not in allowed:
            raise ChecklistDataError(
                f'"{key}" is not a key cosynth knows here; use: {", ".join(sorted(allowed))}',
                (*path, key),
            )


def _identifier(data: Mapping[str, Any]) -> str:
    value = _text(data, "id", ())
    if len(value) > MAX_ID or not _ID.fullmatch(value):
        raise ChecklistDataError(
            f'the id "{value}" must be letters, digits, "-", "_" or "." (at most {MAX_ID})',
            ("id",),
            value,
        )
    return value


def _text(table: Mapping[str, Any], key: str, path: Path, required: bool = True) -> str:
    value = table.get(key)
    if value is None:
        if required:
            raise ChecklistDataError(f'"{key}" is missing: give it as text', (*path, key))
        return ""
    if not isinstance(value, str):
        raise ChecklistDataError(f'"{key}" must be text in quotes', (*path, key), value)
    value = " ".join(value.split())
    if required and not value:
        raise ChecklistDataError(f'"{key}" is empty: give it as text', (*path, key))
    return value
