"""The default ranker: title-svm while it finds records, then three views taking turns."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix, hstack
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from cosynth.ranking import rank_queue
from cosynth.ranking.base import PreparedCorpus, document_text
from cosynth.ranking.linear import balanced_weights, svm_scores, training_set
from cosynth.ranking.multiview import (
    BLOCK_WEIGHT,
    DRY_SPELL,
    TITLE_TWICE,
    MultiViewFeatures,
    MultiViewSvmRanker,
    endings_text,
    joined_scores,
    view_turn,
)
from tests.ranking.corpus import corpus


def test_the_words_rank_alone_until_a_dry_spell() -> None:
    finding = [True] + [False] * (DRY_SPELL - 1) + [True] + [False] * 10
    assert view_turn(finding, 3) == 0


def test_after_a_dry_spell_the_views_take_turns_by_decision_number() -> None:
    dry = [True] + [False] * DRY_SPELL
    turns = [view_turn(dry + [False] * extra, 3) for extra in range(6)]
    assert turns == [(len(dry) + extra) % 3 for extra in range(6)]
    # Once dry, always taking turns: a later find does not undo it.
    assert view_turn([*dry, True], 3) == (len(dry) + 1) % 3


def test_irrelevant_records_before_the_first_relevant_one_are_not_a_dry_spell() -> None:
    # No model ranked them: they came in random order, before any relevant label.
    assert view_turn([False] * (DRY_SPELL + 10) + [True, False], 3) == 0


def test_word_endings_link_drugs_of_one_class() -> None:
    assert endings_text("Metoprolol and atenolol, a trial") == ("~olol ~olol ~rolol ~nolol")
    assert endings_text("short words only") == ""


def _prepared(texts: list[str]) -> tuple[MultiViewSvmRanker, PreparedCorpus]:
    ranker = MultiViewSvmRanker()
    return ranker, ranker.prepare([document_text(text, "", "") for text in texts])


@pytest.mark.parametrize("view", [0, 1])
def test_a_joined_view_scores_as_the_joined_matrix_would(view: int) -> None:
    """Never building the joined matrix must not change a score: compare with building it."""
    texts, labels = corpus()
    _, prepared = _prepared(texts)
    features = prepared.features
    assert isinstance(features, MultiViewFeatures)
    known = {i: labels[i] for i in range(40)}
    joined = features.joined[view]
    block = csr_matrix(joined.block)
    built = csr_matrix(normalize(hstack([features.words, BLOCK_WEIGHT * block]).tocsr()))
    indices, targets = training_set(known)
    model = LinearSVC(C=TITLE_TWICE.svm_c, random_state=0)
    model.fit(built[indices], targets, sample_weight=balanced_weights(targets, TITLE_TWICE.ratio))
    expected = built @ model.coef_.ravel() + model.intercept_[0]
    assert joined_scores(features.words, joined, known, TITLE_TWICE) == pytest.approx(
        expected, abs=1e-9
    )


def test_before_a_dry_spell_it_scores_as_title_svm() -> None:
    texts, labels = corpus()
    ranker, prepared = _prepared(texts)
    features = prepared.features
    assert isinstance(features, MultiViewFeatures)
    known = {labels.index(True): True, labels.index(False): False}
    assert np.array_equal(
        ranker.score(prepared, known), svm_scores(features.words, known, TITLE_TWICE)
    )


def test_it_finds_the_relevant_records_first_in_either_phase() -> None:
    texts, labels = corpus(n_relevant=12, n_other=150)
    ranker, prepared = _prepared(texts)
    first = labels.index(True)
    irrelevant = [i for i, label in enumerate(labels) if not label]
    # A dry spell already behind the team: the views now take turns.
    dry = {first: True, **dict.fromkeys(irrelevant[:DRY_SPELL], False)}
    for known in ({first: True, irrelevant[0]: False}, dry):
        queue = rank_queue(prepared, known, ranker=ranker)
        assert all(labels[index] for index in queue.order[: sum(labels) - 1])


@pytest.mark.parametrize(
    "texts",
    [["a single record about insulin"], ["", "", ""], ["metformin trial", "knee fracture"]],
)
def test_it_prepares_tiny_and_empty_corpora(texts: list[str]) -> None:
    ranker, prepared = _prepared(texts)
    assert prepared.size == len(texts)
    if len(texts) >= 2:
        scores = ranker.score(prepared, {0: True, 1: False})
        assert scores.shape == (len(texts),)
        assert np.isfinite(scores).all()


def test_it_refuses_features_another_ranker_prepared() -> None:
    ranker = MultiViewSvmRanker()
    with pytest.raises(ValueError, match="title-svm"):
        ranker.score(PreparedCorpus("title-svm", 2, csr_matrix((2, 2))), {0: True, 1: False})


def test_a_large_search_draws_its_topics_from_a_sample_and_the_widest_terms(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The limits that keep 100,000 records' topics quick, tried small."""
    from cosynth.ranking import multiview

    texts, _ = corpus(n_relevant=12, n_other=150)
    words = multiview.tfidf_words(texts)
    monkeypatch.setattr(multiview, "TOPIC_TERMS", 10)
    monkeypatch.setattr(multiview, "TOPIC_SAMPLE", 40)
    monkeypatch.setattr(multiview, "TOPICS", 5)
    topics = multiview.topics_of(words)
    assert topics.shape == (len(texts), 5)
    # Unit rows, but for records with none of the ten widest terms: no topic at all.
    lengths = np.linalg.norm(topics, axis=1)
    assert np.isclose(lengths, 1.0).sum() > len(texts) / 2
    assert (np.isclose(lengths, 1.0) | np.isclose(lengths, 0.0)).all()
