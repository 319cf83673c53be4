"""Marking the words of a stage's criteria in a title or abstract, for the screener's eye."""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

# Words too common to be worth marking, whatever the criteria say.
_STOPWORDS = frozenset(
    """about above after again against among and any are because been before being between both
    but can did does doing down during each few for from further had has have having her here
    hers him his how into its itself just more most not now off once only other our out over own
    same she should some such than that the their them then there these they this those through
    too under until very was were what when where which while who whom why will with would you
    your study studies paper papers include included exclude excluded criteria""".split()  # noqa: SIM905
)
_WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)


# A light stemmer: enough that "co-production" also marks "co-producing" and
# "carers" marks "carer". Longest suffix first; a stem keeps four letters.
_SUFFIXES = ("ations", "ation", "tions", "tion", "ions", "ion", "ings", "ing", "ers", "er",
             "ies", "ed", "es", "s")  # fmt: skip


def criteria_terms(texts: Iterable[str]) -> list[str]:
    """The distinct word stems (four letters or more, not stopwords) of the criteria."""
    terms = {
        _stem(word.casefold())
        for text in texts
        for word in _WORD.findall(text)
        if len(word) >= 4 and word.casefold() not in _STOPWORDS
    }
    return sorted(terms, key=lambda term: (-len(term), term))


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def highlight(text: str, terms: list[str]) -> Markup:
    """`text`, HTML-escaped, with each criteria word (and words it begins) in <mark>."""
    if not terms:
        return escape(text)
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(term) for term in terms) + r")\w*", re.IGNORECASE
    )
    parts: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        parts.append(str(escape(text[last : match.start()])))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(str(escape(text[last:])))
    return Markup("".join(parts))  # noqa: S704 - every piece above is escaped
