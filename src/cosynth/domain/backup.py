"""A whole store as plain data: what a backup file carries, and a restore writes back.

A backup is the installation's, not one review's: every review, the accounts,
the invitations and tokens, and the jobs, each table with its rows exactly as
they were, ids and all (a restore goes into an empty store, so nothing can
collide with them). Rows are the review archive's `TableDump`s
(`cosynth.domain.archive`): JSON-ready values, ISO 8601 moments, a binary
column naming the member that holds its bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cosynth.domain.archive import TableDump

# The backup file's own layout; raised when an older cosynth could not read it.
BACKUP_FORMAT = "cosynth store backup"
BACKUP_FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class StoreDump:
    """Every row of every table of a store, at one schema revision, seen at one instant."""

    schema_revision: str
    tables: tuple[TableDump, ...]
    # Binary column values by member name ("files/reports/content/3.pdf").
    files: Mapping[str, bytes] = field(default_factory=dict)

    def table(self, name: str) -> TableDump | None:
        return next((table for table in self.tables if table.name == name), None)

    @property
    def row_counts(self) -> dict[str, int]:
        return {table.name: len(table.rows) for table in self.tables}


@dataclass(frozen=True, slots=True)
class BackupManifest:
    """What a backup says about itself (its `manifest.json`)."""

    format_version: int
    schema_revision: str
    cosynth_version: str
    created_at: str
    created_by: str
    # The engine the backup was taken from ("sqlite", "postgresql"); any restores it.
    engine: str
    row_counts: Mapping[str, int]
    checksums: Mapping[str, str]

    @property
    def reviews(self) -> int:
        return self.row_counts.get("reviews", 0)

    @property
    def rows(self) -> int:
        return sum(self.row_counts.values())
