"""PubMed (NCBI): one string, field tags after each term.

From the PubMed User Guide and NLM Technical Bulletins: [ti] title, [tiab]
title/abstract, [ot] other term (author keywords, NLM Tech Bull 2013 no. 390),
[all] all fields; there is no abstract-only tag. Library guides now describe
[tiab] as matching author keywords too (check); cosynth adds [ot] whenever
keywords are asked for, which is right either way. [mh] searches a MeSH heading
exploded, [mh:noexp] not exploded. `*` truncates, also at the end of a
quoted phrase. Proximity (since November 2022, NLM Tech Bull 2022 no. 449):
"word word"[tiab:~N], N the most words between them, in the [ti] and [tiab]
fields only, and without truncation. Dates: "YYYY/MM/DD:YYYY/MM/DD"[dp].
Boolean operators must be in capitals.
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
    field_names,
    or_block,
    quoted,
    wrong_vocabulary,
)

DATABASE = Database.PUBMED

RULES = Rules(
    database=DATABASE,
    max_length=None,
    length_source="PubMed documents no length limit for a search string.",
    unsupported=(
        (re.compile(r"\badj\d*\b", re.IGNORECASE), "adj (Ovid's proximity operator)"),
        (re.compile(r"\bNEAR/\d+", re.IGNORECASE), "NEAR/n (Web of Science's proximity operator)"),
        (
            re.compile(r"\b(W|PRE)/\d+", re.IGNORECASE),
            "W/n or PRE/n (Scopus's proximity operators)",
        ),
        (re.compile(r"\bAND NOT\b"), "AND NOT (Scopus's form: PubMed writes NOT)"),
        (re.compile(r'"~\d+'), '"..."~n (Europe PMC\'s proximity): write "..."[tiab:~n]'),
        (re.compile(r"\b(TS|TI|AB|PY)=", re.IGNORECASE), "TS=/TI= field tags (Web of Science's)"),
        (re.compile(r"\bTITLE-ABS-KEY\(", re.IGNORECASE), "TITLE-ABS-KEY() (Scopus's)"),
    ),
    uppercase_booleans=True,
)


def _tags(fields: frozenset[Field], notes: Notes, term: Term) -> list[str]:
    if Field.ALL in fields:
        return ["all"]
    tags: list[str] = []
    if Field.ABSTRACT in fields and Field.TITLE not in fields:
        notes.error(
            f'PubMed cannot search the abstract without the title ("{term.text}" in '
            f"{field_names(fields)}): search it in the title and abstract."
        )
        return []
    if Field.TITLE in fields:
        tags.append("tiab" if Field.ABSTRACT in fields else "ti")
    if Field.KEYWORDS in fields:
        tags.append("ot")
    return tags


def _term(term: Term, notes: Notes) -> str | None:
    if term.kind is TermKind.HEADING:
        if term.vocabulary is not Vocabulary.MESH:
            wrong_vocabulary(notes, term, "MeSH headings")
            return None
        return f'"{term.text}"[{"mh" if term.explode else "mh:noexp"}]'
    if term.proximity is not None:
        if term.truncated:
            notes.error(
                f'PubMed cannot truncate words in a proximity search ("{term.text}" within '
                f"{term.proximity}): drop the truncation, or list the word's endings as "
                "separate terms."
            )
            return None
        if term.fields not in ({Field.TITLE}, {Field.TITLE, Field.ABSTRACT}):
            notes.error(
                f"PubMed searches words near each other only in the title, or the title and "
                f'abstract; "{term.text}" is asked for in {field_names(term.fields)}.'
            )
            return None
        tag = "tiab" if Field.ABSTRACT in term.fields else "ti"
        return f'"{term.text}"[{tag}:~{term.proximity}]'
    tags = _tags(term.fields, notes, term)
    if not tags:
        return None
    text = quoted(term)
    searched = [f"{text}[{tag}]" for tag in tags]
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
        start = limits.start.strftime("%Y/%m/%d") if limits.start else "1000/01/01"
        # PubMed's own advice for "to the present" is the year 3000.
        end = limits.end.strftime("%Y/%m/%d") if limits.end else "3000/12/31"
        date_clause = f'"{start}:{end}"[dp]'
    return notes.translation(combine(included, excluded, date_clause))
