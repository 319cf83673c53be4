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
from collections import OrderedDict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import cached_property
from operator import itemgetter

from cosynth.domain.roles import Permission, Role, may
from cosynth.domain.screening.outcomes import counts_as_relevant
from cosynth.domain.screening.stages import Stage
from cosynth.domain.screening.votes import Decision
from cosynth.ranking.base import PreparedCorpus, Ranker, document_text
from cosynth.ranking.queue import rank_queue
from cosynth.ranking.registry import load_ranker
from cosynth.ranking.stopping import StoppingStatistics, stopping_statistics
from cosynth.services.screening import RecordScreening, Waiting, screening_view, waiting_set
from cosynth.services.screening_state import StageState, load_stage
from cosynth.services.workspace import Tx
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


class Queue:
    """The acting person's records still to screen, first to last.

    A page needs the first record and how many wait, not the whole list: on
    a stage of 100,000 records the queue is kept as an order over the stage
    (`candidates`, which may hold records no longer waiting) and a test of
    what waits, and `record_ids` is only built when asked for.
    """

    def __init__(
        self,
        stage: Stage,
        order: Order,
        candidates: Sequence[int],
        waiting: Collection[int] | None = None,
        *,
        explored: frozenset[int] = frozenset(),
        ranker: str = "",
        note: str = "",
        stopping: StoppingStatistics | None = None,
    ) -> None:
        self.stage, self.order = stage, order
        self.ranker, self.note, self.stopping = ranker, note, stopping
        self._candidates = candidates
        self._waiting: Collection[int] = frozenset(candidates) if waiting is None else waiting
        self._explored = explored

    @cached_property
    def explored(self) -> frozenset[int]:
        """The waiting records placed by exploration, not by the model."""
        return frozenset(unit for unit in self._explored if unit in self._waiting)

    def is_explored(self, unit: int) -> bool:
        return unit in self._explored and unit in self._waiting

    @property
    def first(self) -> int | None:
        """The record to screen next, or None when nothing waits."""
        found = next((unit for unit in self._candidates if unit in self._waiting), None)
        if found is None and self.waiting:
            return self.record_ids[0]
        return found

    @property
    def waiting(self) -> int:
        """How many records wait."""
        return len(self._waiting)

    @cached_property
    def record_ids(self) -> tuple[int, ...]:
        """Every waiting record, first to last."""
        ordered = [unit for unit in self._candidates if unit in self._waiting]
        if len(ordered) < len(self._waiting):
            # Records waiting again since the order was made (a withdrawn
            # resolution, say) go last rather than missing.
            placed = set(ordered)
            ordered += sorted(unit for unit in self._waiting if unit not in placed)
        return tuple(ordered)


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
        return Queue(stage, Order.FILE, _calibration_waiting(tx, review_id, stage))
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
    waiting = waiting_set(state, tx.actor, advice=advice)
    if order is Order.FILE:
        return Queue(stage, order, state.units, waiting)
    if order is Order.RANDOM:
        return Queue(stage, order, _shuffled(review_id, state, tx.actor, seed), waiting)
    if order is Order.DATE:
        return Queue(stage, order, _by_date(tx, review_id, state), waiting)
    return _ranked(tx, review_id, state, waiting, seed=seed)


def _shuffled(review_id: int, state: StageState, person: str, seed: int) -> tuple[int, ...]:
    """One fixed random order of the stage per person, so the order holds as records are voted."""
    key = ("random", review_id, state.stage, person, seed, hash(state.units))
    found = _ORDERS.get(key)
    if found is None:
        shuffled = list(state.units)
        random.Random(f"{review_id}:{state.stage}:{person}:{seed}").shuffle(shuffled)  # noqa: S311
        found = _ORDERS.keep(key, tuple(shuffled))
    return found


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


def _by_date(tx: Tx, review_id: int, state: StageState) -> tuple[int, ...]:
    """Newest publication year first; records without a year last."""
    key = ("date", _store_key(tx), review_id, state.identity, state.stage, hash(state.units))
    found = _ORDERS.get(key) if state.identity else None
    if found is None:
        years = screening_store.publication_years(tx.session, review_id)
        found = _ORDERS.keep(
            key,
            tuple(
                sorted(
                    state.units,
                    key=lambda unit: (years.get(unit) is None, -(years.get(unit) or 0), unit),
                )
            ),
        )
    return found


class _KeptOrders:
    """Orders of whole stages, kept a while: they change only when the stage's records do."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._orders: OrderedDict[tuple[object, ...], tuple[int, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...]) -> tuple[int, ...] | None:
        with self._lock:
            found = self._orders.get(key)
            if found is not None:
                self._orders.move_to_end(key)
            return found

    def keep(self, key: tuple[object, ...], order: tuple[int, ...]) -> tuple[int, ...]:
        with self._lock:
            self._orders[key] = order
            while len(self._orders) > self._size:
                self._orders.popitem(last=False)
        return order


_ORDERS = _KeptOrders()


def training_labels(state: StageState, person: str | None) -> dict[int, bool]:
    """Record id -> relevant?, as far as `person` may know it (see the module's docstring).

    With no person: only the outcomes everyone may see. The labels come in
    the order they were decided, oldest first, as rankers expect (a ranker
    may read a run of irrelevant decisions from it).
    """
    labels: dict[int, bool] = {}
    known_since: dict[int, datetime] = {}
    # Untouched records are awaiting, which teaches nothing: only records with
    # an outcome of their own can be labels.
    for unit, outcome in state.outcomes.decided.items():
        relevant = counts_as_relevant(outcome)
        if relevant is not None:
            labels[unit] = relevant
            known_since[unit] = _first_voted(state, unit)
            continue
        if person is None:
            continue
        mine = next((v for v in state.votes.get(unit, []) if v.reviewer == person), None)
        if mine is not None and mine.decision is not Decision.UNSURE:
            labels[unit] = mine.decision is Decision.INCLUDE
            # The person's own vote, not the record's first: an earlier vote
            # may be someone else's, still hidden from them.
            known_since[unit] = mine.cast_at
    in_order = sorted(labels, key=lambda unit: (known_since[unit], unit))
    return {unit: labels[unit] for unit in in_order}


_LAST = datetime.max.replace(tzinfo=UTC)


def _first_voted(state: StageState, unit: int) -> datetime:
    """When `unit` was first voted on; records decided without a vote (a stop) come last."""
    history = state.history.get(unit)
    if history:
        return min(vote.cast_at for vote in history)
    resolution = state.resolutions.get(unit)
    return resolution.resolved_at if resolution is not None else _LAST


def _ranked(tx: Tx, review_id: int, state: StageState, waiting: Waiting, *, seed: int) -> Queue:
    """Rank the waiting records with the default ranker, trained on what the person may know."""
    ranker = load_ranker()
    units = state.units
    prepared = _prepared(tx, review_id, state.stage, units, ranker)
    known = training_labels(state, tx.actor)
    if len(units) < BACKGROUND_FROM:
        # Records the person must still vote on are ranked even if known from
        # elsewhere (e.g. assigned to a third reviewer): the model may not
        # treat them as labelled.
        labels = {unit: relevant for unit, relevant in known.items() if unit not in waiting}
        ranking = _RankingJob(units, prepared, ranker, labels, seed).run()
    else:
        # One ranking for everyone on the stage, trained on the outcomes
        # everyone may see (blinding holds); each person's queue is it, less
        # what they have voted on.
        stage_key = (_store_key(tx), review_id, state.identity, state.stage, ranker.name, seed)
        shared = _RankingJob(units, prepared, ranker, training_labels(state, None), seed)
        ranking = _RETRAINER.latest(stage_key, shared)
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
        ranking.order,
        waiting,
        explored=ranking.explored,
        ranker=ranker.name,
        note=note,
        stopping=_stopping(state, known),
    )


# From this many records on, the model retrains in the background after votes
# and a page uses the newest ranking finished, as ASReview LAB does: at 100,000
# records a retrain takes about half a second, too long to wait for on every
# page (issue 5: next record + vote under 100 ms). One model serves the whole
# stage, trained on the outcomes everyone may see: fifty reviewers' own models
# would retrain fifty times as often. Below this size, every page ranks with
# every vote and the person's own votes, as the benchmark's simulation does.
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
        # itemgetter maps 100,000 positions to record ids in C, not a Python
        # loop that would hold the interpreter while pages wait.
        order = (
            tuple(itemgetter(*ranked.order)(self.units))
            if len(ranked.order) > 1
            else tuple(self.units[i] for i in ranked.order)
        )
        return _Ranking(
            labels=self.labels,
            order=order,
            explored=frozenset(order[p] for p in ranked.explored),
            model_used=ranked.model_used,
        )


class _Retrainer:
    """Keeps each stage's newest ranking and retrains on a thread of its own.

    A page asks for the ranking of its labels: if the newest one kept was
    trained on other labels, it is used anyway and a retrain is queued (a
    newer request replaces an older one still waiting). The thread rests
    six times as long as it worked after each retrain (`_REST`), so ranking
    never takes more than a seventh of a core per server process from the
    pages being served.
    """

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._kept: dict[tuple[object, ...], _Ranking] = {}
        self._waiting: dict[tuple[object, ...], _RankingJob] = {}
        self._thread: threading.Thread | None = None
        self._first = threading.Lock()

    def latest(self, key: tuple[object, ...], job: _RankingJob) -> _Ranking:
        """The newest ranking kept for `key`, queuing `job` when it was trained on other labels.

        With none kept yet, `job` runs at once (by one thread, while the
        others wait for its result).
        """
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None and kept.labels != job.labels:
                self._waiting[key] = job
                self._start()
                self._lock.notify()
        if kept is not None:
            return kept
        with self._first:
            with self._lock:
                found = self._kept.get(key)
            if found is None:
                found = job.run()
                with self._lock:
                    self._kept[key] = found
        return found

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
            time.sleep(_REST * (time.monotonic() - began))


# Seconds of rest per second of retraining. 3 kept title-svm's pages fast; the
# default ranker's turns retrain for longer at 100,000 records (0.6-0.8 s),
# outside the interpreter lock, and with 3 its retrains took the pages' CPU
# (web load on PostgreSQL, p95 next record 112-153 ms; with 6, 71-87 ms).
_REST = 6.0
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
    # One thread prepares while the others wait: eight pages preparing the
    # same 100,000 records at once would hold eight copies of the features.
    with _PREPARING:
        found = _PREPARED.get(key)
        if found is None:
            texts = screening_store.screening_texts(tx.session, review_id)
            found = ranker.prepare([document_text(*texts[unit]) for unit in units])
            _PREPARED.clear()  # one corpus at a time: a review of 100k records is big enough
            _PREPARED[key] = found
    return found


_PREPARED: dict[tuple[object, ...], PreparedCorpus] = {}
_PREPARING = threading.Lock()


def _stopping(state: StageState, known: dict[int, bool]) -> StoppingStatistics:
    """Stopping statistics over the records voted on so far, in the order they were decided.

    Records decided without a vote (those a stop marked ineligible) were not screened.
    """
    screened = [relevant for unit, relevant in known.items() if state.history.get(unit)]
    return stopping_statistics(screened, len(state.units))
