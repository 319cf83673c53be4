"""Europe PMC: the search syntax of its website and REST API (Lucene-like).

From Europe PMC's search syntax reference: FIELD:term with TITLE, ABSTRACT, KW
(keywords) and MESH_HEADING, a term without a field searches everything;
`*` truncates a single word only (a quoted phrase cannot be truncated);
"word word"~n is Lucene's proximity (word moves, so words the other way round
need two more; check), without truncation; dates as
FIRST_PDATE:[YYYY-MM-DD TO YYYY-MM-DD] (the first publication date, to the day);
Boolean operators in capitals. A MeSH heading is searched as given: cosynth
cannot ask Europe PMC to explode it.
"""

from __future__ import annotations

import re

from cosynth.domain.search import Database, Field, Strategy, Term, TermKind, Translation, Vocabulary
from cosynth.domain.search_syntax.common import (
    Notes,
    Rules,
    begin,
    combine,
    empty_block,
    is_plain,
    or_block,
    wrong_vocabulary,
)

DATABASE = Database.EUROPE_PMC
_PREFIXES = ((Field.TITLE, "TITLE:"), (Field.ABSTRACT, "ABSTRACT:"), (Field.KEYWORDS, "KW:"))

RULES = Rules(
    database=DATABASE,
    max_length=None,
    length_source="Europe PMC documents no length limit for a query.",
    unsupported=(
        (re.compile(r"\badj\d*\b", re.IGNORECASE), 'adj (Ovid\'s): write "a b"~n'),
        (re.compile(r"\bNEAR/\d+", re.IGNORECASE), 'NEAR/n (Web of Science\'s): write "a b"~n'),
        (re.compile(r"\b(W|PRE)/\d+", re.IGNORECASE), 'W/n or PRE/n (Scopus\'s): write "a b"~n'),
        (
            re.compile(r"\[(tiab|ti|mh|ot|all|dp)(:[^\]]*)?\]", re.IGNORECASE),
            "[tiab] tags (PubMed's)",
        ),
        (re.compile(r"\bAND NOT\b"), "AND NOT (Scopus's form): Europe PMC writes NOT"),
        (re.compile(r"\bTITLE-ABS-KEY\(", re.IGNORECASE), "TITLE-ABS-KEY() (Scopus's)"),
        (re.compile(r"\b(TS|TI|AB|PY)=", re.IGNORECASE), "TS=/TI= field tags (Web of Science's)"),
    ),
    uppercase_booleans=True,
)


def _prefixes(fields: frozenset[Field]) -> list[str]:
    if Field.ALL in fields:
        return [""]
    return [prefix for f, prefix in _PREFIXES if f in fields]


def _term(term: Term, notes: Notes) -> str | None:
    if term.kind is TermKind.HEADING:
        if term.vocabulary is not Vocabulary.MESH:
            wrong_vocabulary(notes, term, "MeSH headings")
            return None
        if term.explode:
            notes.warn(
                f'Europe PMC searches the MeSH heading "{term.text}" as given, without the '
                "narrower headings under it: add those you need as headings of their own."
            )
        return f'MESH_HEADING:"{term.text}"'
    phrase = term.kind is TermKind.PHRASE or not is_plain(term.text)
    if term.truncated and (phrase or term.proximity is not None):
        notes.error(
            f'Europe PMC cannot truncate a word inside a phrase or a proximity search ("'
            f'{term.text}*"): list the endings as separate phrases, or truncate a single word.'
        )
        return None
    if term.proximity is not None:
        # Lucene's phrase slop (check against Europe PMC's help): it counts moves of
        # words, so two words the other way round need two more than the words between.
        notes.warn(
            f'Europe PMC\'s "…"~{term.proximity} (for "{term.text}") counts how far words '
            "move, so the words the other way round must sit two words closer. Check a "
            "sample of what it finds."
        )
        text = f'"{term.text}"~{term.proximity}'
    elif phrase:
        text = f'"{term.text}"'
    else:
        text = term.text + ("*" if term.truncated else "")
    searched = [f"{prefix}{text}" for prefix in _prefixes(term.fields)]
    return searched[0] if len(searched) == 1 else or_block(searched)


def translate(strategy: Strategy) -> Translation:
    notes = Notes(DATABASE)
    begin(strategy, notes)
    included: list[str] = []
    excluded: list[str] = []
    for block in strategy.blocks:
        kept = [s for s in (_term(t, notes) for t in block.terms) if s is not None]
        if empty_block(notes, block, kept):
            continue
        (excluded if block.exclude else included).append(or_block(kept))
    limits = strategy.limits
    date_clause = ""
    if not limits.empty:
        start = limits.start.isoformat() if limits.start else "1000-01-01"
        end = limits.end.isoformat() if limits.end else "3000-12-31"
        date_clause = f"FIRST_PDATE:[{start} TO {end}]"
    return notes.translation(combine(included, excluded, date_clause))
