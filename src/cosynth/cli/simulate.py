"""`cosynth simulate`: replay a labelled review; report how soon a ranker finds the inclusions."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
from rich.table import Table

from cosynth.cli.output import out
from cosynth.ranking import SimulationResult, recall_curve
from cosynth.services import simulation as simulation_service

_BAR_WIDTH = 40


@click.command()
@click.argument("dataset", type=click.Path(path_type=Path))
@click.option("--ranker", metavar="NAME", help="Which ranker (default: the best measured).")
@click.option(
    "--seeds", default=5, show_default=True, type=int, help="Runs, with prior seeds 0, 1, ..."
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON, for scripts.")
def simulate(dataset: Path, ranker: str | None, seeds: int, as_json: bool) -> None:
    """Replay DATASET.csv (columns title, abstract, label_included) with active learning.

    Each run starts from one included and one excluded record drawn with its
    seed, retrains after every decision and goes on until every included
    record is found. Nothing is saved.
    """
    if as_json:
        result = simulation_service.simulate_file(dataset, ranker=ranker, seeds=seeds)
        click.echo(json.dumps(simulation_service.result_json(result), indent=2))
        return
    columns = (TextColumn("Simulating screening"), BarColumn(), TaskProgressColumn())
    with Progress(*columns, console=out, transient=True) as bar:
        task = bar.add_task("simulate", total=None)
        result = simulation_service.simulate_file(
            dataset,
            ranker=ranker,
            seeds=seeds,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    _show(result)


def _show(result: SimulationResult) -> None:
    out.print(
        f"[bold]{result.dataset}[/]: {result.n_records} records, {result.n_included} included; "
        f"ranker {result.ranker}."
    )
    table = Table(title="Records screened to find the included ones (priors counted)")
    for heading in ("seed", "priors (incl, excl)", "to 95% recall", "to 100% recall",
                    "WSS@95", "recall after 10%", "seconds"):  # fmt: skip
        table.add_column(heading, justify="right")
    for run in result.runs:
        table.add_row(
            str(run.seed), f"{run.priors[0]}, {run.priors[1]}", str(run.k95), str(run.k100),
            f"{run.wss95:.3f}", f"{run.recall_at_10:.1%}", f"{run.wall_seconds:.1f}",
        )  # fmt: skip
    table.add_row(
        "mean", "", f"{result.mean('k95'):.1f}", f"{result.mean('k100'):.1f}",
        f"{result.mean('wss95'):.3f}", f"{result.mean('recall_at_10'):.1%}",
        f"{result.mean('wall_seconds'):.1f}", style="bold",
    )  # fmt: skip
    if len(result.runs) > 1:
        table.add_row(
            "SD", "", f"{result.sd('k95'):.1f}", f"{result.sd('k100'):.1f}",
            f"{result.sd('wss95'):.3f}", f"{result.sd('recall_at_10'):.1%}",
            f"{result.sd('wall_seconds'):.1f}",
        )  # fmt: skip
    out.print(table)
    out.print("Recall (mean over seeds) against the share of records screened:")
    for share, recall in recall_curve(result):
        filled = round(recall * _BAR_WIDTH)
        bar = "█" * filled + "·" * (_BAR_WIDTH - filled)
        out.print(f"  {share:4.0%} screened  {bar} {recall:6.1%}")
    out.print(
        "WSS@95 is the classic (N − k95) / N − 0.05. A simulation shows what the ranker "
        "would have done; it never changes a review."
    )
