"""Machinery shared by the line-tagged formats: MEDLINE/PubMed, Web of Science and Refer.

Each of them writes one field per line behind a short tag, wraps long values
onto indented continuation lines, and keeps a record's fields in a fixed
order. This module walks a file's lines without copying it, joins wrapped
lines back into one value, and collects a record's values so that a reader
can tell which tags a `Citation` field carried and put the rest in `extra`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import pairwise

from cosynth.formats.fields import clean

# A URL or DOI still open at the end of a line: a scheme, "www." or a DOI
# prefix, and no closing punctuation after it. Only such a token may have been
# cut in two by the exporter's line wrapping.
_OPEN_LINK = re.compile(
    r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.|\b10\.\d{4,9}/)\S*[^\s.,;:)\]}>'\"]$",
    re.IGNORECASE,
)
_ISSN = re.compile(r"\b(\d{4}-?\d{3}[\dXx])\b")
_IN_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_NUMBER = re.compile(r"[^0-9Xx]")
_EMAIL_IN_PARENS = re.compile(r"\s*\(\s*[^()\s]+@[^()\s]+\s*\)")


def numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    """Each line of `text` with its 1-based number, without the newline.

    Walks the text with `str.find` rather than `splitlines()` so that a file of
    a hundred thousand records is never held twice in memory.
    """
    number = 0
    start = 0
    end = len(text)
    while start < end:
        stop = text.find("\n", start)
        if stop == -1:
            stop = end
        number += 1
        yield number, text[start:stop]
        start = stop + 1


class Unwrapper:
    """Joins the physical lines of one wrapped value back into one line of text.

    Exporters wrap long values at a fixed width, breaking between words, so a
    line break normally stands for a space. A word longer than the width, in
    practice a URL or DOI, is cut in the middle instead (older MEDLINE output
    cut any long word: see the notes in Biopython's Bio.Medline), and a space
    put there breaks the link. Such a cut leaves marks a word break cannot:

    - the line before it is as wide as the widest wrapped line seen so far in
      the file (a word break leaves the line short unless the next word
      happened to miss by one), and
    - it has no trailing space: current PubMed output keeps the space of
      every word break at the end of the line, so in a file that does this
      (nearly all its breaks end in a space) any break without one is a cut;
    - in files that strip those spaces (older PubMed, PMC, Web of Science)
      only a line ending in a link still open (a scheme, "www." or a DOI
      prefix, and no closing punctuation after it) is taken as cut. A link
      cut just after ".", ",", ";", ":" or ")" cannot be told from a link
      ending a sentence there, and keeps the space.
    """

    def __init__(self) -> None:
        self.widest = 0
        self.spaced = 0
        self.bare = 0

    def join(self, lines: Sequence[str], offset: int) -> str:
        """The value spread over `lines`; its text starts at `offset` of the first line."""
        if len(lines) == 1:
            return lines[0][offset:].strip()
        for line in lines:
            self.widest = max(self.widest, len(line.rstrip()))
        text = lines[0][offset:].strip()
        for previous, line in pairwise(lines):
            piece = line.strip()
            if not piece:
                continue
            if text and self._cut_inside_word(previous):
                text += piece
            else:
                text = f"{text} {piece}" if text else piece
        return text

    def _cut_inside_word(self, line: str) -> bool:
        if not line:
            return False
        if line[-1].isspace():
            self.spaced += 1
            return False
        self.bare += 1
        if len(line) < self.widest:
            return False
        return self._keeps_break_spaces() or _OPEN_LINK.search(line) is not None

    def _keeps_break_spaces(self) -> bool:
        # Enough evidence that this exporter ends word breaks with a space:
        # a few bare breaks (the cuts themselves) are allowed for.
        return self.spaced >= 10 and self.bare * 20 <= self.spaced


class Values:
    """One record's values by tag, in file order, noting which tags a citation carries whole.

    A reader takes values for `Citation` fields through `one` and `every`;
    whatever was not taken whole ends in `extra()`, so nothing exported is lost.
    """

    def __init__(self) -> None:
        self.by_tag: dict[str, list[str]] = {}
        self.in_order: list[tuple[str, str]] = []
        self._carried: set[str] = set()

    def add(self, tag: str, value: str) -> None:
        self.by_tag.setdefault(tag, []).append(value)
        self.in_order.append((tag, value))

    def __contains__(self, tag: str) -> bool:
        return tag in self.by_tag

    def get(self, tag: str) -> list[str]:
        """Every value of `tag`, without marking it carried."""
        return self.by_tag.get(tag, [])

    def one(self, *tags: str) -> str:
        """The first non-empty value of the first tag that has one, cleaned.

        The tag counts as carried only when it had that one value.
        """
        for tag in tags:
            for value in self.by_tag.get(tag, ()):
                text = clean(value)
                if text:
                    if len(self.by_tag[tag]) == 1:
                        self._carried.add(tag)
                    return text
        return ""

    def every(self, *tags: str) -> list[str]:
        """Every value of `tags` in file order; the tags count as carried."""
        wanted = set(tags)
        self._carried.update(wanted & self.by_tag.keys())
        return [value for tag, value in self.in_order if tag in wanted]

    def carried(self, *tags: str) -> None:
        """Note that a citation field carries every value of `tags`."""
        self._carried.update(tags)

    def extra(self) -> dict[str, tuple[str, ...]]:
        """Every tag not carried whole, with all its values."""
        return {
            tag: tuple(values)
            for tag, values in self.by_tag.items()
            if tag not in self._carried and any(value.strip() for value in values)
        }


def issn_from(text: str) -> str:
    """The first ISSN in `text` ("1759-8486 (Electronic)", "ISSN-1234-4567"), as NNNN-NNNN."""
    found = _ISSN.search(text)
    if not found:
        return ""
    digits = found.group(1).replace("-", "").upper()
    return f"{digits[:4]}-{digits[4:]}"


def looks_like_issn(text: str) -> bool:
    """True when `text` holds an ISSN, not an ISBN (which has 10 or 13 digits).

    A note in brackets ("1759-8486 (Electronic)") does not count.
    """
    compact = _NOT_NUMBER.sub("", _IN_BRACKETS.sub("", text)).upper()
    return len(compact) == 8 and compact[:7].isdigit()


def without_email(name: str) -> str:
    """An author name without an e-mail address in brackets after it.

    Zoological Record writes "Stillman, Andrew N. (andrew.stillman@uconn.edu)";
    the address is kept in the record's EM tag and raw text.
    """
    return clean(_EMAIL_IN_PARENS.sub("", name))


def looks_like_html(line: str) -> bool:
    """True when a file's first line shows it is a web page, not an export."""
    lowered = line.lstrip().lower()
    return lowered.startswith(("<!doctype html", "<html", "<head", "<body")) or (
        lowered.startswith("<?xml") and "<html" in lowered
    )


def paragraph_records(text: str, opener: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, lines) of records separated by blank lines.

    A second line starting with `opener` (MEDLINE's "PMID-", EndNote's "%0")
    also starts a new record, for files whose blank lines were lost on the way
    (pasted into an editor, joined by a script). The last record counts even
    without a final newline or blank line (PubMed's own nbib package drops it).
    """
    start = 0
    lines: list[str] = []
    has_opener = False
    for number, line in numbered_lines(text):
        if not line.strip():
            if lines:
                yield start, lines
                lines, has_opener = [], False
            continue
        is_opener = line.startswith(opener)
        if lines and is_opener and has_opener:
            yield start, lines
            lines, has_opener = [], False
        if not lines:
            start = number
        has_opener = has_opener or is_opener
        lines.append(line)
    if lines:
        yield start, lines
