"""Ovid MEDLINE: a numbered strategy, one term a line, lines combined by number.

From Ovid's MEDLINE database guide and field guide: a suffix names the fields,
.ti. title, .ab. abstract, .kf. author keywords (keyword heading word), .af.
all fields, combined as .ti,ab.; words typed together are searched as a
phrase; `*` (or `$`) truncates; `exp Heading/` searches a MeSH heading
exploded, `Heading/` alone not; "a adjN b" finds the words within N-1 words
of each other in any order (adj1 = next to each other; N up to 99), so
cosynth's "within N words" is adj(N+1). A phrase holding an operator word or
a number is put in quotes, or Ovid reads it as a command or a line number.
Lines are combined as "1 or 2", "3 and 4", "5 not 6"; dates are limited with
`limit N to yr="YYYY - YYYY"` (whole years).
"""

from __future__ import annotations

import re

from cosynth.domain.search import Database, Field, Strategy, Term, TermKind, Translation, Vocabulary
from cosynth.domain.search_syntax.common import (
    Notes,
    Rules,
    begin,
    empty_block,
    near_words,
    whole_years,
    wrong_vocabulary,
)

DATABASE = Database.OVID_MEDLINE
MAX_ADJ = 99
_OPERATOR_WORDS = re.compile(r"^(and|or|not|adj\d*|near|with|same|freq)$", re.IGNORECASE)
_SAFE_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
_FIELDS = ((Field.TITLE, "ti"), (Field.ABSTRACT, "ab"), (Field.KEYWORDS, "kf"))

RULES = Rules(
    database=DATABASE,
    max_length=None,
    length_source="Ovid documents no length limit for a search line.",
    unsupported=(
        (re.compile(r"\bNEAR/\d+", re.IGNORECASE), "NEAR/n (Web of Science's): Ovid writes adjN"),
        (re.compile(r"\b(W|PRE)/\d+", re.IGNORECASE), "W/n or PRE/n (Scopus's): Ovid writes adjN"),
        (
            re.compile(r"\[(tiab|ti|mh|ot|all|dp)(:[^\]]*)?\]", re.IGNORECASE),
            "[tiab] tags (PubMed's)",
        ),
        (re.compile(r"\bAND NOT\b"), "AND NOT (Scopus's form): Ovid writes not"),
        (re.compile(r'"~\d+'), '"..."~n (Europe PMC\'s proximity)'),
        (re.compile(r"\bTITLE-ABS-KEY\(", re.IGNORECASE), "TITLE-ABS-KEY() (Scopus's)"),
    ),
    line_based=True,
)


def _suffix(fields: frozenset[Field]) -> str:
    if Field.ALL in fields:
        return ".af."
    return "." + ",".join(code for f, code in _FIELDS if f in fields) + "."


def _words(text: str) -> str:
    """The words as Ovid reads them: quoted when one is an operator, a number (a line
    number to Ovid) or holds punctuation other than a hyphen or an apostrophe."""
    if any(
        _OPERATOR_WORDS.match(w) or w.isdigit() or not _SAFE_WORD.fullmatch(w) for w in text.split()
    ):
        return f'"{text}"'
    return text


def _term(term: Term, notes: Notes) -> str | None:
    if term.kind is TermKind.HEADING:
        if term.vocabulary is not Vocabulary.MESH:
            wrong_vocabulary(notes, term, "MeSH headings")
            return None
        return f"exp {term.text}/" if term.explode else f"{term.text}/"
    if term.proximity is not None:
        if term.proximity + 1 > MAX_ADJ:
            notes.error(
                f"Ovid's adj goes up to {MAX_ADJ} (within {MAX_ADJ - 1} words); "
                f'"{term.text}" asks for {term.proximity}.'
            )
            return None
        return near_words(term, f"adj{term.proximity + 1}") + _suffix(term.fields)
    text = _words(term.text)
    if term.truncated:
        text = text[:-1] + '*"' if text.endswith('"') else text + "*"
    return f"{text}{_suffix(term.fields)}"


def translate(strategy: Strategy) -> Translation:
    notes = Notes(DATABASE)
    begin(strategy, notes)
    lines: list[str] = []

    def add(line: str) -> int:
        lines.append(line)
        return len(lines)

    included: list[int] = []
    excluded: list[int] = []
    for block in strategy.blocks:
        kept = [s for s in (_term(t, notes) for t in block.terms) if s is not None]
        if empty_block(notes, block, kept):
            continue
        numbers = [add(line) for line in kept]
        combined = numbers[0] if len(numbers) == 1 else add(" or ".join(map(str, numbers)))
        (excluded if block.exclude else included).append(combined)
    if notes.errors:
        return notes.translation("")
    last = included[0] if len(included) == 1 else add(" and ".join(map(str, included)))
    if excluded:
        removed = excluded[0] if len(excluded) == 1 else add(" or ".join(map(str, excluded)))
        last = add(f"{last} not {removed}")
    if not strategy.limits.empty:
        start, end = whole_years(notes, strategy.limits, "with limit to yr=")
        add(f'limit {last} to yr="{start or 1946} - {end or "Current"}"')
    return notes.translation("\n".join(f"{n} {line}" for n, line in enumerate(lines, 1)))
