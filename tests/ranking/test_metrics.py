"""Simulation metrics on hand-made screening orders, and the prior-knowledge rule."""

from __future__ import annotations

import numpy as np
import pytest

from cosynth.ranking import order_metrics, prior_knowledge
from cosynth.ranking.simulation import recall_after, records_to_recall, work_saved


def test_it_counts_records_to_reach_a_recall() -> None:
    found = [True, False, False, True, False, True, False, False, False, False]
    assert records_to_recall(found, 3, 1.0) == 6
    # ceil(0.95 x 3) = 3: all three, as with 1.0
    assert records_to_recall(found, 3, 0.95) == 6
    assert records_to_recall(found, 3, 0.5) == 4


def test_it_needs_ceil_of_95_percent_of_the_included() -> None:
    # 20 included: 95% is 19 records, so the 20th may come last.
    found = [True] * 19 + [False] * 80 + [True]
    assert records_to_recall(found, 20, 0.95) == 19
    assert records_to_recall(found, 20, 1.0) == 100
    # 21 included: ceil(19.95) = 20.
    found = [True] * 19 + [False] * 10 + [True] + [False] * 5 + [True]
    assert records_to_recall(found, 21, 0.95) == 30


def test_it_refuses_an_order_that_never_reaches_the_recall() -> None:
    with pytest.raises(ValueError, match="short of 100%"):
        records_to_recall([True, False], 2, 1.0)


def test_it_computes_classic_work_saved_over_sampling() -> None:
    assert work_saved(100, 1000) == pytest.approx(0.85)
    assert work_saved(950, 1000) == pytest.approx(0.0)


def test_it_computes_recall_after_ten_percent_screened() -> None:
    # N = 25: ceil(2.5) = 3 records screened.
    found = [True, False, True, True, False]
    assert recall_after(found, 25, 4) == pytest.approx(0.5)
    # An order that stopped early, having found everything, found all by then.
    assert recall_after([True, True], 100, 2) == 1.0


def test_it_computes_every_metric_for_an_order() -> None:
    labels = [False] * 20
    for index in (3, 7, 11):
        labels[index] = True
    metrics = order_metrics([3, 0, 7, 1, 2, 11], labels)
    assert metrics == {"k95": 6, "k100": 6, "wss95": pytest.approx(14 / 20 - 0.05),
                       "recall_at_10": pytest.approx(1 / 3)}  # fmt: skip


def test_it_draws_priors_as_the_asreview_peer_does() -> None:
    labels = [False, True, False, False, True, False, True, False]
    for seed in range(5):
        rng = np.random.default_rng(seed)
        expected = (int(rng.choice([1, 4, 6])), int(rng.choice([0, 2, 3, 5, 7])))
        assert prior_knowledge(labels, seed) == expected


def test_it_draws_different_priors_for_different_seeds() -> None:
    labels = [i % 3 == 0 for i in range(300)]
    assert len({prior_knowledge(labels, seed) for seed in range(5)}) == 5
