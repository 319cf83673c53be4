"""Appraisal instrument files: TOML text -> `Instrument`, and the `cosynth.instruments` group.

`tomllib` names the line of a syntax error but not of a semantic one (a
duplicate item id, a threshold above the maximum score), so the line of the
offending key is found here in the source text, from the path the domain's
check reports. Nothing is loaded from a file with any mistake in it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from importlib.resources import files
from typing import Any

from cosynth.domain.appraisal.instruments import (
    Instrument,
    InstrumentDataError,
    Path,
    instrument_from_dict,
)
from cosynth.errors import CosynthError, DataFileError

INSTRUMENTS_GROUP = "cosynth.instruments"
MAX_FILE_SIZE = 1_000_000

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]\s]+)\s*\]\]?\s*(#.*)?$")
_TOML_LINE = re.compile(r"\s*\(at line (\d+), column \d+\)")


@dataclass(frozen=True, slots=True)
class InstrumentFile:
    """An instrument with the text it was read from (kept in the protocol, for provenance)."""

    filename: str
    text: str
    instrument: Instrument


def read_instrument(data: bytes | str, filename: str) -> InstrumentFile:
    """Read one instrument file, or raise `DataFileError` naming the file and the line."""
    text, table = read_toml(data, filename, what="an appraisal instrument", max_size=MAX_FILE_SIZE)
    try:
        instrument = instrument_from_dict(table)
    except InstrumentDataError as exc:
        where = line_of(text, exc.path, exc.value)
        raise DataFileError(filename, exc.problem, line=where) from None
    return InstrumentFile(filename=filename, text=text, instrument=instrument)


def read_toml(
    data: bytes | str, filename: str, *, what: str, max_size: int
) -> tuple[str, dict[str, Any]]:
    """The text of a TOML data file and its table, or a `DataFileError` naming file and line.

    Shared by every data file read this way (instruments, checklists, question
    frameworks): too large, not UTF-8, or not TOML are refused alike.
    """
    if isinstance(data, bytes):
        if len(data) > max_size:
            raise DataFileError(filename, f"the file is too large for {what}")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise DataFileError(
                filename, "the file is not UTF-8 text; save it as UTF-8", line=line
            ) from None
    else:
        text = data
    try:
        table = tomllib.loads(text)
    # Also a number longer than int() reads (ValueError) and arrays or tables nested
    # thousands deep (RecursionError): found by fuzzing, issue 10.
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        found = _TOML_LINE.search(str(exc))
        problem = _TOML_LINE.sub("", str(exc)).strip(" .")
        raise DataFileError(
            filename,
            f"this is not valid TOML ({problem})",
            line=int(found.group(1)) if found else None,
        ) from None
    return text, table


def line_of(text: str, path: Path, value: object = None) -> int | None:
    """The 1-based line of the key at `path` (or of its table) in TOML `text`; None if unseen.

    `path` runs from the top: ("items", 3, "id") is the id of the fourth
    [[items]] table; ("scales", 0, "answers", 1, "id") an id inside an inline
    answer table, found by its `value`.
    """
    lines = text.splitlines()
    start, end, prefix = 0, len(lines), ""
    steps = list(path)
    best: int | None = None
    while steps:
        step = steps[0]
        if isinstance(step, int):
            steps.pop(0)
            continue
        name = prefix + step
        index = steps[1] if len(steps) > 1 and isinstance(steps[1], int) else None
        found = _table(lines, start, end, name, index)
        if found is None:
            break
        start, end = found
        best = start + 1
        prefix = name + "."
        steps = steps[2:] if index is not None else steps[1:]
    if len(steps) >= 2 and isinstance(steps[0], str) and isinstance(steps[1], int):
        # An inline array of tables: `answers = [ { ... }, { ... } ]`.
        element = _inline_element(lines, start, end, steps[0], steps[1])
        if element is not None:
            start, best = element, element + 1
            steps = steps[2:]
    keys = [step for step in steps if isinstance(step, str)]
    if not keys:
        return best
    if best is None:
        # Top-level keys come before the first table header.
        end = next((i for i, line in enumerate(lines) if _HEADER.match(line)), len(lines))
    key = re.escape(keys[-1])
    patterns = []
    if value is not None and not isinstance(value, list | dict):
        shown = re.escape(str(value).lower() if isinstance(value, bool) else str(value))
        patterns.append(rf"""(^|[\s{{,]){key}\s*=\s*["']?{shown}\b""")
        patterns.append(rf"""(^|[\s{{,]){re.escape(str(keys[0]))}\s*=.*["']?{shown}\b""")
    patterns.append(rf"""(^|[\s{{,])["']?{key}["']?\s*=""")
    for pattern in patterns:
        for i in range(start, end):
            if not lines[i].lstrip().startswith("#") and re.search(pattern, lines[i]):
                return i + 1
    return best


def _inline_element(lines: list[str], start: int, end: int, key: str, index: int) -> int | None:
    """The line where the index-th inline table of the array `key = [...]` opens."""
    opening = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*=\s*\[""")
    for i in range(start, end):
        if opening.search(lines[i]):
            seen = -1
            for j in range(i, end):
                text = lines[j] if j > i else lines[j][lines[j].index("[") + 1 :]
                seen += text.count("{")
                if seen >= index:
                    return j
            return None
    return None


def _table(
    lines: list[str], start: int, end: int, name: str, index: int | None
) -> tuple[int, int] | None:
    """The lines (start, end) of table `name` (the index-th of an array of tables) in a range."""
    seen = -1
    for i in range(start, end):
        header = _HEADER.match(lines[i])
        if header is None or header.group(2) != name:
            continue
        if index is not None and header.group(1) != "[[":
            continue
        seen += 1
        if index is None or seen == index:
            stop = i + 1
            while stop < end:
                other = _HEADER.match(lines[stop])
                if other is not None and not other.group(2).startswith(name + "."):
                    break
                stop += 1
            return i, stop
    return None


# -- the entry-point group


@cache
def registered_instruments() -> dict[str, InstrumentFile]:
    """Every instrument registered through `cosynth.instruments`, built-ins included, by id.

    An entry point names its file as "package:file.toml", as co-production
    scales do: `tapupas = "cosynth.instruments:tapupas.toml"`.
    """
    found: dict[str, InstrumentFile] = {}
    for point in sorted(entry_points(group=INSTRUMENTS_GROUP), key=lambda p: p.name):
        read = read_instrument(_read_source(point), f"{point.module}:{point.attr}")
        if read.instrument.id != point.name:
            raise DataFileError(
                read.filename,
                f'the file\'s id is "{read.instrument.id}", but it is registered as '
                f'"{point.name}": the two must be the same',
                line=line_of(read.text, ("id",), read.instrument.id),
            )
        found[point.name] = read
    return found


def _read_source(point: EntryPoint) -> bytes:
    if not point.attr:
        raise CosynthError(
            f"The appraisal instrument plugin {point.name!r} ({point.value}) must name its file "
            'as "package:file.toml".'
        )
    try:
        return files(point.module).joinpath(point.attr).read_bytes()
    except Exception as exc:  # a broken plugin must not look like a cosynth crash
        raise CosynthError(
            f"The appraisal instrument {point.name!r} ({point.value}) could not be read: {exc}"
        ) from exc
