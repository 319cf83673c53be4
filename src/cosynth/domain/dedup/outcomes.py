"""What de-duplication hands back to people: groups, pairs to decide, run summaries."""

from __future__ import annotations

from dataclasses import dataclass

from cosynth.domain.review import Record


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Records that are one work; `id` is its first (lowest) record id."""

    id: int
    records: tuple[Record, ...]
    evidence: tuple[str, ...]  # why each record joined, in words


@dataclass(frozen=True, slots=True)
class PairToReview:
    """Two records a person should compare, and why the machine could not decide."""

    a: Record
    b: Record
    reason: str


@dataclass(frozen=True, slots=True)
class DedupSummary:
    records: int
    groups: int
    records_merged: int  # records that are a second (third...) copy: PRISMA "duplicates removed"
    pairs_for_review: int
    pairs_compared: int
    groups_formed: int
    groups_dissolved: int
    decisions_kept: int
    conflicts: tuple[str, ...] = ()
