"""Linear models over TF-IDF features: the field's reference recipe, and what cosynth builds on.

`TfidfSvmRanker` reimplements ASReview's default model "ELAS u4" (ASReview
LAB 2 and 3, asreview/models/models.py), from its published settings:
TF-IDF over word 1- and 2-grams with sublinear term frequency, fitted on the
whole corpus (max_df 0.95); a linear SVM (squared hinge loss, C = 0.11); and
sample weights that give the included records, together, 9.8 times the
weight of the excluded ones. On the benchmark datasets it reproduces
ASReview's screening orders record for record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from cosynth.ranking.base import PreparedCorpus, Scores


def tfidf_words(documents: Sequence[str]) -> csr_matrix:
    """Word 1- and 2-grams, sublinear tf, L2-normalised rows; fitted on the whole corpus."""
    vectoriser = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, max_df=0.95)
    return csr_matrix(vectoriser.fit_transform(documents))


def training_set(labels: Mapping[int, bool]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int8]]:
    """The labelled indices and their 0/1 labels, in index order (so fits are repeatable)."""
    indices = np.fromiter(sorted(labels), dtype=np.intp, count=len(labels))
    targets = np.fromiter((labels[i] for i in indices), dtype=np.int8, count=len(labels))
    return indices, targets


def balanced_weights(targets: npt.NDArray[np.int8], ratio: float) -> npt.NDArray[np.float64]:
    """Weights giving the included records, together, `ratio` times the excluded ones' weight.

    Each included record weighs 1 and each excluded n_incl / (ratio x n_excl),
    then all are scaled to average 1 (ASReview's "balanced" balancer).
    """
    included = int(targets.sum())
    excluded = len(targets) - included
    weights = np.where(targets == 1, 1.0, included / (ratio * excluded))
    scaled: npt.NDArray[np.float64] = weights * (len(targets) / weights.sum())
    return scaled


def features_of(prepared: PreparedCorpus, name: str) -> csr_matrix:
    if prepared.ranker != name or not isinstance(prepared.features, csr_matrix):
        raise ValueError(f"features prepared by {prepared.ranker!r} given to {name!r}")
    return prepared.features


class TfidfSvmRanker:
    """ASReview's ELAS u4 recipe: TF-IDF word 1-2-grams and a balanced linear SVM."""

    name = "tfidf-svm"
    label = "TF-IDF + linear SVM (ASReview's ELAS u4 recipe)"

    def prepare(self, documents: Sequence[str]) -> PreparedCorpus:
        return PreparedCorpus(self.name, len(documents), tfidf_words(documents))

    def score(self, prepared: PreparedCorpus, labels: Mapping[int, bool]) -> Scores:
        features = features_of(prepared, self.name)
        indices, targets = training_set(labels)
        model = LinearSVC(C=0.11, loss="squared_hinge", random_state=0)
        model.fit(features[indices], targets, sample_weight=balanced_weights(targets, 9.8))
        return np.asarray(model.decision_function(features), dtype=np.float64)
