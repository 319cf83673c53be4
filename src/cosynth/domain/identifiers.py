"""Bibliographic identifiers in one canonical form each: DOI, PMID, PMCID, ISBN, ISSN.

Two records share an identifier only when the canonical forms are equal, so
the rules here decide what "the same DOI" means for de-duplication.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

# Crossref's recommended pattern for modern DOIs, widened to allow the
# characters older DOIs (Wiley's SICI DOIs with <>;) use
# (https://www.crossref.org/blog/dois-and-matching-regular-expressions/).
_DOI = re.compile(r"10\.1002/[^\s\"']+|10\.\d{4,9}/[^\s\"'<>]+", re.IGNORECASE)
_DOI_TAIL = ".,;:)]}>\"'"
_DIGITS = re.compile(r"\d+")
_PMCID = re.compile(r"PMC\s*(\d+)", re.IGNORECASE)
_ISSN = re.compile(r"\b(\d{4})-?(\d{3}[\dXx])\b")


def dois(text: str) -> tuple[str, ...]:
    """Every DOI in `text`, canonical (lower case, no URL or "doi:" prefix), in order."""
    if not text:
        return ()
    decoded = unquote(text) if "%" in text else text
    found: dict[str, None] = {}
    for match in _DOI.finditer(decoded):
        doi = match.group(0).rstrip(_DOI_TAIL)
        # A closing bracket is part of the DOI only if the DOI opened one too.
        while doi.endswith(")") and doi.count("(") < doi.count(")"):
            doi = doi[:-1]
        found.setdefault(doi.lower(), None)
    return tuple(found)


def doi(text: str) -> str:
    """The first DOI in `text`, canonical, or "" (DOIs are case-insensitive: ISO 26324)."""
    found = dois(text)
    return found[0] if found else ""


def pmid(text: str) -> str:
    """A PubMed id without leading zeros, or "" when `text` holds none."""
    found = _DIGITS.search(text or "")
    if not found:
        return ""
    value = found.group(0).lstrip("0")
    return value if 0 < len(value) <= 9 else ""


def pmcid(text: str) -> str:
    """A PubMed Central id as "PMC" + digits, or ""."""
    found = _PMCID.search(text or "")
    return f"PMC{found.group(1)}" if found else ""


def isbn13s(text: str) -> tuple[str, ...]:
    """Every valid ISBN in `text`, as ISBN-13 digits (ISBN-10s converted)."""
    found: dict[str, None] = {}
    for candidate in re.findall(r"[\dXx][\d\-\s]{8,16}[\dXx]", text or ""):
        digits = re.sub(r"[\s-]", "", candidate).upper()
        if len(digits) == 10 and _isbn10_valid(digits):
            found.setdefault(_isbn10_to_13(digits), None)
        elif len(digits) == 13 and digits.isdigit() and _isbn13_valid(digits):
            found.setdefault(digits, None)
    return tuple(found)


def issns(text: str) -> tuple[str, ...]:
    """Every ISSN in `text` as "NNNN-NNNX" (upper-case check digit)."""
    found: dict[str, None] = {}
    for first, second in _ISSN.findall(text or ""):
        found.setdefault(f"{first}-{second.upper()}", None)
    return tuple(found)


def _isbn10_valid(digits: str) -> bool:
    if not digits[:9].isdigit() or not (digits[9].isdigit() or digits[9] == "X"):
        return False
    total = sum((10 - i) * int(d) for i, d in enumerate(digits[:9]))
    total += 10 if digits[9] == "X" else int(digits[9])
    return total % 11 == 0


def _isbn13_valid(digits: str) -> bool:
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits))
    return total % 10 == 0


def _isbn10_to_13(digits: str) -> str:
    core = "978" + digits[:9]
    check = (10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(core)) % 10) % 10
    return core + str(check)
