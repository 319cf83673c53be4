"""Blocks for databases that put a field code around a group of terms.

CINAHL (`TI ( a OR b )`), Web of Science (`TS=(a OR b)`) and Scopus
(`TITLE-ABS-KEY(a OR b)`) search several terms inside one field code, so a
block's terms are gathered by the fields they search, in the order first met;
a term searched in fields one code cannot cover goes under each code it needs
("TI (...) OR AB (...)").
"""

from __future__ import annotations

from collections.abc import Callable

from cosynth.domain.search import Block, Field, Term, TermKind
from cosynth.domain.search_syntax.common import Notes

Render = Callable[[Term, Notes], str | None]
Codes = Callable[[frozenset[Field]], list[str]]
Wrap = Callable[[str, str], str]


def block_items(
    block: Block,
    notes: Notes,
    *,
    heading: Render,
    word: Render,
    codes: Codes,
    wrap: Wrap,
) -> list[str]:
    """The block's searchable items: headings as they stand, other terms grouped by code."""
    order: list[tuple[str, str | tuple[str, ...]]] = []
    groups: dict[tuple[str, ...], list[str]] = {}
    for term in block.terms:
        if term.kind is TermKind.HEADING:
            rendered = heading(term, notes)
            if rendered is not None:
                order.append(("heading", rendered))
            continue
        rendered = word(term, notes)
        if rendered is None:
            continue
        key = tuple(codes(term.fields))
        if key not in groups:
            groups[key] = []
            order.append(("group", key))
        groups[key].append(rendered)
    items: list[str] = []
    for kind, value in order:
        if kind == "heading":
            assert isinstance(value, str)
            items.append(value)
        else:
            assert isinstance(value, tuple)
            found = groups[value]
            # A lone proximity search needs no second pair of brackets: TITLE(a W/3 b).
            inner = (
                found[0][1:-1] if len(found) == 1 and _bracketed(found[0]) else " OR ".join(found)
            )
            items.extend(wrap(code, inner) for code in value)
    return items


def _bracketed(item: str) -> bool:
    """True when the whole item is one bracketed group, "(a W/3 b)" (not "(a) OR (b)")."""
    if not (item.startswith("(") and item.endswith(")")):
        return False
    depth = 0
    for index, char in enumerate(item):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and index < len(item) - 1:
            return False
    return True
