"""The state of a screening stage, derived from the store in one pass.

Every service that reads or changes screening starts here, so the path of a
record through the stages (DESIGN.md: derived from the votes, never a
hand-set status) is worked out in exactly one place.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace

from cosynth.domain.screening.outcomes import Outcome, Status, outcome_of
from cosynth.domain.screening.stages import Stage, StageProtocol, default_protocol
from cosynth.domain.screening.votes import Resolution, Vote, current_votes
from cosynth.services.workspace import Tx
from cosynth.store import dedup as dedup_store
from cosynth.store import screening as screening_store
from cosynth.store.screening import StageVersion
from cosynth.store.session import WROTE


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
    outcomes: StageOutcomes
    assignments: dict[int, set[str]]
    previous: StageState | None = None
    unit_set: frozenset[int] = field(default_factory=frozenset)
    # Which review this is beyond its id (when it was made), for what is kept
    # per stage elsewhere; empty for a state read inside a writing transaction.
    identity: str = ""

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

    @property
    def decided(self) -> dict[int, Outcome]:
        """The outcomes of records someone has voted on or resolved (the rest are awaiting)."""
        return self._decided

    @property
    def untouched(self) -> Outcome:
        return self._untouched


def stage_protocol_in_force(tx: Tx, review_id: int, stage: Stage) -> StageProtocol:
    return screening_store.latest_protocol(tx.session, review_id, stage) or default_protocol(stage)


def load_stage(tx: Tx, review_id: int, stage: Stage) -> StageState:
    """The state of `stage` (full text screens what title/abstract included), as stored now.

    A big stage takes a large part of a second to derive, and every screening
    page needs it, so each process keeps the latest state of each stage and
    asks the store only what changed (`stage_version`): nothing, or only new
    votes (applied to the kept state), or anything else (derived again).
    A transaction that has written keeps away from the kept states: what it
    sees is not yet anyone else's, and may still be rolled back.
    """
    previous = load_stage(tx, review_id, Stage.TITLE_ABSTRACT) if stage is Stage.FULL_TEXT else None
    if tx.session.info.get(WROTE):
        return _load(tx, review_id, stage, previous)
    version = screening_store.stage_version(tx.session, review_id, stage)
    key = (tx.session.get_bind().engine.url.render_as_string(), review_id, stage)
    with _KEPT_LOCK:
        kept = _KEPT.setdefault(key, _Kept())
    with kept.lock:
        state = kept.state_at(version, previous)
        if state is None and kept.advances_to(version, previous):
            state = kept.advance(tx, review_id, version)
        if state is None:
            state = replace(_load(tx, review_id, stage, previous), identity=str(version.others[-1]))
            kept.replace(state, version)
        return state


class _Kept:
    """One stage's latest state in this process, and the version it was derived at."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.state: StageState | None = None
        self.version: StageVersion | None = None
        self.vote_ids: set[int] = set()

    def state_at(self, version: StageVersion, previous: StageState | None) -> StageState | None:
        if self.state is None or self.version is None or self.state.previous is not previous:
            return None
        kept = self.version
        same = (kept.others, kept.votes, kept.last_vote) == (
            version.others,
            version.votes,
            version.last_vote,
        ) and kept.last_cast in {"", version.last_cast}
        if same:
            self.version = version  # learns the newest vote's time if it was unknown
        # A reading transaction that began before the kept state was brought
        # up to date sees fewer votes than it holds: newer votes are no harm.
        newer = self.version.others == version.others and self.version.votes > version.votes
        return self.state if same or newer else None

    def advances_to(self, version: StageVersion, previous: StageState | None) -> bool:
        return (
            self.state is not None
            and self.version is not None
            and self.state.previous is previous
            and self.version.others == version.others
            and self.version.votes < version.votes
        )

    def advance(self, tx: Tx, review_id: int, version: StageVersion) -> StageState | None:
        """The kept state with the votes cast since applied; None when some cannot be found."""
        assert self.state is not None and self.version is not None
        state = self.state
        since = max(0, self.version.last_vote - _LATE_COMMIT_WINDOW)
        new = screening_store.votes_after(
            tx.session, review_id, state.stage, since, known=self.vote_ids
        )
        found = len(self.vote_ids) + len(new)
        if found < version.votes:
            return None  # a vote older than the window looked back over: derive again
        advanced = _with_votes(state, new)
        self.vote_ids.update(vote.id for vote in new)
        if found > version.votes:
            # On PostgreSQL each statement sees what committed before it, so
            # votes cast since `version` was read are here too: keep what
            # was found, its newest vote's time unknown until asked again.
            version = replace(
                version,
                votes=found,
                last_vote=max([version.last_vote, *(vote.id for vote in new)]),
                last_cast="",
            )
        self.state, self.version = advanced, version
        return advanced

    def replace(self, state: StageState, version: StageVersion) -> None:
        self.state, self.version = state, version
        self.vote_ids = {vote.id for cast in state.history.values() for vote in cast}


# Votes that committed after a newer one are looked for this far back (ids);
# PostgreSQL can commit them out of order while many people vote at once.
_LATE_COMMIT_WINDOW = 2_000
_KEPT: dict[tuple[str, int, Stage], _Kept] = {}
_KEPT_LOCK = threading.Lock()


def _with_votes(state: StageState, new: list[Vote]) -> StageState:
    """`state` with `new` votes applied: only the records they touch are derived again."""
    history = dict(state.history)
    touched: set[int] = set()
    for vote in new:
        unit = state.unit_of(vote.record_id)
        history[unit] = [*history.get(unit, ()), vote]
        touched.add(unit)
    votes, advice = dict(state.votes), dict(state.advice)
    decided = dict(state.outcomes.decided)
    for unit in touched:
        current = current_votes(history[unit])
        votes[unit] = [vote for vote in current if not vote.advice]
        advice[unit] = [vote for vote in current if vote.advice]
        if unit in state.unit_set:
            decided[unit] = outcome_of(
                state.stage,
                votes[unit],
                required=state.protocol.reviewers_required,
                resolution=state.resolutions.get(unit),
            )
    return replace(
        state,
        votes=votes,
        advice=advice,
        history=history,
        outcomes=StageOutcomes(state.unit_set, decided, state.outcomes.untouched),
    )


def _load(tx: Tx, review_id: int, stage: Stage, previous: StageState | None) -> StageState:
    """Derive the state of `stage` from the store, whole."""
    merged_into = dedup_store.group_of_records(tx.session, review_id)
    if previous is not None:
        units = tuple(
            sorted(
                unit
                for unit, outcome in previous.outcomes.decided.items()
                if outcome.status is Status.INCLUDED
            )
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
