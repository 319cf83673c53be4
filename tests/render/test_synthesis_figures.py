"""The synthesis figures (the paper's Figures 3, 4 and 5) drawn from hand-built domain values.

Snapshots: tests/render/snapshots/*.svg. After a meant change, rerun with
COSYNTH_UPDATE_SNAPSHOTS=1 and look at the files before committing them.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from cosynth.domain.coproduction import Level, Scale
from cosynth.domain.figures import (
    CO_DELIVERY_CYCLE,
    DiagramColumn,
    DiagramEdge,
    DiagramNode,
    LayeredDiagram,
    translation_diagram,
)
from cosynth.domain.synthesis import ThemeNode
from cosynth.render.synthesis_figures import (
    coproduction_cycle_svg,
    interpretations_svg,
    theme_map_svg,
)
from cosynth.services.scales import registered_scales
from tests.render import paper_figures as paper
from tests.render.svg_checks import NS, assert_snapshot, check


@pytest.fixture
def tree() -> list[ThemeNode]:
    return paper.theme_tree()


@pytest.fixture
def ladder() -> Scale:
    return registered_scales()["tlap-ladder"]


def figure_4(tree: list[ThemeNode]) -> LayeredDiagram:
    said = paper.statements()
    return translation_diagram(tree, said, [], paper.interpretations(tree, said))


def nodes(root) -> dict[str, dict[str, str]]:
    found = {}
    for group in root.iter(f"{NS}g"):
        if group.get("class") == "node":
            box = group.find(f"{NS}rect")
            found[group.get("id")] = dict(box.attrib)
            found[group.get("id")]["text"] = " ".join(
                span.text or "" for span in group.iter(f"{NS}tspan")
            )
    return found


def many_themes(count: int, *, words: str = "theme") -> dict:
    """A made-up review with `count` themes in two categories, some long-winded."""
    themes = {}
    for number in range(count):
        name = f"{words.capitalize()} {number + 1}" + (
            ": a long and winding name that must wrap over several lines" if number % 3 == 0 else ""
        )
        themes[name] = (tuple(range(1, number % 7 + 2)), (f"Sub-theme of {number + 1}",))
    half = count // 2
    items = list(themes.items())
    return {"Design": dict(items[:half]), "Transformation": dict(items[half:])}


# -- Figure 3


def test_it_draws_the_papers_theme_map(tree):
    data = theme_map_svg(tree)
    check(data)
    assert_snapshot("figure-3-theme-map.svg", data)


def test_it_puts_categories_themes_and_sub_themes_in_columns_left_to_right(tree):
    drawn = nodes(check(theme_map_svg(tree)))
    design, theme, sub = drawn["theme-1"], drawn["theme-2"], drawn["theme-3"]
    assert design["text"] == "Design 10 studies"
    assert theme["text"] == "Person-centred design 7 studies"
    assert sub["text"] == "Lived experience as expertise 7 studies"
    assert float(design["x"]) < float(theme["x"]) < float(sub["x"])


def test_it_tells_the_levels_apart_without_colour(tree):
    drawn = nodes(check(theme_map_svg(tree)))
    looks = {
        (drawn[key]["stroke-width"], drawn[key].get("rx"))
        for key in ("theme-1", "theme-2", "theme-3")
    }
    # Three levels, three borders: by weight and by corner, not only by fill.
    assert len(looks) == 3


def test_it_can_leave_out_the_study_counts(tree):
    drawn = nodes(check(theme_map_svg(tree, studies=False)))
    assert drawn["theme-1"]["text"] == "Design"


def test_it_describes_the_tree_in_words(tree):
    root = check(theme_map_svg(tree))
    desc = root.find(f"{NS}desc").text
    assert desc.startswith("A tree read left to right")
    assert (
        "Category Design (10 studies), with themes: Person-centred design (7 studies), with "
        in desc
    )
    assert "Short-term strain on services (3 studies)." in desc


@pytest.mark.parametrize("count", [10, 40])
def test_it_grows_with_the_themes_and_keeps_every_label_in_its_box(count):
    root = check(theme_map_svg(paper.theme_tree(many_themes(count))))
    assert len(nodes(root)) == 2 + 2 * count


def test_forty_themes_make_a_taller_figure_than_ten():
    ten = check(theme_map_svg(paper.theme_tree(many_themes(10))))
    forty = check(theme_map_svg(paper.theme_tree(many_themes(40))))
    assert float(forty.get("height")) > 3 * float(ten.get("height"))
    assert forty.get("width") == ten.get("width")


def test_no_themes_yet_is_still_a_figure():
    root = check(theme_map_svg([]))
    assert root.find(f"{NS}desc").text == "No themes have been recorded yet."


def test_it_is_the_same_bytes_every_time(tree, ladder):
    assert theme_map_svg(tree) == theme_map_svg(paper.theme_tree())
    assert interpretations_svg(figure_4(tree)) == interpretations_svg(figure_4(paper.theme_tree()))
    assert coproduction_cycle_svg(ladder) == coproduction_cycle_svg(ladder)


def test_a_theme_named_like_markup_is_written_as_text():
    odd = {'<Design> & "Delivery"': {"Staff <b>morale</b>": ((1,), ("R&D",))}}
    root = check(theme_map_svg(paper.theme_tree(odd)))
    assert nodes(root)["theme-1"]["text"] == '<Design> & "Delivery" 1 study'


def test_two_figures_in_one_page_keep_their_ids_apart(tree, ladder):
    first = check(theme_map_svg(tree, id_prefix="f3-"))
    second = check(coproduction_cycle_svg(ladder, id_prefix="f5-"))
    ids = lambda root: {e.get("id") for e in root.iter() if e.get("id")}  # noqa: E731
    assert not ids(first) & ids(second)


# -- Figure 4


def test_it_draws_the_papers_translation_diagram(tree):
    data = interpretations_svg(figure_4(tree))
    check(data)
    assert_snapshot("figure-4-interpretations.svg", data)


def test_it_sets_the_three_columns_in_order_with_arrows_between(tree):
    root = check(interpretations_svg(figure_4(tree)))
    drawn = nodes(root)
    xs = {key.split("-")[0]: float(box["x"]) for key, box in drawn.items()}
    assert xs["theme"] < xs["statement"] < xs["interpretation"]
    arrows = [p for p in root.iter(f"{NS}path") if p.get("marker-end")]
    assert len(arrows) == len(figure_4(tree).edges)
    interpretations = sorted(
        (float(box["y"]), box["text"]) for key, box in drawn.items() if key.startswith("interp")
    )
    assert {text for _, text in interpretations} == {
        "Narrow focus",
        "Co-delivery",
        "Sustainable person-centred services",
    }


def test_a_line_that_skips_the_advisory_group_is_dashed_and_the_legend_says_so():
    diagram = LayeredDiagram(
        columns=(
            DiagramColumn(
                "Themes", (DiagramNode("t1", "Acceptability"), DiagramNode("t2", "Structure"))
            ),
            DiagramColumn("Advisory group", (DiagramNode("s1", "People listen to a peer"),)),
            DiagramColumn("Interpretations", (DiagramNode("i1", "Co-delivery"),)),
        ),
        edges=(
            DiagramEdge("t1", "s1"),
            DiagramEdge("s1", "i1"),
            DiagramEdge("t2", "i1", direct=True),
        ),
    )
    root = check(interpretations_svg(diagram))
    dashes = [p.get("stroke-dasharray") for p in root.iter(f"{NS}path") if p.get("marker-end")]
    assert sorted(str(dash) for dash in dashes) == ["6 4", "None", "None"]
    words = " ".join(t.text or "" for t in root.iter(f"{NS}tspan"))
    assert "named directly by the interpretation" in words
    desc = root.find(f"{NS}desc").text
    assert "Structure directly to Co-delivery" in desc
    assert "Acceptability to People listen to a peer" in desc


def test_the_legend_has_no_dashed_line_when_nothing_skips_a_column(tree):
    root = check(interpretations_svg(figure_4(tree)))
    words = " ".join(t.text or "" for t in root.iter(f"{NS}tspan"))
    assert "named directly" not in words


def test_statements_sit_in_the_order_of_the_themes_they_come_from():
    diagram = LayeredDiagram(
        columns=(
            DiagramColumn("Themes", (DiagramNode("a", "First"), DiagramNode("b", "Second"))),
            DiagramColumn(
                "Said", (DiagramNode("y", "From second"), DiagramNode("x", "From first"))
            ),
        ),
        edges=(DiagramEdge("a", "x"), DiagramEdge("b", "y")),
    )
    drawn = nodes(check(interpretations_svg(diagram)))
    assert float(drawn["x"]["y"]) < float(drawn["y"]["y"])


def test_forty_themes_in_the_translation_diagram_still_fit():
    tree = paper.theme_tree(many_themes(40))
    said = paper.statements()
    themes = [node.theme.id for top in tree for node in top.children]
    interpretation = replace(
        paper.interpretations(paper.theme_tree(), said)[0], theme_ids=tuple(themes[::3])
    )
    check(interpretations_svg(translation_diagram(tree, said, [], [interpretation])))


# -- Figure 5


def test_it_draws_the_papers_ladder_and_co_delivery_cycle(ladder):
    data = coproduction_cycle_svg(ladder)
    check(data)
    assert_snapshot("figure-5-co-delivery-cycle.svg", data)


def test_the_rungs_climb_from_the_bottom_and_the_new_one_says_it_is_new(ladder):
    drawn = nodes(check(coproduction_cycle_svg(ladder)))
    ys = [float(drawn[f"rung-{rank}"]["y"]) for rank in range(1, 9)]
    assert ys == sorted(ys, reverse=True)
    top = drawn["rung-8"]
    assert top["text"] == "8. Co-delivery New rung proposed by this review"
    assert float(top["stroke-width"]) > float(drawn["rung-7"]["stroke-width"])


def test_tlaps_groups_are_labelled_beside_the_ladder(ladder):
    root = check(coproduction_cycle_svg(ladder))
    words = [span.text for span in root.iter(f"{NS}tspan")]
    for group in ("Doing to", "Doing for", "Doing with"):
        assert group in words


def test_the_cycle_goes_round_its_four_stages_with_co_delivery_facing_the_ladder(ladder):
    root = check(coproduction_cycle_svg(ladder))
    drawn = nodes(root)
    stages = {drawn[f"stage-{n}"]["text"]: drawn[f"stage-{n}"] for n in range(1, 5)}
    assert list(stages) == list(CO_DELIVERY_CYCLE)
    left = min(stages, key=lambda s: float(stages[s]["x"]))
    assert left == "Co-delivery"
    arcs = [p for p in root.iter(f"{NS}path") if " A" in (p.get("d") or "")]
    assert len(arcs) == 4
    desc = root.find(f"{NS}desc").text
    assert "clockwise: Recipient of an integrated care service, then Co-production" in desc
    assert "then back to Recipient of an integrated care service" in desc


def test_a_review_can_pass_its_own_cycle(ladder):
    stages = (
        "Using the service",
        "Shaping it",
        "Co-delivery: running it",
        "Peer support",
        "Training",
    )
    drawn = nodes(check(coproduction_cycle_svg(ladder, stages=stages)))
    assert [drawn[f"stage-{n}"]["text"] for n in range(1, 6)] == list(stages)
    facing = min(range(1, 6), key=lambda n: float(drawn[f"stage-{n}"]["x"]))
    assert facing == 3


def test_without_a_proposed_rung_nothing_is_highlighted(ladder):
    root = check(coproduction_cycle_svg(ladder, proposed=()))
    words = " ".join(span.text or "" for span in root.iter(f"{NS}tspan"))
    assert "proposed by this review" not in words
    assert not [p for p in root.iter(f"{NS}path") if p.get("stroke-dasharray")]


def test_a_scale_without_groups_has_no_brackets():
    plain = Scale(
        id="steps",
        name="A review's own steps",
        version="1",
        credit="The review team",
        source="Our protocol",
        levels=tuple(
            Level(rank=n, label=label, definition="", source="Our protocol")
            for n, label in enumerate(("Told", "Asked", "Involved in running the service"), 1)
        ),
    )
    root = check(coproduction_cycle_svg(plain, proposed=("Involved in running the service",)))
    drawn = nodes(root)
    assert "proposed by this review" in drawn["rung-3"]["text"]
    assert not [span for span in root.iter(f"{NS}tspan") if (span.text or "").startswith("Doing")]


def test_themes_are_ordered_to_cross_less_but_stay_under_their_category(tree):
    drawn = nodes(check(interpretations_svg(figure_4(tree))))
    by_height = [
        box["text"]
        for _, box in sorted(
            ((float(box["y"]), box) for key, box in drawn.items() if key.startswith("theme-")),
            key=lambda pair: pair[0],
        )
    ]
    categories = [text.split(" ")[-3].rstrip(",") for text in by_height]
    assert categories == ["Design"] * 5 + ["Transformation"] * 4
    # The themes that lead to the narrow-focus statements come first.
    assert {text.split(" Design")[0] for text in by_height[:3]} == {
        "Innovative planning",
        "Challenges",
        "Requirements",
    }
