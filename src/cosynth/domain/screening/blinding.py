"""Who may see which votes (DESIGN.md rule 3).

With blinding on, a person sees only their own vote on a record until the
votes the stage requires are all in, or the record is resolved, or the lead
has un-blinded the stage. Counts of votes are never blinded: knowing that a
record has one vote of two tells no one which way it went.
"""

from __future__ import annotations

from cosynth.domain.screening.outcomes import Outcome
from cosynth.domain.screening.votes import Vote


def unblinded(outcome: Outcome, *, blinded: bool) -> bool:
    """True when everyone may see every vote on the record."""
    return not blinded or outcome.all_votes_in or outcome.resolution is not None


def visible_votes(viewer: str, votes: list[Vote], outcome: Outcome, *, blinded: bool) -> list[Vote]:
    """The votes `viewer` may see on one record."""
    if unblinded(outcome, blinded=blinded):
        return votes
    return [vote for vote in votes if vote.reviewer == viewer]
