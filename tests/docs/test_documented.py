"""Nothing a user can type or set goes undocumented.

- Commands and options: the command line reference (docs/reference/cli.md) is
  generated from the click commands by mkdocs-click, so a command or option
  is documented when it has a help text: every command reached from
  `cosynth.cli.main.cli` (plugin commands such as `serve` included) must have
  one, and so must every option.
- Settings: every field of the settings dataclasses (`WebSettings`,
  `JobSettings`, `ApiSettings`) and every `COSYNTH_*` environment variable the
  code reads is named on docs/admins/configuration.md.
- Entry-point groups: every group in pyproject's [project.entry-points] is
  named on docs/developers/plugins.md.
- Template variables: cosynth's reports and tables are written by Python
  (cosynth.render), not from user-editable templates, so the one template a
  user fills in is the PRISMA2020 flow template (`cosynth prisma template`,
  read by `cosynth prisma check`): every one of its keys is named on
  docs/methods/prisma.md.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from cosynth.cli.main import cli
from cosynth.connectors.settings import ApiSettings
from cosynth.domain.prisma import BOX_NAMES
from cosynth.web.jobs import JobSettings
from cosynth.web.settings import WebSettings

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def commands() -> Iterator[tuple[str, click.Command]]:
    """Every command under `cosynth`, by its full name ("cosynth screen vote")."""

    def walk(command: click.Command, path: str, parent: click.Context | None) -> Iterator:
        ctx = click.Context(command, info_name=path.rsplit(" ", 1)[-1], parent=parent)
        yield path, command
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None, f"{path} {name} cannot be loaded"
                yield from walk(sub, f"{path} {name}", ctx)

    yield from walk(cli, "cosynth", None)


def options_without_help() -> set[tuple[str, str]]:
    return {
        (path, max(param.opts, key=len))
        for path, command in commands()
        for param in command.params
        if isinstance(param, click.Option) and not param.hidden and not (param.help or "").strip()
    }


def page(relative: str) -> str:
    return (DOCS / relative).read_text(encoding="utf-8")


def test_it_walks_every_command_plugins_included() -> None:
    names = {path for path, _ in commands()}
    assert {"cosynth import", "cosynth screen vote", "cosynth serve", "cosynth worker"} <= names


def test_it_gives_every_command_a_help_text() -> None:
    bare = [path for path, command in commands() if not (command.help or "").strip()]
    assert not bare, f"Commands without a help text (a docstring): {', '.join(bare)}"


def test_it_gives_every_option_a_help_text() -> None:
    bare = sorted(options_without_help())
    assert not bare, "Options without help=: " + "; ".join(f"{c} {o}" for c, o in bare)


def test_it_generates_the_command_line_reference_from_the_commands() -> None:
    reference = page("reference/cli.md")
    assert ":module: cosynth.cli.main" in reference
    assert ":command: cli" in reference


@pytest.mark.parametrize("settings", [WebSettings, JobSettings, ApiSettings])
def test_it_documents_every_setting(settings: type) -> None:
    configuration = page("admins/configuration.md")
    missing = [
        field.name
        for field in dataclasses.fields(settings)
        if f"`{field.name}`" not in configuration
    ]
    assert not missing, f"{settings.__name__} fields not on configuration.md: {missing}"


def environment_variables() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "src" / "cosynth").rglob("*.py"):
        found |= set(re.findall(r"\bCOSYNTH_[A-Z][A-Z0-9_]*[A-Z0-9]\b", path.read_text("utf-8")))
    return found


def test_it_documents_every_environment_variable() -> None:
    variables = environment_variables()
    assert {"COSYNTH_DB", "COSYNTH_SECRET_KEY", "COSYNTH_REDIS_URL"} <= variables
    configuration = page("admins/configuration.md")
    missing = sorted(name for name in variables if f"`{name}`" not in configuration)
    assert not missing, f"Environment variables not on configuration.md: {missing}"


def test_it_documents_every_entry_point_group() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    groups = set(pyproject["project"]["entry-points"])
    assert "cosynth.readers" in groups
    plugins = page("developers/plugins.md")
    missing = sorted(group for group in groups if f"`{group}`" not in plugins)
    assert not missing, f"Entry-point groups not on plugins.md: {missing}"


def test_it_documents_every_key_of_the_prisma_template() -> None:
    prisma = page("methods/prisma.md")
    missing = [key for key in BOX_NAMES if f"`{key}`" not in prisma]
    assert not missing, f"PRISMA2020 template keys not on methods/prisma.md: {missing}"
