"""`cosynth quote`: keep quotations from the included studies, list them, export them."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from cosynth.cli.context import Context
from cosynth.cli.extract import study_id
from cosynth.cli.output import out
from cosynth.domain.quotes import QuoteKind
from cosynth.services import quotes as quote_service


def _context(ctx: click.Context) -> Context:
    found = ctx.find_object(Context)
    assert found is not None
    return found


@click.group()
def quote() -> None:
    """Quotations from the included studies, cited as [study: page]."""


@quote.command("add")
@click.argument("study")
@click.argument("text")
@click.option(
    "--kind",
    type=click.Choice([kind.value for kind in QuoteKind]),
    required=True,
    help="first-order: participants' words; second-order: the authors' interpretation.",
)
@click.option("--page", default="", help="The page as printed (e.g. 241).")
@click.option("--report", "report_id", type=int, help="The full text to check the quote in.")
@click.option("--pdf-page", type=int, help="The page's number in the PDF (counting from 1).")
@click.option("--note", default="", help="A note kept with the quote.")
@click.pass_context
def add(
    ctx: click.Context,
    study: str,
    text: str,
    kind: str,
    page: str,
    report_id: int | None,
    pdf_page: int | None,
    note: str,
) -> None:
    """Keep TEXT as a quote from STUDY (record id or label)."""
    with _context(ctx).review_tx() as (tx, review):
        added = quote_service.add_quote(
            tx,
            review.id,
            study_id(tx, review.id, study),
            text,
            kind=QuoteKind(kind),
            page=page,
            report_id=report_id,
            pdf_page=pdf_page,
            note=note,
        )
    checked = "found in the full text" if added.verified else "[yellow]unverified[/]"
    out.print(f"Quote #{added.id} kept, cited {escape(added.citation)} ({checked}).")


@quote.command("list")
@click.option("--study", default=None, help="Only this study (record id or label).")
@click.pass_context
def list_quotes(ctx: click.Context, study: str | None) -> None:
    """The quotes kept so far."""
    with _context(ctx).review_tx() as (tx, review):
        record_id = study_id(tx, review.id, study) if study is not None else None
        found = quote_service.quotes(tx, review.id, record_id)
    if not found:
        out.print("No quotes yet.")
        return
    table = Table("id", "citation", "kind", "quote", "checked")
    for item in found:
        table.add_row(
            str(item.id),
            escape(item.citation),
            item.kind.value,
            escape(item.text),
            "yes" if item.verified else "unverified",
        )
    out.print(table)


@quote.command("export")
@click.option("--study", default=None, help="Only this study (record id or label).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write it to this file (default: print it).",
)
@click.pass_context
def export(ctx: click.Context, study: str | None, output: Path | None) -> None:
    """The quotes as CSV."""
    with _context(ctx).review_tx() as (tx, review):
        record_id = study_id(tx, review.id, study) if study is not None else None
        text = quote_service.quotes_csv(tx, review.id, record_id)
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    out.print(f"Wrote the quotes to {output}.")
