"""A review's rows as plain data: what the store reads out, and an archive file carries.

The store (`cosynth.store.archive`) turns a review's rows into `ReviewDump`s
and back; the archive format (`cosynth.formats.review_archive`) turns them
into a ZIP and back. Neither knows the other: this is the value they share.
Values in rows are JSON-ready (str, int, float, bool, None, lists and dicts);
moments and dates are ISO 8601 text, and a binary column (a full text's PDF,
an imported file's bytes) holds the name of the archive member with its bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# The archive's own layout; a change that an older cosynth could not read
# raises it. Not the store's schema revision, which the manifest names apart.
ARCHIVE_FORMAT = "cosynth review archive"
ARCHIVE_FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class TableDump:
    """One table's rows that belong to the review, in id order."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True, slots=True)
class ReviewDump:
    """Everything a review holds, at one schema revision of the store."""

    schema_revision: str
    review_id: int
    title: str
    tables: tuple[TableDump, ...]
    # Binary column values by member name ("files/reports/content/3.pdf").
    files: Mapping[str, bytes] = field(default_factory=dict)

    def table(self, name: str) -> TableDump | None:
        return next((table for table in self.tables if table.name == name), None)

    @property
    def row_counts(self) -> dict[str, int]:
        return {table.name: len(table.rows) for table in self.tables}


@dataclass(frozen=True, slots=True)
class ArchiveManifest:
    """What an archive says about itself (its `manifest.json`)."""

    format_version: int
    schema_revision: str
    cosynth_version: str
    created_at: str
    created_by: str
    review_id: int
    review_title: str
    row_counts: Mapping[str, int]
    checksums: Mapping[str, str]
