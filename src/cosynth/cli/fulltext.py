"""`cosynth fulltext`: attach PDFs, read their pages, mark those not retrieved, count them."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.table import Table

from cosynth.cli.context import Context
from cosynth.cli.output import out
from cosynth.errors import ImportFileError
from cosynth.services import fulltext as fulltext_service


def _context(ctx: click.Context) -> Context:
    found = ctx.find_object(Context)
    assert found is not None
    return found


@click.group()
def fulltext() -> None:
    """Full texts (reports): attach, read, mark not retrieved, count."""


@fulltext.command("attach")
@click.argument("record_id", type=int)
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def attach(ctx: click.Context, record_id: int, pdf: Path) -> None:
    """Attach PDF to RECORD_ID as one of its reports."""
    if pdf.stat().st_size > fulltext_service.MAX_PDF_BYTES:
        limit = fulltext_service.MAX_PDF_BYTES // 2**20
        raise ImportFileError(pdf.name, f"it is over {limit} MB, too large for a full text")
    data = pdf.read_bytes()
    with _context(ctx).review_tx() as (tx, review):
        report = fulltext_service.attach_report(tx, review.id, record_id, pdf.name, data)
    out.print(
        f"Attached {report.filename} to record {report.record_id} "
        f"as full text {report.id}: {report.page_count} pages."
    )
    if not report.has_text:
        out.print("[yellow]No text could be read: it may be a scanned image; OCR is not done.[/]")
    for warning in report.warnings:
        out.print(f"  [yellow]{warning}[/]")


@fulltext.command("list")
@click.argument("record_id", type=int)
@click.pass_context
def list_reports(ctx: click.Context, record_id: int) -> None:
    """The full texts attached to RECORD_ID."""
    with _context(ctx).review_tx() as (tx, review):
        reports = fulltext_service.reports_for(tx, review.id, record_id)
    if not reports:
        out.print(f"Record {record_id} has no full text attached.")
        return
    table = Table("id", "file", "pages", "text", "added")
    for report in reports:
        table.add_row(
            str(report.id),
            report.filename,
            str(report.page_count),
            "yes" if report.has_text else "none (scanned?)",
            f"{report.added_at:%Y-%m-%d} by {report.added_by}",
        )
    out.print(table)


@fulltext.command("text")
@click.argument("report_id", type=int)
@click.option("--page", "page_label", default=None, help="Only this page (as printed, e.g. 241).")
@click.pass_context
def text(ctx: click.Context, report_id: int, page_label: str | None) -> None:
    """Print a full text's pages, each headed with its page number as printed."""
    with _context(ctx).review_tx() as (tx, review):
        pages = fulltext_service.report_pages(tx, review.id, report_id)
    chosen = [p for p in pages if page_label is None or p.label == page_label]
    if not chosen:
        out.print(f"Full text {report_id} has no page {page_label}.")
        return
    for page in chosen:
        out.print(f"[bold]--- page {page.label} (PDF page {page.number}) ---[/]")
        out.print(page.text, markup=False)


@fulltext.command("not-retrieved")
@click.argument("record_id", type=int)
@click.option("--note", required=True, help="What was tried (kept for the PRISMA flow).")
@click.pass_context
def not_retrieved(ctx: click.Context, record_id: int, note: str) -> None:
    """Mark RECORD_ID's full text as sought but not retrieved."""
    with _context(ctx).review_tx() as (tx, review):
        fulltext_service.mark_not_retrieved(tx, review.id, record_id, note=note)
    out.print(f"Record {record_id}: full text not retrieved. It is counted so in the flow diagram.")


@fulltext.command("seek")
@click.argument("record_id", type=int)
@click.pass_context
def seek(ctx: click.Context, record_id: int) -> None:
    """Take back a "not retrieved" mark: the full text is sought again."""
    with _context(ctx).review_tx() as (tx, review):
        fulltext_service.seek_again(tx, review.id, record_id)
    out.print(f"Record {record_id}: full text sought again.")


@fulltext.command("summary")
@click.option("--json", "as_json", is_flag=True, help="Print it as JSON, for scripts.")
@click.pass_context
def summary(ctx: click.Context, as_json: bool) -> None:
    """Reports sought, not retrieved, assessed, excluded with reasons, included (PRISMA 2020)."""
    with _context(ctx).review_tx() as (tx, review):
        found = fulltext_service.retrieval_summary(tx, review.id)
        missing = fulltext_service.not_retrieved(tx, review.id)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "reports_sought": found.sought,
                    "reports_not_retrieved": found.not_retrieved,
                    "reports_attached": found.with_report,
                    "reports_assessed": found.assessed,
                    "reports_excluded": found.excluded,
                    "reports_excluded_by_reason": dict(found.excluded_by_reason),
                    "included": found.included,
                },
                indent=2,
            )
        )
        return
    out.print(f"Reports sought for retrieval: {found.sought} ({found.with_report} attached)")
    out.print(f"Reports not retrieved: {found.not_retrieved}")
    for mark in missing:
        out.print(f"  record {mark.record_id}: {mark.note} ({mark.marked_by})")
    out.print(f"Reports assessed for eligibility: {found.assessed}")
    out.print(f"Reports excluded: {found.excluded}")
    for reason, n in found.excluded_by_reason:
        out.print(f"  {reason}: {n}")
    out.print(f"Included: {found.included}")
