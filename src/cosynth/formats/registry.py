"""Finding readers and writers through their entry-point groups, and picking a reader for a file."""

from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoint, entry_points

from cosynth.errors import CosynthError, ImportFileError, InputError
from cosynth.formats.base import Document, Reader, Writer
from cosynth.formats.text import binary_kind

READERS_GROUP = "cosynth.readers"
WRITERS_GROUP = "cosynth.writers"


@cache
def readers() -> dict[str, Reader]:
    """Every registered reader by name, built-ins included."""
    found: dict[str, Reader] = {}
    for point in entry_points(group=READERS_GROUP):
        plugin = _load(point, "reader")
        if not isinstance(plugin, Reader):
            raise CosynthError(f"The plugin {point.value!r} registered as a reader is not one.")
        found[point.name] = plugin
    return found


@cache
def writers() -> dict[str, Writer]:
    """Every registered writer by name, built-ins included."""
    found: dict[str, Writer] = {}
    for point in entry_points(group=WRITERS_GROUP):
        plugin = _load(point, "writer")
        if not isinstance(plugin, Writer):
            raise CosynthError(f"The plugin {point.value!r} registered as a writer is not one.")
        found[point.name] = plugin
    return found


def _load(point: EntryPoint, what: str) -> object:
    try:
        return point.load()()
    except Exception as exc:  # a broken plugin must not look like a cosynth crash
        raise CosynthError(
            f"The {what} plugin {point.name!r} ({point.value}) could not be loaded: {exc}"
        ) from exc
