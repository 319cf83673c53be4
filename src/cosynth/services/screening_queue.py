"""The order a person screens in: ranked by active learning, or by date, at random, as imported.

What the ranking learns from (METHODS.md §8, and blinding, DESIGN.md rule 3):
the outcomes everyone may see (included, excluded, and conflicts, which count
as relevant: see `counts_as_relevant`), plus the acting person's own votes on
records still awaiting others. Other people's votes on undecided records are
never used, so the order cannot leak a vote blinding still hides.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass
from enum import StrEnum

from cosynth.domain.roles import Permission, Role, may
from cosynth.domain.screening.outcomes import counts_as_relevant
from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.ranking.base import PreparedCorpus, Ranker, document_text
from cosynth.ranking.queue import rank_queue
from cosynth.ranking.registry import load_ranker
from cosynth.ranking.stopping import StoppingStatistics, stopping_statistics
from cosynth.services.screening import RecordScreening, screening_view, waiting_for
from cosynth.services.screening_state import StageState, load_stage
from cosynth.services.workspace import Tx
from cosynth.store import records as record_store
from cosynth.store import screening as screening_store

# One record in twenty is an exploration pick (see `cosynth.ranking.queue`), so
# a reviewer is not tunnelled into one corner of the search.
DEFAULT_EXPLORATION = 0.05

logger = logging.getLogger(__name__)


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
    stopping: StoppingStatistics | None = None


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
    if not may(role, Permission.SCREEN) and not may(role, Permission.ADVISE):
        return Queue(stage, order, ())
    if calibration:
        # Everyone meets the calibration sample in the same order: it measures
        # agreement on the criteria, and a ranking would only add noise.
        return Queue(stage, Order.FILE, tuple(_calibration_waiting(tx, review_id, stage)))
    return _queue_from(tx, review_id, load_stage(tx, review_id, stage), role, order, seed=seed)


def record_and_queue(
    tx: Tx,
    review_id: int,
    record_id: int,
    *,
    stage: Stage,
    order: Order = Order.RANKED,
    seed: int = 0,
) -> tuple[RecordScreening, Queue]:
    """A record as the person may see it, and their queue, from one reading of the stage.

    The screening page shows both; reading a big stage twice per page was
    half its time.
    """
    role = tx.require(review_id, Permission.VIEW)
    state = load_stage(tx, review_id, stage)
    view = screening_view(tx, review_id, state, record_id)
    if not may(role, Permission.SCREEN) and not may(role, Permission.ADVISE):
        return view, Queue(stage, order, ())
    return view, _queue_from(tx, review_id, state, role, order, seed=seed)


def _queue_from(
    tx: Tx, review_id: int, state: StageState, role: Role, order: Order, *, seed: int
) -> Queue:
    stage = state.stage
    advice = not may(role, Permission.SCREEN)
    waiting = waiting_for(state, tx.actor, advice=advice)
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
    # Untouched records are awaiting, which teaches nothing: only records with
    # an outcome of their own can be labels.
    for unit, outcome in state.outcomes.decided.items():
        relevant = counts_as_relevant(outcome)
        if relevant is not None:
            labels[unit] = relevant
            continue
        mine = next((v for v in state.votes.get(unit, []) if v.reviewer == person), None)
        if mine is not None and mine.decision is not Decision.UNSURE:
            labels[unit] = mine.decision is Decision.INCLUDE
    return dict(sorted(labels.items()))


def _ranked(tx: Tx, review_id: int, state: StageState, waiting: list[int], *, seed: int) -> Queue:
    """Rank the waiting records with the default ranker, trained on what the person may know."""
    ranker = load_ranker()
    units = state.units
    prepared = _prepared(tx, review_id, state.stage, units, ranker)
    known = training_labels(state, tx.actor)
    wanted = set(waiting)
    # Records the person must still vote on are ranked even if known from
    # elsewhere (e.g. assigned to a third reviewer): the model may not treat
    # them as labelled.
    labels = {unit: relevant for unit, relevant in known.items() if unit not in wanted}
    job = _RankingJob(units, prepared, ranker, labels, seed)
    if len(units) < BACKGROUND_FROM:
        ranking = job.run()
    else:
        key = (_store_key(tx), review_id, state.stage, tx.actor, ranker.name, seed)
        ranking = _RETRAINER.latest(key, job)
    order = [unit for unit in ranking.order if unit in wanted]
    if len(order) < len(wanted):
        # Records that became waiting since the ranking was made (a vote
        # withdrawn by a new protocol, say) go last rather than missing.
        ranked = set(order)
        order += [unit for unit in waiting if unit not in ranked]
    note = (
        ""
        if ranking.model_used
        else (
            "Random order until at least one record is included and one excluded; "
            "then the ranking takes over."
        )
    )
    return Queue(
        state.stage,
        Order.RANKED,
        tuple(order),
        explored=ranking.explored & wanted,
        ranker=ranker.name,
        note=note,
        stopping=_stopping(state, known),
    )


# From this many records on, the model retrains in the background after votes
# and a page uses the newest ranking finished, as ASReview LAB does: at 100,000
# records a retrain takes about half a second, too long to wait for on every
# page (issue 5: next record + vote under 100 ms). Below it, every page ranks
# with every vote, as the benchmark's simulation does.
BACKGROUND_FROM = 5_000


@dataclass(frozen=True, slots=True)
class _Ranking:
    """A ranking of a stage's records for one person, from the labels it was trained on."""

    labels: dict[int, bool]
    order: tuple[int, ...]
    explored: frozenset[int]
    model_used: bool


@dataclass(frozen=True)
class _RankingJob:
    """Everything a ranking needs, read from the store beforehand: it can run on any thread."""

    units: tuple[int, ...]
    prepared: PreparedCorpus
    ranker: Ranker
    labels: dict[int, bool]
    seed: int

    def run(self) -> _Ranking:
        index = {unit: i for i, unit in enumerate(self.units)}
        by_index = {index[unit]: relevant for unit, relevant in self.labels.items()}
        ranked = rank_queue(
            self.prepared,
            by_index,
            ranker=self.ranker,
            exploration=DEFAULT_EXPLORATION,
            seed=self.seed,
        )
        order = tuple(self.units[i] for i in ranked.order)
        return _Ranking(
            labels=self.labels,
            order=order,
            explored=frozenset(order[p] for p in ranked.explored),
            model_used=ranked.model_used,
        )


class _Retrainer:
    """Keeps each person's newest ranking and retrains one at a time on a thread of its own.

    A page asks for the ranking of its labels: if the newest one kept was
    trained on other labels, it is used anyway and a retrain is queued (one
    per person: a newer request replaces an older one still waiting). The
    thread rests as long as it worked after each retrain, so ranking never
    takes more than half a core from the pages being served.
    """

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._kept: dict[tuple[object, ...], _Ranking] = {}
        self._waiting: dict[tuple[object, ...], _RankingJob] = {}
        self._thread: threading.Thread | None = None

    def latest(self, key: tuple[object, ...], job: _RankingJob) -> _Ranking:
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None and kept.labels != job.labels:
                self._waiting[key] = job
                self._start()
                self._lock.notify()
        if kept is not None:
            return kept
        ranking = job.run()  # a person's first page: nothing to show but this
        with self._lock:
            self._kept[key] = ranking
        return ranking

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._work, name="cosynth-ranking", daemon=True)
            self._thread.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                while not self._waiting:
                    self._lock.wait()
                key, job = next(iter(self._waiting.items()))
                del self._waiting[key]
            began = time.monotonic()
            try:
                ranking = job.run()
            except Exception:  # a failed retrain keeps the older ranking; the next vote tries again
                logger.exception("Retraining the screening ranking failed")
                continue
            with self._lock:
                self._kept[key] = ranking
            time.sleep(time.monotonic() - began)


_RETRAINER = _Retrainer()


def _store_key(tx: Tx) -> str:
    return tx.session.get_bind().engine.url.render_as_string()


def _prepared(
    tx: Tx, review_id: int, stage: Stage, units: tuple[int, ...], ranker: Ranker
) -> PreparedCorpus:
    """The ranker's features for these records, prepared once per set of records.

    Records never change once imported, so the same review, stage and record
    ids mean the same texts: a cache keyed on them saves re-reading every
    record after each vote.
    """
    key = (_store_key(tx), review_id, stage, ranker.name, hash(units))
    found = _PREPARED.get(key)
    if found is None:
        texts = screening_store.screening_texts(tx.session, review_id)
        found = ranker.prepare([document_text(*texts[unit]) for unit in units])
        _PREPARED.clear()  # one corpus at a time: a review of 100k records is big enough
        _PREPARED[key] = found
    return found


_PREPARED: dict[tuple[object, ...], PreparedCorpus] = {}


def _stopping(state: StageState, known: dict[int, bool]) -> StoppingStatistics:
    """Stopping statistics over the records known so far, in the order first voted on."""
    first_voted = {
        unit: min(vote.cast_at for vote in state.history[unit])
        for unit in known
        if state.history.get(unit)
    }
    in_order = sorted(first_voted, key=lambda unit: (first_voted[unit], unit))
    return stopping_statistics([known[unit] for unit in in_order], len(state.units))
