"""Three views of a record's text that take turns once the ranking runs dry: cosynth's default.

`title-svm` (ELAS u4 with the title counted twice) ranks the queue while it
keeps finding relevant records. Once `DRY_SPELL` records in a row have been
irrelevant, three linear SVMs take turns for the rest of the stage: decision
number d (counted over the whole stage, so that re-ranking after each
decision keeps the turns) is the top pick of view d mod 3, and each view's
SVM is trained on all the labels, so one model is fitted per decision, as
for a single SVM. The views:

1. **words**: `title-svm`'s TF-IDF of word 1- and 2-grams;
2. **word endings**: the words joined to a TF-IDF block, at half weight, of
   the last four and five letters of every word of six letters or more.
   Drug classes share endings (-olol, -pril, -dipine, -prazole, -triptan),
   so an included record about one drug lifts records about its siblings;
3. **topics**: the words joined to a half-weight block of 100 latent
   semantic dimensions (a truncated SVD of the words' matrix), which links
   records that share a subject but few exact words.

Why turns, and why only after a dry spell: on the 17 benchmark reviews each
extra view alone found some reviews' late inclusions far sooner and others'
far later, so that no single view beat `title-svm`; taking turns keeps most
of each view's gains, because a record that any one view ranks near the top
is screened soon. While `title-svm` is still finding records, sharing its
turns only slows it down (on one review, by 35%). The measurements behind
each choice are in `benchmarks/results/screening_experiments.md`.

Memory: the joined views are never built. Both blocks of a view have rows of
unit length, so a joined row is the two blocks side by side times one
number per record (`JoinedView.scale`); training builds the few labelled
rows, and scoring adds the two blocks' products.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix, diags, hstack
from sklearn.decomposition import TruncatedSVD
from sklearn.preprocessing import normalize

from cosynth.ranking.base import PreparedCorpus, Scores
from cosynth.ranking.linear import (
    Recipe,
    fitted_svm,
    recipe_text,
    svm_scores,
    tfidf,
    tfidf_words,
    training_rows,
)

# Records in a row judged irrelevant, after the first relevant one, before the
# views start taking turns (chosen among 30, 50, 60, 75 and 100 on the
# benchmark reviews: screening_experiments.md, fourth round).
DRY_SPELL = 60
BLOCK_WEIGHT = 0.5  # each second block's weight beside the words (rows re-normalised)
TOPICS = 100  # latent semantic dimensions of the topics view
TOPIC_TERMS = 200_000  # the most widespread terms the topics are drawn from
TOPIC_SAMPLE = 20_000  # records the topics are fitted on, in a larger search
ENDING_LENGTHS = (4, 5)
SHORTEST_WORD_WITH_ENDING = 6
TITLE_TWICE = Recipe(title_repeats=2)

_WORD = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern
_BETWEEN_SPACES = r"\S+"  # an ending token is everything between spaces, "~" included

Block: TypeAlias = csr_matrix | npt.NDArray[np.float64]


@dataclass(frozen=True)
class JoinedView:
    """The words beside a second block of features at `BLOCK_WEIGHT`, each row of unit length."""

    block: Block
    scale: npt.NDArray[np.float64]  # per record: 1 / length of [words, weight x block]


@dataclass(frozen=True)
class MultiViewFeatures:
    words: csr_matrix
    joined: tuple[JoinedView, ...]  # word endings, topics

    @property
    def views(self) -> int:
        return 1 + len(self.joined)


def endings_text(text: str) -> str:
    """The endings of `text`'s longer words as tokens: "~olol ~prolol" for "metoprolol"."""
    words = [word for word in _WORD.findall(text.lower()) if len(word) >= SHORTEST_WORD_WITH_ENDING]
    return " ".join("~" + word[-length:] for length in ENDING_LENGTHS for word in words)


def topics_of(words: csr_matrix) -> npt.NDArray[np.float64]:
    """`TOPICS` latent semantic dimensions of the words' matrix, rows of unit length.

    In a large search the decomposition keeps to the `TOPIC_TERMS` terms found
    in the most records, and is fitted on a seeded sample of `TOPIC_SAMPLE`
    records, then applied to all. Both limits keep a 100,000-record search's
    topics to seconds rather than minutes (its words have 5 million columns,
    most of them word pairs of one record), and neither binds on any benchmark
    review: the largest has 2,544 records, the widest 179,525 terms.
    """
    shared = words
    if words.shape[1] > TOPIC_TERMS:
        in_records = np.bincount(words.indices, minlength=words.shape[1])
        widest = np.argsort(-in_records, kind="stable")[:TOPIC_TERMS]
        shared = words[:, np.sort(widest)]
    components = min(TOPICS, shared.shape[1] - 1)
    if components < 1 or words.shape[0] < 2:  # no subject to share
        return np.zeros((words.shape[0], 1))
    decomposition = TruncatedSVD(n_components=components, random_state=0)
    if shared.shape[0] > TOPIC_SAMPLE:
        sample = np.random.default_rng(0).choice(shared.shape[0], TOPIC_SAMPLE, replace=False)
        decomposition.fit(shared[np.sort(sample)])
        reduced = decomposition.transform(shared)
    else:
        reduced = decomposition.fit_transform(shared)
    topics: npt.NDArray[np.float64] = normalize(reduced)
    return topics


def joined_view(words: csr_matrix, block: Block) -> JoinedView:
    """The words and `block` side by side, as `sklearn.preprocessing.normalize` would scale them."""
    squares = np.asarray(words.multiply(words).sum(axis=1)).ravel()
    if isinstance(block, csr_matrix):
        block_squares = np.asarray(block.multiply(block).sum(axis=1)).ravel()
    else:
        block_squares = np.einsum("ij,ij->i", block, block)
    lengths = np.sqrt(squares + BLOCK_WEIGHT**2 * block_squares)
    lengths[lengths == 0] = 1.0  # an empty record stays empty, as normalize leaves it
    return JoinedView(block=block, scale=1.0 / lengths)


def view_turn(relevant_in_order: Sequence[bool], views: int, dry_spell: int = DRY_SPELL) -> int:
    """Which view picks the next record: 0 (words) until a dry spell, then decision d's turn.

    `relevant_in_order` is every decision so far, oldest first. Irrelevant
    records before the first relevant one do not count: no model ranked them.
    """
    run = 0
    dry = False
    seen_relevant = False
    for relevant in relevant_in_order:
        if relevant:
            seen_relevant, run = True, 0
        elif seen_relevant:
            run += 1
            dry = dry or run >= dry_spell
    return len(relevant_in_order) % views if dry else 0


def joined_scores(
    words: csr_matrix, view: JoinedView, labels: Mapping[int, bool], recipe: Recipe
) -> Scores:
    """Fit the recipe's SVM on the labelled records' joined rows; every record's decision value."""
    indices, targets = training_rows(labels, words.shape[0], recipe)
    rows = hstack([words[indices], BLOCK_WEIGHT * csr_matrix(view.block[indices])], format="csr")
    model = fitted_svm(csr_matrix(diags(view.scale[indices]) @ rows), targets, recipe)
    weights = model.coef_.ravel()
    in_words = words.shape[1]
    products = words @ weights[:in_words] + BLOCK_WEIGHT * (view.block @ weights[in_words:])
    return np.asarray(view.scale * products + model.intercept_[0], dtype=np.float64)


class MultiViewSvmRanker:
    """`title-svm`, then three views of the text taking turns after a dry spell."""

    name = "multiview-svm"
    label = "TF-IDF + linear SVM, title twice; after 60 irrelevant in a row, three views take turns"

    def prepare(self, documents: Sequence[str]) -> PreparedCorpus:
        texts = [recipe_text(document, TITLE_TWICE) for document in documents]
        words = tfidf_words(texts)
        endings = tfidf([endings_text(text) for text in texts], token_pattern=_BETWEEN_SPACES)
        joined = (joined_view(words, endings), joined_view(words, topics_of(words)))
        return PreparedCorpus(self.name, len(documents), MultiViewFeatures(words, joined))

    def score(self, prepared: PreparedCorpus, labels: Mapping[int, bool]) -> Scores:
        features = prepared.features
        if prepared.ranker != self.name or not isinstance(features, MultiViewFeatures):
            raise ValueError(f"features prepared by {prepared.ranker!r} given to {self.name!r}")
        turn = view_turn(list(labels.values()), features.views)
        if turn == 0:
            return svm_scores(features.words, labels, TITLE_TWICE)
        return joined_scores(features.words, features.joined[turn - 1], labels, TITLE_TWICE)
