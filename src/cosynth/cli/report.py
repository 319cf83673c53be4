"""`cosynth report`: the review's report parts, computed from its data and written to a folder."""

from __future__ import annotations

from pathlib import Path

import click

from cosynth.cli.context import Context
from cosynth.cli.output import out
from cosynth.errors import InputError
from cosynth.render.tables import FORMATS
from cosynth.services.report import REPORT_FORMATS
from cosynth.services.report import report_files as full_report_files
from cosynth.services.report_tables import report_files


@click.group()
def report() -> None:
    """Write the review's report (whole, or its tables) from its data."""


@report.command("tables")
@click.option("--review", "review_id", type=int, metavar="ID", help="Which review.")
@click.option(
    "--out",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the tables into (made if missing).",
)
@click.option(
    "--format",
    "formats",
    default=",".join(FORMATS),
    show_default=True,
    help="Comma-separated: csv (one file per table), md, docx.",
)
@click.pass_context
def tables(ctx: click.Context, review_id: int | None, folder: Path, formats: str) -> None:
    """Tables 2-5 of the paper's kind, the link analysis (tables and SVG plots)."""
    context = ctx.find_object(Context)
    assert context is not None
    if review_id is not None:
        context.review_id = review_id
    wanted = [part.strip() for part in formats.split(",") if part.strip()]
    if not wanted:
        raise InputError(f"Say which formats to write: {', '.join(FORMATS)}.")
    with context.review_tx() as (tx, review):
        written = report_files(tx, review.id, wanted)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in written.items():
        write_whole(folder / name, data)
    out.print(f"Wrote {len(written)} files to {folder}:")
    for name in sorted(written):
        out.print(f"  {name}")


@report.command("build")
@click.argument("review_id", metavar="[REVIEW]", type=int, required=False)
@click.option(
    "--out",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the report into (made if missing).",
)
@click.option(
    "--format",
    "formats",
    default=",".join(REPORT_FORMATS),
    show_default=True,
    help="Comma-separated: html, md, docx.",
)
@click.pass_context
def build(ctx: click.Context, review_id: int | None, folder: Path, formats: str) -> None:
    """The whole report: question and protocol, search, PRISMA flow, studies, appraisal,
    co-production, synthesis, the advisory group and the checklists, with its figures."""
    context = ctx.find_object(Context)
    assert context is not None
    if review_id is not None:
        context.review_id = review_id
    wanted = [part.strip() for part in formats.split(",") if part.strip()]
    if not wanted:
        raise InputError(f"Say which formats to write: {', '.join(REPORT_FORMATS)}.")
    with context.review_tx() as (tx, review):
        written = full_report_files(tx, review.id, wanted)
    for name, data in written.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_whole(path, data)
    out.print(f"Wrote the report of review {review.id} ({review.title}) to {folder}:")
    for name in sorted(written):
        if "/" not in name:
            out.print(f"  {folder / name}")
    folders = sorted({name.split("/")[0] for name in written if "/" in name})
    for sub in folders:
        count = sum(1 for name in written if name.startswith(f"{sub}/"))
        out.print(f"  {folder / sub}/ ({count} files)")


def write_whole(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all: a killed command leaves no half-written file.

    The bytes go to a temporary name beside it, then `Path.replace` (os.replace) renames it
    over the old one, which POSIX makes atomic (DESIGN.md rule 4).
    """
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    partial.replace(path)
