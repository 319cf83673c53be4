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

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum

from cosynth.errors import InputError


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


# --- Rules of translating and synthesising (helper "translating", issue 7) ---


def source_key(concept: Concept) -> tuple[str, int]:
    """Whose terms a study's or roundtable's concept is in: one study, or one roundtable."""
    if concept.source is ConceptSource.STUDY and concept.record_id is not None:
        return ("study", concept.record_id)
    if concept.source is ConceptSource.ROUNDTABLE and concept.roundtable_id is not None:
        return ("roundtable", concept.roundtable_id)
    return ("review", concept.id)


def translated_from(concept_id: int, translations: Iterable[Translation]) -> tuple[int, ...]:
    """The concepts merged (reciprocally, or as parts of a line of argument) into `concept_id`.

    Followed down through third-order concepts that were themselves made
    from others, so a line of argument built on reciprocal translations
    reaches back to each study's own terms (Noblit & Hare 1988: a line of
    argument puts the reciprocal translations together). The concept itself
    is not included; each concept appears once, in the order first reached.
    """
    into: dict[int, list[int]] = {}
    for translation in translations:
        if translation.into_concept_id is not None and translation.relation in MERGING:
            into.setdefault(translation.into_concept_id, []).extend(translation.from_concept_ids)
    found: list[int] = []
    seen = {concept_id}
    waiting = list(into.get(concept_id, ()))
    while waiting:
        current = waiting.pop(0)
        if current in seen:
            continue
        seen.add(current)
        found.append(current)
        waiting.extend(into.get(current, ()))
    return tuple(found)


# Reciprocal translation and a line of argument put concepts into a third-order
# one; refutational translation keeps the contradicting concepts apart.
MERGING = frozenset({Relation.RECIPROCAL, Relation.LINE_OF_ARGUMENT})


def check_translation(
    relation: Relation,
    concepts: Sequence[Concept],
    *,
    sources: Mapping[int, frozenset[tuple[str, int]]],
    into: Concept | None = None,
    explanation: Explanation | None = None,
    account: str = "",
) -> None:
    """Refuse a translation the method does not allow, saying what is missing.

    - Every translation relates concepts of at least two different studies
      or sources (a roundtable counts as a source): translation is *between*
      accounts (Noblit & Hare 1988, phase 5). `sources` gives each concept's
      sources; for a third-order concept, those of the concepts made into it.
    - Reciprocal translation matches the studies' own concepts, so none of
      them may be third-order; it and a line of argument need a third-order
      concept to put them into, which may not be one of them.
    - Refutational translation keeps the contradicting concepts apart (no
      `into`) and needs its explanation and an account of the contradiction,
      "explaining rather than averaging away" (METHODS.md §5).
    """
    name = relation.value
    if len(concepts) < 2:
        raise InputError(
            f"A {name} translation relates at least two concepts; "
            f"{len(concepts)} {'was' if len(concepts) == 1 else 'were'} given."
        )
    every: set[tuple[str, int]] = set()
    for concept in concepts:
        every |= sources.get(concept.id, frozenset({source_key(concept)}))
    if len(every) < 2:
        raise InputError(
            f"The concepts of a {name} translation must come from at least two different "
            "studies or sources; these all come from one. Add a concept from another study "
            "or from the roundtable."
        )
    if relation is Relation.REFUTATIONAL:
        if into is not None:
            raise InputError(
                "A refutational translation keeps the contradicting concepts apart; "
                "it is not put into a new concept."
            )
        if explanation is None:
            raise InputError(
                "Say why the concepts contradict each other (different contexts, competing "
                "theories, different methods, or other)."
            )
        if not account.strip():
            raise InputError(
                "A refutational translation needs an account: explain the contradiction in "
                "your own words rather than averaging it away."
            )
        return
    if explanation is not None:
        raise InputError(
            f"An explanation of a contradiction belongs to a refutational translation, "
            f"not a {name} one."
        )
    if relation is Relation.RECIPROCAL:
        third = [c.name for c in concepts if c.order is ConstructOrder.THIRD]
        if third:
            raise InputError(
                "Reciprocal translation matches the studies' own concepts; "
                f"{_listed(third)} {'is' if len(third) == 1 else 'are'} the review's own "
                "(third-order). Use a line of argument to build on them."
            )
    if into is None:
        raise InputError(f"Say which third-order concept the {name} translation is put into.")
    if into.order is not ConstructOrder.THIRD:
        raise InputError(
            f"{into.name!r} is a {into.order.value} concept; concepts are translated into "
            "a third-order one (the review team's interpretation across studies)."
        )
    if any(c.id == into.id for c in concepts):
        raise InputError(f"{into.name!r} cannot be translated into itself.")


def check_theme_parent(level: ThemeLevel, parent: Theme | None) -> None:
    """Categories stand alone; a theme sits under a category, a sub-theme under a theme.

    The paper's Figure 3: two categories (design, transformation), each with
    themes, some with sub-themes.
    """
    if level is ThemeLevel.CATEGORY:
        if parent is not None:
            raise InputError(
                f"A category is the top of the hierarchy; it cannot sit under {parent.name!r}."
            )
        return
    wanted = ThemeLevel.CATEGORY if level is ThemeLevel.THEME else ThemeLevel.THEME
    if parent is None:
        raise InputError(f"A {level.value} sits under a {wanted.value}: say which one.")
    if parent.level is not wanted:
        raise InputError(
            f"A {level.value} sits under a {wanted.value}; {parent.name!r} is a "
            f"{parent.level.value}."
        )


def check_move(themes: Mapping[int, Theme], theme_id: int, parent_id: int) -> None:
    """Refuse a move that would put a theme under itself or under one of its own descendants.

    The level rule alone already forbids it (a parent is one level up); this
    says so in plain words, and guards the tree if levels ever change.
    """
    current: int | None = parent_id
    while current is not None:
        if current == theme_id:
            name = themes[theme_id].name
            raise InputError(f"{name!r} cannot be moved under itself or one of its own parts.")
        parent = themes.get(current)
        current = parent.parent_id if parent is not None else None
    check_theme_parent(themes[theme_id].level, themes[parent_id])


def placed(siblings: Sequence[int], theme_id: int, position: int | None) -> list[int]:
    """The siblings' order with `theme_id` at `position` (1-based; None or past the end: last)."""
    rest = [sibling for sibling in siblings if sibling != theme_id]
    if position is None or position > len(rest):
        return [*rest, theme_id]
    if position < 1:
        raise InputError(f"A position counts from 1; {position} is not one.")
    return [*rest[: position - 1], theme_id, *rest[position - 1 :]]


def ordered_themes(themes: Iterable[Theme]) -> list[Theme]:
    """Every theme in tree order: each category, its themes, each followed by its sub-themes."""
    children: dict[int | None, list[Theme]] = {}
    for theme in themes:
        children.setdefault(theme.parent_id, []).append(theme)
    for siblings in children.values():
        siblings.sort(key=lambda t: (t.position, t.id))
    ordered: list[Theme] = []

    def visit(parent_id: int | None) -> None:
        for theme in children.get(parent_id, ()):
            ordered.append(theme)
            visit(theme.id)

    visit(None)
    return ordered


def support_of(
    concept_ids: Iterable[int],
    *,
    concepts: Mapping[int, Concept],
    translations: Sequence[Translation],
    codings: Iterable[Coding],
    study_order: Sequence[int],
) -> Support:
    """What a set of concepts rests on: themselves, the concepts translated into them,
    their codings, and the studies all of these come from, in the review's study order."""
    wanted: list[int] = []
    for concept_id in concept_ids:
        for found in (concept_id, *translated_from(concept_id, translations)):
            if found not in wanted:
                wanted.append(found)
    chosen = set(wanted)
    kept = tuple(coding for coding in codings if coding.concept_id in chosen)
    records = {c.record_id for i in wanted if (c := concepts.get(i)) and c.record_id is not None}
    records |= {coding.record_id for coding in kept if coding.record_id is not None}
    return Support(
        concept_ids=tuple(wanted),
        record_ids=_in_order(records, study_order),
        codings=_codings_in_order(kept, study_order),
    )


def merged_support(supports: Iterable[Support], study_order: Sequence[int]) -> Support:
    """One support from several (a theme's own and its descendants')."""
    concept_ids: list[int] = []
    records: set[int] = set()
    codings: dict[int, Coding] = {}
    for support in supports:
        concept_ids.extend(i for i in support.concept_ids if i not in concept_ids)
        records.update(support.record_ids)
        for coding in support.codings:
            codings.setdefault(coding.id, coding)
    return Support(
        concept_ids=tuple(concept_ids),
        record_ids=_in_order(records, study_order),
        codings=_codings_in_order(codings.values(), study_order),
    )


def build_theme_tree(
    themes: Iterable[Theme], own: Mapping[int, Support], study_order: Sequence[int]
) -> list[ThemeNode]:
    """The categories in position order, each with its children; a node's support is its own
    and all its descendants' (a category rests on everything its themes rest on)."""
    children: dict[int | None, list[Theme]] = {}
    for theme in themes:
        children.setdefault(theme.parent_id, []).append(theme)

    def node(theme: Theme) -> ThemeNode:
        below = tuple(node(child) for child in _sorted(children.get(theme.id, [])))
        empty = Support(concept_ids=(), record_ids=(), codings=())
        support = merged_support(
            [own.get(theme.id, empty), *(child.support for child in below)], study_order
        )
        return ThemeNode(theme=theme, children=below, support=support)

    return [node(theme) for theme in _sorted(children.get(None, []))]


def walk(nodes: Iterable[ThemeNode]) -> Iterator[ThemeNode]:
    """Every node of a theme tree, parents before their children."""
    for node in nodes:
        yield node
        yield from walk(node.children)


@dataclass(frozen=True, slots=True)
class PlainQuote:
    """A supporting quotation as an adviser reads it: the words and where they are from."""

    text: str
    citation: str  # "[Smith 2019: 241]"


@dataclass(frozen=True, slots=True)
class PlainFinding:
    """A theme or interpretation in plain words, for the advisers' page (the paper's roundtable).

    `level` is the theme's level (None for an interpretation) and `depth` its
    depth in the tree (0 for a category or an interpretation); `quotes` are at
    most three supporting quotations; `studies` the supporting studies'
    labels; `my_resonance` and `my_words` the viewer's own latest resonance.
    """

    finding: FindingKind
    finding_id: int
    name: str
    description: str
    level: ThemeLevel | None
    depth: int
    parent_id: int | None
    quotes: tuple[PlainQuote, ...]
    studies: tuple[str, ...]
    my_resonance: Resonance | None
    my_words: str


def latest_resonances(
    records: Iterable[ResonanceRecord],
) -> dict[tuple[FindingKind, int, str], ResonanceRecord]:
    """Each voice's latest resonance with each finding: a change of mind supersedes."""
    latest: dict[tuple[FindingKind, int, str], ResonanceRecord] = {}
    for record in sorted(records, key=lambda r: (r.recorded_at, r.id)):
        latest[(record.finding, record.finding_id, record.voice)] = record
    return latest


def _sorted(themes: list[Theme]) -> list[Theme]:
    return sorted(themes, key=lambda t: (t.position, t.id))


def _in_order(record_ids: Iterable[int], study_order: Sequence[int]) -> tuple[int, ...]:
    rank = {record_id: index for index, record_id in enumerate(study_order)}
    return tuple(sorted(set(record_ids), key=lambda r: (rank.get(r, len(rank)), r)))


def _codings_in_order(codings: Iterable[Coding], study_order: Sequence[int]) -> tuple[Coding, ...]:
    rank = {record_id: index for index, record_id in enumerate(study_order)}
    last = len(rank)
    return tuple(
        sorted(
            codings,
            key=lambda c: (rank.get(c.record_id, last) if c.record_id is not None else last, c.id),
        )
    )


def _listed(names: Sequence[str]) -> str:
    quoted = [repr(name) for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
