"""CINAHL on EBSCOhost: field codes before a bracketed group, EBSCO's proximity.

From EBSCO's CINAHL and EBSCOhost search help: TI title, AB abstract, KW
author-supplied keywords (check: some EBSCO databases name it differently), TX
all text; `(MH "Heading+")` searches a CINAHL
Subject Heading exploded, `(MH "Heading")` not; `*` truncates, also in a
quoted phrase; "a Nn b" finds the words within n words in any order ("Wn" in
the order typed). MeSH is not CINAHL's thesaurus: a MeSH heading is left out
with a warning. Publication dates are a limiter set on the search screen
(Published Date), not part of the string, so they are given beside it.
"""

from __future__ import annotations

import re

from cosynth.domain.search import Database, Field, Strategy, Term, Translation, Vocabulary
from cosynth.domain.search_syntax.common import (
    Notes,
    Rules,
    begin,
    combine,
    empty_block,
    near_words,
    or_block,
    quoted,
    wrong_vocabulary,
)
from cosynth.domain.search_syntax.grouped import block_items

DATABASE = Database.CINAHL
_CODES = ((Field.TITLE, "TI"), (Field.ABSTRACT, "AB"), (Field.KEYWORDS, "KW"))

RULES = Rules(
    database=DATABASE,
    max_length=None,
    length_source="EBSCOhost documents no length limit for a search string.",
    unsupported=(
        (re.compile(r"\badj\d*\b", re.IGNORECASE), "adj (Ovid's): EBSCO writes Nn"),
        (re.compile(r"\bNEAR/\d+", re.IGNORECASE), "NEAR/n (Web of Science's): EBSCO writes Nn"),
        (re.compile(r"\b(W|PRE)/\d+", re.IGNORECASE), "W/n or PRE/n (Scopus's): EBSCO writes Nn"),
        (
            re.compile(r"\[(tiab|ti|mh|ot|all|dp)(:[^\]]*)?\]", re.IGNORECASE),
            "[tiab] tags (PubMed's)",
        ),
        (re.compile(r'"~\d+'), '"..."~n (Europe PMC\'s proximity)'),
        (re.compile(r"\bTITLE-ABS-KEY\(", re.IGNORECASE), "TITLE-ABS-KEY() (Scopus's)"),
        (re.compile(r"\b(TS|PY)=", re.IGNORECASE), "TS= and PY= (Web of Science's)"),
    ),
)


def _codes(fields: frozenset[Field]) -> list[str]:
    if Field.ALL in fields:
        return ["TX"]
    return [code for f, code in _CODES if f in fields]


def _heading(term: Term, notes: Notes) -> str | None:
    if term.vocabulary is not Vocabulary.CINAHL:
        wrong_vocabulary(notes, term, "CINAHL Subject Headings")
        return None
    return f'(MH "{term.text}{"+" if term.explode else ""}")'


def _word(term: Term, notes: Notes) -> str | None:
    if term.proximity is not None:
        return near_words(term, f"N{term.proximity}")
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
            wrap=lambda code, inner: f"{code} ({inner})",
        )
        if empty_block(notes, block, items):
            continue
        (excluded if block.exclude else included).append(or_block(items))
    limiters: tuple[str, ...] = ()
    limits = strategy.limits
    if not limits.empty:
        start = limits.start.strftime("%Y%m%d") if limits.start else "earliest"
        end = limits.end.strftime("%Y%m%d") if limits.end else "latest"
        limiters = (f"Published Date: {start}-{end}",)
    return notes.translation(combine(included, excluded), limiters)
