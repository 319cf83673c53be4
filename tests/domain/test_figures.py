"""What Figure 4 joins: themes to the advisory group's statements to the new interpretations."""

from __future__ import annotations

from dataclasses import replace

from cosynth.domain.figures import DiagramEdge, translation_diagram
from cosynth.domain.synthesis import ConceptSource, Relation, Support, Translation
from tests.render import paper_figures as paper


def edges_by_label(diagram):
    return {
        (diagram.node(e.source).label, diagram.node(e.target).label, e.direct)
        for e in diagram.edges
    }


def test_it_has_the_papers_three_columns_in_order():
    tree = paper.theme_tree()
    said = paper.statements()
    diagram = translation_diagram(tree, said, [], paper.interpretations(tree, said))
    headings = [column.heading for column in diagram.columns]
    assert headings == [
        "Themes from the studies",
        "Translated by the advisory group",
        "New interpretations",
    ]
    themes = [node.label for node in diagram.columns[0].nodes]
    assert themes[:2] == ["Person-centred design", "Innovative planning"]
    assert len(themes) == 9
    assert diagram.columns[0].nodes[0].note == "Design, 7 studies"
    assert [n.label for n in diagram.columns[2].nodes] == [
        "Narrow focus",
        "Co-delivery",
        "Sustainable person-centred services",
    ]


def test_themes_named_with_statements_lead_through_them():
    tree = paper.theme_tree()
    said = paper.statements()
    diagram = translation_diagram(tree, said, [], paper.interpretations(tree, said))
    links = edges_by_label(diagram)
    assert (
        "Acceptability",
        "Co-delivery with peer support makes changes acceptable",
        False,
    ) in links
    assert ("Co-delivery with peer support makes changes acceptable", "Co-delivery", False) in links
    assert ("Challenges", "A narrow, defined focus at the design stage", False) in links
    assert not any(direct for _, _, direct in links)
    # Nothing ties Acceptability to the narrow-focus statements.
    assert ("Acceptability", "A narrow, defined focus at the design stage", False) not in links


def test_a_statement_supporting_a_theme_links_only_that_theme():
    tree = paper.theme_tree()
    said = paper.statements()
    focus = said[0]
    structure = tree[1].children[0]
    tree[1] = replace(
        tree[1],
        children=(
            replace(structure, support=Support((focus.id,), (22,), ())),
            *tree[1].children[1:],
        ),
    )
    diagram = translation_diagram(tree, said, [], paper.interpretations(tree, said))
    links = edges_by_label(diagram)
    assert ("Structure", focus.name, False) in links
    # Structure is tied to a statement of its own, so the Co-delivery
    # interpretation naming it does not lead it through co-delivery's statement:
    # the line goes straight across, and says so.
    assert ("Structure", "Co-delivery", True) in links
    assert ("Structure", said[3].name, False) not in links


def test_a_translation_joins_a_statement_to_the_themes_concepts():
    tree = paper.theme_tree()
    said = paper.statements()
    access = tree[1].children[1]
    tree[1] = replace(
        tree[1],
        children=(
            tree[1].children[0],
            replace(access, support=Support((900,), (47,), ())),
            *tree[1].children[2:],
        ),
    )
    translation = Translation(
        id=1,
        relation=Relation.RECIPROCAL,
        from_concept_ids=(said[4].id, 901),
        into_concept_id=900,
        explanation=None,
        account="",
        translated_by="alice",
        translated_at=paper.AT,
    )
    interpretation = replace(paper.interpretations(tree, said)[2], concept_ids=(900,), theme_ids=())
    diagram = translation_diagram(tree, said, [translation], [interpretation])
    assert DiagramEdge(f"theme-{access.theme.id}", f"statement-{said[4].id}") in diagram.edges
    # The interpretation names the concept the statement went into.
    assert (
        DiagramEdge(f"statement-{said[4].id}", f"interpretation-{interpretation.id}")
        in diagram.edges
    )


def test_only_the_advisory_groups_concepts_are_statements():
    tree = paper.theme_tree()
    said = paper.statements()
    study = replace(said[0], id=999, source=ConceptSource.STUDY, record_id=47, roundtable_id=None)
    diagram = translation_diagram(tree, [*said, study], [], [])
    assert [n.key for n in diagram.columns[1].nodes] == [f"statement-{s.id}" for s in said]
    assert diagram.edges == ()


def test_an_interpretation_with_no_statement_links_its_themes_directly():
    tree = paper.theme_tree()
    said = paper.statements()
    interpretation = replace(paper.interpretations(tree, said)[1], concept_ids=())
    diagram = translation_diagram(tree, said, [], [interpretation])
    assert edges_by_label(diagram) == {
        ("Acceptability", "Co-delivery", True),
        ("Structure", "Co-delivery", True),
    }
