"""Checking a search string before it is run or logged: brackets and quotes that do
not balance, operators the database does not know, empty brackets and dangling
operators, and the database's documented limits.

A string typed or edited by hand (the search log keeps the exact string run)
is checked the same way as one cosynth wrote; every translation is checked
too, so that a translator's slip shows as an error, never as a wrong string.
"""

from __future__ import annotations

import re

from cosynth.domain.search import Database, Problem, Severity
from cosynth.domain.search_syntax import wos
from cosynth.domain.search_syntax.common import Rules

_QUOTED = re.compile(r'"[^"\n]*"')
_PAIRS = {")": "(", "]": "[", "}": "{"}
_EMPTY = re.compile(r"\(\s*\)")
_DANGLING = re.compile(r"\b(AND|OR|NOT)\s*\)|\(\s*(AND|OR|NOT)\b|^\s*(AND|OR)\b|\b(AND|OR|NOT)\s*$")
_LOWER_BOOLEAN = re.compile(r"(?<=[\s)])(and|or|not)(?=[\s(])")
_LINE_NUMBER = re.compile(r"^\s*\d+\.?\s+")
# EBSCO's "N3"/"W3" look like words too (an N95 mask), so they are only a warning.
_EBSCO_PROXIMITY = re.compile(r"(?<=\s)[NW]\d+(?=\s)")
_OPERATORS = re.compile(r"\b(AND|OR|NOT|NEAR(/\d+)?|SAME)\b", re.IGNORECASE)


def check_string(rules: Rules, string: str) -> tuple[Problem, ...]:
    """Every problem found in `string` for the database of `rules`, errors first."""
    problems: list[Problem] = []
    label = rules.database.label
    if not string.strip():
        return (Problem(Severity.ERROR, f"The {label} string is empty."),)
    lines = string.splitlines() if rules.line_based else [string]
    for number, raw in enumerate(lines, 1):
        line = _LINE_NUMBER.sub("", raw) if rules.line_based else raw
        where = f"line {number}: " if rules.line_based and len(lines) > 1 else ""
        problems.extend(_balance(line, where))
        blanked = _QUOTED.sub('""', line)
        if _EMPTY.search(blanked):
            problems.append(
                Problem(
                    Severity.ERROR,
                    f"{where}an empty pair of brackets (): a block with no terms in it.",
                )
            )
        dangling = _DANGLING.search(blanked)
        if dangling:
            problems.append(
                Problem(
                    Severity.ERROR,
                    f"{where}{dangling.group(0).strip()!r}: an operator with no term on one side.",
                )
            )
        for pattern, described in rules.unsupported:
            if pattern.search(blanked):
                problems.append(
                    Problem(Severity.ERROR, f"{where}{label} does not know {described}.")
                )
        if rules.database is not Database.CINAHL and _EBSCO_PROXIMITY.search(blanked):
            found = _EBSCO_PROXIMITY.search(blanked)
            assert found is not None
            problems.append(
                Problem(
                    Severity.WARNING,
                    f"{where}{found.group(0)} looks like EBSCO's proximity operator, which "
                    f"{label} does not know; if it is a word, put it in quotes.",
                )
            )
        if rules.uppercase_booleans:
            lower = _LOWER_BOOLEAN.search(blanked)
            if lower:
                word = lower.group(1)
                problems.append(
                    Problem(
                        Severity.WARNING,
                        f'{where}{label} reads a lower-case "{word}" as a word to search for, '
                        f"not an operator: write {word.upper()}.",
                    )
                )
        if "\u201c" in line or "\u201d" in line:
            problems.append(
                Problem(
                    Severity.ERROR,
                    f"{where}curly quotes \u201c \u201d (from a word processor) are not quotes to "
                    f'{label}: use straight quotes ".',
                )
            )
    if rules.max_length is not None and len(string) > rules.max_length:
        problems.append(
            Problem(
                Severity.ERROR,
                f"The string is {len(string):,} characters long; {label} takes at most "
                f"{rules.max_length:,}. {rules.length_source}",
            )
        )
    if rules.database is Database.WOS and "ALL=" in string.upper():
        count = len(_OPERATORS.findall(_QUOTED.sub('""', string)))
        if count > wos.MAX_OPERATORS_ALL_FIELDS:
            problems.append(
                Problem(
                    Severity.ERROR,
                    f"The string has {count} operators; an All Fields (ALL=) search in Web of "
                    f"Science takes at most {wos.MAX_OPERATORS_ALL_FIELDS}. Search TS= instead, "
                    "or split the search.",
                )
            )
    problems.sort(key=lambda p: p.severity is not Severity.ERROR)
    return tuple(problems)


def _balance(line: str, where: str) -> list[Problem]:
    problems: list[Problem] = []
    stack: list[tuple[str, int]] = []
    in_quote: int | None = None
    for index, char in enumerate(line):
        if char == '"':
            in_quote = None if in_quote is not None else index
            continue
        if in_quote is not None:
            continue
        if char in "([{":
            stack.append((char, index))
        elif char in _PAIRS:
            if not stack or stack[-1][0] != _PAIRS[char]:
                problems.append(
                    Problem(
                        Severity.ERROR,
                        f"{where}a closing {char} at character {index + 1} has no opening "
                        f"{_PAIRS[char]} before it.",
                    )
                )
                return problems
            stack.pop()
    if in_quote is not None:
        problems.append(
            Problem(
                Severity.ERROR,
                f'{where}the double quote " at character {in_quote + 1} is not closed.',
            )
        )
    for char, index in stack:
        problems.append(
            Problem(
                Severity.ERROR,
                f"{where}the bracket {char} at character {index + 1} is not closed.",
            )
        )
    return problems
