"""Write docs/methods/generated/*.md: every built-in instrument, scale, checklist and framework.

The tables are made from the TOML files the code reads (through the entry
points in pyproject.toml), so the methods pages cannot drift from what
cosynth scores with. Run `python docs/generate.py` after changing a TOML
file; `python docs/generate.py --check` (run by `make docs`) and
tests/docs/test_generated.py fail while the committed pages are stale.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Callable, Iterable
from importlib.metadata import entry_points
from importlib.resources import files
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GENERATED = HERE / "methods" / "generated"
HEADER = (
    "<!-- Written by docs/generate.py from the TOML files of the `{group}` entry-point group;"
    " do not edit by hand. -->\n\n"
)


def _builtin(group: str) -> list[tuple[str, dict[str, Any]]]:
    """The built-in TOML files of an entry-point group, by name ("package:file.toml")."""
    found = []
    for point in sorted(entry_points(group=group), key=lambda point: point.name):
        package, _, filename = point.value.partition(":")
        if not package.startswith("cosynth."):
            continue  # a plugin installed beside cosynth: not ours to document
        text = files(package).joinpath(filename).read_text(encoding="utf-8")
        found.append((point.name, tomllib.loads(text)))
    return found


def _cell(value: object) -> str:
    """A value made safe for one Markdown table cell."""
    return " ".join(str(value).split()).replace("|", "\\|")


def _source(data: dict[str, Any]) -> list[str]:
    source = data.get("source", {})
    if isinstance(source, str):  # scales give the citation as a string
        source = {"citation": source, "url": data.get("url", "")}
    lines = [f"**Source.** {_cell(source.get('citation', ''))}"]
    if source.get("url"):
        lines.append(f"<{source['url']}>")
    if source.get("licence"):
        lines.append(f"**Licence.** {_cell(source['licence'])}")
    return [" ".join(lines[:2]), *(f"\n{line}" for line in lines[2:])]


def _instruments() -> str:
    out = [
        "# Appraisal instruments",
        "",
        "Each instrument below is a TOML file in `src/cosynth/instruments/`, registered in the"
        " `cosynth.instruments` entry-point group. `cosynth appraise instruments` lists them;"
        " a review can add its own with `cosynth appraise add-instrument`.",
        "",
    ]
    for name, data in _builtin("cosynth.instruments"):
        out += [f"## {data.get('title', data.get('name', name))}", ""]
        out += [f"Id: `{name}`. Version {data.get('version', '?')}.", ""]
        out += [*_source(data), ""]
        if data.get("check"):
            out += [f'!!! note "Check"\n    {_cell(data["check"])}', ""]
        for scale in data.get("scales", []):
            answers = ", ".join(
                f"{answer['label']} ({answer.get('points', '–')})"
                for answer in scale.get("answers", [])
            )
            out += [f"Answers (`{scale['id']}`): {_cell(answers)}.", ""]
        scoring = data.get("scoring")
        if scoring:
            rule = f"Scoring: `{scoring.get('rule', '?')}`"
            if "threshold" in scoring:
                rule += f", threshold {scoring['threshold']}"
            out += [rule + ".", ""]
        out += ["| item | label | question |", "|---|---|---|"]
        for item in data.get("items", []):
            prompt = item.get("prompt", "")
            out.append(
                f"| {_cell(item['id'])} | {_cell(item.get('label', ''))} | {_cell(prompt)} |"
            )
        out.append("")
    return "\n".join(out)


def _scales() -> str:
    out = [
        "# Co-production scales",
        "",
        "Each scale below is a TOML file in `src/cosynth/scales/`, registered in the"
        " `cosynth.scales` entry-point group. `cosynth score scales` lists them; a review can"
        " add its own with `cosynth score add-scale`.",
        "",
    ]
    for name, data in _builtin("cosynth.scales"):
        scale = data.get("scale", {})
        out += [f"## {scale.get('name', name)}", ""]
        out += [f"Id: `{name}`. Version {scale.get('version', '?')}.", ""]
        if scale.get("credit"):
            out += [f"**By.** {_cell(scale['credit'])}", ""]
        out += [*_source(scale), ""]
        if scale.get("note"):
            out += [f"!!! note\n    {_cell(scale['note'])}", ""]
        out += ["| rank | level | group | definition |", "|---|---|---|---|"]
        for level in data.get("levels", []):
            out.append(
                f"| {level.get('rank', '')} | {_cell(level.get('label', ''))}"
                f" | {_cell(level.get('group', ''))} | {_cell(level.get('definition', ''))} |"
            )
        out.append("")
    return "\n".join(out)


def _checklists() -> str:
    out = [
        "# Reporting checklists",
        "",
        "Each checklist below is a TOML file in `src/cosynth/checklists/`, registered in the"
        " `cosynth.checklists` entry-point group. `cosynth report checklist NAME` fills one"
        " from the review's data.",
        "",
    ]
    for name, data in _builtin("cosynth.checklists"):
        out += [f"## {data.get('title', data.get('name', name))}", ""]
        out += [f"Id: `{name}`. {len(data.get('items', []))} items.", ""]
        out += [*_source(data), ""]
        out += ["| item | section | title |", "|---|---|---|"]
        for item in data.get("items", []):
            out.append(
                f"| {_cell(item.get('number', ''))} | {_cell(item.get('section', ''))}"
                f" | {_cell(item.get('title', ''))} |"
            )
        out.append("")
    return "\n".join(out)


def _frameworks() -> str:
    out = [
        "# Question frameworks",
        "",
        "Each framework below is a TOML file in `src/cosynth/frameworks/`, registered in the"
        " `cosynth.frameworks` entry-point group. `cosynth search question frameworks` lists"
        " them.",
        "",
    ]
    for name, data in _builtin("cosynth.frameworks"):
        out += [f"## {data.get('title', data.get('name', name))}", ""]
        out += [f"Id: `{name}`.", ""]
        out += [*_source(data), ""]
        out += ["| letter | element | prompt |", "|---|---|---|"]
        for element in data.get("elements", []):
            out.append(
                f"| {_cell(element.get('letter', ''))} | {_cell(element.get('name', ''))}"
                f" | {_cell(element.get('prompt', ''))} |"
            )
        out.append("")
    return "\n".join(out)


PAGES: dict[str, tuple[str, Callable[[], str]]] = {
    "instruments.md": ("cosynth.instruments", _instruments),
    "scales.md": ("cosynth.scales", _scales),
    "checklists.md": ("cosynth.checklists", _checklists),
    "frameworks.md": ("cosynth.frameworks", _frameworks),
}


def pages() -> dict[str, str]:
    """Each generated page's file name and text."""
    return {
        filename: HEADER.format(group=group) + make().rstrip("\n") + "\n"
        for filename, (group, make) in PAGES.items()
    }


def stale(written: Path = GENERATED) -> list[str]:
    """The generated pages that are missing or differ from what the TOML files give."""
    return [
        filename
        for filename, text in pages().items()
        if not (written / filename).exists()
        or (written / filename).read_text(encoding="utf-8") != text
    ]


def main(argv: Iterable[str]) -> int:
    if "--check" in argv:
        behind = stale()
        if behind:
            sys.stderr.write(
                f"docs/methods/generated is out of date ({', '.join(behind)}): "
                "run `python docs/generate.py` and commit the pages.\n"
            )
            return 1
        return 0
    GENERATED.mkdir(parents=True, exist_ok=True)
    for filename, text in pages().items():
        (GENERATED / filename).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
