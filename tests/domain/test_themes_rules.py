"""The rules of translating and synthesising, as pure functions (Noblit & Hare 1988, phases 5-6)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cosynth.domain.synthesis import (
    Coding,
    Concept,
    ConceptSource,
    ConstructOrder,
    Explanation,
    FindingKind,
    Passage,
    PassageKind,
    Relation,
    Resonance,
    ResonanceRecord,
    Support,
    Theme,
    ThemeLevel,
    Translation,
    build_theme_tree,
    check_move,
    check_theme_parent,
    check_translation,
    latest_resonances,
    ordered_themes,
    placed,
    support_of,
    translated_from,
    walk,
)
from cosynth.errors import InputError

AT = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


def concept(
    id: int,
    name: str,
    *,
    record_id: int | None = None,
    roundtable_id: int | None = None,
    order: ConstructOrder = ConstructOrder.SECOND,
) -> Concept:
    if record_id is not None:
        source = ConceptSource.STUDY
    elif roundtable_id is not None:
        source = ConceptSource.ROUNDTABLE
    else:
        source, order = ConceptSource.REVIEW, ConstructOrder.THIRD
    return Concept(
        id=id,
        name=name,
        order=order,
        source=source,
        description="",
        record_id=record_id,
        roundtable_id=roundtable_id,
        added_by="bob",
        added_at=AT,
    )


EMPATHY = concept(1, "empathy in design", record_id=22)
EXPERTISE = concept(2, "lived expertise as a resource", record_id=49)
INEQUALITY = concept(3, "reducing health inequalities", record_id=47)
SAME_STUDY = concept(4, "service users as experts", record_id=22)
ROUNDTABLE = concept(5, "being listened to", roundtable_id=1)
PERSON_CENTRED = concept(10, "person-centred design")
CODELIVERY = concept(11, "co-delivery")


def translation(
    id: int, relation: Relation, froms: tuple[int, ...], into: int | None
) -> Translation:
    return Translation(
        id=id,
        relation=relation,
        from_concept_ids=froms,
        into_concept_id=into,
        explanation=None,
        account="",
        translated_by="bob",
        translated_at=AT,
    )


def theme(id: int, name: str, level: ThemeLevel, parent: int | None, position: int) -> Theme:
    return Theme(
        id=id,
        name=name,
        level=level,
        parent_id=parent,
        position=position,
        description="",
        concept_ids=(),
    )


def coding(id: int, concept_id: int, record_id: int | None) -> Coding:
    passage = Passage(
        kind=PassageKind.QUOTE,
        source_id=id,
        page_number=None,
        page_label="241",
        start=0,
        end=5,
        excerpt="words",
    )
    return Coding(
        id=id,
        concept_id=concept_id,
        passage=passage,
        record_id=record_id,
        note="",
        coded_by="bob",
        coded_at=AT,
    )


def test_it_lets_concepts_of_two_studies_be_translated_reciprocally() -> None:
    check_translation(Relation.RECIPROCAL, [EMPATHY, EXPERTISE], sources={}, into=PERSON_CENTRED)


def test_it_counts_a_roundtable_as_a_source_of_its_own() -> None:
    check_translation(
        Relation.LINE_OF_ARGUMENT, [EMPATHY, ROUNDTABLE], sources={}, into=PERSON_CENTRED
    )


def test_it_refuses_a_reciprocal_translation_within_one_study() -> None:
    with pytest.raises(InputError, match="at least two different studies or sources"):
        check_translation(
            Relation.RECIPROCAL, [EMPATHY, SAME_STUDY], sources={}, into=PERSON_CENTRED
        )


def test_it_refuses_a_translation_of_one_concept() -> None:
    with pytest.raises(InputError, match="at least two concepts; 1 was given"):
        check_translation(Relation.RECIPROCAL, [EMPATHY], sources={}, into=PERSON_CENTRED)


def test_it_keeps_third_order_concepts_out_of_a_reciprocal_translation() -> None:
    sources = {PERSON_CENTRED.id: frozenset({("study", 22), ("study", 49)})}
    with pytest.raises(InputError, match="'person-centred design' is the review's own"):
        check_translation(
            Relation.RECIPROCAL, [PERSON_CENTRED, INEQUALITY], sources=sources, into=CODELIVERY
        )


def test_it_lets_a_line_of_argument_build_on_third_order_concepts_from_their_studies() -> None:
    sources = {
        PERSON_CENTRED.id: frozenset({("study", 22), ("study", 49)}),
        CODELIVERY.id: frozenset({("study", 22)}),
    }
    into = concept(12, "sustainable person-centred services")
    check_translation(
        Relation.LINE_OF_ARGUMENT, [PERSON_CENTRED, CODELIVERY], sources=sources, into=into
    )


def test_it_needs_a_third_order_concept_to_translate_into_and_not_one_of_the_parts() -> None:
    with pytest.raises(InputError, match="Say which third-order concept"):
        check_translation(Relation.RECIPROCAL, [EMPATHY, EXPERTISE], sources={})
    with pytest.raises(InputError, match="is a second-order concept"):
        check_translation(Relation.RECIPROCAL, [EMPATHY, EXPERTISE], sources={}, into=INEQUALITY)
    sources = {PERSON_CENTRED.id: frozenset({("study", 22)})}
    with pytest.raises(InputError, match="cannot be translated into itself"):
        check_translation(
            Relation.LINE_OF_ARGUMENT,
            [PERSON_CENTRED, EXPERTISE],
            sources=sources,
            into=PERSON_CENTRED,
        )


def test_it_asks_a_refutational_translation_for_its_explanation_and_account() -> None:
    with pytest.raises(InputError, match="Say why the concepts contradict"):
        check_translation(Relation.REFUTATIONAL, [EMPATHY, EXPERTISE], sources={}, account="x")
    with pytest.raises(InputError, match="needs an account"):
        check_translation(
            Relation.REFUTATIONAL,
            [EMPATHY, EXPERTISE],
            sources={},
            explanation=Explanation.CONTEXT,
            account="  ",
        )
    check_translation(
        Relation.REFUTATIONAL,
        [EMPATHY, EXPERTISE],
        sources={},
        explanation=Explanation.CONTEXT,
        account="The integrated care system worked at a scale the projects did not.",
    )


def test_it_keeps_an_explanation_to_refutational_translations() -> None:
    with pytest.raises(InputError, match="belongs to a refutational translation"):
        check_translation(
            Relation.RECIPROCAL,
            [EMPATHY, EXPERTISE],
            sources={},
            into=PERSON_CENTRED,
            explanation=Explanation.CONTEXT,
        )


def test_it_follows_translations_back_to_each_studys_own_terms() -> None:
    made = [
        translation(1, Relation.RECIPROCAL, (1, 2), 10),
        translation(2, Relation.LINE_OF_ARGUMENT, (10, 5), 12),
        translation(3, Relation.REFUTATIONAL, (3, 4), None),
    ]
    assert translated_from(12, made) == (10, 5, 1, 2)
    assert translated_from(10, made) == (1, 2)
    assert translated_from(3, made) == ()


def test_it_places_a_category_alone_a_theme_under_a_category_a_sub_theme_under_a_theme() -> None:
    design = theme(1, "Design", ThemeLevel.CATEGORY, None, 1)
    person = theme(2, "Person-centred design", ThemeLevel.THEME, 1, 1)
    check_theme_parent(ThemeLevel.CATEGORY, None)
    check_theme_parent(ThemeLevel.THEME, design)
    check_theme_parent(ThemeLevel.SUB_THEME, person)
    with pytest.raises(InputError, match="cannot sit under 'Design'"):
        check_theme_parent(ThemeLevel.CATEGORY, design)
    with pytest.raises(InputError, match="A theme sits under a category: say which one"):
        check_theme_parent(ThemeLevel.THEME, None)
    with pytest.raises(InputError, match="'Design' is a category"):
        check_theme_parent(ThemeLevel.SUB_THEME, design)


def test_it_refuses_to_move_a_theme_under_itself() -> None:
    themes = {
        1: theme(1, "Design", ThemeLevel.CATEGORY, None, 1),
        2: theme(2, "Transformation", ThemeLevel.CATEGORY, None, 2),
        3: theme(3, "Collaboration", ThemeLevel.THEME, 1, 1),
        4: theme(4, "Equity", ThemeLevel.SUB_THEME, 3, 1),
    }
    check_move(themes, 3, 2)
    with pytest.raises(InputError, match="cannot be moved under itself"):
        check_move(themes, 3, 3)
    with pytest.raises(InputError, match="cannot be moved under itself"):
        check_move(themes, 3, 4)
    with pytest.raises(InputError, match="A sub-theme sits under a theme"):
        check_move(themes, 4, 1)


def test_it_places_a_theme_among_its_siblings() -> None:
    assert placed([1, 2, 3], 3, 1) == [3, 1, 2]
    assert placed([1, 2, 3], 1, 2) == [2, 1, 3]
    assert placed([1, 2], 9, None) == [1, 2, 9]
    assert placed([1, 2], 9, 7) == [1, 2, 9]
    with pytest.raises(InputError, match="counts from 1"):
        placed([1, 2], 1, 0)


def test_it_puts_themes_in_tree_order() -> None:
    themes = [
        theme(5, "Structure", ThemeLevel.THEME, 2, 1),
        theme(2, "Transformation", ThemeLevel.CATEGORY, None, 2),
        theme(3, "Innovative planning", ThemeLevel.THEME, 1, 2),
        theme(1, "Design", ThemeLevel.CATEGORY, None, 1),
        theme(4, "Person-centred design", ThemeLevel.THEME, 1, 1),
    ]
    assert [t.id for t in ordered_themes(themes)] == [1, 4, 3, 2, 5]


def test_it_gathers_a_themes_support_from_the_concepts_translated_into_it() -> None:
    concepts = {c.id: c for c in (EMPATHY, EXPERTISE, INEQUALITY, PERSON_CENTRED)}
    made = [translation(1, Relation.RECIPROCAL, (1, 2), 10)]
    codings = [coding(1, 1, 22), coding(2, 2, 49), coding(3, 3, 47), coding(4, 10, None)]
    support = support_of(
        [10], concepts=concepts, translations=made, codings=codings, study_order=[49, 47, 22]
    )
    assert support.concept_ids == (10, 1, 2)
    assert support.record_ids == (49, 22)  # the review's study order, not the ids'
    assert [c.id for c in support.codings] == [2, 1, 4]


def test_it_includes_the_descendants_support_in_a_parents() -> None:
    themes = [
        theme(1, "Design", ThemeLevel.CATEGORY, None, 1),
        theme(2, "Person-centred design", ThemeLevel.THEME, 1, 1),
        theme(3, "Collaboration", ThemeLevel.THEME, 1, 2),
        theme(4, "Equity", ThemeLevel.SUB_THEME, 3, 1),
    ]
    own = {
        2: Support(concept_ids=(10,), record_ids=(22,), codings=(coding(1, 10, 22),)),
        4: Support(concept_ids=(11, 10), record_ids=(47, 22), codings=(coding(1, 10, 22),)),
    }
    (design,) = build_theme_tree(themes, own, study_order=[47, 22])
    assert [node.theme.id for node in walk([design])] == [1, 2, 3, 4]
    collaboration = design.children[1]
    assert collaboration.support.concept_ids == (11, 10)
    assert design.support.concept_ids == (10, 11)
    assert design.support.record_ids == (47, 22)
    assert [c.id for c in design.support.codings] == [1]


def test_it_takes_each_voices_latest_resonance() -> None:
    def said(id: int, voice: str, resonance: Resonance) -> ResonanceRecord:
        return ResonanceRecord(
            id=id,
            finding=FindingKind.THEME,
            finding_id=7,
            resonance=resonance,
            words="",
            voice=voice,
            recorded_by=voice,
            recorded_at=AT,
        )

    latest = latest_resonances(
        [
            said(3, "pat", Resonance.AGREE),
            said(1, "pat", Resonance.DISAGREE),
            said(2, "sam", Resonance.PARTLY),
        ]
    )
    assert latest[(FindingKind.THEME, 7, "pat")].resonance is Resonance.AGREE
    assert latest[(FindingKind.THEME, 7, "sam")].resonance is Resonance.PARTLY
