"""`cosynth search run|resume|runs|chase|update`: searching the databases' APIs from cosynth.

The commands join the `cosynth search` group (`cli/search.py`: the question,
the strategy and the search log) through `attach`. Each shows a progress bar
while pages arrive; a download cut short keeps its pages and says how to
resume it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from cosynth.cli.context import Context, pass_context
from cosynth.cli.output import out
from cosynth.domain.search_runs import SearchApi, SearchRun, SearchRunResult
from cosynth.errors import CosynthError, InputError
from cosynth.services import citation_chasing as chasing_service
from cosynth.services import living_updates as update_service
from cosynth.services import search_runs as run_service

ProgressCallback = Callable[[int, int | None], None]
_APIS = [api.value for api in SearchApi]


@contextmanager
def _progress_bar(label: str) -> Iterator[ProgressCallback]:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=out, transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _review_id(context: Context) -> int:
    with context.review_tx() as (_tx, review):
        return review.id


@contextmanager
def _resumable(run_id: int | None = None) -> Iterator[None]:
    """Say how to go on when a download stops half-way (its pages are kept)."""
    resume = f"cosynth search resume {run_id}" if run_id else "cosynth search runs, then resume"
    hint = f"The pages downloaded are kept: go on with `{resume}`."
    try:
        yield
    except KeyboardInterrupt:
        raise CosynthError(f"Stopped. {hint}") from None
    except CosynthError as exc:
        if "resume" not in exc.message or run_id is None:
            raise
        raise CosynthError(f"{exc.message} (search run {run_id}) {hint}") from None


def _print_result(result: SearchRunResult) -> None:
    run = result.run
    found = f"{run.fetched} record{'s' if run.fetched != 1 else ''} downloaded"
    if run.total is not None and run.total != run.fetched:
        found += f" of the {run.total} the database reported"
    out.print(f"Search run {run.id} ({escape(run.api.label)}, {run.purpose.value}): {found}.")
    if run.already_known:
        out.print(f"  {run.already_known} already in the review: left out.")
    report = result.report
    if report is None:
        out.print("  [bold]No new records[/]: nothing was imported.")
        for skipped in result.skipped[:20]:
            out.print(f"  skipped record {skipped.line}: {escape(skipped.reason)}")
        return
    out.print(
        f"  [green]{report.records_imported} imported[/] as source {report.source.id} "
        f"({escape(report.source.filename)}), {len(report.skipped)} skipped"
    )
    for skipped in report.skipped[:20]:
        out.print(f"  skipped line {skipped.line}: {escape(skipped.reason)}")


@click.command("run")
@click.argument("api", type=click.Choice(_APIS, case_sensitive=False))
@click.argument("query", required=False)
@click.option(
    "--query-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the query from a file (long strategies; several lines for OpenAlex).",
)
@pass_context
def run(context: Context, api: str, query: str | None, query_file: Path | None) -> None:
    """Run QUERY against a database's API now and import what it finds.

    API is pubmed, europepmc, openalex or crossref. The contact e-mail and keys
    come from $COSYNTH_CONTACT_EMAIL, $COSYNTH_NCBI_API_KEY and
    $COSYNTH_OPENALEX_API_KEY.
    """
    if query_file is not None:
        query = query_file.read_text(encoding="utf-8")
    if not query:
        raise InputError("Give the query to run, or --query-file FILE.")
    chosen = run_service.api_of(api)
    connector = run_service.connector_for(chosen)
    with context.review_tx() as (tx, review):
        started = run_service.start_search(tx, review.id, chosen, query, connector=connector)
    with _resumable(started.id), _progress_bar(f"Searching {chosen.label}") as progress:
        result = run_service.finish_search(
            context.workspace(),
            context.actor,
            review.id,
            started.id,
            connector=connector,
            progress=progress,
        )
    _print_result(result)


@click.command("resume")
@click.argument("run_id", type=int)
@pass_context
def resume(context: Context, run_id: int) -> None:
    """Go on with search run RUN_ID from its last page downloaded, then import it."""
    review_id = _review_id(context)
    with _resumable(run_id), _progress_bar("Downloading") as progress:
        result = run_service.resume_search(
            context.workspace(), context.actor, review_id, run_id, progress=progress
        )
    _print_result(result)


@click.command("runs")
@pass_context
def runs(context: Context) -> None:
    """The searches run from cosynth: database, date, records, and where each stands."""
    with context.review_tx() as (tx, review):
        found = run_service.list_search_runs(tx, review.id)
    if not found:
        out.print("No searches have been run from cosynth yet (cosynth search run API QUERY).")
        return
    table = Table("run", "searched", "purpose", "run on", "records", "imported", "status", "query")
    for one in found:
        table.add_row(
            str(one.id),
            one.api.label,
            one.purpose.value,
            f"{one.started_at:%Y-%m-%d}",
            _records(one),
            "" if one.imported is None else str(one.imported),
            one.status.value,
            escape(one.query if len(one.query) <= 60 else one.query[:57] + "..."),
        )
    out.print(table)


def _records(one: SearchRun) -> str:
    return f"{one.fetched}" if one.total is None else f"{one.fetched} of {one.total}"


@click.command("chase")
@click.option(
    "--direction",
    type=click.Choice(["backward", "forward", "both"]),
    default="both",
    show_default=True,
    help="backward: the studies' references; forward: the works that cite them.",
)
@pass_context
def chase(context: Context, direction: str) -> None:
    """Chase the included studies' citations through OpenAlex (PRISMA: citation searching).

    Only records new to the review are imported.
    """
    review_id = _review_id(context)
    ways = (
        [chasing_service.Direction.BACKWARD, chasing_service.Direction.FORWARD]
        if direction == "both"
        else [chasing_service.Direction(direction)]
    )
    for way in ways:
        with _resumable(), _progress_bar(f"Chasing {way.value} citations") as progress:
            result = chasing_service.chase_citations(
                context.workspace(), context.actor, review_id, way, progress=progress
            )
        _print_result(result)


@click.command("update")
@click.argument("run_id", type=int)
@pass_context
def update(context: Context, run_id: int) -> None:
    """Run search RUN_ID again now; import only the records the review has not seen.

    The new records wait at title and abstract screening; the PRISMA flow
    becomes that of an updated review.
    """
    review_id = _review_id(context)
    with _resumable(), _progress_bar("Updating") as progress:
        result = update_service.update_search(
            context.workspace(), context.actor, review_id, run_id, progress=progress
        )
    _print_result(result)


COMMANDS = (run, resume, runs, chase, update)


def attach(group: click.Group) -> None:
    """Add these commands to the `cosynth search` group."""
    for command in COMMANDS:
        group.add_command(command)
