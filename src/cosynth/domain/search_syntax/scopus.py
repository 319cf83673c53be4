"""Scopus: advanced search with field functions.

From the Scopus search guide: TITLE(), ABS(), KEY(), TITLE-ABS-KEY() and
ALL() take a group of terms; "a W/n b" finds the words
within n words in any order ("PRE/n" in the order typed), n from 0 to 255;
`*` truncates, also inside a "loose phrase" in double quotes ({braces} are an
exact phrase in which * is a plain character, so cosynth writes loose
phrases); NOT is written AND NOT; PUBYEAR > YYYY AND PUBYEAR < YYYY limits
whole years. Scopus has no thesaurus cosynth can search (INDEXTERMS mixes
several), so headings are left out with a warning.
"""

from __future__ import annotations

import re

from cosynth.domain.search import Database, Field, Strategy, Term, Translation
from cosynth.domain.search_syntax.common import (
    Notes,
    Rules,
    begin,
    combine,
    empty_block,
    near_words,
    no_headings,
    or_block,
    quoted,
    whole_years,
)
from cosynth.domain.search_syntax.grouped import block_items

DATABASE = Database.SCOPUS
MAX_PROXIMITY = 255
_FUNCTIONS = {
    frozenset({Field.TITLE}): ["TITLE"],
    frozenset({Field.ABSTRACT}): ["ABS"],
    frozenset({Field.KEYWORDS}): ["KEY"],
    # Scopus has no title-and-abstract function without keywords.
    frozenset({Field.TITLE, Field.ABSTRACT}): ["TITLE", "ABS"],
    frozenset({Field.TITLE, Field.ABSTRACT, Field.KEYWORDS}): ["TITLE-ABS-KEY"],
    frozenset({Field.TITLE, Field.KEYWORDS}): ["TITLE", "KEY"],
    frozenset({Field.ABSTRACT, Field.KEYWORDS}): ["ABS", "KEY"],
}

RULES = Rules(
    database=DATABASE,
    max_length=None,
    length_source="Scopus documents no length limit for an advanced search string.",
    unsupported=(
        (re.compile(r"\badj\d*\b", re.IGNORECASE), "adj (Ovid's): Scopus writes W/n"),
        (re.compile(r"\bNEAR/\d+", re.IGNORECASE), "NEAR/n (Web of Science's): Scopus writes W/n"),
        (
            re.compile(r"\[(tiab|ti|mh|ot|all|dp)(:[^\]]*)?\]", re.IGNORECASE),
            "[tiab] tags (PubMed's)",
        ),
        (re.compile(r'"~\d+'), '"..."~n (Europe PMC\'s proximity)'),
        (re.compile(r"\b(TS|TI|AB|PY)=", re.IGNORECASE), "TS=/TI= field tags (Web of Science's)"),
        (re.compile(r"\(MH ", re.IGNORECASE), "(MH ...) headings (EBSCO's)"),
        (re.compile(r"(?<!AND )\bNOT\b"), "NOT on its own: Scopus writes AND NOT"),
    ),
)


def _codes(fields: frozenset[Field]) -> list[str]:
    if Field.ALL in fields:
        return ["ALL"]
    return _FUNCTIONS[frozenset(fields)]


def _heading(term: Term, notes: Notes) -> str | None:
    no_headings(notes, term)
    return None


def _word(term: Term, notes: Notes) -> str | None:
    if term.proximity is not None:
        if term.proximity > MAX_PROXIMITY:
            notes.error(
                f'Scopus\'s W/n goes up to {MAX_PROXIMITY}; "{term.text}" asks for '
                f"{term.proximity}."
            )
            return None
        return near_words(term, f"W/{term.proximity}")
    return quoted(term)


def translate(strategy: Strategy) -> Translation:
    notes = Notes(DATABASE)
    begin(strategy, notes)
    included: list[str] = []
    excluded: list[str] = []
    for block in strategy.blocks:
        items = block_items(
            block,
            notes,
            heading=_heading,
            word=_word,
            codes=_codes,
            wrap=lambda code, inner: f"{code}({inner})",
        )
        if empty_block(notes, block, items):
            continue
        (excluded if block.exclude else included).append(or_block(items))
    date_clause = ""
    if not strategy.limits.empty:
        start, end = whole_years(notes, strategy.limits, "with PUBYEAR")
        parts = []
        if start is not None:
            parts.append(f"PUBYEAR > {start - 1}")
        if end is not None:
            parts.append(f"PUBYEAR < {end + 1}")
        date_clause = " AND ".join(parts)
    return notes.translation(combine(included, excluded, date_clause, not_operator="AND NOT"))
