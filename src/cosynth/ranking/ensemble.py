"""Rank averaging: several linear rankers, each record placed by its mean rank among them.

Two models that read a record differently (e.g. with and without its
keywords) disagree most about the records one of them under-rates; the mean
rank lifts those records without letting either model's scale dominate
(scores of different models are not comparable, ranks are).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.sparse import csr_matrix

from cosynth.ranking.base import PreparedCorpus, Scores
from cosynth.ranking.linear import Recipe, recipe_text, svm_scores, tfidf_words


def ranks(scores: Scores) -> Scores:
    """Each record's rank by score, 0 for the lowest, scaled to 0..1."""
    order = np.argsort(scores, kind="stable")
    placed = np.empty(len(scores), dtype=np.float64)
    placed[order] = np.arange(len(scores), dtype=np.float64)
    return placed / max(1, len(scores) - 1)


class RankAverageRanker:
    """The mean rank of several `Recipe`s' SVMs, each on its own TF-IDF features."""

    name = "rank-average"
    label = "Mean rank of several TF-IDF + linear SVM models"
    recipes: tuple[Recipe, ...] = ()

    def prepare(self, documents: Sequence[str]) -> PreparedCorpus:
        matrices: dict[tuple[int, bool, bool], csr_matrix] = {}
        for recipe in self.recipes:
            key = _words_read(recipe)
            if key not in matrices:  # recipes that read the same words share features
                matrices[key] = tfidf_words([recipe_text(d, recipe) for d in documents])
        features = tuple(matrices[_words_read(recipe)] for recipe in self.recipes)
        return PreparedCorpus(self.name, len(documents), features)

    def score(self, prepared: PreparedCorpus, labels: Mapping[int, bool]) -> Scores:
        features = prepared.features
        if prepared.ranker != self.name or not isinstance(features, tuple):
            raise ValueError(f"features prepared by {prepared.ranker!r} given to {self.name!r}")
        total = np.zeros(prepared.size)
        for recipe, matrix in zip(self.recipes, features, strict=True):
            total += ranks(svm_scores(matrix, labels, recipe))
        return total / len(self.recipes)


def _words_read(recipe: Recipe) -> tuple[int, bool, bool]:
    return recipe.title_repeats, recipe.abstract, recipe.keywords
