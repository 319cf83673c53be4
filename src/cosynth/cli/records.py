"""`cosynth records` (list, search, show one) and `cosynth export records`."""

from __future__ import annotations

import io
import json
import sys
from dataclasses import fields
from pathlib import Path

import click
from rich.table import Table

from cosynth.cli.context import Context
from cosynth.cli.output import out
from cosynth.domain.review import Record
from cosynth.errors import InputError
from cosynth.services import records as record_service


@click.group(invoke_without_command=True)
@click.option("--search", "-s", default=None, help="Only records whose title, abstract, "
              "journal or DOI contain this (or whose PMID or year equals it).")  # fmt: skip
@click.option(
    "--limit",
    default=50,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="How many records to list.",
)
@click.option(
    "--offset",
    default=0,
    type=click.IntRange(0),
    help="Skip this many records first (for the next page).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line, for scripts.")
@click.pass_context
def records(ctx: click.Context, search: str | None, limit: int, offset: int, as_json: bool) -> None:
    """List or search the review's records (or `records show ID`)."""
    if ctx.invoked_subcommand is not None:
        return
    context = ctx.find_object(Context)
    assert context is not None
    with context.review_tx() as (tx, review):
        total = record_service.count_records(tx, review.id, search=search)
        found = record_service.list_records(
            tx, review.id, search=search, limit=limit, offset=offset
        )
    if as_json:
        for record in found:
            click.echo(json.dumps(_as_dict(record), ensure_ascii=False))
        return
    table = Table("id", "year", "first author", "title", "journal")
    for record in found:
        citation = record.citation
        table.add_row(
            str(record.id),
            str(citation.year or ""),
            citation.authors[0] if citation.authors else "",
            citation.title[:90],
            citation.journal[:40],
        )
    out.print(table)
    shown = f"{offset + 1}-{offset + len(found)}" if found else "none"
    out.print(f"{shown} of {total} records" + (f" matching {search!r}" if search else ""))


@records.command("show")
@click.argument("record_id", type=int)
@click.option("--raw", is_flag=True, help="Print the record exactly as the source file had it.")
@click.pass_context
def show(ctx: click.Context, record_id: int, raw: bool) -> None:
    """Show one record in full."""
    context = ctx.find_object(Context)
    assert context is not None
    with context.review_tx() as (tx, review):
        record = record_service.get_record(tx, review.id, record_id)
        text = record_service.record_raw(tx, review.id, record_id) if raw else ""
    if raw:
        click.echo(text)
        return
    table = Table(show_header=False, box=None)
    for name, value in _as_dict(record).items():
        if value not in ("", None, (), [], {}):
            table.add_row(name, _display(value))
    out.print(table)


@click.group()
def export() -> None:
    """Write the review's data out (records as RIS, CSV or BibTeX)."""


@export.command("records")
@click.option(
    "--format", "format_name", default="ris", show_default=True, help="ris, csv or bibtex."
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")  # fmt: skip
@click.pass_context
def export_records(ctx: click.Context, format_name: str, output: Path | None) -> None:
    """Write every record of the review in one format."""
    context = ctx.find_object(Context)
    assert context is not None
    buffer = io.StringIO()
    with context.review_tx() as (tx, review):
        written = record_service.export_records(tx, review.id, format_name, buffer)
    if output is None:
        sys.stdout.write(buffer.getvalue())
        return
    try:
        output.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(f"{output}: cannot write the file ({exc.strerror}).") from None
    out.print(f"Wrote {written} records to {output}.", style="green")


def _as_dict(record: Record) -> dict[str, object]:
    values = {
        field.name: getattr(record.citation, field.name)
        for field in fields(record.citation)
        if field.name != "extra"
    }
    return {"id": record.id, "source": record.source_id, "line": record.line, **values}


def _display(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(item) for item in value)
    return str(value)
