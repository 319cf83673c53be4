"""A record's outcome at a stage, derived from its votes and any resolution.

The rules, stated once so every screen, export and count agrees:

- Until `reviewers_required` reviewers have voted, the outcome is *awaiting*.
- When they have, and all say include, it is *included*; all say exclude, it
  is *excluded*. At full text the exclusion reasons must agree too, since
  PRISMA 2020 reports each excluded report under one reason.
- Any disagreement is a *conflict*, and an "unsure" vote counts as
  disagreement (it asks for a second look), as in Covidence and Rayyan.
- A resolution (consensus, or a third reviewer) settles the record whatever
  the votes say; it is the record's outcome from then on.
- Advice (an adviser's view) is shown beside the outcome but never decides it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision, Resolution, Vote


class Status(StrEnum):
    AWAITING = "awaiting votes"
    CONFLICT = "conflict"
    INCLUDED = "included"
    EXCLUDED = "excluded"

    @property
    def decided(self) -> bool:
        return self in (Status.INCLUDED, Status.EXCLUDED)


@dataclass(frozen=True, slots=True)
class Outcome:
    stage: Stage
    status: Status
    votes_in: int
    votes_required: int
    reason: str = ""
    resolution: Resolution | None = None

    @property
    def all_votes_in(self) -> bool:
        return self.votes_in >= self.votes_required


def outcome_of(
    stage: Stage, votes: list[Vote], *, required: int, resolution: Resolution | None
) -> Outcome:
    """The outcome of one record at `stage` from its reviewers' current votes (advice excluded)."""
    counted = [vote for vote in votes if not vote.advice]
    n = len(counted)
    if resolution is not None:
        status = Status.INCLUDED if resolution.decision is Decision.INCLUDE else Status.EXCLUDED
        return Outcome(stage, status, n, required, resolution.reason, resolution)
    if n < required:
        return Outcome(stage, Status.AWAITING, n, required)
    decisions = {vote.decision for vote in counted}
    if decisions == {Decision.INCLUDE}:
        return Outcome(stage, Status.INCLUDED, n, required)
    if decisions == {Decision.EXCLUDE}:
        reasons = {vote.reason for vote in counted}
        if stage is Stage.FULL_TEXT and len(reasons) > 1:
            return Outcome(stage, Status.CONFLICT, n, required)
        return Outcome(stage, Status.EXCLUDED, n, required, _first_reason(counted))
    return Outcome(stage, Status.CONFLICT, n, required)


def _first_reason(votes: list[Vote]) -> str:
    return next((vote.reason for vote in votes if vote.reason), "")


def counts_as_relevant(outcome: Outcome) -> bool | None:
    """What the ranking learns from a record with this outcome; None: nothing yet.

    A conflict counts as relevant: two reviewers disagreeing means the record
    is plausibly relevant, and a missed relevant record costs a review more
    than an extra one read (the asymmetry behind METHODS.md §8's recall focus).
    """
    if outcome.status is Status.INCLUDED or outcome.status is Status.CONFLICT:
        return True
    if outcome.status is Status.EXCLUDED:
        return False
    return None
