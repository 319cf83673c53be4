"""How far the screeners agree, per stage and reviewer pair (METHODS.md §7).

"Unsure" is counted as a category of its own: a pair of votes agrees only
when both say include, both exclude, or both unsure. Only records whose
required votes are all in are counted, so the figures never reveal a vote
that blinding still hides. Advice is not a vote and is not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from cosynth.domain.agreement import Agreement, agreement_among, agreement_between
from cosynth.domain.roles import Permission
from cosynth.domain.screening.blinding import unblinded
from cosynth.domain.screening.outcomes import outcome_of
from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Vote, current_votes
from cosynth.services.screening_state import load_stage
from cosynth.services.workspace import Tx
from cosynth.store import screening as screening_store

UNSURE_RULE = (
    'Votes are compared as include / exclude / unsure; "unsure" is a category of its own, '
    "so include against unsure is a disagreement."
)


@dataclass(frozen=True, slots=True)
class PairAgreement:
    reviewer_a: str
    reviewer_b: str
    agreement: Agreement


@dataclass(frozen=True, slots=True)
class StageAgreement:
    stage: Stage
    calibration: bool
    pairs: tuple[PairAgreement, ...]
    overall: Agreement
    unsure_rule: str = UNSURE_RULE


def screening_agreement(
    tx: Tx, review_id: int, *, stage: Stage, calibration: bool = False
) -> StageAgreement:
    """Cohen's kappa per pair, and Fleiss' kappa or Krippendorff's alpha over everyone."""
    tx.require(review_id, Permission.VIEW)
    rated = _rated_units(tx, review_id, stage, calibration=calibration)
    reviewers = sorted({vote.reviewer for votes in rated for vote in votes})
    pairs = []
    for a, b in combinations(reviewers, 2):
        both = [
            (by[a], by[b])
            for by in ({vote.reviewer: vote.decision.value for vote in votes} for votes in rated)
            if a in by and b in by
        ]
        if both:
            pairs.append(PairAgreement(a, b, agreement_between(both)))
    if len(reviewers) == 2 and pairs:
        overall = pairs[0].agreement
    else:
        overall = agreement_among([[vote.decision.value for vote in votes] for votes in rated])
    return StageAgreement(stage, calibration, tuple(pairs), overall)


def _rated_units(tx: Tx, review_id: int, stage: Stage, *, calibration: bool) -> list[list[Vote]]:
    """The current votes on each record that may be counted (all required votes in)."""
    state = load_stage(tx, review_id, stage)
    if not calibration:
        return [
            state.votes[unit]
            for unit in state.units
            if state.votes.get(unit)
            and unblinded(state.outcomes[unit], blinded=True)
            and len(state.votes[unit]) >= 2
        ]
    found = screening_store.calibration_round(tx.session, review_id, stage)
    if found is None:
        return []
    by_unit: dict[int, list[Vote]] = {}
    for vote in screening_store.stage_votes(
        tx.session, review_id, stage, calibration=True, record_ids=found[1]
    ):
        by_unit.setdefault(vote.record_id, []).append(vote)
    counted = []
    for cast in by_unit.values():
        votes = current_votes(cast)
        outcome = outcome_of(
            stage, votes, required=state.protocol.reviewers_required, resolution=None
        )
        if outcome.all_votes_in and len(votes) >= 2:
            counted.append(votes)
    return counted
