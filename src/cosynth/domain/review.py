"""A review, its members, its imported sources and its records, as values services return."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from cosynth.domain.citation import Citation
from cosynth.domain.prisma import IdentificationMethod
from cosynth.domain.roles import Role


@dataclass(frozen=True, slots=True)
class Review:
    id: int
    title: str
    question: str
    created_at: datetime
    started_on: date | None = None
    completed_on: date | None = None


@dataclass(frozen=True, slots=True)
class Member:
    review_id: int
    username: str
    display_name: str
    role: Role


@dataclass(frozen=True, slots=True)
class Source:
    """One imported file: where its records came from (PRISMA-S: database, platform, date)."""

    id: int
    review_id: int
    filename: str
    format: str
    database: str
    platform: str
    searched_on: date | None
    sha256: str
    size: int
    imported_at: datetime
    imported_by: str
    records_imported: int
    records_skipped: int
    # Which column of the PRISMA 2020 flow its records are counted in.
    method: IdentificationMethod = IdentificationMethod.DATABASE


@dataclass(frozen=True, slots=True)
class Record:
    """One citation as imported, with where it came from."""

    id: int
    review_id: int
    source_id: int
    line: int
    citation: Citation


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record an import could not use, and why (shown in the import report)."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What one import did: records read, imported and skipped with reasons."""

    source: Source
    reader: str
    records_read: int
    records_imported: int
    skipped: tuple[Skipped, ...]


@dataclass(frozen=True, slots=True)
class ReviewStatus:
    """Counts across a review, for `cosynth status` and dashboards."""

    review: Review
    members: int
    sources: int
    records: int
    records_by_database: tuple[tuple[str, int], ...]
    duplicate_groups: int = 0
    # Records that are a second (third...) copy of a work: PRISMA 2020's
    # "duplicate records removed" before screening.
    duplicates_removed: int = 0


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One entry of a review's audit log: who did what, when (never how anyone voted)."""

    id: int
    at: datetime
    actor: str
    action: str
    detail: dict[str, object]
