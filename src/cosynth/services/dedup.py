"""De-duplication as the team does it: run, review the uncertain pairs, undo a merge.

Every run starts from the records and the people's decisions, so a re-run
never overturns a decision (DESIGN.md rule 4: a merge can be undone, and
undoing is itself remembered).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from itertools import combinations
from typing import Any

from cosynth.domain.citation import Citation
from cosynth.domain.dedup.groups import Decision, Grouping, find_duplicates
from cosynth.domain.dedup.outcomes import DedupSummary, DuplicateGroup, PairToReview
from cosynth.domain.dedup.representative import representative
from cosynth.domain.review import Record
from cosynth.domain.roles import Permission
from cosynth.errors import InputError, NotFoundError
from cosynth.services.workspace import Tx
from cosynth.store import dedup as dedup_store
from cosynth.store import records as record_store

Progress = Callable[[int, int], None]

# Undoing a group keeps every pair apart; past this size, each record is kept
# apart from the group's first record only (a 10,000-copy group would
# otherwise need fifty million decisions).
_UNDO_ALL_PAIRS_UP_TO = 60


def run_dedup(tx: Tx, review_id: int, *, progress: Progress | None = None) -> DedupSummary:
    """Find the duplicates among all the review's records, keeping people's decisions."""
    tx.require(review_id, Permission.DEDUPLICATE)
    ids: list[int] = []
    sets: list[int | None] = []
    citations = []
    for record_id, deduplicated_source, citation in dedup_store.records_for_matching(
        tx.session, review_id
    ):
        ids.append(record_id)
        sets.append(deduplicated_source)
        citations.append(citation)
    position = {record_id: i for i, record_id in enumerate(ids)}
    decided = dedup_store.latest_decisions(tx.session, review_id)
    decisions = [
        Decision(position[a], position[b], duplicate)
        for (a, b), duplicate in decided.items()
        if a in position and b in position
    ]
    grouping = find_duplicates(citations, decisions, progress, deduplicated_sets=sets)
    run_id = dedup_store.insert_run(tx.session, review_id, at=tx.now, actor=tx.actor)
    formed, dissolved = _store_groups(tx, review_id, run_id, grouping, ids)
    dedup_store.insert_review_pairs(
        tx.session,
        run_id,
        ((ids[p.a], ids[p.b], p.verdict.reason) for p in grouping.uncertain),
    )
    summary = DedupSummary(
        records=len(ids),
        groups=len(grouping.groups),
        records_merged=sum(len(group) - 1 for group in grouping.groups),
        pairs_for_review=len(grouping.uncertain),
        pairs_compared=grouping.pairs_compared,
        groups_formed=formed,
        groups_dissolved=dissolved,
        decisions_kept=len(decisions),
        conflicts=grouping.conflicts,
    )
    dedup_store.finish_run(tx.session, run_id, summary_json(summary))
    tx.log("duplicates found", review_id, run_id=run_id, **summary_json(summary))
    return summary


def _store_groups(
    tx: Tx, review_id: int, run_id: int, grouping: Grouping, ids: list[int]
) -> tuple[int, int]:
    """Dissolve groups the run no longer finds, add the new ones; keep the rest as they are."""
    wanted = {tuple(ids[i] for i in group): group for group in grouping.groups}
    evidence: dict[int, list[dict[str, Any]]] = {}
    for pair in grouping.evidence:
        evidence.setdefault(pair.a, []).append(
            {"a": ids[pair.a], "b": ids[pair.b], "reason": pair.verdict.reason}
        )
    current = dedup_store.current_groups(tx.session, review_id)
    dissolved = 0
    for group_id, members in current.items():
        if members in wanted:
            del wanted[members]
            continue
        dedup_store.dissolve_group(
            tx.session,
            group_id,
            at=tx.now,
            actor=tx.actor,
            reason="a new run grouped these differently",
        )
        dissolved += 1
    dedup_store.insert_groups(
        tx.session,
        review_id,
        [
            (members, [item for p in positions for item in evidence.get(p, [])])
            for members, positions in wanted.items()
        ],
        run_id=run_id,
        at=tx.now,
        actor=tx.actor,
    )
    return len(wanted), dissolved


def list_groups(
    tx: Tx, review_id: int, *, limit: int = 50, offset: int = 0
) -> list[DuplicateGroup]:
    """The current duplicate groups, by their first record."""
    tx.require(review_id, Permission.VIEW)
    current = dedup_store.current_groups(tx.session, review_id)
    chosen = sorted(current.items(), key=lambda item: item[1][0])[offset : offset + limit]
    return [_group(tx, review_id, group_id, members) for group_id, members in chosen]


def group_of_record(tx: Tx, review_id: int, record_id: int) -> DuplicateGroup | None:
    tx.require(review_id, Permission.VIEW)
    found = _current_group_of(tx, review_id, record_id)
    return _group(tx, review_id, *found) if found is not None else None


def _current_group_of(tx: Tx, review_id: int, record_id: int) -> tuple[int, tuple[int, ...]] | None:
    """(group id, its record ids) of the current group holding `record_id`."""
    for group_id, members in dedup_store.current_groups(tx.session, review_id).items():
        if record_id in members:
            return group_id, members
    return None


def group_ids(tx: Tx, review_id: int) -> dict[int, int]:
    """Record id -> its group's id (the group's first record id) for grouped records."""
    tx.require(review_id, Permission.VIEW)
    return dedup_store.group_of_records(tx.session, review_id)


def pairs_to_review(tx: Tx, review_id: int) -> list[PairToReview]:
    """The latest run's uncertain pairs that no one has decided and no group has settled."""
    tx.require(review_id, Permission.VIEW)
    latest = dedup_store.latest_run(tx.session, review_id)
    if latest is None:
        return []
    decided = dedup_store.latest_decisions(tx.session, review_id)
    grouped = group_ids(tx, review_id)
    pairs = []
    for a, b, reason in dedup_store.review_pairs(tx.session, latest[0]):
        if (min(a, b), max(a, b)) in decided:
            continue
        if a in grouped and grouped.get(a) == grouped.get(b):
            continue
        pairs.append(PairToReview(_record(tx, review_id, a), _record(tx, review_id, b), reason))
    return pairs


def decide_pair(
    tx: Tx,
    review_id: int,
    a: int,
    b: int,
    *,
    duplicate: bool,
    note: str = "",
    waiting: bool = False,
) -> DuplicateGroup | None:
    """Record a person's decision on two records; a "same work" merges their groups now.

    `waiting`: the pair was shown as one waiting for a person (the queue of
    `pairs_to_review`). If someone has decided it since, or a group now holds
    both records, the decision is refused in plain words and nothing changes:
    two people working through the same queue must not undo each other.
    """
    tx.require(review_id, Permission.DEDUPLICATE)
    if a == b:
        raise InputError("A record cannot be a duplicate of itself: choose two records.")
    first, second = _record(tx, review_id, a), _record(tx, review_id, b)
    if waiting:
        _refuse_if_settled(tx, review_id, a, b)
    dedup_store.insert_decisions(
        tx.session, review_id, [(a, b)], duplicate=duplicate, at=tx.now, actor=tx.actor, note=note
    )
    tx.log("duplicate pair decided", review_id, a=a, b=b, duplicate=duplicate, note=note)
    if not duplicate:
        return None
    current = dedup_store.current_groups(tx.session, review_id)
    joined = {first.id, second.id}
    for group_id, members in current.items():
        if a in members or b in members:
            joined.update(members)
            dedup_store.dissolve_group(
                tx.session,
                group_id,
                at=tx.now,
                actor=tx.actor,
                reason="joined by a person's decision",
            )
    members = tuple(sorted(joined))
    evidence = [{"a": a, "b": b, "reason": f"{tx.actor} decided they are the same work"}]
    (group_id,) = dedup_store.insert_groups(
        tx.session, review_id, [(members, evidence)], run_id=None, at=tx.now, actor=tx.actor
    )
    return _group(tx, review_id, group_id, members)


def _refuse_if_settled(tx: Tx, review_id: int, a: int, b: int) -> None:
    decided = dedup_store.latest_decisions(tx.session, review_id).get((min(a, b), max(a, b)))
    if decided is None:
        grouped = dedup_store.group_of_records(tx.session, review_id)
        if a not in grouped or grouped.get(a) != grouped.get(b):
            return
        decided = True
    outcome = "merged as one work" if decided else "kept apart as different works"
    raise InputError(
        f"Records {a} and {b} were already decided ({outcome}), perhaps by someone else "
        "while this page was open; nothing was changed."
    )


def undo_group(tx: Tx, review_id: int, record_id: int) -> DuplicateGroup:
    """Undo the group `record_id` is in; its records stay apart in later runs."""
    tx.require(review_id, Permission.DEDUPLICATE)
    found = _current_group_of(tx, review_id, record_id)
    if found is None:
        raise NotFoundError(
            f"Record {record_id} is not in a duplicate group of review {review_id}."
        )
    group_id, members = found
    group = _group(tx, review_id, group_id, members)
    dedup_store.dissolve_group(tx.session, group_id, at=tx.now, actor=tx.actor, reason="undone")
    if len(members) <= _UNDO_ALL_PAIRS_UP_TO:
        pairs = list(combinations(members, 2))
    else:
        pairs = [(members[0], other) for other in members[1:]]
    dedup_store.insert_decisions(
        tx.session,
        review_id,
        pairs,
        duplicate=False,
        at=tx.now,
        actor=tx.actor,
        note="merge undone",
    )
    tx.log("duplicate group undone", review_id, records=members)
    return group


def _group(tx: Tx, review_id: int, group_id: int, members: tuple[int, ...]) -> DuplicateGroup:
    records = tuple(_record(tx, review_id, record_id) for record_id in members)
    evidence = tuple(
        f"{item['a']} and {item['b']}: {item['reason']}"
        for item in dedup_store.group_evidence(tx.session, group_id)
    )
    return DuplicateGroup(id=members[0], records=records, evidence=evidence)


def merged_view(group: DuplicateGroup) -> tuple[Citation, dict[str, int]]:
    """The group's representative citation and which record gave each field."""
    return representative([(record.id, record.citation) for record in group.records])


def _record(tx: Tx, review_id: int, record_id: int) -> Record:
    record = record_store.get_record(tx.session, review_id, record_id)
    if record is None:
        raise NotFoundError(f"Review {review_id} has no record {record_id}.")
    return record


def summary_json(summary: DedupSummary) -> dict[str, Any]:
    """The run's summary as JSON-ready values (for the run record, the log and scripts)."""
    return {**asdict(summary), "conflicts": list(summary.conflicts)}
