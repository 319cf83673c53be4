"""Queries on duplicate groups, pair decisions and de-duplication runs.

Everything here is appended, never updated (DESIGN.md rule 1): the current
groups are those without a dissolution; the current decision on a pair is
the latest one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, insert, select
from sqlalchemy.orm import Session

from cosynth.domain.citation import Citation
from cosynth.store.tables import (
    DedupRunRow,
    DuplicateGroupRow,
    GroupDissolutionRow,
    GroupMemberRow,
    PairDecisionRow,
    RecordRow,
    ReviewPairRow,
    SourceRow,
)

# What matching reads of a record: not the abstract or the raw text, which
# are most of a record's bytes.
_MATCHED = (
    RecordRow.id, RecordRow.title, RecordRow.authors, RecordRow.year, RecordRow.journal,
    RecordRow.volume, RecordRow.issue, RecordRow.pages, RecordRow.doi, RecordRow.pmid,
    RecordRow.isbn, RecordRow.url, RecordRow.publication_type, RecordRow.extra,
)  # fmt: skip


def records_for_matching(
    session: Session, review_id: int
) -> Iterator[tuple[int, int | None, Citation]]:
    """(record id, its source when already de-duplicated, the fields matching compares)."""
    query = (
        select(*_MATCHED, RecordRow.source_id, SourceRow.deduplicated)
        .join(SourceRow, SourceRow.id == RecordRow.source_id)
        .where(RecordRow.review_id == review_id)
        .order_by(RecordRow.id)
    )
    for row in session.execute(query.execution_options(yield_per=5_000)):
        (record_id, title, authors, year, journal, volume, issue, pages, doi, pmid, isbn, url,
         publication_type, extra, source_id, deduplicated) = row  # fmt: skip
        citation = Citation(
            title=title,
            authors=tuple(authors or ()),
            year=year,
            journal=journal,
            volume=volume,
            issue=issue,
            pages=pages,
            doi=doi,
            pmid=pmid,
            isbn=isbn,
            url=url,
            publication_type=publication_type,
            extra={"PT": tuple(extra["PT"])} if extra and "PT" in extra else {},
        )
        yield record_id, (source_id if deduplicated else None), citation


def current_groups(session: Session, review_id: int) -> dict[int, tuple[int, ...]]:
    """Group id -> its record ids (sorted), for groups not dissolved."""
    dissolved = exists().where(GroupDissolutionRow.group_id == DuplicateGroupRow.id)
    rows = session.execute(
        select(GroupMemberRow.group_id, GroupMemberRow.record_id)
        .join(DuplicateGroupRow, DuplicateGroupRow.id == GroupMemberRow.group_id)
        .where(DuplicateGroupRow.review_id == review_id, ~dissolved)
        .order_by(GroupMemberRow.group_id, GroupMemberRow.record_id)
    )
    groups: dict[int, list[int]] = defaultdict(list)
    for group_id, record_id in rows:
        groups[group_id].append(record_id)
    return {group_id: tuple(members) for group_id, members in groups.items()}


def group_evidence(session: Session, group_id: int) -> list[Any]:
    return session.get_one(DuplicateGroupRow, group_id).evidence


def insert_groups(
    session: Session,
    review_id: int,
    groups: Sequence[tuple[Sequence[int], list[dict[str, Any]]]],
    *,
    run_id: int | None,
    at: datetime,
    actor: str,
) -> list[int]:
    """Add many groups (records, evidence) at once; return their ids in order."""
    if not groups:
        return []
    statement = insert(DuplicateGroupRow).returning(
        DuplicateGroupRow.id, sort_by_parameter_order=True
    )
    rows = [
        {"review_id": review_id, "run_id": run_id, "at": at, "actor": actor, "evidence": evidence}
        for _records, evidence in groups
    ]
    ids = list(session.scalars(statement, rows))
    members = [
        {"group_id": group_id, "record_id": record_id}
        for group_id, (records, _evidence) in zip(ids, groups, strict=True)
        for record_id in records
    ]
    session.execute(insert(GroupMemberRow), members)
    return ids


def dissolve_group(
    session: Session, group_id: int, *, at: datetime, actor: str, reason: str
) -> None:
    session.add(GroupDissolutionRow(group_id=group_id, at=at, actor=actor, reason=reason))


def latest_decisions(session: Session, review_id: int) -> dict[tuple[int, int], bool]:
    """The current human decision on each decided pair (a < b)."""
    rows = session.execute(
        select(PairDecisionRow.record_a, PairDecisionRow.record_b, PairDecisionRow.duplicate)
        .where(PairDecisionRow.review_id == review_id)
        .order_by(PairDecisionRow.id)
    )
    return {(a, b): duplicate for a, b, duplicate in rows}


def insert_decisions(
    session: Session,
    review_id: int,
    pairs: Iterable[tuple[int, int]],
    *,
    duplicate: bool,
    at: datetime,
    actor: str,
    note: str,
) -> int:
    rows = [
        {
            "review_id": review_id,
            "record_a": min(a, b),
            "record_b": max(a, b),
            "duplicate": duplicate,
            "at": at,
            "actor": actor,
            "note": note,
        }
        for a, b in pairs
    ]
    if rows:
        session.execute(insert(PairDecisionRow), rows)
    return len(rows)


def insert_run(session: Session, review_id: int, *, at: datetime, actor: str) -> int:
    row = DedupRunRow(review_id=review_id, at=at, actor=actor, summary={})
    session.add(row)
    session.flush()
    return row.id


def finish_run(session: Session, run_id: int, summary: dict[str, Any]) -> None:
    session.get_one(DedupRunRow, run_id).summary = summary


def insert_review_pairs(
    session: Session, run_id: int, pairs: Iterable[tuple[int, int, str]]
) -> None:
    rows = [{"run_id": run_id, "record_a": a, "record_b": b, "reason": why} for a, b, why in pairs]
    if rows:
        session.execute(insert(ReviewPairRow), rows)


def latest_run(session: Session, review_id: int) -> tuple[int, dict[str, Any]] | None:
    row = session.scalars(
        select(DedupRunRow)
        .where(DedupRunRow.review_id == review_id)
        .order_by(DedupRunRow.id.desc())
        .limit(1)
    ).first()
    return (row.id, row.summary) if row is not None else None


def review_pairs(session: Session, run_id: int) -> list[tuple[int, int, str]]:
    rows = session.execute(
        select(ReviewPairRow.record_a, ReviewPairRow.record_b, ReviewPairRow.reason)
        .where(ReviewPairRow.run_id == run_id)
        .order_by(ReviewPairRow.id)
    )
    return [(a, b, why) for a, b, why in rows]


def count_groups(session: Session, review_id: int) -> int:
    dissolved = exists().where(GroupDissolutionRow.group_id == DuplicateGroupRow.id)
    return (
        session.scalar(
            select(func.count(DuplicateGroupRow.id)).where(
                DuplicateGroupRow.review_id == review_id, ~dissolved
            )
        )
        or 0
    )


def group_of_records(session: Session, review_id: int) -> dict[int, int]:
    """Record id -> the first record id of its current group, for grouped records."""
    return {
        record_id: members[0]
        for members in current_groups(session, review_id).values()
        for record_id in members
    }
