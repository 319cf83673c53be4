"""The theme tree written out: Markdown for people, JSON for the report and the worked example.

Categories > themes > sub-themes (the paper's Figure 3: design and
transformation), each with the studies and the "[Study: page]" citations it
rests on, so every theme traces back to studies and pages (issue 7, "Done
when"); then the new interpretations the synthesis expresses (the paper's
Figure 4). Both writers take what the services computed and only lay it out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from cosynth.domain.synthesis import Concept, Interpretation, Support, ThemeNode


def write_theme_tree_markdown(
    nodes: Sequence[ThemeNode],
    *,
    studies: Mapping[int, str],
    citations: Mapping[int, str],
    interpretations: Sequence[tuple[Interpretation, Support]] = (),
    title: str = "Theme tree",
) -> str:
    """A nested list, each line followed by its studies and citations.

    `studies` maps record ids to labels ("Smith 2019"); `citations` maps
    coding ids to their citations ("[Smith 2019: 241]").
    """
    lines = [f"# {_escape(title)}", ""]
    if not nodes:
        lines.append("No themes yet.")
    for node in nodes:
        _node_lines(node, 0, lines, studies, citations)
    if interpretations:
        lines += ["", "## New interpretations", ""]
        for number, (interpretation, support) in enumerate(interpretations, start=1):
            lines.append(f"{number}. {_escape(interpretation.title)}\\")
            indent = " " * (len(str(number)) + 2)
            lines.append(f"{indent}{_escape(interpretation.statement)}\\")
            lines += _support_lines(support, indent, studies, citations)
    return "\n".join(lines) + "\n"


def write_theme_tree_json(
    nodes: Sequence[ThemeNode],
    *,
    studies: Mapping[int, str],
    citations: Mapping[int, str],
    concepts: Mapping[int, Concept],
    interpretations: Sequence[tuple[Interpretation, Support]] = (),
) -> str:
    """The tree as JSON; keys in a fixed order, so the same synthesis writes the same bytes."""

    def support(found: Support) -> dict[str, Any]:
        return {
            "concepts": [_concept(concepts, concept_id) for concept_id in found.concept_ids],
            "studies": [
                {"record_id": record_id, "label": studies.get(record_id, f"record {record_id}")}
                for record_id in found.record_ids
            ],
            "citations": _citations(found, citations),
        }

    def node(found: ThemeNode) -> dict[str, Any]:
        theme = found.theme
        return {
            "id": theme.id,
            "name": theme.name,
            "level": theme.level.value,
            "description": theme.description,
            "linked_concept_ids": list(theme.concept_ids),
            **support(found.support),
            "children": [node(child) for child in found.children],
        }

    document = {
        "categories": [node(found) for found in nodes],
        "interpretations": [
            {
                "id": interpretation.id,
                "title": interpretation.title,
                "statement": interpretation.statement,
                "theme_ids": list(interpretation.theme_ids),
                **support(found),
            }
            for interpretation, found in interpretations
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _node_lines(
    node: ThemeNode,
    depth: int,
    lines: list[str],
    studies: Mapping[int, str],
    citations: Mapping[int, str],
) -> None:
    indent = "  " * depth
    theme = node.theme
    lines.append(f"{indent}- {_escape(theme.name)} ({theme.level.value})\\")
    lines += _support_lines(node.support, indent + "  ", studies, citations)
    for child in node.children:
        _node_lines(child, depth + 1, lines, studies, citations)


def _support_lines(
    support: Support, indent: str, studies: Mapping[int, str], citations: Mapping[int, str]
) -> list[str]:
    labels = [studies.get(record_id, f"record {record_id}") for record_id in support.record_ids]
    cited = _citations(support, citations)
    return [
        # A backslash at the end of a line is a hard line break (CommonMark 6.7).
        f"{indent}Studies: {_escape('; '.join(labels)) if labels else 'none yet'}\\",
        f"{indent}Quotes: {_escape(' '.join(cited)) if cited else 'none yet'}",
    ]


def _citations(support: Support, citations: Mapping[int, str]) -> list[str]:
    found: list[str] = []
    for coding in support.codings:
        cited = citations.get(coding.id)
        if cited and cited not in found:
            found.append(cited)
    return found


def _concept(concepts: Mapping[int, Concept], concept_id: int) -> dict[str, Any]:
    concept = concepts.get(concept_id)
    if concept is None:
        return {"id": concept_id, "name": "", "order": "", "record_id": None}
    return {
        "id": concept.id,
        "name": concept.name,
        "order": concept.order.value,
        "record_id": concept.record_id,
    }


# Characters that would start emphasis, code, HTML or a hard break in Markdown;
# square brackets are left alone so "[Smith 2019: 241]" reads as it is cited.
_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_<>"})


def _escape(text: str) -> str:
    return " ".join(text.split()).translate(_SPECIAL)
