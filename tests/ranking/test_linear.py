"""The parts of the linear rankers: training sets, weights, the cap, rank averaging."""

from __future__ import annotations

import numpy as np
import pytest

from cosynth.ranking import rank_queue
from cosynth.ranking.base import document_text
from cosynth.ranking.ensemble import RankAverageRanker, ranks
from cosynth.ranking.linear import (
    Recipe,
    balanced_weights,
    capped,
    recipe_text,
    training_set,
    with_presumed_irrelevant,
)
from tests.ranking.corpus import corpus


def test_it_weighs_the_included_records_ratio_times_the_excluded() -> None:
    targets = np.array([1, 0, 0, 0, 1, 0], dtype=np.int8)
    weights = balanced_weights(targets, 9.8)
    assert weights[targets == 1].sum() == pytest.approx(9.8 * weights[targets == 0].sum())
    assert weights.mean() == pytest.approx(1.0)


def test_it_trains_on_labels_in_index_order() -> None:
    indices, targets = training_set({5: False, 2: True, 9: False})
    assert indices.tolist() == [2, 5, 9]
    assert targets.tolist() == [1, 0, 0]


def test_it_adds_a_repeatable_sample_of_presumed_irrelevant_records() -> None:
    indices, targets = training_set({0: True, 1: False})
    more, labels = with_presumed_irrelevant(indices, targets, 50, 10)
    assert len(more) == 12
    assert len(set(more.tolist())) == 12
    assert labels.tolist() == [1, 0] + [0] * 10
    again, _ = with_presumed_irrelevant(indices, targets, 50, 10)
    assert again.tolist() == more.tolist()


def test_it_caps_the_irrelevant_labels_but_keeps_every_relevant_one() -> None:
    labels = {i: i % 10 == 0 for i in range(100)}
    indices, targets = capped(*training_set(labels), 30)
    assert targets.sum() == 10
    assert (targets == 0).sum() == 30
    assert set(indices[targets == 1].tolist()) == set(range(0, 100, 10))
    small = training_set({0: True, 1: False})
    assert capped(*small, 30)[0].tolist() == [0, 1]


def test_it_reads_the_fields_a_recipe_asks_for() -> None:
    text = document_text("Title words", "Abstract words", "Key")
    assert recipe_text(text, Recipe()) == "Title words Abstract words"
    assert recipe_text(text, Recipe(title_repeats=2, keywords=True)) == (
        "Title words Title words Abstract words Key"
    )
    assert recipe_text(text, Recipe(abstract=False)) == "Title words"


def test_it_ranks_scores_from_zero_to_one() -> None:
    assert ranks(np.array([0.3, -2.0, 5.0])).tolist() == [0.5, 0.0, 1.0]


def test_it_averages_the_ranks_of_several_models() -> None:
    class TwoViews(RankAverageRanker):
        name = "two-views"
        recipes = (Recipe(), Recipe(title_repeats=2))

    texts, labels = corpus()
    ranker = TwoViews()
    prepared = ranker.prepare([document_text(text, "", "") for text in texts])
    known = {labels.index(True): True, labels.index(False): False}
    queue = rank_queue(prepared, known, ranker=ranker)
    assert all(labels[index] for index in queue.order[: sum(labels) - 1])
