"""Screening prioritisation benchmark: cosynth's default ranker beside ASReview 3 (ELAS u4).

Run from the repository root (one core, as the results were measured):

    nice .venv/bin/python benchmarks/screening.py [--datasets STEM ...] [--ranker NAME]

For every CSV in the shared folder `screening/` (DATASETS.md there; Nelson_2002
is absent, so Cohen's Estrogens review counts once) and seeds 0-4, both tools
start from the same prior knowledge - `numpy.random.default_rng(seed)` picks
one included record, then one excluded (`cosynth.ranking.prior_knowledge`) -
retrain after every decision and screen until every included record is found.

- cosynth runs in this process: `cosynth.ranking.simulate` with the default
  ranker (or `--ranker`).
- ASReview's screening orders are read from
  `benchmarks/results/peers/asreview/<stem>__seed<k>.json`, written by
  `benchmarks/peers/asreview_run.py` (ASReview 3 in its own environment). A
  missing file is reported and its cell left empty; a file whose priors are
  not ours is reported and not used.

Both tools' orders go through the same code (`cosynth.ranking.order_metrics`):
records screened to 95% and 100% recall (k95: the smallest k with found >=
ceil(0.95 x included); the two priors count), classic WSS@95 = (N - k95) / N
- 0.05, recall after the first ceil(10% of N) records; wall time is each
tool's own (ASReview's from its JSON; cosynth's includes preparing features).

`ratio_records_to_95` = cosynth's mean k95 over all datasets and seeds divided
by ASReview's, over the (dataset, seed) cells both tools have.

Results: `benchmarks/results/screening.json` and `benchmarks/results/screening.md`.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import statistics
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from threadpoolctl import threadpool_limits

from cosynth.ranking import (
    DEFAULT_RANKER,
    LabelledDataset,
    load_ranker,
    order_metrics,
    prior_knowledge,
    read_labelled_dataset,
    simulate,
)
from provenance import git_source, machine

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("COSYNTH_SHARED_DATA", REPO.parent / "shared" / "data"))
PEERS = REPO / "benchmarks" / "results" / "peers" / "asreview"
RESULTS = REPO / "benchmarks" / "results"
SEEDS = range(5)
METRICS = ("k95", "k100", "wss95", "recall_at_10", "wall_seconds")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", nargs="*", help="dataset stems (default: every CSV)")
    parser.add_argument("--ranker", default=DEFAULT_RANKER, help="cosynth ranker to run")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the results")
    parser.add_argument(
        "--jobs", type=int, default=1, help="datasets simulated at once, one core each (default 1)"
    )
    args = parser.parse_args()
    paths = sorted((SHARED / "screening").glob("*.csv"))
    if args.datasets:
        paths = [path for path in paths if path.stem in args.datasets]
    notes: list[str] = []
    rows = []
    datasets = [read_labelled_dataset(path) for path in paths]
    with ProcessPoolExecutor(args.jobs, initializer=_one_core) as pool:
        simulated = pool.map(run_cosynth, datasets, [args.ranker] * len(datasets))
    for dataset, cosynth in zip(datasets, simulated, strict=True):
        asreview, asreview_version = read_peer(dataset, notes)
        rows.append(summarise(dataset, cosynth, asreview, asreview_version))
        say(rows[-1])
    report = build_report(rows, args.ranker, notes)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "screening.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "screening.md").write_text(markdown(report))
    print(f"ratio_records_to_95 = {report['ratio_records_to_95']}", file=sys.stderr)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)


def _one_core() -> None:
    """Each worker process on one core, as the results are reported (and as the parent runs)."""
    threadpool_limits(limits=1)


def run_cosynth(dataset: LabelledDataset, ranker: str) -> dict[int, dict[str, float]]:
    result = simulate(dataset, load_ranker(ranker), SEEDS)
    cells = {}
    for run in result.runs:
        metrics = order_metrics(run.order, dataset.labels)
        cells[run.seed] = {**metrics, "wall_seconds": run.wall_seconds}
    return cells


def read_peer(
    dataset: LabelledDataset, notes: list[str]
) -> tuple[dict[int, dict[str, float]], str | None]:
    """ASReview's figures per seed, from its orders; problems go to `notes`."""
    cells: dict[int, dict[str, float]] = {}
    version = None
    for seed in SEEDS:
        path = PEERS / f"{dataset.name}__seed{seed}.json"
        if not path.is_file():
            notes.append(f"ASReview file missing: {path.name}")
            continue
        peer = json.loads(path.read_text())
        priors = list(prior_knowledge(dataset.labels, seed))
        if peer.get("priors") != priors or peer["order"][:2] != priors:
            notes.append(f"{path.name}: priors {peer.get('priors')} are not ours ({priors})")
            continue
        if peer.get("n_records") != len(dataset):
            notes.append(f"{path.name}: {peer.get('n_records')} records, not {len(dataset)}")
            continue
        metrics = order_metrics(peer["order"], dataset.labels)
        cells[seed] = {**metrics, "wall_seconds": float(peer["wall_seconds"])}
        version = peer.get("asreview_version", version)
    return cells, version


def summarise(
    dataset: LabelledDataset,
    cosynth: dict[int, dict[str, float]],
    asreview: dict[int, dict[str, float]],
    asreview_version: str | None,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "dataset": dataset.name,
        "n_records": len(dataset),
        "n_included": dataset.n_included,
    }
    for tool, cells in (("cosynth", cosynth), ("asreview", asreview)):
        row[tool] = {
            "seeds": {str(seed): cells[seed] for seed in sorted(cells)},
            "mean": {m: _mean([cells[s][m] for s in cells]) for m in METRICS},
            "sd": {m: _sd([cells[s][m] for s in cells]) for m in METRICS},
        }
    row["asreview"]["version"] = asreview_version
    both = sorted(set(cosynth) & set(asreview))
    row["paired_seeds"] = both
    row["ratio_k95"] = (
        _mean([cosynth[s]["k95"] for s in both]) / _mean([asreview[s]["k95"] for s in both])
        if both
        else None
    )
    return row


def build_report(rows: list[dict[str, Any]], ranker: str, notes: list[str]) -> dict[str, Any]:
    paired = [
        (row["cosynth"]["seeds"][str(s)]["k95"], row["asreview"]["seeds"][str(s)]["k95"])
        for row in rows
        for s in row["paired_seeds"]
    ]
    ratio = (
        round(statistics.fmean(c for c, _ in paired) / statistics.fmean(a for _, a in paired), 4)
        if paired
        else None
    )
    rated = [row for row in rows if row["ratio_k95"] is not None]
    worst = max(rated, key=lambda row: row["ratio_k95"]) if rated else None
    asreview_versions = sorted({row["asreview"]["version"] for row in rows} - {None})
    return {
        "benchmark": "screening prioritisation: records screened to 95% recall, 5 seeds",
        "ratio_records_to_95": ratio,
        "paired_cells": len(paired),
        "worst_dataset_ratio": (
            {"dataset": worst["dataset"], "ratio_k95": round(worst["ratio_k95"], 4)}
            if worst
            else None
        ),
        "datasets": rows,
        "notes": notes,
        "cosynth": {
            "ranker": ranker,
            "version": importlib.metadata.version("cosynth"),
            **git_source(),
        },
        "asreview": {"versions": asreview_versions, "model": "elas_u4 (default)"},
        "versions": {
            name: importlib.metadata.version(name) for name in ("scikit-learn", "numpy", "scipy")
        },
        "machine": machine(),
    }


def say(row: dict[str, Any]) -> None:
    c, a = row["cosynth"]["mean"], row["asreview"]["mean"]
    ratio = "-" if row["ratio_k95"] is None else f"{row['ratio_k95']:.3f}"
    print(
        f"{row['dataset']:40s} k95 cosynth {_fmt(c['k95'])} asreview {_fmt(a['k95'])} "
        f"ratio {ratio}",
        file=sys.stderr,
        flush=True,
    )


def markdown(report: dict[str, Any]) -> str:
    source = report["cosynth"]["commit"]
    if report["cosynth"].get("src_changed_since"):
        source += ", src/ changed since"
    lines = [
        "# Screening prioritisation: cosynth vs ASReview",
        "",
        f"cosynth ranker `{report['cosynth']['ranker']}` (commit {source}); "
        f"ASReview {', '.join(report['asreview']['versions']) or '?'} ELAS u4. Same priors "
        "(1 included + 1 excluded, seeds 0-4), retrained after every decision. Means over "
        "seeds (SD in brackets). k95/k100: records screened to 95%/100% recall, priors "
        "counted. WSS@95 classic = (N − k95)/N − 0.05. Time: wall seconds per run, one core.",
        "",
        "| dataset | N | incl. | k95 cosynth | k95 ASReview | ratio | k100 cosynth "
        "| k100 ASReview | WSS@95 cosynth | WSS@95 ASReview | recall@10% cosynth "
        "| recall@10% ASReview | s cosynth | s ASReview |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in report["datasets"]:
        c, a = row["cosynth"], row["asreview"]
        ratio = "–" if row["ratio_k95"] is None else f"{row['ratio_k95']:.2f}"
        lines.append(
            f"| {row['dataset']} | {row['n_records']} | {row['n_included']} "
            f"| {_fmt(c['mean']['k95'], c['sd']['k95'])} "
            f"| {_fmt(a['mean']['k95'], a['sd']['k95'])} "
            f"| {ratio} | {_fmt(c['mean']['k100'])} | {_fmt(a['mean']['k100'])} "
            f"| {_fmt(c['mean']['wss95'], digits=3)} | {_fmt(a['mean']['wss95'], digits=3)} "
            f"| {_pct(c['mean']['recall_at_10'])} | {_pct(a['mean']['recall_at_10'])} "
            f"| {_fmt(c['mean']['wall_seconds'])} | {_fmt(a['mean']['wall_seconds'])} |"
        )
    all_c = [r["cosynth"]["mean"]["k95"] for r in report["datasets"]]
    all_a = [r["asreview"]["mean"]["k95"] for r in report["datasets"]]
    lines += [
        "",
        f"**ratio_records_to_95** (cosynth's mean k95 over all datasets and seeds ÷ ASReview's, "
        f"{report['paired_cells']} paired cells): **{report['ratio_records_to_95']}**. "
        f"Mean k95: cosynth {_fmt(_mean(all_c))}, ASReview {_fmt(_mean(all_a))}.",
    ]
    worst = report["worst_dataset_ratio"]
    if worst:
        lines.append(f"Worst dataset: {worst['dataset']} (ratio {worst['ratio_k95']}).")
    machine_info = report["machine"]
    lines.append(
        f"Machine: {machine_info['cpu_model']}, {machine_info['cpu_count']} cores, load average "
        f"{machine_info['load_average']} at the end; {machine_info['date']}."
    )
    if report["notes"]:
        lines += ["", "Notes:", "", *[f"- {note}" for note in report["notes"]]]
    return "\n".join(lines) + "\n"


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def _sd(values: list[float]) -> float | None:
    return statistics.stdev(values) if len(values) > 1 else None


def _fmt(value: float | None, sd: float | None = None, digits: int = 1) -> str:
    if value is None:
        return "–"
    text = f"{value:.{digits}f}"
    return f"{text} ({sd:.{digits}f})" if sd is not None else text


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


if __name__ == "__main__":
    with threadpool_limits(limits=1):  # one core, as the results are reported
        main()
