"""Votes, advice and resolutions: the judgements screening is made of.

All three are append-only (DESIGN.md rule 1): a change of mind is a new vote
that supersedes the reviewer's earlier one, and the history is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cosynth.domain.screening.stages import Stage


class Decision(StrEnum):
    INCLUDE = "include"
    EXCLUDE = "exclude"
    UNSURE = "unsure"


class ResolutionMethod(StrEnum):
    """How a conflict was settled (Cochrane Handbook 4.6.4: discussion, or a third person)."""

    CONSENSUS = "consensus"
    THIRD_REVIEWER = "third reviewer"
    # A person chose to stop screening and apply the ranking's verdict to the
    # records no one had voted on; PRISMA 2020 reports them as "records marked
    # as ineligible by automation tools", and only ever what a human applied.
    AUTOMATION = "marked ineligible by automation tool"


@dataclass(frozen=True, slots=True)
class Vote:
    """One person's judgement of one record at one stage.

    `advice` marks an adviser's view: recorded and shown beside the decision
    (the paper's first full-text stage), but not one of the votes the outcome
    is made of. `calibration` marks a vote from the calibration round.
    """

    id: int
    review_id: int
    record_id: int
    stage: Stage
    reviewer: str
    decision: Decision
    reason: str
    note: str
    tags: tuple[str, ...]
    cast_at: datetime
    sequence: int
    advice: bool = False
    calibration: bool = False


@dataclass(frozen=True, slots=True)
class Resolution:
    """The decision recorded for a record whose votes disagreed."""

    id: int
    review_id: int
    record_id: int
    stage: Stage
    decision: Decision
    reason: str
    rationale: str
    method: ResolutionMethod
    resolved_by: str
    resolved_at: datetime


def current_votes(votes: list[Vote]) -> list[Vote]:
    """Each person's latest vote (by sequence), in the order they were first cast."""
    latest: dict[str, Vote] = {}
    for vote in sorted(votes, key=lambda vote: (vote.sequence, vote.id)):
        latest[vote.reviewer] = vote
    return sorted(latest.values(), key=lambda vote: vote.cast_at)
