"""The ranked queue: relevant records first, exploration at its share, and the fallback order."""

from __future__ import annotations

import pytest

from cosynth.errors import InputError
from cosynth.ranking import load_ranker, rank_queue, ranker_names
from cosynth.ranking.queue import exploration_positions
from tests.ranking.corpus import corpus


@pytest.fixture(scope="module", params=ranker_names())
def prepared_corpus(request: pytest.FixtureRequest) -> tuple[object, object, list[bool]]:
    texts, labels = corpus()
    ranker = load_ranker(request.param)
    return ranker, ranker.prepare(texts), labels


def _two_labels(labels: list[bool]) -> dict[int, bool]:
    return {labels.index(True): True, labels.index(False): False}


def test_it_puts_the_obviously_relevant_records_first(prepared_corpus) -> None:
    ranker, prepared, labels = prepared_corpus
    known = _two_labels(labels)
    queue = rank_queue(prepared, known, ranker=ranker)
    assert queue.model_used
    relevant_left = sum(labels) - 1
    assert all(labels[index] for index in queue.order[:relevant_left])
    assert sorted(queue.order) == sorted(set(range(len(labels))) - set(known))
    assert list(queue.scores) == sorted(queue.scores, reverse=True)
    assert queue.explored == frozenset()


def test_it_gives_every_kth_decision_to_exploration(prepared_corpus) -> None:
    ranker, prepared, labels = prepared_corpus
    known = _two_labels(labels)
    queue = rank_queue(prepared, known, ranker=ranker, exploration=0.25, seed=1)
    # Decisions 3, 4, 5, ... are queue positions 0, 1, 2, ...: every 4th decision explores.
    assert queue.explored == frozenset(range(1, len(queue.order), 4))
    assert len(queue.explored) == pytest.approx(0.25 * len(queue.order), abs=1)
    assert sorted(queue.order) == sorted(set(range(len(labels))) - set(known))
    exploiting = [index for i, index in enumerate(queue.order) if i not in queue.explored]
    scores = [score for i, score in enumerate(queue.scores) if i not in queue.explored]
    assert scores == sorted(scores, reverse=True)
    assert all(labels[index] for index in exploiting[:5])


def test_it_explores_the_same_way_for_the_same_seed(prepared_corpus) -> None:
    ranker, prepared, labels = prepared_corpus
    known = _two_labels(labels)
    first = rank_queue(prepared, known, ranker=ranker, exploration=0.2, seed=5)
    again = rank_queue(prepared, known, ranker=ranker, exploration=0.2, seed=5)
    other = rank_queue(prepared, known, ranker=ranker, exploration=0.2, seed=6)
    assert first == again
    assert first.order != other.order


def test_it_counts_exploration_over_all_decisions_not_queue_positions() -> None:
    # With k = 10, decisions 10, 20, ... explore: after 7 decisions, position 2 is decision 10.
    assert exploration_positions(7, 25, 0.1).tolist() == [2, 12, 22]
    assert exploration_positions(9, 5, 0.1).tolist() == [0]
    assert exploration_positions(3, 5, 0.0).tolist() == []


def test_it_falls_back_to_a_seeded_random_order_without_both_kinds_of_label(
    prepared_corpus,
) -> None:
    ranker, prepared, labels = prepared_corpus
    only_relevant = {labels.index(True): True}
    queue = rank_queue(prepared, only_relevant, ranker=ranker, seed=2)
    assert not queue.model_used
    assert set(queue.scores) == {0.0}
    assert sorted(queue.order) == sorted(set(range(len(labels))) - set(only_relevant))
    assert queue == rank_queue(prepared, only_relevant, ranker=ranker, seed=2)
    assert queue.order != rank_queue(prepared, only_relevant, ranker=ranker, seed=3).order
    nothing = rank_queue(prepared, {}, ranker=ranker, seed=2)
    assert len(nothing.order) == len(labels)


def test_it_refuses_labels_outside_the_corpus(prepared_corpus) -> None:
    ranker, prepared, labels = prepared_corpus
    with pytest.raises(InputError, match=f"there are {len(labels)} records"):
        rank_queue(prepared, {len(labels): True, 0: False}, ranker=ranker)


def test_it_refuses_an_exploration_share_outside_zero_to_one(prepared_corpus) -> None:
    ranker, prepared, _ = prepared_corpus
    with pytest.raises(InputError, match="between 0 and 1"):
        rank_queue(prepared, {}, ranker=ranker, exploration=1.5)


def test_it_refuses_features_prepared_by_another_ranker(prepared_corpus) -> None:
    _, prepared, labels = prepared_corpus

    class Other:
        name = "other"
        label = "Other"

    with pytest.raises(InputError, match="prepare them again"):
        rank_queue(prepared, _two_labels(labels), ranker=Other())  # type: ignore[arg-type]
