"""The screening queue: unscreened records in the order a reviewer should see them.

Two rules shape the order besides the model's scores.

Exploration. With `exploration` = e > 0, every k-th decision of the review
(k = round(1 / e); the k-th, 2k-th, ... counted over all decisions, not over
queue positions, so that re-ranking after each decision keeps the share) is
a record drawn at random from all unscreened ones instead of the most likely
relevant. Random, rather than the uncertain middle of the scores, because the
point is to show the reviewer what the model does not look at at all, as
ASReview's mixed max/random query does. The draw is seeded with `seed` and
the number of decisions so far, so the same labels give the same queue.

Fallback. Until there is at least one relevant and one irrelevant label,
no model can be trained: the queue is then a random order (seeded likewise).
Random rather than file order, because files are often sorted (by date, by
author, by database), and a sorted start would show one corner of the search
first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cosynth.errors import InputError
from cosynth.ranking.base import PreparedCorpus, Ranker

Indices = npt.NDArray[np.intp]


@dataclass(frozen=True)
class RankedQueue:
    """Unscreened record indices, first to screen first.

    `scores[i]` is the model's score of `order[i]` (all 0.0 when no model was
    used); `explored` holds the positions in `order` given to exploration;
    `model_used` is False while the fallback order is in force.
    """

    order: tuple[int, ...]
    scores: tuple[float, ...]
    explored: frozenset[int]
    model_used: bool


def rank_queue(
    prepared: PreparedCorpus,
    labels: Mapping[int, bool],
    *,
    ranker: Ranker,
    exploration: float = 0.0,
    seed: int = 0,
) -> RankedQueue:
    """Rank the records of `prepared` not in `labels` (index -> relevant) for screening next."""
    _check(prepared, labels, ranker, exploration)
    unlabelled = _unlabelled(prepared.size, labels)
    rng = np.random.default_rng([seed, len(labels)])
    model_used = _can_train(labels)
    if model_used:
        all_scores = ranker.score(prepared, labels)
        by_score = unlabelled[np.argsort(-all_scores[unlabelled], kind="stable")]
    else:
        all_scores = np.zeros(prepared.size)
        by_score = rng.permutation(unlabelled)
    positions = exploration_positions(len(labels), len(unlabelled), exploration)
    order = _with_exploration(by_score, positions, rng)
    return RankedQueue(
        order=tuple(order.tolist()),
        scores=tuple(all_scores[order].tolist()),
        explored=frozenset(positions.tolist()),
        model_used=model_used,
    )


def exploration_positions(n_decided: int, queue_length: int, exploration: float) -> Indices:
    """The queue positions that are exploration picks, after `n_decided` decisions.

    Decision number d (1-based, over the whole review) explores when d is a
    multiple of k = round(1 / exploration); queue position i is decision
    n_decided + i + 1.
    """
    if exploration <= 0 or queue_length == 0:
        return np.empty(0, dtype=np.intp)
    every = max(1, round(1 / exploration))
    first = (-(n_decided + 1)) % every  # the first i with (n_decided + i + 1) % every == 0
    return np.arange(first, queue_length, every, dtype=np.intp)


def _with_exploration(by_score: Indices, positions: Indices, rng: np.random.Generator) -> Indices:
    """`by_score` with random records moved to `positions`, the others keeping their order."""
    if len(positions) == 0:
        return by_score
    picked = rng.choice(by_score, size=len(positions), replace=False)
    order = np.empty_like(by_score)
    order[positions] = picked
    rest = np.ones(len(by_score), dtype=bool)
    rest[positions] = False
    order[rest] = by_score[~np.isin(by_score, picked)]
    return order


def _can_train(labels: Mapping[int, bool]) -> bool:
    values = set(labels.values())
    return True in values and False in values


def _unlabelled(size: int, labels: Mapping[int, bool]) -> Indices:
    mask = np.ones(size, dtype=bool)
    mask[np.fromiter(labels, dtype=np.intp, count=len(labels))] = False
    return np.flatnonzero(mask)


def _check(
    prepared: PreparedCorpus, labels: Mapping[int, bool], ranker: Ranker, exploration: float
) -> None:
    if prepared.ranker != ranker.name:
        raise InputError(
            f"These records were prepared for the ranker {prepared.ranker!r}, "
            f"not {ranker.name!r}; prepare them again."
        )
    if not 0 <= exploration <= 1:
        raise InputError(f"Exploration is a share between 0 and 1 (got {exploration}).")
    outside = [index for index in labels if not 0 <= index < prepared.size]
    if outside:
        raise InputError(
            f"Labels name record {outside[0]}, but there are {prepared.size} records (0 to "
            f"{prepared.size - 1})."
        )
