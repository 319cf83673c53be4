"""A citation as a bibliographic database exported it, in cosynth's own fields.

Readers in `cosynth.formats` turn every export format into `Citation` values;
everything downstream (the store, de-duplication, screening) sees only these.
Fields a format has but cosynth has no column for are kept in `extra`, so
nothing a database exported is thrown away.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

_EMPTY: Mapping[str, tuple[str, ...]] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Citation:
    """One bibliographic record. Empty strings and tuples mean "not given"."""

    title: str = ""
    authors: tuple[str, ...] = ()
    year: int | None = None
    journal: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    isbn: str = ""
    issn: str = ""
    abstract: str = ""
    keywords: tuple[str, ...] = ()
    language: str = ""
    publication_type: str = ""
    url: str = ""
    accession: str = ""
    # The identifier the exporting file gave this record (a CSV's record_id
    # column, a RIS ID tag, an EndNote record number): kept for round trips.
    source_id: str = ""
    # The database the file itself names (RIS DB/DP, WoS, a CSV column).
    database: str = ""
    # A screening label the file carried (ASReview, Rayyan, Covidence): True
    # included, False excluded, None unlabelled. Informational on import.
    label: bool | None = None
    extra: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _EMPTY)

    def with_changes(self, **changes: object) -> Citation:
        """A copy with some fields replaced."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def is_empty(self) -> bool:
        """True when nothing a reviewer could screen on is present."""
        return not (self.title or self.abstract or self.doi or self.pmid or self.authors)


# Names of the fields, in the order exports and tables show them.
CITATION_FIELDS: tuple[str, ...] = (
    "title",
    "authors",
    "year",
    "journal",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "pmcid",
    "isbn",
    "issn",
    "abstract",
    "keywords",
    "language",
    "publication_type",
    "url",
    "accession",
    "source_id",
    "database",
    "label",
)
