"""Question framework files: TOML text -> `Framework`, and the `cosynth.frameworks` group.

The built-in frameworks (SPICE, SPICES, SPIDER, PICO, PICo, PEO) and a
review's own file are read by the same function, so a broken file is refused
the same way, naming the file and the line of the key at fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from importlib.resources import files

from cosynth.domain.search import Framework, FrameworkDataError, framework_from_dict
from cosynth.errors import CosynthError, DataFileError
from cosynth.formats.instruments import line_of, read_toml

FRAMEWORKS_GROUP = "cosynth.frameworks"
MAX_FILE_SIZE = 200_000


@dataclass(frozen=True, slots=True)
class FrameworkFile:
    """A framework with the text it was read from (kept with the question, for provenance)."""

    filename: str
    text: str
    framework: Framework


def read_framework(data: bytes | str, filename: str) -> FrameworkFile:
    """Read one framework file, or raise `DataFileError` naming the file and the line."""
    text, table = read_toml(data, filename, what="a question framework", max_size=MAX_FILE_SIZE)
    try:
        framework = framework_from_dict(table)
    except FrameworkDataError as exc:
        raise DataFileError(
            filename, exc.problem, line=line_of(text, exc.path, exc.value)
        ) from None
    return FrameworkFile(filename=filename, text=text, framework=framework)


@cache
def registered_frameworks() -> dict[str, FrameworkFile]:
    """Every framework registered through `cosynth.frameworks`, built-ins included, by id."""
    found: dict[str, FrameworkFile] = {}
    for point in sorted(entry_points(group=FRAMEWORKS_GROUP), key=lambda p: p.name):
        read = read_framework(_read_source(point), f"{point.module}:{point.attr}")
        if read.framework.id != point.name:
            raise DataFileError(
                read.filename,
                f'the file\'s id is "{read.framework.id}", but it is registered as '
                f'"{point.name}": the two must be the same',
                line=line_of(read.text, ("id",), read.framework.id),
            )
        found[point.name] = read
    return found


def _read_source(point: EntryPoint) -> bytes:
    if not point.attr:
        raise CosynthError(
            f"The question framework plugin {point.name!r} ({point.value}) must name its file "
            'as "package:file.toml".'
        )
    try:
        return files(point.module).joinpath(point.attr).read_bytes()
    except Exception as exc:  # a broken plugin must not look like a cosynth crash
        raise CosynthError(
            f"The question framework {point.name!r} ({point.value}) could not be read: {exc}"
        ) from exc
