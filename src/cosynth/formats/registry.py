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


def get_reader(name: str) -> Reader:
    """The reader called `name`, or an error listing the names there are."""
    try:
        return readers()[name]
    except KeyError:
        known = ", ".join(sorted(readers()))
        raise InputError(f"There is no reader called {name!r}. Readers: {known}.") from None


def get_writer(name: str) -> Writer:
    """The writer called `name`, or an error listing the names there are."""
    try:
        return writers()[name]
    except KeyError:
        known = ", ".join(sorted(writers()))
        raise InputError(f"There is no writer called {name!r}. Formats: {known}.") from None


def detect_reader(doc: Document) -> Reader:
    """The reader most sure it can read `doc`, or a plain error saying what `doc` is."""
    if not doc.data.strip():
        raise ImportFileError(doc.filename, "the file is empty")
    best: tuple[int, Reader] | None = None
    decode_error: ImportFileError | None = None
    for reader in readers().values():
        try:
            score = reader.sniff(doc)
        except ImportFileError as exc:
            decode_error = exc
            continue
        if score > 0 and (best is None or score > best[0]):
            best = (score, reader)
    if best is not None:
        return best[1]
    if decode_error is not None:
        raise decode_error
    raise ImportFileError(doc.filename, _unknown_format_problem(doc))


def _unknown_format_problem(doc: Document) -> str:
    kind = binary_kind(doc.data)
    if kind is not None:
        return f"this is {kind}, not a bibliographic export"
    head = doc.head.lstrip()
    lowered = head[:512].lower()
    if lowered.startswith(("<!doctype html", "<html")) or "<html" in lowered:
        return (
            "this is a web page (HTML), not a bibliographic export: the database "
            "probably showed an error or a login page instead of the download; "
            "export the records again"
        )
    first = head.split("\n", 1)[0][:80]
    return (
        "cosynth cannot tell what format this is (it reads RIS, MEDLINE/PubMed, "
        "BibTeX, EndNote XML and tagged, Web of Science, CSV/TSV/Excel and ASReview "
        f"files). The file starts with: {first!r}"
    )
