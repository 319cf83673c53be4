"""The root `cosynth` command and the one place errors become messages."""

from __future__ import annotations

import sys
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import click

from cosynth import __version__
from cosynth.cli import (
    accounts,
    appraise,
    backup,
    checklist,
    dedup,
    demo,
    export,
    extract,
    fulltext,
    group,
    imports,
    personal_data,
    prisma,
    quote,
    records,
    report,
    reviews,
    score,
    screen,
    search,
    search_runs,
    simulate,
    synthesis,
)
from cosynth.cli.context import Context, default_actor
from cosynth.cli.output import error
from cosynth.errors import CosynthError


class CosynthGroup(click.Group):
    """A click group that shows cosynth's own errors as plain messages, not tracebacks.

    It also offers the commands other packages add through the
    `cosynth.commands` entry-point group, loaded only when asked for. The web
    server (`serve`) registers this way too: the command line and the web app
    are peers and neither imports the other, and `cosynth import` never pays
    for loading Flask.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_plugin_commands()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is None and cmd_name in _plugin_commands():
            found = _load_plugin(_plugin_commands()[cmd_name])
        return found

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CosynthError as exc:
            error(exc.message)
            sys.exit(1)
        except KeyboardInterrupt:
            error("Stopped. Nothing from the unfinished step was saved.")
            sys.exit(130)


def _plugin_commands() -> dict[str, EntryPoint]:
    return {point.name: point for point in entry_points(group="cosynth.commands")}


def _load_plugin(point: EntryPoint) -> click.Command:
    """The plugin's command; a plugin that fails to load stands in as a command that says so."""
    try:
        loaded = point.load()
    except Exception as exc:  # a broken plugin must not break every other command
        problem = f"The command {point.name!r} ({point.value}) could not be loaded: {exc}"
    else:
        if isinstance(loaded, click.Command):
            return loaded
        problem = f"The command {point.name!r} ({point.value}) is not a click command."

    @click.command(point.name, help=problem)
    def broken() -> None:
        raise CosynthError(problem)

    return broken


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
cli.add_command(reviews.log)
cli.add_command(imports.import_files)
cli.add_command(imports.sources)
cli.add_command(records.records)
cli.add_command(records.export)
records.export.add_command(export.export_set)
cli.add_command(export.archive)
cli.add_command(backup.backup)
cli.add_command(backup.restore)
cli.add_command(dedup.dedup)
cli.add_command(screen.screen)
cli.add_command(appraise.appraise)
cli.add_command(score.score)
cli.add_command(report.report)
cli.add_command(prisma.prisma)
report.report.add_command(checklist.list_checklists)
report.report.add_command(checklist.checklist)
report.report.add_command(checklist.reported)
cli.add_command(fulltext.fulltext)
cli.add_command(extract.extract)
cli.add_command(quote.quote)
cli.add_command(synthesis.synthesis)
cli.add_command(group.group)
cli.add_command(personal_data.personal_data_group)
cli.add_command(demo.demo)
cli.add_command(simulate.simulate)
cli.add_command(search.search)
search_runs.attach(search.search)
cli.add_command(accounts.user)
cli.add_command(accounts.invite)
cli.add_command(accounts.invitations)
cli.add_command(accounts.token)


def main() -> None:
    cli(prog_name="cosynth")
