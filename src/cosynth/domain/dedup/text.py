"""Normalised text for matching: titles, names and journal names with packaging removed."""

from __future__ import annotations

import html
import re
import unicodedata

_TAGS = re.compile(r"<[^<>]{0,200}>")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
# Greek letters spelled out, so "TNF-α" and "TNF-alpha" read the same.
_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu",
    "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon",
    "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}  # fmt: skip
_GREEK_TABLE = str.maketrans({**_GREEK, **{k.upper(): v for k, v in _GREEK.items()}})
# Notes databases append to titles (MEDLINE's "[published erratum appears in ...]",
# "[see comments]", "[Review]"; Embase's "(Review)"): not part of the work's title.
# A note may be cut off with the title ("[Erratum appears in J Pediatr. 2003 Jun"),
# so the closing bracket is optional.
_TRAILING_NOTES = re.compile(
    r"\s*[\[(](?:published erratum|erratum appears|erratum in|see comments?|comment in|"
    r"comment on|review|reprint|retracted|retraction in|update in|updated in|corrected|"
    r"abstract|editorial|letter|in press|article in \w+|english abstract|"
    r"\d+ refs?|[a-z]+\]\s*$)[^\])]*[\])]?\s*\.?$",
    re.IGNORECASE,
)
_LEADING_ARTICLES = frozenset({"the", "a", "an"})
_RETRACTED_PREFIX = re.compile(r"^\s*(?:retracted(?: article)?\s*:)\s*", re.IGNORECASE)


def fold(text: str) -> str:
    """Lower case, accents removed, Greek spelled out, markup and entities gone."""
    if not text:
        return ""
    if text.isascii() and "<" not in text and "&" not in text:
        return text.casefold()
    if "<" in text:
        text = _TAGS.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    text = text.translate(_GREEK_TABLE)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold().replace("ß", "ss")


def words(text: str) -> list[str]:
    """The folded alphanumeric words of `text`."""
    return [word for word in _NOT_WORD.split(fold(text)) if word]


def title_words(title: str) -> list[str]:
    """A title's words after removing databases' notes and translated-title brackets."""
    text = _RETRACTED_PREFIX.sub("", title.strip())
    for _ in range(3):  # "... [see comments] [published erratum appears in ...]"
        text = _TRAILING_NOTES.sub("", text)
    # MEDLINE puts a translated title in square brackets: "[Title in English]."
    if text.startswith("[") and text.rstrip(".").endswith("]"):
        text = text.rstrip(".")[1:-1]
    found = words(text)
    # A leading article comes and goes between databases ("The effects of ...").
    if len(found) > 4 and found[0] in _LEADING_ARTICLES:
        return found[1:]
    return found
