"""Replaying a labelled review: priors first, every included record found, metrics per seed."""

from __future__ import annotations

import pytest

from cosynth.ranking import LabelledDataset, load_ranker, prior_knowledge, recall_curve, simulate
from tests.ranking.corpus import corpus


@pytest.fixture(scope="module")
def dataset() -> LabelledDataset:
    texts, labels = corpus()
    empty = ("",) * len(texts)
    return LabelledDataset("synthetic", tuple(texts), empty, empty, tuple(labels))


def test_it_screens_from_the_priors_until_every_included_record_is_found(dataset) -> None:
    result = simulate(dataset, load_ranker("tfidf-svm"), seeds=[0, 1])
    assert [run.seed for run in result.runs] == [0, 1]
    for run in result.runs:
        assert run.order[:2] == prior_knowledge(dataset.labels, run.seed)
        assert run.priors == run.order[:2]
        assert len(set(run.order)) == len(run.order)
        assert sum(dataset.labels[i] for i in run.order) == dataset.n_included
        assert dataset.labels[run.order[-1]]
        assert run.k100 == len(run.order)
        assert len(run.relevant_at) == dataset.n_included
        # The vocabulary gives the relevant records away: none is missed for long.
        assert run.k100 <= dataset.n_included + 3
    assert result.mean("k100") == pytest.approx(sum(r.k100 for r in result.runs) / 2)
    assert recall_curve(result, points=4)[-1] == (1.0, 1.0)


def test_it_explores_when_asked_and_still_finds_everything(dataset) -> None:
    result = simulate(dataset, load_ranker("tfidf-svm"), seeds=[0], exploration=0.5)
    run = result.runs[0]
    assert sum(dataset.labels[i] for i in run.order) == dataset.n_included
    # Every second decision is a random pick, so the run is longer than pure ranking's.
    plain = simulate(dataset, load_ranker("tfidf-svm"), seeds=[0]).runs[0]
    assert run.k100 > plain.k100
