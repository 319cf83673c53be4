"""Linear models over TF-IDF features: the field's reference recipe, and cosynth's variant of it.

`TfidfSvmRanker` reimplements ASReview's default model "ELAS u4" (ASReview
LAB 2 and 3, asreview/models/models.py) from its published settings: the
title and abstract as one text; TF-IDF over word 1- and 2-grams with
sublinear term frequency, fitted on the whole corpus (max_df 0.95); a linear
SVM (squared hinge loss, C = 0.11); and sample weights that give the
included records, together, 9.8 times the weight of the excluded ones. On
the benchmark datasets it reproduces ASReview's screening orders.

`LinearRanker` is the same machinery with the choices cosynth measured
(`Recipe`; benchmarks/screening.py and the ranker's own docstring say which
paid): how much the title weighs, whether keywords are read, and the
presumed-irrelevant random sample of Cormack & Grossman's CAL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from cosynth.ranking.base import PreparedCorpus, Scores, document_fields

Indices = npt.NDArray[np.intp]
Targets = npt.NDArray[np.int8]

# Past this many irrelevant labels, an SVM trains on a seeded random sample of
# them (all relevant ones always), reweighted to the same total weight: a
# fit's time grows with the training set, and the queue of a 100,000-record
# review must re-rank in under 2 s. No benchmark review comes near it.
MAX_IRRELEVANT_TRAINED = 4000


@dataclass(frozen=True)
class Recipe:
    """The choices of a TF-IDF + linear SVM ranker."""

    title_repeats: int = 1  # the title's words counted this many times (ASReview: 1)
    abstract: bool = True  # read the abstract (a title-only model sets False)
    keywords: bool = False  # read the keywords field (ASReview: no)
    svm_c: float = 0.11
    ratio: float = 9.8  # included records' total weight / excluded records' total weight
    # Cormack & Grossman's CAL ("Evaluation of machine-learning protocols for
    # technology-assisted review in electronic discovery", SIGIR 2014): this
    # many random unscreened records join the training set as presumed
    # irrelevant, a cheap guard against over-fitting the first few labels.
    presumed_irrelevant: int = 0


ELAS_U4 = Recipe()


def tfidf_words(documents: Sequence[str]) -> csr_matrix:
    """Word 1- and 2-grams, sublinear tf, L2-normalised rows; fitted on the whole corpus."""
    return tfidf(documents, ngram_range=(1, 2))


def tfidf(documents: Sequence[str], **vectoriser_options: object) -> csr_matrix:
    """TF-IDF with sublinear tf and L2-normalised rows, fitted on the whole corpus.

    `vectoriser_options` go to scikit-learn's `TfidfVectorizer` (the n-grams,
    the token pattern).
    """
    # max_df drops words in over 95% of records; in a handful of records that
    # rule means nothing (and with one record it would drop every word).
    max_df = 0.95 if len(documents) >= _MIN_FOR_MAX_DF else 1.0
    vectoriser = TfidfVectorizer(
        sublinear_tf=True,
        min_df=1,
        max_df=max_df,
        **vectoriser_options,
    )
    try:
        return csr_matrix(vectoriser.fit_transform(documents))
    except ValueError:
        # No words at all (every title and abstract empty): nothing to learn
        # from, so every record scores the same and the queue keeps its order.
        return csr_matrix((len(documents), 1))


_MIN_FOR_MAX_DF = 20


def recipe_text(document: str, recipe: Recipe) -> str:
    """The words a recipe reads from a `document_text`: title (repeated), abstract, keywords."""
    title, abstract, keywords = document_fields(document)
    parts = [title] * recipe.title_repeats
    parts += [abstract] if recipe.abstract else []
    parts += [keywords] if recipe.keywords else []
    return " ".join(part for part in parts if part)


def training_set(labels: Mapping[int, bool]) -> tuple[Indices, Targets]:
    """The labelled indices and their 0/1 labels, in index order (so fits are repeatable)."""
    indices = np.fromiter(sorted(labels), dtype=np.intp, count=len(labels))
    targets = np.fromiter((labels[i] for i in indices), dtype=np.int8, count=len(labels))
    return indices, targets


def with_presumed_irrelevant(
    indices: Indices, targets: Targets, size: int, how_many: int
) -> tuple[Indices, Targets]:
    """The training set plus `how_many` random unlabelled records labelled irrelevant.

    The draw is seeded with the number of labels, so the same labels always
    give the same scores.
    """
    if how_many <= 0:
        return indices, targets
    unlabelled = np.setdiff1d(np.arange(size), indices, assume_unique=True)
    rng = np.random.default_rng(len(indices))
    extra = rng.choice(unlabelled, size=min(how_many, len(unlabelled)), replace=False)
    return np.concatenate([indices, extra]), np.concatenate(
        [targets, np.zeros_like(extra, np.int8)]
    )


def capped(indices: Indices, targets: Targets, most: int) -> tuple[Indices, Targets]:
    """All relevant labels and at most `most` irrelevant ones, drawn seeded by the count."""
    irrelevant = np.flatnonzero(targets == 0)
    if len(irrelevant) <= most:
        return indices, targets
    rng = np.random.default_rng(len(indices))
    dropped = np.setdiff1d(irrelevant, rng.choice(irrelevant, size=most, replace=False))
    keep = np.ones(len(indices), dtype=bool)
    keep[dropped] = False
    return indices[keep], targets[keep]


def balanced_weights(targets: Targets, ratio: float) -> npt.NDArray[np.float64]:
    """Weights giving the included records, together, `ratio` times the excluded ones' weight.

    Each included record weighs 1 and each excluded n_incl / (ratio x n_excl),
    then all are scaled to average 1 (ASReview's "balanced" balancer).
    """
    included = int(targets.sum())
    excluded = len(targets) - included
    weights = np.where(targets == 1, 1.0, included / (ratio * excluded))
    scaled: npt.NDArray[np.float64] = weights * (len(targets) / weights.sum())
    return scaled


def training_rows(labels: Mapping[int, bool], size: int, recipe: Recipe) -> tuple[Indices, Targets]:
    """The records an SVM trains on, with their 0/1 labels.

    The labelled records, CAL's presumed-irrelevant sample when the recipe
    asks for one, and at most `MAX_IRRELEVANT_TRAINED` irrelevant ones.
    """
    indices, targets = training_set(labels)
    indices, targets = with_presumed_irrelevant(indices, targets, size, recipe.presumed_irrelevant)
    return capped(indices, targets, MAX_IRRELEVANT_TRAINED)


def fitted_svm(rows: csr_matrix, targets: Targets, recipe: Recipe) -> LinearSVC:
    """The recipe's balanced linear SVM, fitted on `rows`."""
    model = LinearSVC(C=recipe.svm_c, loss="squared_hinge", random_state=0)
    model.fit(rows, targets, sample_weight=balanced_weights(targets, recipe.ratio))
    return model


def svm_scores(features: csr_matrix, labels: Mapping[int, bool], recipe: Recipe) -> Scores:
    """Fit the recipe's SVM on the labelled records; the decision value of every record."""
    indices, targets = training_rows(labels, features.shape[0], recipe)
    model = fitted_svm(features[indices], targets, recipe)
    # The decision value by hand: sklearn's decision_function first checks
    # (and may copy) the whole matrix, which costs more than the product.
    scores = features @ model.coef_.ravel() + model.intercept_[0]
    return np.asarray(scores, dtype=np.float64)


def features_of(prepared: PreparedCorpus, name: str) -> csr_matrix:
    if prepared.ranker != name or not isinstance(prepared.features, csr_matrix):
        raise ValueError(f"features prepared by {prepared.ranker!r} given to {name!r}")
    return prepared.features


class LinearRanker:
    """A TF-IDF + linear SVM ranker following one `Recipe`."""

    name = "linear"
    label = "TF-IDF + linear SVM"
    recipe = ELAS_U4

    def prepare(self, documents: Sequence[str]) -> PreparedCorpus:
        texts = [recipe_text(document, self.recipe) for document in documents]
        return PreparedCorpus(self.name, len(documents), tfidf_words(texts))

    def score(self, prepared: PreparedCorpus, labels: Mapping[int, bool]) -> Scores:
        return svm_scores(features_of(prepared, self.name), labels, self.recipe)


class TfidfSvmRanker(LinearRanker):
    """ASReview's ELAS u4 recipe: title and abstract, TF-IDF word 1-2-grams, balanced linear SVM."""

    name = "tfidf-svm"
    label = "TF-IDF + linear SVM (ASReview's ELAS u4 recipe)"
    recipe = ELAS_U4


class TitleWeightedSvmRanker(LinearRanker):
    """ELAS u4 with the title counted twice: the default ranker's first phase (multiview.py)."""

    name = "title-svm"
    label = "TF-IDF + linear SVM, title counted twice"
    recipe = Recipe(title_repeats=2)
