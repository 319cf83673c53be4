"""Retrain + re-rank time for a 100,000-record screening queue (target: under 2 s, one core).

Run from the repository root:

    nice .venv/bin/python benchmarks/ranking_scale.py [--records 100000] [--ranker NAME]

The corpus is the real text of every labelled review in the shared folder
`screening/` (about 19,500 titles with abstracts and keywords), repeated until
there are `--records`; every copy after the first has each record's words
shuffled, so that copies bring new word pairs and the vocabulary grows as a
larger search's would. Features are prepared once (timed apart); then one
`rank_queue` call - retrain on the labels so far, score every record, order
the unscreened ones - is timed with 100 to 10,000 records labelled (a random
sample, each with its review's own label, which a copy shares: about 5%
relevant), best and median of 3 calls each.

Results: `benchmarks/results/ranking_scale.json`.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from threadpoolctl import threadpool_limits

from cosynth.ranking import (
    DEFAULT_RANKER,
    document_text,
    load_ranker,
    rank_queue,
    read_labelled_dataset,
)

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("COSYNTH_SHARED_DATA", REPO.parent / "shared" / "data"))
RESULTS = REPO / "benchmarks" / "results"
# 5,000 to 5,002 labelled: three calls in a row, so that each of multiview-svm's
# views takes its turn once (its views take turns by decision number).
LABELLED = (100, 1_000, 5_000, 5_001, 5_002, 10_000)
REPEATS = 3
TARGET_SECONDS = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--ranker", default=DEFAULT_RANKER)
    args = parser.parse_args()
    texts, relevant = corpus(args.records)
    ranker = load_ranker(args.ranker)
    started = time.perf_counter()
    prepared = ranker.prepare(texts)
    preparing = time.perf_counter() - started
    print(f"prepared {len(texts)} records in {preparing:.1f} s", file=sys.stderr)
    rng = random.Random(0)
    timings = []
    for n_labelled in LABELLED:
        picked = rng.sample(range(len(texts)), n_labelled)
        labels = {index: relevant[index] for index in picked}
        seconds = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            queue = rank_queue(prepared, labels, ranker=ranker, exploration=0.1, seed=1)
            seconds.append(time.perf_counter() - started)
        assert len(queue.order) == len(texts) - n_labelled
        timings.append(
            {
                "labelled": n_labelled,
                "queue_length": len(queue.order),
                "best_seconds": round(min(seconds), 3),
                "median_seconds": round(statistics.median(seconds), 3),
            }
        )
        print(f"{n_labelled:>6} labelled: {timings[-1]}", file=sys.stderr, flush=True)
    worst = max(timing["median_seconds"] for timing in timings)
    report = {
        "benchmark": "retrain + re-rank of one screening queue (rank_queue), one core",
        "records": len(texts),
        "ranker": ranker.name,
        "prepare_seconds": round(preparing, 2),
        "timings": timings,
        "worst_median_seconds": worst,
        "target_seconds": TARGET_SECONDS,
        "meets_target": worst < TARGET_SECONDS,
        "versions": {
            name: importlib.metadata.version(name)
            for name in ("cosynth", "scikit-learn", "numpy", "scipy")
        },
        "machine": {
            "cpu_count": os.cpu_count(),
            "load_average": round(os.getloadavg()[0], 2),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ranking_scale.json").write_text(json.dumps(report, indent=2) + "\n")


def corpus(size: int) -> tuple[list[str], list[bool]]:
    """`size` texts and labels: the real reviews' records, then word-shuffled copies of them."""
    originals: list[str] = []
    labels: list[bool] = []
    for path in sorted((SHARED / "screening").glob("*.csv")):
        dataset = read_labelled_dataset(path)
        originals += [
            document_text(title, abstract, keywords)
            for title, abstract, keywords in zip(
                dataset.titles, dataset.abstracts, dataset.keywords, strict=True
            )
        ]
        labels += dataset.labels
    rng = random.Random(1)
    texts = list(originals[:size])
    relevant = list(labels[:size])
    while len(texts) < size:
        more = size - len(texts)
        for text in originals[:more]:
            words = text.split()
            rng.shuffle(words)
            texts.append(" ".join(words))
        relevant += labels[:more]
    return texts, relevant


if __name__ == "__main__":
    with threadpool_limits(limits=1):  # one core, as the results are reported
        main()
