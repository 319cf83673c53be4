"""One version, set in src/cosynth/__init__.py: the metadata and `cosynth --version` agree."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

from click.testing import CliRunner

import cosynth
from cosynth.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]


def test_it_reads_the_version_from_the_package_alone() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    dynamic = project["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "cosynth.__version__"}


def test_it_installs_the_version_it_says() -> None:
    assert version("cosynth") == cosynth.__version__, (
        "The installed metadata is older than src/cosynth/__init__.py: "
        "reinstall with .venv/bin/pip install -e '.[dev]'"
    )


def test_it_prints_the_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"cosynth, version {cosynth.__version__}"
