"""`cosynth import` (with a progress bar and an import report) and `cosynth sources`."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn
from rich.table import Table

from cosynth.cli.context import Context, pass_context
from cosynth.cli.output import error, out
from cosynth.domain.prisma import IdentificationMethod
from cosynth.domain.review import ImportReport
from cosynth.errors import CosynthError, InputError
from cosynth.services import imports as import_service
from cosynth.services import records as record_service

_SHOW_SKIPPED = 20
_PROGRESS_FROM_BYTES = 2 * 1024 * 1024


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2022-03-31.") from None


def _parse_mapping(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for value in values:
        field, sep, column = value.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise click.BadParameter(f"{value!r} should look like title='Article Title'.")
        mapping[field.strip()] = column.strip()
    return mapping


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--database", default="", help="The database searched, e.g. MEDLINE, CINAHL.")
@click.option("--platform", default="", help="The platform it was searched on, e.g. Ovid, EBSCO.")
@click.option("--searched", callback=_parse_date, help="The date the search was run (YYYY-MM-DD).")
@click.option("--format", "reader", default=None, help="Skip auto-detection: use this reader.")
@click.option(
    "--map",
    "mapping",
    multiple=True,
    callback=_parse_mapping,
    metavar="FIELD=COLUMN",
    help="For CSV/Excel: which column holds a field (repeatable).",
)
@click.option("--again", is_flag=True, help="Import a file even if it was imported before.")
@click.option(
    "--deduplicated",
    is_flag=True,
    help="The file was already de-duplicated (an earlier review's final library): "
    "never group two of its records.",
)
@click.option(
    "--method",
    type=click.Choice([m.value for m in IdentificationMethod]),
    default=IdentificationMethod.DATABASE.value,
    show_default=True,
    help="How the records were found: the column of the PRISMA 2020 flow they are counted in.",
)
@pass_context
def import_files(
    context: Context,
    /,
    *,
    files: tuple[Path, ...],
    searched: date | None,
    mapping: dict[str, str],
    **choices: Any,
) -> None:
    """Import database exports (RIS, MEDLINE, BibTeX, EndNote, Web of Science, CSV, Excel...).

    Each file is imported whole or not at all.
    """
    # The remaining options (database, platform, reader, again, deduplicated, method)
    # are the import service's own keyword arguments.
    choices.update(
        searched_on=searched, options=mapping, method=IdentificationMethod(choices["method"])
    )
    failed = 0
    for path in files:
        try:
            report = _import_one(context, path, choices)
        except CosynthError as exc:
            error(exc.message)
            failed += 1
            continue
        _print_report(report)
    if failed:
        raise InputError(
            f"{failed} of {len(files)} files were not imported; the others were."
            if failed < len(files)
            else "Nothing was imported."
        )


def _import_one(context: Context, path: Path, choices: dict[str, Any]) -> ImportReport:
    if not path.exists():
        raise InputError(f"{path}: there is no such file.")
    size = path.stat().st_size
    import_service.check_size(str(path), size)
    data = path.read_bytes()
    with context.review_tx() as (tx, review):
        if size < _PROGRESS_FROM_BYTES:
            return import_service.import_file(tx, review.id, path.name, data, **choices)
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=out, transient=True) as bar:
            task = bar.add_task(f"Reading {path.name}", total=None)
            return import_service.import_file(
                tx,
                review.id,
                path.name,
                data,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                **choices,
            )


def _print_report(report: ImportReport) -> None:
    source = report.source
    named = f" from {source.database}" if source.database else ""
    out.print(
        f"[bold]{source.filename}[/] ({report.reader}{named}): "
        f"{report.records_read} read, [green]{report.records_imported} imported[/], "
        f"{len(report.skipped)} skipped"
    )
    for skipped in report.skipped[:_SHOW_SKIPPED]:
        out.print(f"  skipped line {skipped.line}: {skipped.reason}")
    if len(report.skipped) > _SHOW_SKIPPED:
        more = len(report.skipped) - _SHOW_SKIPPED
        out.print(f"  ... and {more} more: see `cosynth sources {source.id}`")


@click.command()
@click.argument("source_id", type=int, required=False)
@pass_context
def sources(context: Context, source_id: int | None) -> None:
    """The files imported so far, or one file's import report."""
    with context.review_tx() as (tx, review):
        if source_id is not None:
            report = record_service.source_report(tx, review.id, source_id)
            _print_report(report)
            for skipped in report.skipped[_SHOW_SKIPPED:]:
                out.print(f"  skipped line {skipped.line}: {skipped.reason}")
            return
        found = record_service.list_sources(tx, review.id)
    table = Table("id", "file", "format", "database", "platform", "searched", "records", "skipped")
    for source in found:
        table.add_row(
            str(source.id),
            source.filename,
            source.format,
            source.database,
            source.platform,
            source.searched_on.isoformat() if source.searched_on else "",
            str(source.records_imported),
            str(source.records_skipped),
        )
    out.print(table)
