"""alice and bob build the theme hierarchy and the new interpretations (Noblit & Hare's phase 6)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from cosynth.domain.synthesis import ConceptSource, ConstructOrder, OrderBasis, ThemeLevel
from cosynth.errors import InputError, NotFoundError, PermissionDeniedError
from cosynth.services import coding, concepts, relating, roundtables, themes, translation
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.translation_helpers import Read, three_studies_read


@pytest.fixture
def read(workspace: Workspace, team: Team) -> Read:
    return three_studies_read(workspace, team)


def test_it_builds_categories_themes_and_sub_themes_in_order(
    workspace: Workspace, team: Team
) -> None:
    with workspace.transaction("alice") as tx:
        design = themes.add_theme(tx, team.review_id, "Design", level=ThemeLevel.CATEGORY)
        transformation = themes.add_theme(
            tx, team.review_id, "Transformation", level=ThemeLevel.CATEGORY
        )
        person = themes.add_theme(
            tx,
            team.review_id,
            "Person-centred design",
            level=ThemeLevel.THEME,
            parent_id=design.id,
            description="Service users bring expertise from using services.",
        )
        planning = themes.add_theme(
            tx, team.review_id, "Innovative planning", level=ThemeLevel.THEME, parent_id=design.id
        )
        mapping = themes.add_theme(
            tx, team.review_id, "Journey mapping", level=ThemeLevel.SUB_THEME, parent_id=planning.id
        )
        tree = themes.theme_tree(tx, team.review_id)
        listed = themes.themes(tx, team.review_id)
    assert [node.theme.name for node in tree] == ["Design", "Transformation"]
    assert [child.theme.id for child in tree[0].children] == [person.id, planning.id]
    assert tree[0].children[1].children[0].theme == mapping
    assert [t.id for t in listed] == [
        design.id,
        person.id,
        planning.id,
        mapping.id,
        transformation.id,
    ]
    assert (person.position, planning.position, mapping.position) == (1, 2, 1)


def test_it_refuses_a_theme_out_of_its_level(workspace: Workspace, team: Team) -> None:
    with workspace.transaction("alice") as tx:
        design = themes.add_theme(tx, team.review_id, "Design", level=ThemeLevel.CATEGORY)
        with pytest.raises(InputError, match="A sub-theme sits under a theme; 'Design' is a"):
            themes.add_theme(
                tx, team.review_id, "Equity", level=ThemeLevel.SUB_THEME, parent_id=design.id
            )
        with pytest.raises(InputError, match="A theme sits under a category: say which one"):
            themes.add_theme(tx, team.review_id, "Structure", level=ThemeLevel.THEME)
        with pytest.raises(InputError, match="already a category named 'Design'"):
            themes.add_theme(tx, team.review_id, " design ", level=ThemeLevel.CATEGORY)
        with pytest.raises(NotFoundError, match="has no theme 99"):
            themes.add_theme(tx, team.review_id, "X", level=ThemeLevel.THEME, parent_id=99)


def test_it_renames_moves_and_reorders_themes_keeping_the_history(
    workspace: Workspace, team: Team
) -> None:
    with workspace.transaction("alice") as tx:
        design = themes.add_theme(tx, team.review_id, "Design", level=ThemeLevel.CATEGORY)
        change = themes.add_theme(tx, team.review_id, "Transformation", level=ThemeLevel.CATEGORY)
        ids = [
            themes.add_theme(
                tx, team.review_id, name, level=ThemeLevel.THEME, parent_id=design.id
            ).id
            for name in ("Person-centred design", "Collaboration", "Structure")
        ]
        person, collaboration, structure = ids
        renamed = themes.revise_theme(
            tx, team.review_id, person, name="Person-centred design (lived expertise)"
        )
        moved = themes.revise_theme(tx, team.review_id, structure, parent_id=change.id)
        first = themes.revise_theme(tx, team.review_id, collaboration, position=1)
        unchanged = themes.revise_theme(tx, team.review_id, collaboration, position=1)
        with pytest.raises(InputError, match="cannot sit under"):
            themes.revise_theme(tx, team.review_id, design.id, parent_id=change.id)
        tree = themes.theme_tree(tx, team.review_id)
    assert renamed.name == "Person-centred design (lived expertise)"
    assert (moved.parent_id, moved.position) == (change.id, 1)
    assert first.position == 1 and unchanged == first
    assert [c.theme.id for c in tree[0].children] == [collaboration, person]
    assert [c.theme.position for c in tree[0].children] == [1, 2]
    assert [c.theme.id for c in tree[1].children] == [structure]


def test_it_traces_a_theme_back_to_studies_quotes_and_the_concepts_translated_into_it(
    workspace: Workspace, team: Team, read: Read
) -> None:
    listened, peers, hub = read.concepts
    with workspace.transaction("bob") as tx:
        # The order of translation decides the order studies are shown in.
        relating.set_translation_order(
            tx, team.review_id, OrderBasis.BY_HAND, record_ids=list(reversed(read.studies))
        )
        valued = translation.translate_reciprocally(
            tx, team.review_id, [listened, peers], into="Expertise valued"
        )
        design = themes.add_theme(tx, team.review_id, "Design", level=ThemeLevel.CATEGORY)
        person = themes.add_theme(
            tx, team.review_id, "Person-centred design", level=ThemeLevel.THEME, parent_id=design.id
        )
        themes.link_concepts(tx, team.review_id, person.id, [valued.into_concept_id or 0])
        planning = themes.add_theme(
            tx, team.review_id, "Innovative planning", level=ThemeLevel.THEME, parent_id=design.id
        )
        themes.link_concepts(tx, team.review_id, planning.id, [hub])
        own = themes.theme_support(tx, team.review_id, person.id)
        whole = themes.theme_support(tx, team.review_id, design.id)
    assert own.concept_ids == (valued.into_concept_id, listened, peers)
    assert own.record_ids == (read.studies[1], read.studies[0])  # translation order: by hand
    assert whole.record_ids == (read.studies[2], read.studies[1], read.studies[0])
    assert [c.passage.source_id for c in whole.codings] == list(reversed(read.quotes))


def test_it_links_and_unlinks_concepts(workspace: Workspace, team: Team, read: Read) -> None:
    listened, peers, _ = read.concepts
    with workspace.transaction("bob") as tx:
        design = themes.add_theme(tx, team.review_id, "Design", level=ThemeLevel.CATEGORY)
        linked = themes.link_concepts(tx, team.review_id, design.id, [listened, peers, listened])
        again = themes.link_concepts(tx, team.review_id, design.id, [peers])
        unlinked = themes.unlink_concept(tx, team.review_id, design.id, listened)
        relinked = themes.link_concepts(tx, team.review_id, design.id, [listened])
        with pytest.raises(InputError, match="is not linked to 'Design'"):
            themes.unlink_concept(tx, team.review_id, design.id, 999)
        with pytest.raises(NotFoundError, match="no concept 999"):
            themes.link_concepts(tx, team.review_id, design.id, [999])
    assert linked.concept_ids == again.concept_ids == (listened, peers)
    assert unlinked.concept_ids == (peers,)
    assert relinked.concept_ids == (peers, listened)


def test_it_states_interpretations_resting_on_themes_and_concepts(
    workspace: Workspace, team: Team, read: Read
) -> None:
    listened, peers, hub = read.concepts
    with workspace.transaction("alice") as tx:
        design = themes.add_theme(tx, team.review_id, "Design", level=ThemeLevel.CATEGORY)
        themes.link_concepts(tx, team.review_id, design.id, [listened])
        focus = themes.add_interpretation(
            tx,
            team.review_id,
            "Narrow focus",
            "Co-production is most constructive when matched with an explicit focus.",
            theme_ids=[design.id],
        )
        codelivery = themes.add_interpretation(
            tx, team.review_id, "Co-delivery", "A rung above co-production.", concept_ids=[peers]
        )
        with pytest.raises(InputError, match="Write the statement"):
            themes.add_interpretation(tx, team.review_id, "Sustainable services", " ")
        with pytest.raises(NotFoundError, match="no theme 99"):
            themes.add_interpretation(tx, team.review_id, "X", "Y", theme_ids=[99])
        found = themes.interpretations(tx, team.review_id)
        support = themes.interpretation_support(tx, team.review_id, focus.id)
    assert found == [focus, codelivery]
    assert (focus.position, codelivery.position) == (1, 2)
    assert support.record_ids == (read.studies[0],)
    assert hub not in support.concept_ids


def test_it_writes_the_theme_tree_as_markdown_and_json(
    workspace: Workspace, team: Team, read: Read
) -> None:
    listened, peers, hub = read.concepts
    with workspace.transaction("alice") as tx:
        valued = translation.translate_reciprocally(
            tx, team.review_id, [listened, peers], into="Expertise valued"
        )
        design = themes.add_theme(tx, team.review_id, "Design", level=ThemeLevel.CATEGORY)
        person = themes.add_theme(
            tx, team.review_id, "Person-centred design", level=ThemeLevel.THEME, parent_id=design.id
        )
        themes.link_concepts(tx, team.review_id, person.id, [valued.into_concept_id or 0])
        themes.add_interpretation(
            tx, team.review_id, "Co-delivery", "Peers deliver.", theme_ids=[person.id]
        )
        markdown = themes.theme_tree_markdown(tx, team.review_id)
        document = json.loads(themes.theme_tree_json(tx, team.review_id))
    assert markdown.splitlines()[2:8] == [
        "- Design (category)\\",
        "  Studies: Author1 2013; Author2 2014\\",
        "  Quotes: [Author1 2013: 241] [Author2 2014: 12]",
        "  - Person-centred design (theme)\\",
        "    Studies: Author1 2013; Author2 2014\\",
        "    Quotes: [Author1 2013: 241] [Author2 2014: 12]",
    ]
    assert "1. Co-delivery\\" in markdown
    category = document["categories"][0]
    assert list(category) == [
        "id",
        "name",
        "level",
        "description",
        "linked_concept_ids",
        "concepts",
        "studies",
        "citations",
        "children",
    ]
    theme = category["children"][0]
    assert [c["name"] for c in theme["concepts"]] == [
        "Expertise valued",
        "being listened to",
        "co-delivery by peers",
    ]
    assert theme["citations"] == ["[Author1 2013: 241]", "[Author2 2014: 12]"]
    assert document["interpretations"][0]["studies"][0]["label"] == "Author1 2013"
    assert hub not in [c["id"] for c in theme["concepts"]]


def test_it_lets_only_the_team_synthesise_and_no_outsider_read(
    workspace: Workspace, team: Team
) -> None:
    with workspace.transaction("alice") as tx:
        design = themes.add_theme(tx, team.review_id, "Design", level=ThemeLevel.CATEGORY)
        own = concepts.add_concept(
            tx,
            team.review_id,
            "Co-delivery",
            order=ConstructOrder.THIRD,
            source=ConceptSource.REVIEW,
        )
    with workspace.transaction("pat") as tx:
        assert [node.theme for node in themes.theme_tree(tx, team.review_id)] == [design]
        with pytest.raises(PermissionDeniedError):
            themes.add_theme(tx, team.review_id, "Mine", level=ThemeLevel.CATEGORY)
        with pytest.raises(PermissionDeniedError):
            themes.link_concepts(tx, team.review_id, design.id, [own.id])
    with workspace.transaction("mallory") as tx:
        for read_it in (themes.theme_tree, themes.themes, themes.theme_tree_json):
            with pytest.raises(PermissionDeniedError):
                read_it(tx, team.review_id)


def test_it_cites_the_roundtable_where_a_theme_rests_on_the_advisory_groups_words(
    workspace: Workspace, team: Team, read: Read
) -> None:
    vtt = (
        "WEBVTT\n\n1\n00:00:04.120 --> 00:00:16.480\n"
        "<v Sam>I run the peer group now, after helping design it.</v>\n"
    )
    with workspace.transaction("alice") as tx:
        table = roundtables.add_roundtable(
            tx, team.review_id, held_on=date(2023, 3, 14), minutes=90
        )
        transcript = roundtables.import_transcript(
            tx, team.review_id, table.id, "roundtable.vtt", vtt.encode()
        )
        said = concepts.add_concept(
            tx,
            team.review_id,
            "from user to deliverer",
            order=ConstructOrder.FIRST,
            source=ConceptSource.ROUNDTABLE,
            roundtable_id=table.id,
        )
        coding.code_transcript(
            tx, team.review_id, said.id, transcript.id, segment=1, start=0, end=20
        )
        line = translation.argue_line(
            tx, team.review_id, [read.concepts[1], said.id], into="Co-delivery"
        )
        codelivery = themes.add_theme(tx, team.review_id, "Co-delivery", level=ThemeLevel.CATEGORY)
        themes.link_concepts(tx, team.review_id, codelivery.id, [line.into_concept_id or 0])
        document = json.loads(themes.theme_tree_json(tx, team.review_id))
    assert document["categories"][0]["citations"] == [
        "[Author2 2014: 12]",
        "[Roundtable 2023-03-14: 00:00:04.120]",
    ]
    assert [s["label"] for s in document["categories"][0]["studies"]] == ["Author2 2014"]
