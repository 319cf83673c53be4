"""The theme tree written out as Markdown and JSON, from values the services computed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from cosynth.domain.synthesis import (
    Coding,
    Concept,
    ConceptSource,
    ConstructOrder,
    Interpretation,
    Passage,
    PassageKind,
    Support,
    Theme,
    ThemeLevel,
    ThemeNode,
)
from cosynth.formats.theme_tree import write_theme_tree_json, write_theme_tree_markdown

AT = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
STUDIES = {22: "Smith 2019", 49: "Van Deventer 2021"}


def coding(id: int, record_id: int) -> Coding:
    passage = Passage(PassageKind.QUOTE, id, 1, "241", 0, 4, "word")
    return Coding(id, 10, passage, record_id, "", "bob", AT)


def theme(id: int, name: str, level: ThemeLevel, parent: int | None) -> Theme:
    return Theme(id, name, level, parent, 1, "", (10,))


def support(*codings: Coding) -> Support:
    records = tuple(dict.fromkeys(c.record_id for c in codings if c.record_id is not None))
    return Support(concept_ids=(10,), record_ids=records, codings=codings)


def the_tree() -> list[ThemeNode]:
    person = ThemeNode(
        theme(2, "Person-centred *design*", ThemeLevel.THEME, 1),
        (ThemeNode(theme(3, "Empathy", ThemeLevel.SUB_THEME, 2), (), support(coding(1, 22))),),
        support(coding(1, 22), coding(2, 49)),
    )
    return [ThemeNode(theme(1, "Design", ThemeLevel.CATEGORY, None), (person,), person.support)]


CITATIONS = {1: "[Smith 2019: 241]", 2: "[Van Deventer 2021: 10]"}


def test_it_nests_categories_themes_and_sub_themes_with_studies_and_citations() -> None:
    text = write_theme_tree_markdown(the_tree(), studies=STUDIES, citations=CITATIONS)
    assert text == (
        "# Theme tree\n"
        "\n"
        "- Design (category)\\\n"
        "  Studies: Smith 2019; Van Deventer 2021\\\n"
        "  Quotes: [Smith 2019: 241] [Van Deventer 2021: 10]\n"
        "  - Person-centred \\*design\\* (theme)\\\n"
        "    Studies: Smith 2019; Van Deventer 2021\\\n"
        "    Quotes: [Smith 2019: 241] [Van Deventer 2021: 10]\n"
        "    - Empathy (sub-theme)\\\n"
        "      Studies: Smith 2019\\\n"
        "      Quotes: [Smith 2019: 241]\n"
    )


def test_it_says_when_there_is_nothing_yet() -> None:
    empty = ThemeNode(theme(1, "Design", ThemeLevel.CATEGORY, None), (), Support((), (), ()))
    assert write_theme_tree_markdown([], studies={}, citations={}).endswith("No themes yet.\n")
    text = write_theme_tree_markdown([empty], studies={}, citations={})
    assert "Studies: none yet\\\n  Quotes: none yet" in text


def test_it_lists_the_interpretations_after_the_tree() -> None:
    codelivery = Interpretation(7, "Co-delivery", "Peers deliver the service.", 1, (2,), ())
    text = write_theme_tree_markdown(
        the_tree(),
        studies=STUDIES,
        citations=CITATIONS,
        interpretations=[(codelivery, support(coding(2, 49)))],
    )
    assert text.endswith(
        "## New interpretations\n"
        "\n"
        "1. Co-delivery\\\n"
        "   Peers deliver the service.\\\n"
        "   Studies: Van Deventer 2021\\\n"
        "   Quotes: [Van Deventer 2021: 10]\n"
    )


def test_it_writes_the_same_json_for_the_same_tree_in_a_fixed_key_order() -> None:
    concepts = {
        10: Concept(
            10,
            "Lived expertise",
            ConstructOrder.THIRD,
            ConceptSource.REVIEW,
            "",
            None,
            None,
            "bob",
            AT,
        )
    }
    first = write_theme_tree_json(
        the_tree(), studies=STUDIES, citations=CITATIONS, concepts=concepts
    )
    again = write_theme_tree_json(
        the_tree(), studies=STUDIES, citations=CITATIONS, concepts=concepts
    )
    assert first == again
    document = json.loads(first)
    assert list(document) == ["categories", "interpretations"]
    design = document["categories"][0]
    assert design["studies"] == [
        {"record_id": 22, "label": "Smith 2019"},
        {"record_id": 49, "label": "Van Deventer 2021"},
    ]
    assert design["concepts"] == [
        {"id": 10, "name": "Lived expertise", "order": "third-order", "record_id": None}
    ]
    assert design["children"][0]["children"][0]["citations"] == ["[Smith 2019: 241]"]
    assert design["children"][0]["name"] == "Person-centred *design*"
