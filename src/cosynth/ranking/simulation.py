"""Replaying a labelled review: how soon would the ranker have found the included records?

The set-up follows ASReview's simulation mode, so that figures can be set side
by side: prior knowledge of one included and one excluded record picked at
random with a seed (`prior_knowledge`), then the model is retrained after
every decision and the top of the queue is screened next, until every
included record is found.

Metrics (METHODS.md §8), all counted with the two prior records included:
records screened to reach 95% and 100% recall (k95 is the smallest k with
found >= ceil(0.95 x included)); work saved over sampling at 95% recall in
its classic form, WSS@95 = (N - k95) / N - 0.05 (Cohen et al. 2006); and
recall after the first ceil(10% of N) records.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from cosynth.ranking.base import Ranker, document_text
from cosynth.ranking.dataset import LabelledDataset
from cosynth.ranking.queue import rank_queue

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SeedRun:
    """One simulated screening, from one seed's prior knowledge."""

    seed: int
    priors: tuple[int, int]  # (included, excluded) record indices
    order: tuple[int, ...]  # record indices as screened, priors first
    relevant_at: tuple[int, ...]  # records screened when each included record was found
    k95: int
    k100: int
    wss95: float
    recall_at_10: float
    wall_seconds: float


@dataclass(frozen=True)
class SimulationResult:
    """Every seed's run of one ranker on one dataset."""

    dataset: str
    ranker: str
    n_records: int
    n_included: int
    runs: tuple[SeedRun, ...]

    def mean(self, metric: str) -> float:
        return statistics.fmean(float(getattr(run, metric)) for run in self.runs)

    def sd(self, metric: str) -> float:
        """The sample standard deviation over seeds (0 with a single seed)."""
        values = [float(getattr(run, metric)) for run in self.runs]
        return statistics.stdev(values) if len(values) > 1 else 0.0


def prior_knowledge(labels: Sequence[bool], seed: int) -> tuple[int, int]:
    """One included and one excluded record index, drawn as the ASReview benchmark peer draws them.

    `numpy.random.default_rng(seed)` picks from the included indices, then
    from the excluded ones, each sorted in file order.
    """
    included = [i for i, label in enumerate(labels) if label]
    excluded = [i for i, label in enumerate(labels) if not label]
    rng = np.random.default_rng(seed)
    return int(rng.choice(included)), int(rng.choice(excluded))


def records_to_recall(found_in_order: Sequence[bool], n_included: int, recall: float) -> int:
    """How many records were screened when `recall` of the `n_included` was first reached."""
    target = math.ceil(recall * n_included)
    found = 0
    for screened, relevant in enumerate(found_in_order, 1):
        found += relevant
        if found >= target:
            return screened
    raise ValueError(f"the order finds {found} of {n_included} records, short of {recall:.0%}")


def work_saved(k: int, n_records: int, recall: float = 0.95) -> float:
    """Work saved over sampling, classic form: (N - k) / N - (1 - recall)."""
    return (n_records - k) / n_records - (1 - recall)


def recall_after(
    found_in_order: Sequence[bool], n_records: int, n_included: int, share: float = 0.10
) -> float:
    """Recall after the first ceil(`share` x N) records; an order that stops early has found all."""
    screened = math.ceil(share * n_records)
    head = found_in_order[:screened]
    if len(head) < screened and sum(found_in_order) >= n_included:
        return 1.0
    return sum(head) / n_included


def order_metrics(order: Sequence[int], labels: Sequence[bool]) -> dict[str, float]:
    """k95, k100, WSS@95 and recall after 10% for a screening order, whoever produced it."""
    found = [labels[index] for index in order]
    n_records, n_included = len(labels), sum(labels)
    k95 = records_to_recall(found, n_included, 0.95)
    return {
        "k95": k95,
        "k100": records_to_recall(found, n_included, 1.0),
        "wss95": work_saved(k95, n_records),
        "recall_at_10": recall_after(found, n_records, n_included),
    }


def simulate(
    dataset: LabelledDataset,
    ranker: Ranker,
    seeds: Iterable[int] = range(5),
    *,
    exploration: float = 0.0,
    progress: Progress | None = None,
) -> SimulationResult:
    """Replay `dataset` once per seed, retraining `ranker` after every decision.

    Features are prepared once and shared by the seeds; each seed's wall time
    includes that preparation, as a single run would.
    """
    started = time.perf_counter()
    documents = [
        document_text(title, abstract, keywords)
        for title, abstract, keywords in zip(
            dataset.titles, dataset.abstracts, dataset.keywords, strict=True
        )
    ]
    prepared = ranker.prepare(documents)
    preparing = time.perf_counter() - started
    seeds = list(seeds)
    runs: list[SeedRun] = []
    for number, seed in enumerate(seeds):
        started = time.perf_counter()
        priors = prior_knowledge(dataset.labels, seed)
        labels = {index: dataset.labels[index] for index in priors}
        order = list(priors)
        left = dataset.n_included - 1
        while left:
            queue = rank_queue(prepared, labels, ranker=ranker, exploration=exploration, seed=seed)
            pick = queue.order[0]
            labels[pick] = dataset.labels[pick]
            order.append(pick)
            left -= dataset.labels[pick]
            if progress is not None:
                progress(number * len(dataset) + len(order), len(seeds) * len(dataset))
        metrics = order_metrics(order, dataset.labels)
        runs.append(
            SeedRun(
                seed=seed,
                priors=priors,
                order=tuple(order),
                relevant_at=tuple(at for at, index in enumerate(order, 1) if dataset.labels[index]),
                k95=int(metrics["k95"]),
                k100=int(metrics["k100"]),
                wss95=metrics["wss95"],
                recall_at_10=metrics["recall_at_10"],
                wall_seconds=preparing + time.perf_counter() - started,
            )
        )
    return SimulationResult(
        dataset=dataset.name,
        ranker=ranker.name,
        n_records=len(dataset),
        n_included=dataset.n_included,
        runs=tuple(runs),
    )


def recall_curve(result: SimulationResult, points: int = 10) -> list[tuple[float, float]]:
    """(share screened, mean recall over seeds) at `points` evenly spaced shares up to 100%."""
    curve = []
    for step in range(1, points + 1):
        screened = math.ceil(step / points * result.n_records)
        recalls = [
            sum(at <= screened for at in run.relevant_at) / result.n_included for run in result.runs
        ]
        curve.append((step / points, statistics.fmean(recalls)))
    return curve
