"""The root `cosynth` command and the one place errors become messages."""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib import import_module
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import click

from cosynth import __version__
from cosynth.cli.context import Context, default_actor
from cosynth.cli.output import error
from cosynth.errors import CosynthError

# Each built-in command, as "module:attribute" under cosynth.cli, imported only
# when it is asked for: `cosynth status` need not load python-docx, cairosvg
# or scikit-learn, and each command starts about a second sooner.
BUILT_IN = {
    "init": "reviews:init",
    "status": "reviews:status",
    "members": "reviews:members",
    "log": "reviews:log",
    "import": "imports:import_files",
    "sources": "imports:sources",
    "records": "records:records",
    "export": "records:export",
    "archive": "export:archive",
    "backup": "backup:backup",
    "restore": "backup:restore",
    "dedup": "dedup:dedup",
    "screen": "screen:screen",
    "appraise": "appraise:appraise",
    "score": "score:score",
    "report": "report:report",
    "prisma": "prisma:prisma",
    "fulltext": "fulltext:fulltext",
    "extract": "extract:extract",
    "quote": "quote:quote",
    "synthesis": "synthesis:synthesis",
    "group": "group:group",
    "personal-data": "personal_data:personal_data_group",
    "demo": "demo:demo",
    "simulate": "simulate:simulate",
    "search": "search:search",
    "user": "accounts:user",
    "invite": "accounts:invite",
    "invitations": "accounts:invitations",
    "token": "accounts:token",
}


def _with_export_set(export: click.Command) -> None:
    from cosynth.cli import export as export_set

    assert isinstance(export, click.Group)
    export.add_command(export_set.export_set)


def _with_checklists(report: click.Command) -> None:
    from cosynth.cli import checklist

    assert isinstance(report, click.Group)
    for command in (checklist.list_checklists, checklist.checklist, checklist.reported):
        report.add_command(command)


def _with_search_runs(search: click.Command) -> None:
    from cosynth.cli import search_runs

    assert isinstance(search, click.Group)
    search_runs.attach(search)


# Groups whose subcommands live in another module.
COMPLETED_BY: dict[str, Callable[[click.Command], None]] = {
    "export": _with_export_set,
    "report": _with_checklists,
    "search": _with_search_runs,
}


class CosynthGroup(click.Group):
    """A click group that shows cosynth's own errors as plain messages, not tracebacks.

    Its commands are the built-in ones (`BUILT_IN`, each loaded when asked
    for) and those other packages add through the `cosynth.commands`
    entry-point group, also loaded only when asked for. The web server
    (`serve`) registers this way too: the command line and the web app are
    peers and neither imports the other, and `cosynth import` never pays for
    loading Flask.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._built: dict[str, click.Command] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *BUILT_IN, *_plugin_commands()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is None and cmd_name in BUILT_IN:
            found = self._built_in(cmd_name)
        if found is None and cmd_name in _plugin_commands():
            found = _load_plugin(_plugin_commands()[cmd_name])
        return found

    def _built_in(self, name: str) -> click.Command:
        if name not in self._built:
            module, attribute = BUILT_IN[name].split(":")
            command: click.Command = getattr(import_module(f"cosynth.cli.{module}"), attribute)
            if name in COMPLETED_BY:
                COMPLETED_BY[name](command)
            self._built[name] = command
        return self._built[name]

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


def main() -> None:
    cli(prog_name="cosynth")
