"""Two citations side by side, field by field, saying which fields differ."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _

from cosynth.domain.citation import Citation

_PUNCTUATION = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class FieldRow:
    """One field of two records: its name, each record's value, and whether they differ."""

    label: str
    left: str
    right: str
    differs: bool


def compare_citations(left: Citation, right: Citation) -> list[FieldRow]:
    """The fields either record has, in reading order, with the differing ones marked.

    Case, spacing and punctuation do not count as a difference ("care." and
    "Care" are the same title): people look for a different work, not a
    different house style.
    """
    rows = []
    for field, label in _fields():
        a, b = _value(left, field), _value(right, field)
        if a or b:
            rows.append(FieldRow(label, a, b, differs=_plain(a) != _plain(b)))
    return rows


def _fields() -> tuple[tuple[str, str], ...]:
    return (
        ("title", _("Title")),
        ("authors", _("Authors")),
        ("year", _("Year")),
        ("journal", _("Journal")),
        ("volume", _("Volume")),
        ("issue", _("Issue")),
        ("pages", _("Pages")),
        ("doi", _("DOI")),
        ("pmid", _("PubMed ID")),
        ("publication_type", _("Publication type")),
        ("database", _("Database")),
        ("abstract", _("Abstract")),
    )


def _value(citation: Citation, field: str) -> str:
    value = getattr(citation, field)
    if isinstance(value, tuple):
        return "; ".join(value)
    return "" if value is None else str(value)


def _plain(text: str) -> str:
    return _PUNCTUATION.sub(" ", text).strip().casefold()
