"""`cosynth demo`: build the demo review in a folder of its own."""

from __future__ import annotations

from pathlib import Path

import click

from cosynth.cli.context import Context, pass_context
from cosynth.cli.output import out
from cosynth.errors import InputError
from cosynth.services.demo import LEAD, build_demo_review
from cosynth.services.reviews import review_status
from cosynth.services.workspace import open_workspace


@click.command()
@click.option(
    "--out",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo"),
    show_default=True,
    help="Folder for the demo database.",
)
@pass_context
def demo(context: Context, folder: Path) -> None:
    """Build the demo review (the paper's question, a team, sample exports) in --out."""
    database = folder / "cosynth.db"
    if database.exists():
        raise InputError(
            f"{database} already exists. Remove the folder or choose another with --out."
        )
    folder.mkdir(parents=True, exist_ok=True)
    workspace = open_workspace(str(database), create=True)
    try:
        with workspace.transaction(LEAD) as tx:
            review, reports = build_demo_review(tx)
            status = review_status(tx, review.id)
    finally:
        workspace.close()
    out.print(f"[bold]Demo review built[/] in {database}")
    out.print(f"  {review.title}")
    for report in reports:
        out.print(
            f"  imported {report.records_imported:>3} records from {report.source.filename}"
            f" ({report.source.database}, {report.reader})"
        )
    out.print(f"  {status.records} records, {status.members} team members (alice leads).")
    out.print("\nLook around (the team: alice leads; bob and carol review; pat advises).")
    out.print("From a clone, put cosynth on your path first: . .venv/bin/activate")
    db = f"--db {database}"
    out.print(f"  cosynth {db} --as alice status")
    out.print(f"  cosynth {db} --as alice records --search vole")
    out.print(f"  cosynth {db} --as alice records show 1 --raw")
    out.print(f"  cosynth {db} --as alice sources")
    out.print(f"  cosynth {db} --as bob dedup")
    out.print(f"  cosynth {db} --as alice export records --format csv -o demo/records.csv")
    del context
