"""`cosynth export set` (one set of records along the PRISMA flow) and `cosynth archive`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cosynth.cli.context import Context
from cosynth.cli.output import out
from cosynth.errors import InputError
from cosynth.services import archive as archive_service
from cosynth.services import exports as export_service
from cosynth.services.reviews import review_status


@click.command("set")
@click.argument("set_name", metavar="SET", type=click.Choice(list(export_service.EXPORT_SETS)))
@click.option(
    "--format",
    "format_name",
    default="ris",
    show_default=True,
    type=click.Choice(export_service.FORMATS),
    help="ris, bibtex or csv.",
)
@click.option("-o", "--out", "output", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="File to write (default: standard output).")  # fmt: skip
@click.pass_context
def export_set(ctx: click.Context, set_name: str, format_name: str, output: Path | None) -> None:
    """Write one set of records: included, excluded at a stage (with reasons), duplicates...

    \b
    all                       every record imported
    included                  included at full-text screening
    included-after-appraisal  included, less those critical appraisal excluded
    excluded-title-abstract   excluded at title and abstract, with reasons
    excluded-full-text        excluded at full text, with reasons
    excluded-appraisal        excluded by critical appraisal, with reasons
    duplicates                duplicates removed (with the record each duplicates)
    undecided-title-abstract  not yet decided at title and abstract
    undecided-full-text       not yet decided at full text
    """
    context = ctx.find_object(Context)
    assert context is not None
    with context.review_tx() as (tx, review):
        exported = export_service.export_set_file(tx, review.id, set_name, format_name)
    if output is None:
        sys.stdout.write(exported.data.decode("utf-8"))
        return
    _write(output, exported.data)
    label = export_service.EXPORT_SETS[set_name].label.lower()
    out.print(f"Wrote {exported.records} records ({label}) to {output}.", style="green")


@click.group()
def archive() -> None:
    """The whole review in one .cosynth file, to keep or to open in another installation."""


@archive.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def archive_export(ctx: click.Context, file: Path | None) -> None:
    """Write the review, its PDFs and imported files to FILE (the lead only)."""
    context = ctx.find_object(Context)
    assert context is not None
    with context.review_tx() as (tx, review):
        data = archive_service.export_review(tx, review.id)
    target = file or Path(archive_service.archive_filename(review))
    _write(target, data)
    out.print(f"Wrote review {review.id} ({review.title}) to {target}.", style="green")


@archive.command("show")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def archive_show(file: Path) -> None:
    """Say what FILE holds (the review, who made it and when, rows per table) without opening it."""
    manifest = archive_service.read_archive_manifest(_read(file), file.name)
    out.print(f"[bold]{manifest.review_title}[/]")
    out.print(
        f"  archived by {manifest.created_by} on {manifest.created_at} with cosynth "
        f"{manifest.cosynth_version} (schema {manifest.schema_revision})"
    )
    for table, count in manifest.row_counts.items():
        if count:
            out.print(f"  {count:>8}  {table}")


@archive.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def archive_import(ctx: click.Context, file: Path) -> None:
    """Open FILE as a new review here; you lead it. Nothing is kept if any part is damaged."""
    context = ctx.find_object(Context)
    assert context is not None
    data = _read(file)
    with context.workspace(create=True).transaction(context.actor) as tx:
        review = archive_service.import_review(tx, data, file.name)
        status = review_status(tx, review.id)
    out.print(
        f"Opened {file.name} as review {review.id}: {review.title} "
        f"({status.records} records, {status.members} members).",
        style="green",
    )
    out.print(f"Use --review {review.id} to work on it.")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror}).") from None


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise InputError(f"{path}: cannot write the file ({exc.strerror}).") from None
