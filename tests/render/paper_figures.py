"""The paper's synthesis as hand-built domain values, for the figure tests.

Themes, their studies (the reference numbers the Findings cite under each)
and the three interpretations are Conquer et al. (2024), Findings. The
sub-themes are cosynth's reading of those paragraphs (the worked example's
too), and the advisory group's statements paraphrase "Translation and
interpretation of themes".
"""

from __future__ import annotations

from datetime import UTC, datetime

from cosynth.domain.synthesis import (
    Concept,
    ConceptSource,
    ConstructOrder,
    Interpretation,
    Relation,
    Support,
    Theme,
    ThemeLevel,
    ThemeNode,
    Translation,
)

AT = datetime(2022, 9, 20, 10, 0, tzinfo=UTC)

# category -> theme -> (studies, sub-themes)
PAPER: dict[str, dict[str, tuple[tuple[int, ...], tuple[str, ...]]]] = {
    "Design": {
        "Person-centred design": (
            (22, 47, 48, 49, 52, 53, 55),
            ("Lived experience as expertise", "Service user input as a resource"),
        ),
        "Innovative planning": (
            (22, 47, 49, 50, 51, 53, 54, 55),
            ("Embedded, flexible co-production", "Design frameworks"),
        ),
        "Collaboration": (
            (22, 47, 49, 50, 52, 53, 54),
            ("Equity between stakeholders", "Staff engagement"),
        ),
        "Challenges": (
            (47, 48, 49, 51, 52),
            ("Financial restraint and honesty about money", "Learning what co-production needs"),
        ),
        "Requirements": (
            (22, 47, 48, 49, 50, 51, 53, 54, 55),
            (
                "Accessible information",
                "Engagement in decision-making",
                "Time to build relationships",
            ),
        ),
    },
    "Transformation": {
        "Structure": (
            (22, 49, 50, 51, 52, 53, 54, 55),
            (
                "Physical changes to services",
                "New interventions",
                "Capacity building and sustainability",
            ),
        ),
        "Accessibility": (
            (47, 50, 51, 52, 55),
            ("Service-to-service-user communication", "Pragmatic solutions"),
        ),
        "Acceptability": (
            (22, 47, 51, 52, 54, 55),
            (
                "Co-delivery by service users",
                "Peer support",
                "Training by people with lived experience",
            ),
        ),
        "Impact on service users and services": (
            (22, 47, 49, 50, 51, 52, 53, 54, 55),
            (
                "Person-centred service culture",
                "Health outcomes",
                "Responsive, iterative evaluation",
                "Short-term strain on services",
            ),
        ),
    },
}

STATEMENTS = (
    "A narrow, defined focus at the design stage",
    "Acknowledge the challenges early and together",
    "Co-design frameworks and time to collaborate",
    "Co-delivery with peer support makes changes acceptable",
    "Communication loops and flexible resourcing",
    "Bridging lived and learned experience",
)

# title -> (themes named, statements named)
INTERPRETATIONS = {
    "Narrow focus": (
        ("Challenges", "Requirements", "Innovative planning"),
        STATEMENTS[:3],
    ),
    "Co-delivery": (("Acceptability", "Structure"), STATEMENTS[3:4]),
    "Sustainable person-centred services": (
        (
            "Person-centred design",
            "Impact on service users and services",
            "Collaboration",
            "Accessibility",
        ),
        STATEMENTS[4:],
    ),
}


def support(studies: tuple[int, ...]) -> Support:
    return Support(concept_ids=(), record_ids=studies, codings=())


def theme_tree(
    paper: dict[str, dict[str, tuple[tuple[int, ...], tuple[str, ...]]]] = PAPER,
) -> list[ThemeNode]:
    """The theme tree as theme_tree() would give it; ids run in reading order from 1."""
    ids = iter(range(1, 10_000))
    tree = []
    for c_pos, (category, themes) in enumerate(paper.items()):
        c_id = next(ids)
        children = []
        every: set[int] = set()
        for t_pos, (name, (studies, subs)) in enumerate(themes.items()):
            t_id = next(ids)
            every.update(studies)
            grandchildren = tuple(
                ThemeNode(
                    Theme(next(ids), sub, ThemeLevel.SUB_THEME, t_id, s_pos, "", ()),
                    (),
                    support(studies[: max(1, len(studies) - s_pos * 2)]),
                )
                for s_pos, sub in enumerate(subs)
            )
            children.append(
                ThemeNode(
                    Theme(t_id, name, ThemeLevel.THEME, c_id, t_pos, "", ()),
                    grandchildren,
                    support(studies),
                )
            )
        tree.append(
            ThemeNode(
                Theme(c_id, category, ThemeLevel.CATEGORY, None, c_pos, "", ()),
                tuple(children),
                support(tuple(sorted(every))),
            )
        )
    return tree


def statements(first_id: int = 100) -> list[Concept]:
    return [
        Concept(
            id=first_id + i,
            name=name,
            order=ConstructOrder.FIRST,
            source=ConceptSource.ROUNDTABLE,
            description="",
            record_id=None,
            roundtable_id=1,
            added_by="alice",
            added_at=AT,
        )
        for i, name in enumerate(STATEMENTS)
    ]


def interpretations(tree: list[ThemeNode], said: list[Concept]) -> list[Interpretation]:
    by_name = {node.theme.name: node.theme.id for top in tree for node in top.children}
    concept = {c.name: c.id for c in said}
    return [
        Interpretation(
            id=200 + position,
            title=title,
            statement=f"The paper's interpretation '{title}'.",
            position=position,
            theme_ids=tuple(by_name[t] for t in themes),
            concept_ids=tuple(concept[s] for s in named),
        )
        for position, (title, (themes, named)) in enumerate(INTERPRETATIONS.items())
    ]


def no_translations() -> list[Translation]:
    return []


__all__ = ["AT", "Relation", "interpretations", "statements", "theme_tree"]
