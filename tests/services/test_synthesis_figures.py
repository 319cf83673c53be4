"""alice draws the synthesis's figures (the paper's Figures 3, 4 and 5) from the review itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from cosynth.domain.synthesis import ConceptSource, ConstructOrder, ThemeLevel
from cosynth.errors import NotFoundError, PermissionDeniedError
from cosynth.services import concepts, roundtables, themes, translation
from cosynth.services.synthesis_figures import (
    FIGURE_FILES,
    coproduction_cycle_svg,
    figure_svg,
    interpretations_svg,
    synthesis_figures,
    theme_map_svg,
)
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.render.svg_checks import NS, check
from tests.services.translation_helpers import three_studies_read


@dataclass(frozen=True)
class Synthesised:
    design: int
    person_centred: int
    lived_experience: int
    acceptability: int
    structure: int
    statement: int
    interpretation: int


@pytest.fixture
def synthesised(workspace: Workspace, team: Team) -> Synthesised:
    """Three studies read; a small theme tree; the roundtable's words translated; one finding."""
    read = three_studies_read(workspace, team)
    listened, peers, residents = read.concepts
    review = team.review_id
    with workspace.transaction("alice") as tx:
        design = themes.add_theme(tx, review, "Design", level=ThemeLevel.CATEGORY)
        change = themes.add_theme(tx, review, "Transformation", level=ThemeLevel.CATEGORY)
        person = themes.add_theme(
            tx, review, "Person-centred design", level=ThemeLevel.THEME, parent_id=design.id
        )
        lived = themes.add_theme(
            tx,
            review,
            "Lived experience as expertise",
            level=ThemeLevel.SUB_THEME,
            parent_id=person.id,
        )
        themes.link_concepts(tx, review, lived.id, [listened])
        acceptable = themes.add_theme(
            tx, review, "Acceptability", level=ThemeLevel.THEME, parent_id=change.id
        )
        themes.link_concepts(tx, review, acceptable.id, [peers])
        structure = themes.add_theme(
            tx, review, "Structure", level=ThemeLevel.THEME, parent_id=change.id
        )
        themes.link_concepts(tx, review, structure.id, [residents])
        table = roundtables.add_roundtable(
            tx, review, held_on=date(2022, 9, 20), minutes=90, title="Roundtable"
        )
        said = concepts.add_concept(
            tx,
            review,
            "People listen to someone who has been through it",
            order=ConstructOrder.FIRST,
            source=ConceptSource.ROUNDTABLE,
            roundtable_id=table.id,
        )
        # The group's words and a study's, translated into one another.
        translation.translate_reciprocally(
            tx, review, [said.id, peers], into="Co-delivery with peer support"
        )
        finding = themes.add_interpretation(
            tx,
            review,
            "Co-delivery",
            "Service users who co-produced a service go on to deliver it to others.",
            theme_ids=[acceptable.id, structure.id],
            concept_ids=[said.id],
        )
    return Synthesised(
        design=design.id,
        person_centred=person.id,
        lived_experience=lived.id,
        acceptability=acceptable.id,
        structure=structure.id,
        statement=said.id,
        interpretation=finding.id,
    )


def labels(root) -> dict[str, str]:
    return {
        g.get("id"): " ".join(span.text or "" for span in g.iter(f"{NS}tspan"))
        for g in root.iter(f"{NS}g")
        if g.get("class") == "node"
    }


def arrows(root) -> list[str]:
    return [p.get("d") for p in root.iter(f"{NS}path") if p.get("marker-end")]


def test_it_draws_the_theme_map_with_the_studies_behind_each_theme(
    workspace: Workspace, team: Team, synthesised: Synthesised
) -> None:
    with workspace.transaction("alice") as tx:
        root = check(theme_map_svg(tx, team.review_id))
    drawn = labels(root)
    assert drawn[f"theme-{synthesised.design}"] == "Design 1 study"
    assert drawn[f"theme-{synthesised.lived_experience}"] == "Lived experience as expertise 1 study"
    # Acceptability rests on a study's concept and, through the translation, nothing more.
    assert drawn[f"theme-{synthesised.acceptability}"] == "Acceptability 1 study"
    assert "Category Transformation (2 studies), with themes" in root.find(f"{NS}desc").text


def test_it_draws_the_groups_translation_between_themes_and_the_finding(
    workspace: Workspace, team: Team, synthesised: Synthesised
) -> None:
    with workspace.transaction("alice") as tx:
        root = check(interpretations_svg(tx, team.review_id, id_prefix="f4-"))
    drawn = labels(root)
    assert drawn[f"f4-statement-{synthesised.statement}"] == (
        "People listen to someone who has been through it"
    )
    assert drawn[f"f4-interpretation-{synthesised.interpretation}"] == "Co-delivery"
    assert drawn[f"f4-theme-{synthesised.acceptability}"] == "Acceptability Transformation, 1 study"
    desc = root.find(f"{NS}desc").text
    # Acceptability through the translation; Structure because the finding names both.
    assert "Acceptability to People listen to someone who has been through it" in desc
    assert "Structure to People listen to someone who has been through it" in desc
    assert "People listen to someone who has been through it to Co-delivery" in desc
    assert "directly" not in desc
    assert len(arrows(root)) == 3


def test_it_draws_the_ladder_with_the_new_rung_and_the_papers_cycle(
    workspace: Workspace, team: Team, synthesised: Synthesised
) -> None:
    with workspace.transaction("alice") as tx:
        root = check(coproduction_cycle_svg(tx, team.review_id))
    drawn = labels(root)
    assert drawn["rung-8"] == "8. Co-delivery New rung proposed by this review"
    assert drawn["stage-1"] == "Recipient of an integrated care service"


def test_a_review_can_pass_its_own_cycle_and_no_proposal(workspace: Workspace, team: Team) -> None:
    with workspace.transaction("alice") as tx:
        root = check(
            coproduction_cycle_svg(
                tx, team.review_id, stages=("Using it", "Shaping it", "Running it"), proposed=()
            )
        )
    drawn = labels(root)
    assert [drawn[f"stage-{n}"] for n in (1, 2, 3)] == ["Using it", "Shaping it", "Running it"]
    assert "proposed" not in drawn["rung-8"]


def test_it_names_a_scale_the_review_does_not_have(workspace: Workspace, team: Team) -> None:
    with workspace.transaction("alice") as tx, pytest.raises(NotFoundError, match="nhse-spectrum"):
        coproduction_cycle_svg(tx, team.review_id, scale="no-such-ladder")


def test_it_writes_the_three_figures_by_file_name(
    workspace: Workspace, team: Team, synthesised: Synthesised
) -> None:
    with workspace.transaction("alice") as tx:
        files = synthesis_figures(tx, team.review_id)
        again = synthesis_figures(tx, team.review_id)
    assert (
        list(files)
        == list(FIGURE_FILES)
        == [
            "figure-3-theme-map.svg",
            "figure-4-interpretations.svg",
            "figure-5-co-delivery-cycle.svg",
        ]
    )
    for name, data in files.items():
        check(data)
        with workspace.transaction("alice") as tx:
            assert figure_svg(tx, team.review_id, name) == data
    assert files == again


def test_it_names_the_figures_there_are_when_asked_for_another(
    workspace: Workspace, team: Team
) -> None:
    with workspace.transaction("alice") as tx, pytest.raises(NotFoundError) as refused:
        figure_svg(tx, team.review_id, "figure-6.svg")
    assert "figure-3-theme-map.svg" in str(refused.value)


def test_a_review_with_no_synthesis_yet_still_has_figures(workspace: Workspace, team: Team) -> None:
    with workspace.transaction("alice") as tx:
        files = synthesis_figures(tx, team.review_id)
    assert check(files["figure-3-theme-map.svg"]).find(f"{NS}desc").text == (
        "No themes have been recorded yet."
    )
    assert "No links yet." in check(files["figure-4-interpretations.svg"]).find(f"{NS}desc").text


def test_pat_sees_the_figures_and_mallory_does_not(
    workspace: Workspace, team: Team, synthesised: Synthesised
) -> None:
    with workspace.transaction("pat") as tx:
        assert synthesis_figures(tx, team.review_id)
    for draw in (theme_map_svg, interpretations_svg, coproduction_cycle_svg, synthesis_figures):
        with workspace.transaction("mallory") as tx, pytest.raises(PermissionDeniedError):
            draw(tx, team.review_id)
