"""The synthesis's three figures as SVG, drawn from the review's own records.

The paper's Figure 3 (the theme map: categories > themes > sub-themes, with
their studies), Figure 4 (themes -> the advisory group's translations -> the
new interpretations) and Figure 5 (the ladder of co-production with the new
rung "Co-delivery", and the co-delivery cycle). Nothing is typed in: themes,
studies, the group's concepts, translations and interpretations are read
through the synthesis services (DESIGN.md rule 2). Anyone who may view the
review may have the figures.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from cosynth.domain.figures import CO_DELIVERY_CYCLE, translation_diagram
from cosynth.domain.roles import Permission
from cosynth.domain.synthesis import ConceptSource
from cosynth.errors import NotFoundError
from cosynth.render import synthesis_figures as render
from cosynth.services import coproduction, themes, translation
from cosynth.services.workspace import Tx

LADDER = "tlap-ladder"

FIGURE_FILES = (
    "figure-3-theme-map.svg",
    "figure-4-interpretations.svg",
    "figure-5-co-delivery-cycle.svg",
)


def theme_map_svg(tx: Tx, review_id: int, *, studies: bool = True, id_prefix: str = "") -> bytes:
    """Figure 3: the theme tree, each node with the number of studies supporting it."""
    tx.require(review_id, Permission.VIEW)
    return render.theme_map_svg(
        themes.theme_tree(tx, review_id), studies=studies, id_prefix=id_prefix
    )


def interpretations_svg(tx: Tx, review_id: int, *, id_prefix: str = "") -> bytes:
    """Figure 4: the themes, the advisory group's statements, and the new interpretations.

    The statements are the concepts coded from the group's roundtable
    (source ROUNDTABLE); the lines come from the themes' support, the
    translations, and what each interpretation names (domain.figures).
    """
    tx.require(review_id, Permission.VIEW)
    synthesis = themes.read_synthesis(tx, review_id)
    said = [c for c in synthesis.concepts.values() if c.source is ConceptSource.ROUNDTABLE]
    said.sort(key=lambda concept: concept.id)
    diagram = translation_diagram(
        synthesis.tree,
        said,
        translation.translations(tx, review_id),
        [interpretation for interpretation, _support in synthesis.interpretations],
    )
    return render.interpretations_svg(diagram, id_prefix=id_prefix)


def coproduction_cycle_svg(
    tx: Tx,
    review_id: int,
    *,
    scale: str = LADDER,
    stages: Sequence[str] = CO_DELIVERY_CYCLE,
    proposed: Collection[str] | None = None,
    id_prefix: str = "",
) -> bytes:
    """Figure 5: the review's ladder (TLAP's by default) with its new rung, and the cycle.

    `proposed` names the rungs the review proposes; by default the scale's
    optional levels (on the TLAP ladder, the paper's "Co-delivery"), whether
    or not the scoring scheme scores with them: the figure shows the
    proposal, not the scores. `stages` default to the paper's cycle.
    """
    scales = coproduction.review_scales(tx, review_id)
    if scale not in scales:
        known = ", ".join(sorted(scales))
        raise NotFoundError(f"This review has no co-production scale {scale!r}. Scales: {known}.")
    return render.coproduction_cycle_svg(
        scales[scale], stages=stages, proposed=proposed, id_prefix=id_prefix
    )


def figure_svg(tx: Tx, review_id: int, name: str) -> bytes:
    """One of the three figures by its file name (a page that serves one draws only that one)."""
    tx.require(review_id, Permission.VIEW)
    theme_map, translated, cycle = FIGURE_FILES
    if name == theme_map:
        return theme_map_svg(tx, review_id)
    if name == translated:
        return interpretations_svg(tx, review_id)
    if name == cycle:
        return coproduction_cycle_svg(tx, review_id)
    raise NotFoundError(f"There is no figure {name!r}. Figures: {', '.join(FIGURE_FILES)}.")


def synthesis_figures(
    tx: Tx,
    review_id: int,
    *,
    stages: Sequence[str] = CO_DELIVERY_CYCLE,
    proposed: Collection[str] | None = None,
) -> dict[str, bytes]:
    """The three figures by file name, for `cosynth demo --out` and the report's downloads."""
    theme_map, translated, cycle = FIGURE_FILES
    return {
        theme_map: theme_map_svg(tx, review_id),
        translated: interpretations_svg(tx, review_id),
        cycle: coproduction_cycle_svg(tx, review_id, stages=stages, proposed=proposed),
    }
