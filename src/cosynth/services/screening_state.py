"""The state of a screening stage, derived from the store in one pass.

Every service that reads or changes screening starts here, so the path of a
record through the stages (DESIGN.md: derived from the votes, never a
hand-set status) is worked out in exactly one place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from cosynth.domain.screening.outcomes import Outcome, Status, outcome_of
from cosynth.domain.screening.stages import Stage, StageProtocol, default_protocol
from cosynth.domain.screening.votes import Resolution, Vote, current_votes
from cosynth.services.workspace import Tx
from cosynth.store import dedup as dedup_store
from cosynth.store import screening as screening_store


@dataclass(frozen=True)
class StageState:
    """Everything known about one stage: its records, votes, advice and outcomes."""

    stage: Stage
    protocol: StageProtocol
    units: tuple[int, ...]
    merged_into: dict[int, int]
    votes: dict[int, list[Vote]]
    advice: dict[int, list[Vote]]
    history: dict[int, list[Vote]]
    resolutions: dict[int, Resolution]
    outcomes: Mapping[int, Outcome]
    assignments: dict[int, set[str]]
    previous: StageState | None = None
    unit_set: frozenset[int] = field(default_factory=frozenset)

    def in_stage(self, record_id: int) -> bool:
        return record_id in self.unit_set

    def unit_of(self, record_id: int) -> int:
        return self.merged_into.get(record_id, record_id)

    def locked(self) -> bool:
        """A stage's protocol is locked once its first (main-round) vote is cast."""
        return any(self.votes.values())


class StageOutcomes(Mapping[int, Outcome]):
    """Each record's outcome at a stage; those no one has voted on share one "awaiting" value.

    Most records of a big review have no vote yet: deriving 100,000 identical
    outcomes on every page view was most of a page's time.
    """

    def __init__(
        self, units: frozenset[int], decided: dict[int, Outcome], untouched: Outcome
    ) -> None:
        self._units = units
        self._decided = decided
        self._untouched = untouched

    def __getitem__(self, unit: int) -> Outcome:
        if unit not in self._units:
            raise KeyError(unit)
        return self._decided.get(unit, self._untouched)

    def __contains__(self, unit: object) -> bool:
        return unit in self._units

    def __iter__(self) -> Iterator[int]:
        return iter(self._units)

    def __len__(self) -> int:
        return len(self._units)


def stage_protocol_in_force(tx: Tx, review_id: int, stage: Stage) -> StageProtocol:
    return screening_store.latest_protocol(tx.session, review_id, stage) or default_protocol(stage)


def load_stage(tx: Tx, review_id: int, stage: Stage) -> StageState:
    """Derive the state of `stage` (full text screens what title/abstract included)."""
    merged_into = dedup_store.group_of_records(tx.session, review_id)
    previous = None
    if stage is Stage.FULL_TEXT:
        previous = load_stage(tx, review_id, Stage.TITLE_ABSTRACT)
        units = tuple(
            unit for unit in previous.units if previous.outcomes[unit].status is Status.INCLUDED
        )
    else:
        units = tuple(screening_store.unit_ids(tx.session, review_id))
    protocol = stage_protocol_in_force(tx, review_id, stage)
    history: dict[int, list[Vote]] = defaultdict(list)
    for vote in screening_store.stage_votes(tx.session, review_id, stage):
        history[merged_into.get(vote.record_id, vote.record_id)].append(vote)
    votes: dict[int, list[Vote]] = {}
    advice: dict[int, list[Vote]] = {}
    for unit, cast in history.items():
        current = current_votes(cast)
        votes[unit] = [vote for vote in current if not vote.advice]
        advice[unit] = [vote for vote in current if vote.advice]
    resolutions = {
        merged_into.get(record_id, record_id): resolution
        for record_id, resolution in screening_store.latest_resolutions(
            tx.session, review_id, stage
        ).items()
    }
    unit_set = frozenset(units)
    untouched = outcome_of(stage, [], required=protocol.reviewers_required, resolution=None)
    outcomes = StageOutcomes(
        unit_set,
        {
            unit: outcome_of(
                stage,
                votes.get(unit, []),
                required=protocol.reviewers_required,
                resolution=resolutions.get(unit),
            )
            for unit in (votes.keys() | resolutions.keys()) & unit_set
        },
        untouched,
    )
    assignments: dict[int, set[str]] = defaultdict(set)
    for record_id, members in screening_store.current_assignments(
        tx.session, review_id, stage
    ).items():
        assignments[merged_into.get(record_id, record_id)].update(members)
    return StageState(
        stage=stage,
        protocol=protocol,
        units=units,
        merged_into={r: u for r, u in merged_into.items() if r != u},
        votes=votes,
        advice=advice,
        history=dict(history),
        resolutions=resolutions,
        outcomes=outcomes,
        assignments=dict(assignments),
        previous=previous,
        unit_set=unit_set,
    )
