"""Reading the text inside one table cell: its packaging, and the lists it holds.

Spreadsheets and exporters wrap values (CINAHL's `="0001"`), put several
names or keywords in one cell with whatever separator they like, write
Python list literals (ASReview, pandas), or hide a DOI inside a link. These
functions undo that for `columns.ColumnMap`.
"""

from __future__ import annotations

import ast
import re
from urllib.parse import unquote

from cosynth.formats.fields import clean, doi_from
from cosynth.formats.latex import unescape_entities

# A cell: text, or a list of texts where the source has lists (JSON).
Cell = str | tuple[str, ...]

_URL_PARTS = re.compile(r"[?&#;]")
_ET_AL = frozenset({"...", "\u2026", "et al", "et al.", "others"})
# What the CSV writer guards against formula injection (see tabular._safe).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_RAYYAN_VOTE = re.compile(r'"[^"]*"\s*=>\s*"([^"]*)"')


def doi_in_url(url: str) -> str:
    """A DOI inside a link: a doi.org path or a query value ("id=doi:10.4103%2F2303-...")."""
    if "10." not in url:
        return ""
    for part in _URL_PARTS.split(url):
        if "10." in part:
            doi = doi_from(unquote(part))
            if doi:
                return doi
    return ""


def cell_value(value: Cell) -> Cell:
    """A cell with each text's packaging removed (see `cell_text`)."""
    if isinstance(value, tuple):
        return tuple(text for text in (cell_text(item) for item in value) if text)
    return cell_text(value)


def cell_text(value: str) -> str:
    """A cell's text without the packaging spreadsheets and exporters add."""
    text = value.strip()
    if text.startswith('="') and text.endswith('"') and len(text) >= 3:
        # CINAHL/EBSCO wrap values as Excel formulas so Excel keeps leading zeros.
        text = text[2:-1].replace('""', '"').strip()
    elif text.startswith("'") and text[1:2] in _FORMULA_START:
        # The CSV writer's guard against formula injection, undone.
        text = text[1:]
    return unescape_entities(text) if "&" in text else text


def text_of(value: Cell) -> str:
    """A cell as one line of text; a list's items joined with "; "."""
    if isinstance(value, tuple):
        return clean("; ".join(value))
    return clean(value)


def python_list(text: str) -> list[str] | None:
    """ASReview and pandas write lists as Python literals: "['Marx, Karl', 'Lindgren, A']"."""
    if not (text.startswith("[") and text.endswith("]")):
        return None
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    return None


def people(cell: Cell) -> tuple[str, ...]:
    """The names in an authors cell, in order, each as exported.

    Exporters separate names with ";" (Scopus, Excel), "|" (OpenAlex),
    " and " (BibTeX-minded tools) or ","; a comma also sits inside "Surname,
    Given", so a comma separates names only when every piece has two words
    or more ("Liu R., Adler D.G.", "Joseph Rottman, Erran Carmel").
    """
    if isinstance(cell, tuple):
        parts: list[str] = list(cell)
    else:
        text = cell.strip()
        listed = python_list(text)
        if listed is not None:
            parts = listed
        elif ";" in text:
            parts = text.split(";")
        elif "|" in text:
            parts = text.split("|")
        elif " and " in text and "," in text:
            parts = text.split(" and ")
        elif "," in text:
            pieces = text.split(",")
            parts = pieces if all(len(piece.split()) >= 2 for piece in pieces) else [text]
        else:
            parts = [text]
    names = (clean(part) for part in parts)
    return tuple(name for name in names if name and name.lower() not in _ET_AL)


def terms(cell: Cell) -> list[str]:
    """The keywords in a cell: split on ";" (or "|"), else on commas outside brackets."""
    if isinstance(cell, tuple):
        return [clean(term) for term in cell]
    text = cell.strip()
    listed = python_list(text)
    if listed is not None:
        return [clean(term) for term in listed]
    if ";" in text:
        return [clean(term) for term in text.split(";")]
    if "|" in text:
        return [clean(term) for term in text.split("|")]
    return [clean(term) for term in _split_outside_brackets(text)]


def _split_outside_brackets(text: str) -> list[str]:
    """Split on commas outside (...) and [...]: Emtree writes "cyst (diagnosis, surgery)"."""
    if "(" not in text and "[" not in text:
        return text.split(",")
    parts: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def rayyan_decision(votes: str) -> bool | None:
    """All reviewers "Included": True; all "Excluded": False; maybes or conflicts: None."""
    decisions = {vote.strip().lower() for vote in _RAYYAN_VOTE.findall(votes)}
    if decisions == {"included"}:
        return True
    if decisions == {"excluded"}:
        return False
    return None
