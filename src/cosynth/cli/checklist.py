"""`cosynth report checklist`, `checklists` and `reported`: the reporting checklists, filled
from the review's data (eMERGe, ENTREQ, PRISMA 2020, GRIPP2-SF), and where the manuscript
reports each item."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from cosynth.cli.context import Context
from cosynth.cli.output import out
from cosynth.errors import InputError
from cosynth.formats.checklists import FORMATS, write_checklist
from cosynth.services import checklists as checklist_service


def _context(ctx: click.Context, review_id: int | None) -> Context:
    context = ctx.find_object(Context)
    assert context is not None
    if review_id is not None:
        context.review_id = review_id
    return context


@click.command("checklists")
def list_checklists() -> None:
    """The reporting checklists cosynth knows."""
    table = Table("Id", "Checklist", "Items", "Source")
    for checklist in checklist_service.checklists():
        table.add_row(
            checklist.id,
            escape(checklist.title),
            str(checklist.top_level_items),
            escape(checklist.citation),
        )
    out.print(table)


@click.command("checklist")
@click.argument("first", metavar="[REVIEW] CHECKLIST")
@click.argument("second", required=False, metavar="")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="md",
    show_default=True,
    help="Markdown, CSV or Word (DOCX).",
)
@click.option(
    "--out",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (Markdown and CSV are printed when it is left out).",
)
@click.pass_context
def checklist(
    ctx: click.Context, first: str, second: str | None, fmt: str, path: Path | None
) -> None:
    """A reporting checklist filled from the review: where each item's evidence lies.

    CHECKLIST is emerge, entreq, prisma-2020 or gripp2-sf (`cosynth report
    checklists` lists them). Items the review has nothing for are flagged
    with what to add.
    """
    review_id: int | None = None
    if second is not None:
        if not first.isdigit():
            raise InputError(f'"{first}" is not a review number: give the review, then the list.')
        review_id, first = int(first), second
    context = _context(ctx, review_id)
    if fmt == "docx" and path is None:
        raise InputError("A Word checklist needs a file to go in: add --out FILE.docx.")
    with context.review_tx() as (tx, review):
        filled = checklist_service.fill_checklist(tx, review.id, first)
    data = write_checklist(filled, fmt)
    if path is None:
        click.echo(data.decode("utf-8-sig"), nl=False)
        return
    path.write_bytes(data)
    flagged = filled.flagged
    out.print(
        f"Wrote {escape(str(path))}: {escape(filled.checklist.name)}, "
        f"{len(flagged)} of {len(filled.items)} items flagged."
    )
    for item in flagged:
        todo = " ".join(item.to_add)
        out.print(f"  {item.item.number} {escape(item.item.title)} ({item.status}): {escape(todo)}")


@click.command("reported")
@click.argument("checklist_id", metavar="CHECKLIST")
@click.argument("item")
@click.argument("where")
@click.option("--review", "review_id", type=int, metavar="ID", help="Which review.")
@click.pass_context
def reported(
    ctx: click.Context, checklist_id: str, item: str, where: str, review_id: int | None
) -> None:
    """Note where the manuscript reports a checklist item, e.g. `prisma-2020 24a "Methods, p. 3"`.

    A new note replaces the old (which is kept); "" clears it.
    """
    context = _context(ctx, review_id)
    with context.review_tx() as (tx, review):
        note = checklist_service.record_reported(tx, review.id, checklist_id, item, where)
    if note.where:
        out.print(f"Item {escape(note.item)} of {escape(note.checklist_id)}: {escape(note.where)}")
    else:
        out.print(f"Item {escape(note.item)} of {escape(note.checklist_id)}: note cleared.")
