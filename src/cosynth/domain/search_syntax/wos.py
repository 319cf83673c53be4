"""Web of Science Core Collection: advanced search with field tags.

From the Web of Science help (search field tags, search operators, wildcards):
TS= topic (title, abstract, author keywords and Keywords Plus), TI= title,
AB= abstract, AK= author keywords, ALL= all fields; "a NEAR/n b" finds the
words within n words in any order; `*` truncates, with at least three letters
before it in Topic and Title searches; PY=YYYY-YYYY limits whole years. Web of
Science has no thesaurus cosynth can search, so headings are left out with a
warning. An All Fields search takes at most 49 Boolean and proximity
operators.
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

DATABASE = Database.WOS
MAX_OPERATORS_ALL_FIELDS = 49
MIN_STEM = 3
_CODES = ((Field.TITLE, "TI"), (Field.ABSTRACT, "AB"), (Field.KEYWORDS, "AK"))

RULES = Rules(
    database=DATABASE,
    max_length=None,
    length_source=(
        "Web of Science limits the operators, not the characters: at most "
        f"{MAX_OPERATORS_ALL_FIELDS} in an All Fields (ALL=) search."
    ),
    unsupported=(
        (re.compile(r"\badj\d*\b", re.IGNORECASE), "adj (Ovid's): Web of Science writes NEAR/n"),
        (re.compile(r"\b(W|PRE)/\d+", re.IGNORECASE), "W/n or PRE/n (Scopus's): write NEAR/n"),
        (
            re.compile(r"\[(tiab|ti|mh|ot|all|dp)(:[^\]]*)?\]", re.IGNORECASE),
            "[tiab] tags (PubMed's)",
        ),
        (re.compile(r"\bAND NOT\b"), "AND NOT (Scopus's form): Web of Science writes NOT"),
        (re.compile(r'"~\d+'), '"..."~n (Europe PMC\'s proximity)'),
        (re.compile(r"\bTITLE-ABS-KEY\(", re.IGNORECASE), "TITLE-ABS-KEY() (Scopus's)"),
        (re.compile(r"\(MH ", re.IGNORECASE), "(MH ...) headings (EBSCO's)"),
    ),
)


def _codes(fields: frozenset[Field]) -> list[str]:
    if Field.ALL in fields:
        return ["ALL"]
    if fields == {Field.TITLE, Field.ABSTRACT, Field.KEYWORDS}:
        return ["TS"]
    return [code for f, code in _CODES if f in fields]


def _heading(term: Term, notes: Notes) -> str | None:
    no_headings(notes, term)
    return None


def _word(term: Term, notes: Notes) -> str | None:
    if term.truncated and len(term.text.split()[-1]) < MIN_STEM:
        notes.error(
            f"Web of Science needs at least {MIN_STEM} letters before the truncation mark; "
            f'"{term.text}*" has fewer.'
        )
        return None
    if term.fields == {Field.TITLE, Field.ABSTRACT, Field.KEYWORDS}:
        notes.warn(
            "TS= (Topic) searches Keywords Plus as well as titles, abstracts and author "
            "keywords: Keywords Plus are words taken from the titles of cited references."
        )
    if term.proximity is not None:
        return near_words(term, f"NEAR/{term.proximity}")
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
            wrap=lambda code, inner: f"{code}=({inner})",
        )
        if empty_block(notes, block, items):
            continue
        (excluded if block.exclude else included).append(or_block(items))
    date_clause = ""
    if not strategy.limits.empty:
        start, end = whole_years(notes, strategy.limits, "with PY=")
        date_clause = f"PY={start or 1900}-{end or 2100}"
    return notes.translation(combine(included, excluded, date_clause))
