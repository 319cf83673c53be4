"""The root `cosynth` command and the one place errors become messages."""

from __future__ import annotations

import sys
from typing import Any

import click

from cosynth import __version__
from cosynth.cli import dedup, demo, fulltext, imports, records, reviews, screen, simulate
from cosynth.cli.context import Context, default_actor
from cosynth.cli.output import error
from cosynth.errors import CosynthError


class CosynthGroup(click.Group):
    """A click group that shows cosynth's own errors as plain messages, not tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CosynthError as exc:
            error(exc.message)
            sys.exit(1)
        except KeyboardInterrupt:
            error("Stopped. Nothing from the unfinished step was saved.")
            sys.exit(130)


@click.group(cls=CosynthGroup)
@click.version_option(__version__, prog_name="cosynth")
@click.option(
    "--db",
    envvar="COSYNTH_DB",
    metavar="URL",
    help="Database: a SQLite file path or a postgresql:// URL. "
    "Default: $COSYNTH_DB, else cosynth.db in this folder.",
)
@click.option(
    "--as",
    "actor",
    default=default_actor,
    metavar="NAME",
    help="Act as this team member (default: $COSYNTH_USER or your login name).",
)
@click.option(
    "--review", "review_id", type=int, metavar="ID", help="Which review (when there are several)."
)
@click.pass_context
def cli(ctx: click.Context, db: str | None, actor: str, review_id: int | None) -> None:
    """cosynth: systematic reviews with a meta-ethnography, done with an advisory group."""
    context = Context(db=db, actor=actor, review_id=review_id)
    ctx.obj = context
    ctx.call_on_close(context.close)


cli.add_command(reviews.init)
cli.add_command(reviews.status)
cli.add_command(reviews.members)
cli.add_command(imports.import_files)
cli.add_command(imports.sources)
cli.add_command(records.records)
cli.add_command(records.export)
cli.add_command(dedup.dedup)
cli.add_command(screen.screen)
cli.add_command(fulltext.fulltext)
cli.add_command(demo.demo)
cli.add_command(simulate.simulate)


def main() -> None:
    cli(prog_name="cosynth")
