"""The order a person screens in: ranked by active learning, or by date, at random, as imported.

What the ranking learns from (METHODS.md §8, and blinding, DESIGN.md rule 3):
the outcomes everyone may see (included, excluded, and conflicts, which count
as relevant: see `counts_as_relevant`), plus the acting person's own votes on
records still awaiting others. Other people's votes on undecided records are
never used, so the order cannot leak a vote blinding still hides.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum

from cosynth.domain.roles import Permission, may
from cosynth.domain.screening.outcomes import counts_as_relevant
from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.services.screening import needs_vote_from
from cosynth.services.screening_state import StageState, load_stage
from cosynth.services.workspace import Tx
from cosynth.store import records as record_store
from cosynth.store import screening as screening_store


class Order(StrEnum):
    RANKED = "ranked"
    DATE = "date"
    RANDOM = "random"
    FILE = "file"


@dataclass(frozen=True, slots=True)
class Queue:
    """The acting person's records still to screen, first to last."""

    stage: Stage
    order: Order
    record_ids: tuple[int, ...]
    explored: frozenset[int] = frozenset()
    ranker: str = ""
    note: str = ""


def screening_queue(
    tx: Tx,
    review_id: int,
    *,
    stage: Stage,
    order: Order = Order.RANKED,
    calibration: bool = False,
    seed: int = 0,
) -> Queue:
    """The records waiting for the acting person's vote, in the order asked for."""
    role = tx.require(review_id, Permission.VIEW)
    advice = not may(role, Permission.SCREEN)
    if advice and not may(role, Permission.ADVISE):
        return Queue(stage, order, ())
    state = load_stage(tx, review_id, stage)
    if calibration:
        waiting = _calibration_waiting(tx, review_id, stage)
    else:
        waiting = [
            unit for unit in state.units if needs_vote_from(state, unit, tx.actor, advice=advice)
        ]
    if order is Order.FILE:
        return Queue(stage, order, tuple(waiting))
    if order is Order.RANDOM:
        shuffled = list(waiting)
        random.Random(f"{review_id}:{stage}:{tx.actor}:{seed}").shuffle(shuffled)  # noqa: S311
        return Queue(stage, order, tuple(shuffled))
    if order is Order.DATE:
        return Queue(stage, order, tuple(_by_date(tx, review_id, waiting)))
    return _ranked(tx, review_id, state, waiting, seed=seed)


def _calibration_waiting(tx: Tx, review_id: int, stage: Stage) -> list[int]:
    found = screening_store.calibration_round(tx.session, review_id, stage)
    if found is None:
        return []
    voted = {
        vote.record_id
        for vote in screening_store.stage_votes(
            tx.session, review_id, stage, calibration=True, record_ids=found[1]
        )
        if vote.reviewer == tx.actor
    }
    return [unit for unit in found[1] if unit not in voted]


def _by_date(tx: Tx, review_id: int, waiting: list[int]) -> list[int]:
    """Newest publication year first; records without a year last."""
    years = {
        record.id: record.citation.year
        for record in (record_store.get_record(tx.session, review_id, unit) for unit in waiting)
        if record is not None
    }
    return sorted(
        waiting, key=lambda unit: (years.get(unit) is None, -(years.get(unit) or 0), unit)
    )


def training_labels(state: StageState, person: str) -> dict[int, bool]:
    """Record id -> relevant?, as far as `person` may know it (see the module's docstring)."""
    labels: dict[int, bool] = {}
    for unit in state.units:
        relevant = counts_as_relevant(state.outcomes[unit])
        if relevant is not None:
            labels[unit] = relevant
            continue
        mine = next((v for v in state.votes.get(unit, []) if v.reviewer == person), None)
        if mine is not None and mine.decision is not Decision.UNSURE:
            labels[unit] = mine.decision is Decision.INCLUDE
    return labels


def _ranked(tx: Tx, review_id: int, state: StageState, waiting: list[int], *, seed: int) -> Queue:
    return Queue(state.stage, Order.FILE, tuple(waiting), note="ranking is not available yet")
