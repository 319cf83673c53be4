"""Appraisers' judgements, their comparison, and the consensus on each item.

Judgements and consensus are append-only (DESIGN.md rule 1): a change of mind
is a new row with the next sequence number, and the latest one holds. The
agreed answer on an item is the consensus recorded for it, or else the answer
every finished appraiser gave.

Blinding follows screening (DESIGN.md rule 3): an appraiser sees only their
own judgements on a study until the appraisers the protocol requires have all
finished it, or a consensus has been recorded on it; the lead sees all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cosynth.domain.appraisal.instruments import Instrument, Item


@dataclass(frozen=True, slots=True)
class Judgement:
    """One appraiser's answer to one item for one study, with the reason for it.

    `answer` is an answer id of the item's scale, or "" for a free-text item
    (whose words are in `reason`).
    """

    id: int
    review_id: int
    record_id: int
    appraiser: str
    instrument_id: str
    item_id: str
    answer: str
    reason: str
    at: datetime
    sequence: int


class ConsensusMethod(StrEnum):
    LEAD = "decided by the lead"
    DISCUSSION = "agreed by the appraisers in discussion"


@dataclass(frozen=True, slots=True)
class Consensus:
    """The answer agreed on one item for one study, and why."""

    id: int
    review_id: int
    record_id: int
    instrument_id: str
    item_id: str
    answer: str
    rationale: str
    method: ConsensusMethod
    agreed_by: str
    at: datetime
    sequence: int


@dataclass(frozen=True, slots=True)
class ItemAnswer:
    """An answer to record, as typed or read from an answers file (`line` names where).

    `answer` is an answer id or label of the item's scale, or the words of a
    free-text item.
    """

    item: str
    answer: str
    reason: str = ""
    record_id: int | None = None
    line: int | None = None


def current_judgements(judgements: Iterable[Judgement]) -> dict[str, dict[str, Judgement]]:
    """Appraiser -> item id -> their latest judgement, appraisers in the order they started."""
    ordered = sorted(judgements, key=lambda j: (j.sequence, j.id))
    first_seen = sorted({j.appraiser: j.id for j in reversed(ordered)}.items(), key=lambda x: x[1])
    latest: dict[str, dict[str, Judgement]] = {who: {} for who, _ in first_seen}
    for judgement in ordered:
        latest[judgement.appraiser][judgement.item_id] = judgement
    return latest


def current_consensus(rows: Iterable[Consensus]) -> dict[str, Consensus]:
    """Item id -> the consensus in force on it."""
    latest: dict[str, Consensus] = {}
    for row in sorted(rows, key=lambda c: (c.sequence, c.id)):
        latest[row.item_id] = row
    return latest


def answers_of(judgements: Mapping[str, Judgement]) -> dict[str, str]:
    """Item id -> answer id, free-text items left out."""
    return {item_id: j.answer for item_id, j in judgements.items() if j.answer}


@dataclass(frozen=True, slots=True)
class ItemComparison:
    """The finished appraisers' answers on one item, and what is agreed.

    `appraisers` is how many finished appraisers there are: an item only some
    of them answered (one stopped at a failed screening question) differs.
    """

    item: Item
    judgements: tuple[Judgement, ...]
    consensus: Consensus | None
    appraisers: int

    @property
    def answers(self) -> tuple[str, ...]:
        return tuple(j.answer for j in self.judgements)

    @property
    def differs(self) -> bool:
        """The appraisers gave different answers, or not all answered (free text never differs)."""
        if self.item.free_text:
            return False
        return len(set(self.answers)) > 1 or 0 < len(self.judgements) < self.appraisers

    @property
    def agreed(self) -> str | None:
        """The consensus answer, or the answer every appraiser gave, or None."""
        if self.consensus is not None:
            return self.consensus.answer
        if self.item.free_text or not self.judgements or self.differs:
            return None
        return self.answers[0]


def compare(
    instrument: Instrument,
    appraisers: Mapping[str, Mapping[str, Judgement]],
    consensus: Mapping[str, Consensus],
) -> tuple[ItemComparison, ...]:
    """Item by item, the judgements of `appraisers` (the finished ones) and any consensus."""
    return tuple(
        ItemComparison(
            item=item,
            judgements=tuple(given[item.id] for given in appraisers.values() if item.id in given),
            consensus=consensus.get(item.id),
            appraisers=len(appraisers),
        )
        for item in instrument.items
    )


def agreed_answers(comparisons: Iterable[ItemComparison]) -> dict[str, str]:
    """Item id -> the agreed answer, for the items that have one."""
    return {c.item.id: agreed for c in comparisons if (agreed := c.agreed) is not None}


def unblinded(*, blinded: bool, finished: int, required: int, consensus: bool) -> bool:
    """True when everyone who may view the review may see every judgement on the study."""
    return not blinded or finished >= required or consensus
