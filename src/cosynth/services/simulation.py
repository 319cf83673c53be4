"""Replaying a labelled review with a ranker (`cosynth simulate`): no store, no transaction.

A simulation reads a CSV of already-screened records and asks how soon a
ranker would have found the included ones; nothing is saved. Figures are
those of METHODS.md §8 and `cosynth.ranking.simulation`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from cosynth.errors import InputError
from cosynth.ranking import (
    SimulationResult,
    load_ranker,
    read_labelled_dataset,
    recall_curve,
    simulate,
)

Progress = Callable[[int, int], None]
MAX_SEEDS = 100


def simulate_file(
    path: Path,
    *,
    ranker: str | None = None,
    seeds: int = 5,
    progress: Progress | None = None,
) -> SimulationResult:
    """Replay the review in `path` once per seed 0 .. seeds-1 with `ranker` (None: the default)."""
    if not 1 <= seeds <= MAX_SEEDS:
        raise InputError(f"The number of seeds must be between 1 and {MAX_SEEDS} (got {seeds}).")
    chosen = load_ranker(ranker)
    dataset = read_labelled_dataset(path)
    return simulate(dataset, chosen, range(seeds), progress=progress)


def result_json(result: SimulationResult) -> dict[str, Any]:
    """The figures of a simulation as plain JSON values (no screening orders)."""
    metrics = ("k95", "k100", "wss95", "recall_at_10", "wall_seconds")
    return {
        "dataset": result.dataset,
        "ranker": result.ranker,
        "n_records": result.n_records,
        "n_included": result.n_included,
        "runs": [
            {"seed": run.seed, "priors": list(run.priors)}
            | {metric: getattr(run, metric) for metric in metrics}
            for run in result.runs
        ],
        "mean": {metric: result.mean(metric) for metric in metrics},
        "sd": {metric: result.sd(metric) for metric in metrics},
        "recall_curve": [
            {"screened_share": share, "recall": recall} for share, recall in recall_curve(result)
        ],
    }
