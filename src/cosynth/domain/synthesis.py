"""Meta-ethnography: phases, constructs, codings, translations, themes and interpretations.

The vocabulary is Noblit & Hare's (1988) as METHODS.md §5 gives it, and the
paper's (Methods, "Data analysis" and "Data translation and synthesis";
Findings, "Key themes" and "Translation and interpretation of themes").

- A *concept* is a construct in somebody's own terms: first-order (what the
  participants said), second-order (how a study's authors interpreted it),
  third-order (the review team's interpretation across studies). First- and
  second-order concepts belong to a study, or to an advisory-group roundtable
  (the paper coded the roundtable transcript "for key concepts"); third-order
  ones belong to the review.
- A *coding* ties a passage of text (a quote, a page of a full text, a
  stretch of a roundtable transcript) to a concept, so every concept traces
  back to where it was read.
- A *translation* relates concepts across studies: reciprocal (similar
  concepts merged into one, the mapping back to each study's own term kept),
  refutational (a contradiction, recorded with its explanation), or a line
  of argument (a new whole from parts that each describe an aspect).
- *Themes* form a hierarchy: category > theme > sub-theme (the paper's
  "design" and "transformation").
- *Interpretations* are the synthesis's new statements (the paper's three:
  narrow focus; co-delivery; sustainable person-centred services), made from
  themes and from the advisory group's translations.

Everything is append-only in the store (DESIGN.md rule 1); these values are
what the current state reads as.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum


class Phase(IntEnum):
    """Noblit & Hare's seven phases, numbered as they number them."""

    GETTING_STARTED = 1
    DECIDING_WHAT_IS_RELEVANT = 2
    READING_THE_STUDIES = 3
    DETERMINING_HOW_THE_STUDIES_ARE_RELATED = 4
    TRANSLATING_THE_STUDIES_INTO_ONE_ANOTHER = 5
    SYNTHESISING_TRANSLATIONS = 6
    EXPRESSING_THE_SYNTHESIS = 7

    @property
    def title(self) -> str:
        return PHASE_TITLES[self]


PHASE_TITLES: dict[Phase, str] = {
    Phase.GETTING_STARTED: "Getting started",
    Phase.DECIDING_WHAT_IS_RELEVANT: "Deciding what is relevant to the initial interest",
    Phase.READING_THE_STUDIES: "Reading the studies",
    Phase.DETERMINING_HOW_THE_STUDIES_ARE_RELATED: "Determining how the studies are related",
    Phase.TRANSLATING_THE_STUDIES_INTO_ONE_ANOTHER: "Translating the studies into one another",
    Phase.SYNTHESISING_TRANSLATIONS: "Synthesising translations",
    Phase.EXPRESSING_THE_SYNTHESIS: "Expressing the synthesis",
}


class PhaseEventKind(StrEnum):
    STARTED = "started"
    PRODUCED = "produced"  # something the phase produced: a note, a file, a decision
    COMPLETED = "completed"
    REOPENED = "reopened"


@dataclass(frozen=True, slots=True)
class PhaseEvent:
    """One entry of a review's phase log: what happened in a phase, when, and by whom."""

    id: int
    phase: Phase
    kind: PhaseEventKind
    text: str
    at: datetime
    actor: str


class ConstructOrder(StrEnum):
    # The values match `QuoteKind`'s, so a quote's kind is a concept's order.
    FIRST = "first-order"
    SECOND = "second-order"
    THIRD = "third-order"

    @property
    def description(self) -> str:
        return {
            ConstructOrder.FIRST: "participants' own accounts",
            ConstructOrder.SECOND: "the primary authors' interpretations",
            ConstructOrder.THIRD: "the review team's interpretations across studies",
        }[self]


class ConceptSource(StrEnum):
    """Whose terms a concept is in."""

    STUDY = "study"
    ROUNDTABLE = "roundtable"  # the advisory group's discussion (the paper's roundtable)
    REVIEW = "review"  # the review team's own (third-order)


@dataclass(frozen=True, slots=True)
class Concept:
    """A construct in somebody's own terms.

    `record_id` is the study's (None unless `source` is STUDY);
    `roundtable_id` the roundtable's (None unless `source` is ROUNDTABLE).
    """

    id: int
    name: str
    order: ConstructOrder
    source: ConceptSource
    description: str
    record_id: int | None
    roundtable_id: int | None
    added_by: str
    added_at: datetime


class PassageKind(StrEnum):
    QUOTE = "quote"  # a kept quotation (domain.quotes.Quote)
    REPORT = "report"  # a stretch of a full text's extracted page text
    TRANSCRIPT = "transcript"  # a stretch of a roundtable transcript


@dataclass(frozen=True, slots=True)
class Passage:
    """Where a coded piece of text lies.

    For a QUOTE, `source_id` is the quote's id and the span is within its
    text. For a REPORT, `source_id` is the report's id, `page_number` its PDF
    page, `page_label` the page as printed, and the span is within that
    page's text. For a TRANSCRIPT, `source_id` is the transcript's id,
    `page_number` the segment number and `page_label` its time or speaker
    turn. `start`/`end` are character offsets (end exclusive); `excerpt` is
    the text itself, kept so the coding still reads if the source changes.
    """

    kind: PassageKind
    source_id: int
    page_number: int | None
    page_label: str
    start: int
    end: int
    excerpt: str


@dataclass(frozen=True, slots=True)
class Coding:
    """A passage coded to a concept. `record_id` is the study it came from, if any."""

    id: int
    concept_id: int
    passage: Passage
    record_id: int | None
    note: str
    coded_by: str
    coded_at: datetime


class Relation(StrEnum):
    """How studies relate (Noblit & Hare's three kinds of synthesis)."""

    RECIPROCAL = "reciprocal"
    REFUTATIONAL = "refutational"
    LINE_OF_ARGUMENT = "line of argument"


@dataclass(frozen=True, slots=True)
class RelatingJudgement:
    """The team's judgement (phase 4) of how studies relate, with why.

    `record_ids` empty means the whole set of included studies.
    """

    id: int
    relation: Relation
    rationale: str
    record_ids: tuple[int, ...]
    judged_by: str
    judged_at: datetime


class OrderBasis(StrEnum):
    """How the order of translation was chosen; it must be reported (eMERGe 13)."""

    PUBLICATION_DATE = "publication date"  # the paper's choice
    COPRODUCTION_SCORE = "co-production score"
    BY_HAND = "by hand"


@dataclass(frozen=True, slots=True)
class TranslationOrder:
    """The index paper first, then the rest in the order the basis gives."""

    basis: OrderBasis
    index_record_id: int | None
    record_ids: tuple[int, ...]
    rationale: str
    set_by: str
    set_at: datetime


class Explanation(StrEnum):
    """Why two concepts contradict each other, in a refutational translation."""

    CONTEXT = "different contexts"
    COMPETING_THEORY = "competing theories"
    METHOD = "different methods"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Translation:
    """Concepts of several studies related to one another.

    Reciprocal: `from_concept_ids` (each study's concept, in its own terms)
    are merged into `into_concept_id`, a third-order concept. Refutational:
    the contradicting concepts, with `explanation` and `account` saying why.
    Line of argument: the parts, put together into `into_concept_id`.
    """

    id: int
    relation: Relation
    from_concept_ids: tuple[int, ...]
    into_concept_id: int | None
    explanation: Explanation | None
    account: str
    translated_by: str
    translated_at: datetime


@dataclass(frozen=True, slots=True)
class AlternativeInterpretation:
    """A reading the team considered and logged (not averaged away)."""

    id: int
    translation_id: int | None
    theme_id: int | None
    text: str
    by: str
    at: datetime


class ThemeLevel(StrEnum):
    CATEGORY = "category"
    THEME = "theme"
    SUB_THEME = "sub-theme"

    @property
    def child(self) -> ThemeLevel | None:
        """The level a child of this level has; sub-themes have none."""
        if self is ThemeLevel.CATEGORY:
            return ThemeLevel.THEME
        if self is ThemeLevel.THEME:
            return ThemeLevel.SUB_THEME
        return None


@dataclass(frozen=True, slots=True)
class Theme:
    """A node of the theme hierarchy, supported by concepts (and through them studies)."""

    id: int
    name: str
    level: ThemeLevel
    parent_id: int | None
    position: int
    description: str
    concept_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Interpretation:
    """A line-of-argument statement: a new interpretation the synthesis expresses."""

    id: int
    title: str
    statement: str
    position: int
    theme_ids: tuple[int, ...]
    concept_ids: tuple[int, ...]


class Resonance(StrEnum):
    """How a finding resonates with an adviser's experience (the paper's roundtable)."""

    AGREE = "agree"
    PARTLY = "partly"
    DISAGREE = "disagree"

    @property
    def plain(self) -> str:
        return {
            Resonance.AGREE: "This matches my experience",
            Resonance.PARTLY: "This partly matches my experience",
            Resonance.DISAGREE: "This does not match my experience",
        }[self]


class FindingKind(StrEnum):
    THEME = "theme"
    INTERPRETATION = "interpretation"


@dataclass(frozen=True, slots=True)
class ResonanceRecord:
    """An adviser's (or the group's) resonance with one finding, in their own words.

    `voice` names who spoke: an account's username, or an advisory-group
    member's name when the lead records it for them (e.g. from the roundtable).
    """

    id: int
    finding: FindingKind
    finding_id: int
    resonance: Resonance
    words: str
    voice: str
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class Support:
    """What one theme or interpretation rests on, traced back to the text."""

    concept_ids: tuple[int, ...]
    record_ids: tuple[int, ...]  # the studies, in the review's study order
    codings: tuple[Coding, ...]


class PhaseStatus(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    COMPLETED = "completed"


@dataclass(frozen=True, slots=True)
class PhaseState:
    """Where a review stands in one phase, read from its phase log."""

    phase: Phase
    status: PhaseStatus
    started_at: datetime | None
    completed_at: datetime | None
    events: tuple[PhaseEvent, ...]


@dataclass(frozen=True, slots=True)
class GridCell:
    """One study's own concept under a grid row: its term, and the pages it was coded on."""

    concept_id: int
    term: str
    codings: int
    pages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GridRow:
    """A row of the concept x study grid.

    `concept` is the third-order concept that studies' concepts were
    translated into, or a study's own concept not yet translated. `cells`
    maps a study's record id to its concepts under this row (empty: the
    study says nothing of it).
    """

    concept: Concept
    cells: dict[int, tuple[GridCell, ...]]


@dataclass(frozen=True, slots=True)
class ConceptGrid:
    """Concepts by studies (eMERGe 11-12: how the studies relate), studies in translation order."""

    studies: tuple[tuple[int, str], ...]  # (record id, label)
    rows: tuple[GridRow, ...]


@dataclass(frozen=True, slots=True)
class ThemeNode:
    """A theme with its children and what supports it (its own and its descendants')."""

    theme: Theme
    children: tuple[ThemeNode, ...]
    support: Support
