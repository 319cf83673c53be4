"""What every database's translator shares: collecting warnings and errors, words and
quotes, the date limits, and putting blocks together (OR within, AND across, NOT last).

A translator never writes a string it knows to be wrong: what a database cannot
express is an error (the string is then left empty), what it expresses only
roughly is a warning that says how (e.g. whole years instead of months).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from cosynth.domain.search import (
    FIELD_ORDER,
    Block,
    Database,
    DateLimits,
    Field,
    Strategy,
    Term,
    TermKind,
    Translation,
)

# A word is letters and digits; anything else (a hyphen, an apostrophe, a slash)
# makes most search engines read the text as a phrase, so it is quoted.
_PLAIN_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Words every database here reads as operators: a term that is one is quoted.
_OPERATOR_WORDS = frozenset({"and", "or", "not", "near", "same", "with", "to"})
# ... and words shaped like some database's proximity operator (adj3, N3, W3).
_OPERATOR_SHAPED = re.compile(r"adj\d*|[nw]\d+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Rules:
    """What the validator checks a string against, per database."""

    database: Database
    # The longest string the database takes, where it documents one (None: none known).
    max_length: int | None
    length_source: str
    # (pattern, message): operators of other databases this one does not know.
    unsupported: tuple[tuple[re.Pattern[str], str], ...] = ()
    # PubMed and Europe PMC read lower-case and/or/not as words, not operators.
    uppercase_booleans: bool = False
    # Ovid strategies are numbered lines; brackets must balance on each line.
    line_based: bool = False


class Notes:
    """Warnings and errors met while translating, in the order met, without repeats."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.warnings: list[str] = []
        self.errors: list[str] = []
        # Headings left out, by the sentence that says why: one warning for them all.
        self.left_out: dict[tuple[str, str], list[str]] = {}

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def error(self, message: str) -> None:
        if message not in self.errors:
            self.errors.append(message)

    def leave_out(self, why: str, advice: str, heading: str) -> None:
        found = self.left_out.setdefault((why, advice), [])
        if heading not in found:
            found.append(heading)

    def translation(self, string: str, limiters: tuple[str, ...] = ()) -> Translation:
        for (why, advice), headings in self.left_out.items():
            listed = ", ".join(f'"{h}"' for h in headings)
            self.warnings.insert(
                0,
                f"{why}, so {_these(headings)} left out here: {listed}. {advice}",
            )
        self.left_out = {}
        return Translation(
            database=self.database,
            string="" if self.errors else string,
            warnings=tuple(self.warnings),
            errors=tuple(self.errors),
            limiters=limiters if not self.errors else (),
        )


def begin(strategy: Strategy, notes: Notes) -> None:
    """The checks every database makes of a strategy before writing it."""
    if not strategy.included:
        notes.error(
            "The strategy has no concept blocks to search yet: add a block of terms "
            "(e.g. one for the setting)."
        )
    for block in strategy.excluded:
        notes.warn(
            f'The block "{block.label}" is excluded with NOT: NOT drops every record that '
            "mentions its terms, relevant ones too. Check a sample of what it removes."
        )


def label(block: Block) -> str:
    return f'"{block.label}"'


def empty_block(notes: Notes, block: Block, kept: list[str]) -> bool:
    """True (and an error) when nothing of `block` can be searched in this database."""
    if kept:
        return False
    if not block.terms:
        notes.error(f"The block {label(block)} has no terms: add some, or remove the block.")
    else:
        notes.error(
            f"Nothing in the block {label(block)} can be searched in "
            f"{notes.database.label}: add keywords or phrases to it."
        )
    return True


def _these(headings: list[str]) -> str:
    return "this heading is" if len(headings) == 1 else "these headings are"


def is_plain(text: str) -> bool:
    """True for words a database reads as they stand: letters and digits, no operator."""
    return all(
        _PLAIN_WORD.fullmatch(word)
        and word.lower() not in _OPERATOR_WORDS
        and not _OPERATOR_SHAPED.fullmatch(word)
        for word in text.split()
    )


def truncated(term: Term) -> str:
    """The term's text with the truncation mark `*` after its last word, where asked."""
    return term.text + "*" if term.truncated else term.text


def near_words(term: Term, operator: str) -> str:
    """The words of a proximity search joined by `operator` ("N3", "W/3"), bracketed; a
    word that is not plain (an operator word, a hyphenated one) is quoted on its own."""
    words = [w if is_plain(w) else f'"{w}"' for w in term.words]
    if term.truncated:
        words[-1] = words[-1][:-1] + '*"' if words[-1].endswith('"') else words[-1] + "*"
    return "(" + f" {operator} ".join(words) + ")"


def quoted(term: Term, *, mark: str = "*") -> str:
    """The term as a word or a "quoted phrase", truncated with `mark` where asked."""
    text = term.text + (mark if term.truncated else "")
    if term.kind is TermKind.PHRASE or not is_plain(term.text):
        return f'"{text}"'
    return text


def wrong_vocabulary(notes: Notes, term: Term, accepted: str) -> None:
    vocabulary = term.vocabulary.value if term.vocabulary else "another thesaurus"
    notes.leave_out(
        f"{notes.database.label} does not index with {vocabulary}",
        f"Add {accepted} for the same concepts, if there are any.",
        term.text,
    )


def no_headings(notes: Notes, term: Term) -> None:
    notes.leave_out(
        f"{notes.database.label} has no thesaurus cosynth can search",
        "The other terms of each block search the same concept: add a heading's words as "
        "keywords where they are missing.",
        term.text,
    )


def field_names(fields: frozenset[Field]) -> str:
    return ", ".join(f.value for f in FIELD_ORDER if f in fields)


def combine(
    included: list[str], excluded: list[str], date_clause: str = "", *, not_operator: str = "NOT"
) -> str:
    """Blocks AND'ed (with the date clause last), then the exclusions NOT'ed, bracketed
    so that no database's precedence rules can regroup them."""
    parts = [*included, *([date_clause] if date_clause else [])]
    core = " AND ".join(parts)
    if not excluded:
        return core
    removed = excluded[0] if len(excluded) == 1 else "(" + " OR ".join(excluded) + ")"
    return f"({core}) {not_operator} {removed}"


def or_block(items: list[str]) -> str:
    return "(" + " OR ".join(items) + ")"


def whole_years(notes: Notes, limits: DateLimits, how: str) -> tuple[int | None, int | None]:
    """The limits as whole years, warning when that widens them (a search by months can
    only be narrowed at screening)."""
    start, end = limits.start, limits.end
    widened: list[str] = []
    if start is not None and (start.month, start.day) != (1, 1):
        widened.append(f"{date(start.year, 1, 1).isoformat()} to {_day_before(start)}")
    if end is not None and (end.month, end.day) != (12, 31):
        widened.append(f"{_day_after(end)} to {date(end.year, 12, 31).isoformat()}")
    if widened:
        notes.warn(
            f"{notes.database.label} limits {how} by whole years, so records published "
            f"{' and '.join(widened)} are found too: screen them out by date."
        )
    return (start.year if start else None, end.year if end else None)


def _day_before(day: date) -> str:
    return (day - timedelta(days=1)).isoformat()


def _day_after(day: date) -> str:
    return (day + timedelta(days=1)).isoformat()
