"""Rules for the meta-ethnography's first four phases: the phase log, concepts, the grid.

Noblit & Hare (1988) number seven phases; a review moves through them, and
back (France et al. 2019, eMERGe items 1-7 report each phase). The phase log
says what each phase produced, when and by whom. Reading the studies (phase
3) yields concepts in their own terms; determining how the studies are
related (phase 4) lays those concepts side by side, the paper's "grid" of
concepts by studies, with the studies in the order of translation.

Pure rules over `domain.synthesis` values; the services apply them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from cosynth.domain.synthesis import (
    Coding,
    Concept,
    ConceptGrid,
    ConceptSource,
    ConstructOrder,
    GridCell,
    GridRow,
    Phase,
    PhaseEvent,
    PhaseEventKind,
    PhaseState,
    PhaseStatus,
    Translation,
    translated_from,
)
from cosynth.errors import InputError

MAX_CONCEPT_NAME = 500

# -- the phase log


def phase_states_of(events: Iterable[PhaseEvent]) -> list[PhaseState]:
    """All seven phases in order, each read from its events (oldest first)."""
    by_phase: dict[Phase, list[PhaseEvent]] = {phase: [] for phase in Phase}
    for event in events:
        by_phase[event.phase].append(event)
    return [_state(phase, by_phase[phase]) for phase in Phase]


def _state(phase: Phase, events: list[PhaseEvent]) -> PhaseState:
    status = PhaseStatus.NOT_STARTED
    started_at = completed_at = None
    for event in events:
        if event.kind is PhaseEventKind.STARTED:
            status = PhaseStatus.IN_PROGRESS
            started_at = started_at or event.at
        elif event.kind is PhaseEventKind.COMPLETED:
            status = PhaseStatus.COMPLETED
            completed_at = event.at
        elif event.kind is PhaseEventKind.REOPENED:
            status = PhaseStatus.IN_PROGRESS
            completed_at = None
    return PhaseState(
        phase=phase,
        status=status,
        started_at=started_at,
        completed_at=completed_at,
        events=tuple(events),
    )


def check_phase_event(state: PhaseState, kind: PhaseEventKind, text: str) -> None:
    """Refuse an event that does not follow from where the phase stands.

    A phase is started once, completed when in progress, and reopened when
    completed (the phases overlap and are revisited: Noblit & Hare 1988;
    France et al. 2019); what it produced is logged while it is in progress.
    """
    title = f"Phase {state.phase.value} ({state.phase.title})"
    status = state.status
    if kind is PhaseEventKind.STARTED and status is not PhaseStatus.NOT_STARTED:
        hint = " reopen it instead" if status is PhaseStatus.COMPLETED else " it is in progress"
        raise InputError(f"{title} was started already;{hint}.")
    if kind is PhaseEventKind.COMPLETED and status is not PhaseStatus.IN_PROGRESS:
        raise InputError(
            f"{title} is {status.value}: only a phase in progress can be completed."
            + (" Start it first." if status is PhaseStatus.NOT_STARTED else "")
        )
    if kind is PhaseEventKind.REOPENED and status is not PhaseStatus.COMPLETED:
        raise InputError(f"{title} is {status.value}: only a completed phase can be reopened.")
    if kind is PhaseEventKind.PRODUCED:
        if status is not PhaseStatus.IN_PROGRESS:
            action = "Start" if status is PhaseStatus.NOT_STARTED else "Reopen"
            raise InputError(
                f"{title} is {status.value}: {action} it before logging what it produced."
            )
        if not text.strip():
            raise InputError(f"Say what {title} produced (a note, a file, a decision).")


# -- concepts


def check_concept(
    name: str,
    *,
    order: ConstructOrder,
    source: ConceptSource,
    record_id: int | None,
    roundtable_id: int | None,
) -> str:
    """The concept's name, tidied; or a refusal when its order and source do not fit.

    First- and second-order constructs are a study's (or the advisory
    group's roundtable's); third-order constructs are the review team's
    (Noblit & Hare 1988; METHODS.md §5).
    """
    tidy = " ".join(name.split())
    if not tidy:
        raise InputError("The concept has no name: give it the words its source uses.")
    if len(tidy) > MAX_CONCEPT_NAME:
        raise InputError(
            f"The concept's name is longer than {MAX_CONCEPT_NAME} characters; "
            "put the rest in its description."
        )
    if (order is ConstructOrder.THIRD) != (source is ConceptSource.REVIEW):
        raise InputError(
            "Third-order concepts are the review team's own, and the team's own concepts "
            f"are third-order: a {order.value} concept cannot be the {source.value}'s."
        )
    if source is ConceptSource.STUDY and record_id is None:
        raise InputError("Say which study the concept is from.")
    if source is ConceptSource.ROUNDTABLE and roundtable_id is None:
        raise InputError("Say which roundtable the concept is from.")
    if source is not ConceptSource.STUDY and record_id is not None:
        raise InputError(f"A {source.value}'s concept is not a study's: give no study.")
    if source is not ConceptSource.ROUNDTABLE and roundtable_id is not None:
        raise InputError(f"A {source.value}'s concept is not a roundtable's: give no roundtable.")
    return tidy


def same_owner(a: Concept, b: Concept) -> bool:
    """Both concepts are in the same source's terms: one study, one roundtable, or the review."""
    return (a.source, a.record_id, a.roundtable_id) == (b.source, b.record_id, b.roundtable_id)


# -- the order of translation


def by_publication_date(
    studies: Iterable[tuple[int, str, int | None]],
) -> list[int]:
    """Record ids of (record id, label, year) oldest first; no year last; ties by label.

    The paper translated "in chronological order by publication date"
    (Methods, Data translation and synthesis).
    """
    ordered = sorted(studies, key=lambda s: (s[2] is None, s[2] or 0, s[1].casefold(), s[0]))
    return [record_id for record_id, _, _ in ordered]


def index_first(record_ids: Sequence[int], index_record_id: int | None) -> tuple[int, ...]:
    """The order with the index paper moved to the front (Noblit & Hare 1988)."""
    if index_record_id is None:
        return tuple(record_ids)
    return (index_record_id, *(r for r in record_ids if r != index_record_id))


def kept_order(stored: Sequence[int], included: Sequence[int]) -> tuple[int, ...]:
    """An order as set, for the studies included now.

    Studies no longer included leave it; studies included since it was set
    follow, in the order `included` gives them.
    """
    present = set(included)
    kept = [r for r in stored if r in present]
    seen = set(kept)
    return (*kept, *(r for r in included if r not in seen))


# -- the concept x study grid


def build_concept_grid(
    studies: Sequence[tuple[int, str]],
    concepts: Iterable[Concept],
    codings: Iterable[Coding],
    translations: Iterable[Translation],
) -> ConceptGrid:
    """Concepts by studies: the team's own concepts first, each with the study concepts
    translated into it (through any line of argument built on them); then each
    study's concepts not yet translated, study by study in `studies`' order.

    `studies` are the columns, in translation order. Concepts of studies not
    among them (excluded since) and roundtable concepts have no column and
    appear in no cell; a refutational translation merges nothing, so its
    concepts stay rows of their own.
    """
    translations = list(translations)
    columns = {record_id for record_id, _ in studies}
    column_order = {record_id: i for i, (record_id, _) in enumerate(studies)}
    every = {concept.id: concept for concept in concepts}
    coded: dict[int, list[Coding]] = {}
    for coding in codings:
        coded.setdefault(coding.concept_id, []).append(coding)

    def cell(concept: Concept) -> GridCell:
        mine = coded.get(concept.id, [])
        pages: list[str] = []
        for coding in mine:
            page = coding.passage.page_label
            if page and page not in pages:
                pages.append(page)
        return GridCell(
            concept_id=concept.id, term=concept.name, codings=len(mine), pages=tuple(pages)
        )

    rows: list[GridRow] = []
    translated: set[int] = set()
    for concept in sorted(every.values(), key=lambda c: c.id):
        if concept.source is not ConceptSource.REVIEW:
            continue
        cells: dict[int, list[GridCell]] = {}
        for part_id in translated_from(concept.id, translations):
            part = every.get(part_id)
            if part is None or part.source is ConceptSource.REVIEW:
                continue
            translated.add(part.id)
            if part.record_id in columns and part.record_id is not None:
                cells.setdefault(part.record_id, []).append(cell(part))
        rows.append(GridRow(concept=concept, cells=_in_columns(cells, column_order)))
    own = [
        c
        for c in every.values()
        if c.source is ConceptSource.STUDY and c.record_id in columns and c.id not in translated
    ]
    own.sort(key=lambda c: (column_order[c.record_id or 0], c.id))
    for concept in own:
        assert concept.record_id is not None
        rows.append(GridRow(concept=concept, cells={concept.record_id: (cell(concept),)}))
    return ConceptGrid(studies=tuple(studies), rows=tuple(rows))


def _in_columns(
    cells: Mapping[int, list[GridCell]], column_order: Mapping[int, int]
) -> dict[int, tuple[GridCell, ...]]:
    """Studies in column order; a study's concepts under one row in the order they were noted."""
    return {
        record_id: tuple(sorted(cells[record_id], key=lambda cell: cell.concept_id))
        for record_id in sorted(cells, key=lambda r: column_order[r])
    }
