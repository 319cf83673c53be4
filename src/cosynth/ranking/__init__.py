"""Screening prioritisation: rank unscreened records by how likely they are to be relevant.

The one package allowed numpy and scikit-learn. Callers use this API:

    ranker = load_ranker()                       # DEFAULT_RANKER, or by name
    prepared = ranker.prepare(texts)             # once per corpus
    queue = rank_queue(prepared, labels, ranker=ranker, exploration=0.1, seed=7)
    stopping_statistics(labels_in_screening_order, n_total)

and, to replay a labelled review, `read_labelled_dataset` and `simulate`.
Rankers are plugins in the entry-point group `cosynth.rankers`.
"""

from cosynth.ranking.base import PreparedCorpus, Ranker, Scores, document_text
from cosynth.ranking.dataset import LabelledDataset, read_labelled_dataset
from cosynth.ranking.queue import RankedQueue, rank_queue
from cosynth.ranking.registry import DEFAULT_RANKER, load_ranker, ranker_names
from cosynth.ranking.simulation import (
    SeedRun,
    SimulationResult,
    order_metrics,
    prior_knowledge,
    recall_curve,
    simulate,
)
from cosynth.ranking.stopping import StoppingStatistics, stopping_statistics

__all__ = [
    "DEFAULT_RANKER",
    "LabelledDataset",
    "PreparedCorpus",
    "RankedQueue",
    "Ranker",
    "Scores",
    "SeedRun",
    "SimulationResult",
    "StoppingStatistics",
    "document_text",
    "load_ranker",
    "order_metrics",
    "prior_knowledge",
    "rank_queue",
    "ranker_names",
    "read_labelled_dataset",
    "recall_curve",
    "simulate",
    "stopping_statistics",
]
