"""Kinds of publication that share a title with an article but are not that article.

An erratum, a comment, a reply, a retraction notice, a conference abstract,
a preprint and another part of a series may all carry (nearly) the article's
title; merging any of them with the article would silently drop a work from
the review. They are linked as related, never merged.
"""

from __future__ import annotations

import re
from enum import StrEnum

from cosynth.domain.citation import Citation
from cosynth.domain.dedup.text import fold


class Kind(StrEnum):
    ARTICLE = "article"
    ERRATUM = "erratum"
    COMMENT = "comment"
    REPLY = "reply"
    RETRACTION = "retraction notice"
    CONFERENCE_ABSTRACT = "conference abstract"
    PREPRINT = "preprint"


_TITLE_KINDS: tuple[tuple[re.Pattern[str], Kind], ...] = (
    (re.compile(r"^(?:erratum|errata|corrigendum|corrigenda|correction|addendum)\b"), Kind.ERRATUM),
    (re.compile(r"^(?:author )?correction to\b|^notice of correction\b"), Kind.ERRATUM),
    # Web of Science titles a correction "<title> (vol 142, pg 310, 2003)".
    (re.compile(r"\(vol\.? \w+,? pg\.? \w+,? (?:19|20)\d\d\)"), Kind.ERRATUM),
    (re.compile(r"^(?:retraction|notice of retraction|retraction notice|withdrawn|expression of concern)\b"), Kind.RETRACTION),  # noqa: E501
    (re.compile(r"^(?:comment(?:ary)? on|comments on|re:|letter to the editor|letter re|letter regarding)\b"), Kind.COMMENT),  # noqa: E501
    (re.compile(r"^(?:reply|response|authors?'? reply|in reply|author response|rebuttal)\b"), Kind.REPLY),  # noqa: E501
)  # fmt: skip
# Publication types (MEDLINE PT, Embase, RIS TY, BibTeX entry types) that say the same.
_TYPE_KINDS: tuple[tuple[str, Kind], ...] = (
    ("published erratum", Kind.ERRATUM),
    ("erratum", Kind.ERRATUM),
    ("correction", Kind.ERRATUM),
    ("retraction of publication", Kind.RETRACTION),
    ("retraction notice", Kind.RETRACTION),
    ("comment", Kind.COMMENT),
    ("conference abstract", Kind.CONFERENCE_ABSTRACT),
    ("meeting abstract", Kind.CONFERENCE_ABSTRACT),
    ("abst", Kind.CONFERENCE_ABSTRACT),  # RIS TY ABST
    ("preprint", Kind.PREPRINT),
)
# Preprint servers, by DOI prefix (Crossref registrants) and by name.
_PREPRINT_DOI_PREFIXES = (
    "10.1101/",  # bioRxiv, medRxiv
    "10.48550/",  # arXiv
    "10.2139/ssrn",  # SSRN
    "10.21203/rs",  # Research Square
    "10.20944/preprints",  # Preprints.org
    "10.31234/osf.io",  # PsyArXiv
    "10.31235/osf.io",  # SocArXiv
    "10.1590/scielopreprints",
)
_PREPRINT_SOURCES = (
    "biorxiv", "medrxiv", "arxiv", "ssrn", "research square", "preprints.org",
    "psyarxiv", "socarxiv", "osf preprints", "scielo preprints", "authorea",
)  # fmt: skip


def kind_of(citation: Citation, doi: str, title: str) -> Kind:
    """The kind of work `citation` is; `doi` and `title` are its canonical DOI and folded title."""
    for pattern, kind in _TITLE_KINDS:
        if pattern.search(title):
            return kind
    types = fold(" ".join((citation.publication_type, *citation.extra.get("PT", ()))))
    for label, kind in _TYPE_KINDS:
        if label in types.split(";") or re.search(rf"\b{re.escape(label)}\b", types):
            return kind
    if doi.startswith(_PREPRINT_DOI_PREFIXES):
        return Kind.PREPRINT
    journal = fold(citation.journal)
    if any(name in journal for name in _PREPRINT_SOURCES):
        return Kind.PREPRINT
    return Kind.ARTICLE


_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
}
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
}  # fmt: skip
_PART = re.compile(
    r"\b(?:part|paper|study|phase)\s+(\d+|[ivx]+|one|two|three|four|five|six)\b"
    r"|\b(first|second|third|fourth|fifth)\s+part\b"
    r"|\b(\d+)(?:st|nd|rd|th)\s+(?:part|report|communication)\b"
)
# Only after a separator ("... : II"), so "type II diabetes" is not read as a part.
_TRAILING_ROMAN = re.compile(r"[:.\-]\s*([ivx]{1,4})\s*$")


def part_of(title: str) -> int | None:
    """The part number a series title names ("Part 2", "part II", "... II"), else None."""
    found = _PART.search(title)
    if found:
        label = next(group for group in found.groups() if group)
        if label.isdigit():
            return int(label)
        return _ROMAN.get(label) or _NUMBER_WORDS.get(label)
    trailing = _TRAILING_ROMAN.search(title)
    if trailing and trailing.group(1) in _ROMAN and trailing.group(1) != "i":
        return _ROMAN[trailing.group(1)]
    return None
