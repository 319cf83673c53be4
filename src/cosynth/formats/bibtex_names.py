"""Names in BibTeX `author` fields: splitting them, ordering them, and writing them back.

BibTeX separates names with "and" outside braces and writes each as
"First von Last", "von Last, First" or "von Last, Jr, First" (Patashnik,
"BibTeXing", 1988, section 4; Markey, "Tame the BeaST", part 4). cosynth
keeps names as "Surname, Given" (with ", Jr" last, as RIS and MEDLINE do)
and a braced corporate name whole.
"""

from __future__ import annotations

import re

from cosynth.formats.fields import clean
from cosynth.formats.latex import latex_to_text, text_to_latex

_AND = re.compile(r"[{}]|\s+and\s+", re.IGNORECASE)
_COMMA = re.compile(r"[{},]")
_WHITESPACE = re.compile(r"[{}]|\s+")
_NEEDS_BRACES = re.compile(r"\band\b|^others$", re.IGNORECASE)


def names_from(value: str) -> tuple[str, ...]:
    """The names in a BibTeX `author` value, each as "Surname, Given" (BibTeXing, section 4).

    A braced name (`{World Health Organization}`) is one corporate name, kept whole.
    """
    names: list[str] = []
    for part in _split_top(value, _AND):
        if clean(part).lower() == "others":
            continue  # BibTeX's way to write "et al."
        name = _format_name(part)
        if name:
            names.append(name)
    return tuple(names)


def _split_top(value: str, separator: re.Pattern[str]) -> list[str]:
    """Split `value` at `separator` (a pattern that also matches braces) outside braces."""
    parts: list[str] = []
    depth = 0
    start = 0
    for found in separator.finditer(value):
        piece = found.group(0)
        if piece == "{":
            depth += 1
        elif piece == "}":
            depth -= 1
        elif depth == 0:
            parts.append(value[start : found.start()])
            start = found.end()
    parts.append(value[start:])
    return parts


def _format_name(raw: str) -> str:
    parts = [clean(latex_to_text(part)) for part in _split_top(raw.strip(), _COMMA)]
    if len(parts) == 1:
        return _first_last(raw.strip())
    last, rest = parts[0], parts[1:]
    if len(rest) >= 2:
        # "von Last, Jr, First" becomes "Last, First, Jr" as RIS and MEDLINE write it.
        jr, first = rest[0], " ".join(rest[1:])
        return ", ".join(part for part in (last, first, jr) if part)
    first = rest[0]
    return f"{last}, {first}" if first else last


def _first_last(raw: str) -> str:
    """ "First von Last" to "von Last, First": the von part starts at the first lower-case word."""
    words = [word for word in _split_top(raw, _WHITESPACE) if word]
    decoded = [clean(latex_to_text(word)) for word in words]
    if len(words) <= 1:
        return decoded[0] if decoded else ""
    start = len(words) - 1
    for index, word in enumerate(words[:-1]):
        if word[0].islower():
            start = index
            break
    first = " ".join(decoded[:start])
    last = " ".join(decoded[start:])
    return f"{last}, {first}" if first else last


def name_to_bibtex(name: str) -> str:
    """One author for an `author` field, so that `names_from` reads back the same name."""
    encoded = text_to_latex(name)
    parts = [part.strip() for part in name.split(",")]
    if _NEEDS_BRACES.search(name) or "," not in name:
        # A corporate or one-piece name, or one holding the word "and": braces
        # keep it whole.
        return f"{{{encoded}}}"
    if len(parts) >= 3:
        last, first, jr = parts[0], ", ".join(parts[1:-1]), parts[-1]
        return ", ".join(text_to_latex(part) for part in (last, jr, first))
    return encoded
