"""What the synthesis figures show, as plain values a renderer draws.

The paper's Figure 4 ("Diagram showing themes, translations by the CAG and
resulting findings") is a layered diagram: columns of boxes joined left to
right. `translation_diagram` builds it from the synthesis's own records:
themes, the advisory group's concepts (coded from the roundtable), the
translations that joined them, and the interpretations. The renderer knows
nothing of themes; it draws columns, boxes and lines.

The co-delivery cycle (Figure 5) is the paper's, kept here as data so a
review can pass its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cosynth.domain.synthesis import (
    Concept,
    ConceptSource,
    Interpretation,
    ThemeLevel,
    ThemeNode,
    Translation,
)

# Conquer et al. (2024), Findings, "Co-delivery": "a cyclic journey for service
# users and carers, moving from being the recipient of an integrated care
# service, to co-production using their lived experience of that service
# and/or condition, to co-delivery, and finally, peer support (Figure 5). Peer
# support ensures that future service users can access services, leading to
# co-production opportunities."
CO_DELIVERY_CYCLE: tuple[str, ...] = (
    "Recipient of an integrated care service",
    "Co-production using lived experience",
    "Co-delivery",
    "Peer support",
)


@dataclass(frozen=True, slots=True)
class DiagramNode:
    """One box: `key` is stable (it becomes the SVG id), `note` a smaller second line."""

    key: str
    label: str
    note: str = ""
    detail: str = ""  # a longer text for a hover title and the description
    group: str = ""  # boxes of one group stay together (a category's themes)


@dataclass(frozen=True, slots=True)
class DiagramColumn:
    heading: str
    nodes: tuple[DiagramNode, ...]


@dataclass(frozen=True, slots=True)
class DiagramEdge:
    """A line from one box to another further right. `direct`: it skips a column."""

    source: str
    target: str
    direct: bool = False


@dataclass(frozen=True, slots=True)
class LayeredDiagram:
    columns: tuple[DiagramColumn, ...]
    edges: tuple[DiagramEdge, ...]

    def node(self, key: str) -> DiagramNode:
        for column in self.columns:
            for candidate in column.nodes:
                if candidate.key == key:
                    return candidate
        raise KeyError(key)


def themes_in_order(tree: Iterable[ThemeNode]) -> list[tuple[ThemeNode, ThemeNode | None]]:
    """Every theme of the tree (not categories, not sub-themes), with its category, in order."""
    found: list[tuple[ThemeNode, ThemeNode | None]] = []
    for top in tree:
        if top.theme.level is ThemeLevel.THEME:
            found.append((top, None))
            continue
        found.extend(
            (child, top) for child in top.children if child.theme.level is ThemeLevel.THEME
        )
    return found


def _study_note(count: int) -> str:
    return f"{count} {'study' if count == 1 else 'studies'}"


def translation_diagram(
    tree: Sequence[ThemeNode],
    statements: Sequence[Concept],
    translations: Sequence[Translation],
    interpretations: Sequence[Interpretation],
) -> LayeredDiagram:
    """The paper's Figure 4: themes -> the advisory group's translations -> new interpretations.

    `statements` are the advisory group's concepts (source ROUNDTABLE: the
    paper's CAG "translated" the group's resonance "into statements"). A
    theme leads to a statement when the statement supports the theme (it
    is among the concepts the theme rests on, with those translated into
    them) or when one translation joins the statement with the theme's
    concepts. A statement leads to an interpretation when the interpretation
    names it, or names the concept a translation of it went into. A theme an
    interpretation names that reaches it through no statement gets a direct
    line, drawn differently, so the figure does not claim the group
    translated it.
    """
    themes = themes_in_order(tree)
    said = [s for s in statements if s.source is ConceptSource.ROUNDTABLE]
    said_ids = {s.id for s in said}

    # Concepts each statement was translated with, and translated into.
    joined: dict[int, set[int]] = {s.id: set() for s in said}
    into: dict[int, set[int]] = {s.id: set() for s in said}
    for translation in translations:
        members = set(translation.from_concept_ids)
        if translation.into_concept_id is not None:
            members.add(translation.into_concept_id)
        for statement_id in members & said_ids:
            joined[statement_id] |= members - {statement_id}
            if translation.into_concept_id is not None:
                into[statement_id].add(translation.into_concept_id)

    statement_to: dict[int, list[int]] = {}
    for statement in said:
        names = {statement.id} | into[statement.id]
        statement_to[statement.id] = [i.id for i in interpretations if names & set(i.concept_ids)]

    pairs: list[tuple[int, int]] = []  # (theme id, statement id)
    for theme, _category in themes:
        support = set(theme.support.concept_ids) | set(theme.theme.concept_ids)
        pairs.extend(
            (theme.theme.id, s.id) for s in said if s.id in support or joined[s.id] & support
        )
    linked = {theme_id for theme_id, _ in pairs}
    theme_ids = {theme.theme.id for theme, _ in themes}
    direct: list[tuple[int, int]] = []  # (theme id, interpretation id)
    for interpretation in interpretations:
        through = [s.id for s in said if interpretation.id in statement_to[s.id]]
        for theme_id in interpretation.theme_ids:
            if theme_id not in theme_ids:
                continue
            reached = any((theme_id, s) in pairs for s in through)
            if reached:
                continue
            if through and theme_id not in linked:
                # Named together with the group's statements by one
                # interpretation, and tied to no statement otherwise: the
                # interpretation is the record that the group read it.
                pairs.extend((theme_id, s) for s in through if (theme_id, s) not in pairs)
            else:
                direct.append((theme_id, interpretation.id))

    order = {theme.theme.id: i for i, (theme, _) in enumerate(themes)}
    spoken = {s.id: i for i, s in enumerate(said)}
    pairs.sort(key=lambda pair: (order[pair[0]], spoken[pair[1]]))
    edges = [DiagramEdge(f"theme-{t}", f"statement-{s}") for t, s in pairs]
    for statement in said:
        edges.extend(
            DiagramEdge(f"statement-{statement.id}", f"interpretation-{i}")
            for i in statement_to[statement.id]
        )
    edges.extend(DiagramEdge(f"theme-{t}", f"interpretation-{i}", direct=True) for t, i in direct)

    return LayeredDiagram(
        columns=(
            DiagramColumn(
                "Themes from the studies",
                tuple(
                    DiagramNode(
                        key=f"theme-{theme.theme.id}",
                        label=theme.theme.name,
                        note=(f"{category.theme.name}, " if category else "")
                        + _study_note(len(theme.support.record_ids)),
                        detail=theme.theme.description,
                        group=f"category-{category.theme.id}" if category else "",
                    )
                    for theme, category in themes
                ),
            ),
            DiagramColumn(
                "Translated by the advisory group",
                tuple(
                    DiagramNode(key=f"statement-{s.id}", label=s.name, detail=s.description)
                    for s in said
                ),
            ),
            DiagramColumn(
                "New interpretations",
                tuple(
                    DiagramNode(key=f"interpretation-{i.id}", label=i.title, detail=i.statement)
                    for i in sorted(interpretations, key=lambda i: (i.position, i.id))
                ),
            ),
        ),
        edges=tuple(edges),
    )
