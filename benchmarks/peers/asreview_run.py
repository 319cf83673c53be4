"""Run ASReview's default simulation on the screening datasets (inside .venv-asreview).

    benchmarks/.venv-asreview/bin/python benchmarks/peers/asreview_run.py \
        [--datasets GLOB] [--seeds 0 1 2 3 4] [--force] [--out DIR]

For every dataset CSV and seed this does what `asreview simulate DATASET
--prior-idx I E --seed K` does with every other option at its default
(ASReview 3's `asreview/simulation/cli.py`):

- the model is ASReview's default AI configuration, `elas_u4` (TF-IDF of word
  1- and 2-grams with sublinear tf, max_df 0.95; a linear SVM, C = 0.11,
  squared hinge loss; "balanced" sample weights with ratio 9.8; the "max"
  querier), built with `ActiveLearningCycle.from_meta` exactly as the CLI
  builds it, behind the CLI's own first cycle (top-down until both classes
  are labelled, which the two priors already satisfy);
- one record is queried per step and the model is retrained after every label;
- the review stops when the last relevant record is found (`LastRelevant`,
  the CLI's stopper when `--n-stop` is not given);
- `numpy.random.seed(K)` is set first, as `--seed K` does: liblinear's
  coordinate descent draws its seed from numpy's global generator, so the
  seed makes the run repeatable;
- similar records are not grouped (`--group-similar-records` is off).

The prior knowledge is the benchmark's shared rule, so cosynth's ranker and
ASReview start from the same two records: with `labels` the file's
`label_included` column in row order, `rng = numpy.random.default_rng(K)`,
`prior_inc = rng.choice(sorted included rows)`, then
`prior_exc = rng.choice(sorted excluded rows)`. Both are labelled first, as
one batch, as the CLI labels `--prior-idx`.

ASReview numbers the records 0..n-1 in file order (its record_id is the
feature-matrix row); the script checks that these rows carry the file's
titles and labels in the same order, so the screening order it writes is a
list of 0-based CSV row positions.

The wall time covers building the simulation, labelling the priors and the
whole review, feature extraction included (ASReview fits TF-IDF inside
`Simulate.review`); reading the CSV into ASReview's in-memory database is
left out. Progress bars are switched off (`print_progress=False`); they
change nothing in the order.

One JSON per dataset and seed goes to `OUT/<dataset-stem>__seed<K>.json`; a
file already there is skipped unless `--force`, so a stopped run resumes.
This file imports neither cosynth nor the benchmark package.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

DATA_DIR = Path("/work/shared/data/screening")
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "results" / "peers" / "asreview"
SCRATCH = Path(__file__).resolve().parents[1] / ".work" / "asreview"
MODEL_NAME = "elas_u4"


def shared_priors(labels: list[int], seed: int) -> tuple[int, int]:
    """The benchmark's prior rule: one included, then one excluded row, same generator."""
    import numpy as np

    included = sorted(i for i, label in enumerate(labels) if label == 1)
    excluded = sorted(i for i, label in enumerate(labels) if label == 0)
    rng = np.random.default_rng(seed)
    prior_inc = int(rng.choice(included))
    prior_exc = int(rng.choice(excluded))
    return prior_inc, prior_exc


def file_labels(path: Path) -> tuple[list[int], list[str]]:
    """`label_included` and `title` of the CSV in row order, as pandas reads it."""
    import pandas as pd

    frame = pd.read_csv(path)
    labels = [int(value) for value in frame["label_included"]]
    titles = ["" if pd.isna(value) else str(value) for value in frame["title"]]
    return labels, titles


def load_asreview(path: Path) -> tuple[Any, Any, list[int]]:
    """ASReview's own reading of the file: its record table and its labels.

    Fails when ASReview's rows are not the file's rows in file order, since
    the written order is taken to be CSV row positions.
    """
    import pandas as pd
    from asreview import load_dataset

    db = load_dataset(str(path), dataset_id=path.name)
    records = db.input.get_df()
    labels = [int(value) for value in db.input["included"]]
    want_labels, want_titles = file_labels(path)
    ids = [int(value) for value in records["record_id"]]
    rows = [int(value) for value in records["dataset_row"]]
    titles = ["" if pd.isna(value) else str(value) for value in records["title"]]
    if ids != list(range(len(want_labels))) or rows != ids:
        raise SystemExit(f"{path.name}: ASReview's record ids are not the file's row numbers")
    if labels != want_labels:
        raise SystemExit(f"{path.name}: ASReview's labels differ from label_included")
    if titles != want_titles:
        raise SystemExit(f"{path.name}: ASReview's titles are not in file order")
    return db, records, labels


def model_description(cycle: Any) -> dict[str, Any]:
    """The default model's name and its components' settings, as ASReview reports them."""
    meta = dataclasses.asdict(cycle.to_meta())
    # Tuples (ngram_range) become lists; anything else odd becomes its repr.
    components = json.loads(json.dumps(meta, default=repr))
    return {"name": MODEL_NAME, **components}


def simulate(records: Any, labels: list[int], priors: tuple[int, int], seed: int) -> dict[str, Any]:
    """One ASReview simulation, built as `asreview simulate` builds it."""
    import numpy as np
    from asreview.learner import ActiveLearningCycle
    from asreview.models.models import get_ai_config
    from asreview.models.queriers import TopDown
    from asreview.models.stoppers import IsFittable, LastRelevant
    from asreview.simulation.simulate import Simulate

    np.random.seed(seed)
    started = time.perf_counter()
    cpu_started = time.process_time()
    cycle = ActiveLearningCycle.from_meta(get_ai_config(MODEL_NAME)["value"])
    cycles = [ActiveLearningCycle(querier=TopDown(), stopper=IsFittable()), cycle]
    sim = Simulate(
        records,
        pd_series(labels),
        cycles,
        stopper=LastRelevant(),
        print_progress=False,
    )
    sim.label(list(priors))
    sim.review()
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started

    results = sim._results
    order = [int(value) for value in results["record_id"]]
    return {
        "order": order,
        "wall_seconds": round(wall, 3),
        "cpu_seconds": round(cpu, 3),
        "model": model_description(cycle),
        "components_used": sorted(
            {str(value) for value in results["classifier"].dropna()}
            | {str(value) for value in results["feature_extractor"].dropna()}
            | {str(value) for value in results["querier"].dropna()}
            | {str(value) for value in results["balancer"].dropna()}
        ),
    }


def pd_series(labels: list[int]) -> Any:
    """Labels as the CLI passes them (`db.input["included"]`, a pandas Series)."""
    import pandas as pd

    return pd.Series(labels, name="included")


def check_order(order: list[int], labels: list[int], priors: tuple[int, int]) -> None:
    """Fail loudly on an order that cannot be a screening order for this file."""
    n_records = len(labels)
    if len(set(order)) != len(order) or not all(0 <= i < n_records for i in order):
        raise SystemExit("ASReview's order repeats or leaves the file's rows")
    if tuple(order[:2]) != priors:
        raise SystemExit("ASReview's order does not start with the priors")
    included = {i for i, label in enumerate(labels) if label == 1}
    if not included <= set(order) or labels[order[-1]] != 1:
        raise SystemExit("ASReview's order does not end at the last included record")


def run_one(path: Path, records: Any, labels: list[int], seed: int) -> dict[str, Any]:
    priors = shared_priors(labels, seed)
    outcome = simulate(records, labels, priors, seed)
    check_order(outcome["order"], labels, priors)
    return {
        "dataset": path.stem,
        "seed": seed,
        "priors": list(priors),
        "order": outcome["order"],
        "n_records": len(labels),
        "n_included": sum(labels),
        "n_screened": len(outcome["order"]),
        "wall_seconds": outcome["wall_seconds"],
        "cpu_seconds": outcome["cpu_seconds"],
        "asreview_version": metadata.version("asreview"),
        "sklearn_version": metadata.version("scikit-learn"),
        "model": outcome["model"],
        "components_used": outcome["components_used"],
        "settings": {
            "equivalent_cli": (
                f"asreview simulate {path.name} --prior-idx {priors[0]} {priors[1]} --seed {seed}"
            ),
            "n_query": 1,
            "stopper": "last_relevant (all relevant records found)",
            "group_similar_records": False,
            "numpy_global_seed": seed,
        },
    }


def write_json(target: Path, payload: dict[str, Any]) -> None:
    # Write then rename, so a stopped run never leaves half a file to be skipped.
    partial = target.with_suffix(".json.partial")
    partial.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    partial.replace(target)


def main(argv: list[str] | None = None) -> int:
    # One core: numpy and scikit-learn load lazily, so this comes before their
    # BLAS starts its threads. The benchmark machine is shared.
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default=str(DATA_DIR / "*.csv"), help="glob of CSV files")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4])
    parser.add_argument("--force", action="store_true", help="redo runs whose JSON exists")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    pattern = Path(args.datasets).resolve()
    out = args.out.resolve()
    # Importing asreview makes its synergy-dataset plugin open an HTTP cache
    # file, `synergy_cache.sqlite`, in the working directory; keep it out of
    # the checkout, in the benchmarks' git-ignored scratch folder.
    SCRATCH.mkdir(parents=True, exist_ok=True)
    os.chdir(SCRATCH)
    # Smallest file first: the quick datasets finish, and can be checked, early.
    paths = sorted(pattern.parent.glob(pattern.name), key=lambda p: (p.stat().st_size, p.name))
    if not paths:
        raise SystemExit(f"no dataset matches {args.datasets}")
    out.mkdir(parents=True, exist_ok=True)

    for path in paths:
        todo = [
            seed
            for seed in args.seeds
            if args.force or not (out / f"{path.stem}__seed{seed}.json").exists()
        ]
        if not todo:
            print(f"{path.stem}: all seeds done, skipped", flush=True)
            continue
        db, records, labels = load_asreview(path)
        with db:
            for seed in todo:
                payload = run_one(path, records, labels, seed)
                write_json(out / f"{path.stem}__seed{seed}.json", payload)
                print(
                    f"{path.stem} seed {seed}: {payload['n_screened']}/{payload['n_records']} "
                    f"screened to find {payload['n_included']} included, "
                    f"{payload['wall_seconds']:.1f} s",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
