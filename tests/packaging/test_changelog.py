"""CHANGELOG.md has a section for the package's version, so a release cannot forget it.

Keep a Changelog's shape: `## [Unreleased]` first when there is one, then one
`## [X.Y.Z] - YYYY-MM-DD` per release, newest first.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import cosynth

CHANGELOG = Path(__file__).resolve().parents[2] / "CHANGELOG.md"
HEADING = re.compile(r"## \[(?P<name>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?")
SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?")


def sections() -> list[tuple[str, str | None]]:
    found = []
    for line in CHANGELOG.read_text("utf-8").splitlines():
        if line.startswith("## "):
            match = HEADING.fullmatch(line)
            assert match, f"CHANGELOG.md: {line!r} is not '## [Unreleased]' or '## [X.Y.Z] - DATE'"
            found.append((match["name"], match["date"]))
    return found


def release(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split("-", 1)[0].split("."))


def test_it_has_a_section_for_the_packages_version() -> None:
    names = [name for name, _ in sections()]
    assert cosynth.__version__ in names, (
        f"CHANGELOG.md has no '## [{cosynth.__version__}] - YYYY-MM-DD' section for the "
        "version in src/cosynth/__init__.py: turn [Unreleased] into it "
        "(docs/developers/releasing.md)"
    )


def test_it_lists_unreleased_first_then_releases_newest_first() -> None:
    found = sections()
    if found and found[0][0] == "Unreleased":
        assert found[0][1] is None, "[Unreleased] has no date"
        found = found[1:]
    for name, when in found:
        assert name != "Unreleased", "[Unreleased] stands above every release"
        assert SEMVER.fullmatch(name), f"[{name}] is not a semantic version (X.Y.Z)"
        assert when is not None, f"[{name}] has no release date"
        date.fromisoformat(when)
    versions = [release(name) for name, _ in found]
    assert versions == sorted(versions, reverse=True), "releases are listed newest first"
    assert len(set(versions)) == len(versions), "a version has one section"
