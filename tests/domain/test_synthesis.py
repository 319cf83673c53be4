"""The rules of reading and relating: the phase log, concepts' order and source, the grid."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cosynth.domain.reading import (
    build_concept_grid,
    by_publication_date,
    check_concept,
    index_first,
    kept_order,
    phase_states_of,
)
from cosynth.domain.synthesis import (
    Coding,
    Concept,
    ConceptSource,
    ConstructOrder,
    Explanation,
    GridCell,
    Passage,
    PassageKind,
    Phase,
    PhaseEvent,
    PhaseEventKind,
    PhaseStatus,
    Relation,
    Translation,
)
from cosynth.errors import InputError

AT = datetime(2024, 3, 1, tzinfo=UTC)


def _concept(
    id: int, name: str, *, record_id: int | None = None, order: ConstructOrder | None = None
) -> Concept:
    third = record_id is None
    return Concept(
        id=id,
        name=name,
        order=order or (ConstructOrder.THIRD if third else ConstructOrder.FIRST),
        source=ConceptSource.REVIEW if third else ConceptSource.STUDY,
        description="",
        record_id=record_id,
        roundtable_id=None,
        added_by="bob",
        added_at=AT,
    )


def _coding(id: int, concept_id: int, page: str) -> Coding:
    return Coding(
        id=id,
        concept_id=concept_id,
        passage=Passage(PassageKind.QUOTE, 1, None, page, 0, 4, "text"),
        record_id=None,
        note="",
        coded_by="bob",
        coded_at=AT,
    )


def _translation(
    id: int, relation: Relation, parts: tuple[int, ...], into: int | None
) -> Translation:
    return Translation(
        id=id,
        relation=relation,
        from_concept_ids=parts,
        into_concept_id=into,
        explanation=Explanation.CONTEXT if relation is Relation.REFUTATIONAL else None,
        account="",
        translated_by="alice",
        translated_at=AT,
    )


def test_it_reads_each_phase_from_its_events() -> None:
    def event(id: int, kind: PhaseEventKind, phase: Phase = Phase.GETTING_STARTED) -> PhaseEvent:
        return PhaseEvent(id, phase, kind, "", AT.replace(day=id), "alice")

    states = phase_states_of(
        [
            event(1, PhaseEventKind.STARTED),
            event(2, PhaseEventKind.COMPLETED),
            event(3, PhaseEventKind.REOPENED),
            event(4, PhaseEventKind.STARTED, Phase.READING_THE_STUDIES),
        ]
    )
    assert [s.status for s in states[:3]] == [
        PhaseStatus.IN_PROGRESS,
        PhaseStatus.NOT_STARTED,
        PhaseStatus.IN_PROGRESS,
    ]
    assert (states[0].started_at, states[0].completed_at) == (AT.replace(day=1), None)


def test_it_ties_a_concepts_order_to_its_source() -> None:
    assert (
        check_concept(
            " shift  in power ",
            order=ConstructOrder.SECOND,
            source=ConceptSource.STUDY,
            record_id=3,
            roundtable_id=None,
        )
        == "shift in power"
    )
    with pytest.raises(InputError, match="not a study's"):
        check_concept(
            "ours",
            order=ConstructOrder.FIRST,
            source=ConceptSource.ROUNDTABLE,
            record_id=3,
            roundtable_id=1,
        )
    with pytest.raises(InputError, match="which roundtable"):
        check_concept(
            "ours",
            order=ConstructOrder.FIRST,
            source=ConceptSource.ROUNDTABLE,
            record_id=None,
            roundtable_id=None,
        )
    with pytest.raises(InputError, match="no name"):
        check_concept(
            "  ",
            order=ConstructOrder.THIRD,
            source=ConceptSource.REVIEW,
            record_id=None,
            roundtable_id=None,
        )


def test_it_orders_by_publication_date_then_label_with_the_index_paper_first() -> None:
    ordered = by_publication_date(
        [(1, "Vennik 2016", 2016), (2, "Hughes 2018", 2018), (3, "Robert 2015", 2015),
         (4, "Anon", None), (5, "Lyons 2016", 2016)]
    )  # fmt: skip
    assert ordered == [3, 5, 1, 2, 4]
    assert index_first(ordered, 2) == (2, 3, 5, 1, 4)
    assert index_first(ordered, None) == tuple(ordered)


def test_it_keeps_an_order_set_for_the_studies_included_now() -> None:
    # Study 5 was excluded after the order was set; 6 was included since.
    assert kept_order([3, 5, 1, 2], [1, 2, 3, 6]) == (3, 1, 2, 6)


def test_it_lays_out_concepts_by_studies_in_translation_order() -> None:
    design = _concept(1, "person-centred design")
    whole = _concept(2, "co-delivery as a new whole")
    listened = _concept(3, "being listened to", record_id=10)
    heard = _concept(4, "being heard", record_id=20)
    power = _concept(5, "shift in power", record_id=20, order=ConstructOrder.SECOND)
    clash = _concept(6, "staff resist", record_id=10)
    excluded = _concept(7, "from a study excluded since", record_id=30)
    grid = build_concept_grid(
        [(20, "Hughes 2018"), (10, "Vennik 2016")],
        [design, whole, listened, heard, power, clash, excluded],
        [_coding(1, 3, "242"), _coding(2, 3, "243"), _coding(3, 3, "242"), _coding(4, 4, "")],
        [
            _translation(1, Relation.RECIPROCAL, (3, 4), 1),
            _translation(2, Relation.LINE_OF_ARGUMENT, (1, 5), 2),
            _translation(3, Relation.REFUTATIONAL, (6, 5), None),
        ],
    )
    assert grid.studies == ((20, "Hughes 2018"), (10, "Vennik 2016"))
    assert [row.concept.name for row in grid.rows] == [
        "person-centred design",
        "co-delivery as a new whole",
        "staff resist",  # refutation merges nothing: the study's own row
    ]
    first, second, _ = grid.rows
    assert list(first.cells) == [20, 10]
    assert first.cells[10] == (GridCell(3, "being listened to", 3, ("242", "243")),)
    assert first.cells[20] == (GridCell(4, "being heard", 1, ()),)  # coded, no page
    # The line of argument reaches each study's terms through the reciprocal translation.
    assert [c.term for c in second.cells[20]] == ["being heard", "shift in power"]
    assert [c.term for c in second.cells[10]] == ["being listened to"]
