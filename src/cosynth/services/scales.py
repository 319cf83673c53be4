"""Finding co-production scales: the `cosynth.scales` entry-point group, and a file on disk.

A scale plugin registers `name = "package:file.toml"`; the file is read from
inside the package, so built-in and third-party scales load the same way
(DESIGN.md rule 6). A review's own scales live in the store
(`services.coproduction.add_scale`).
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoint, entry_points
from importlib.resources import files
from pathlib import Path

from cosynth.domain.coproduction import Scale, parse_scale
from cosynth.errors import CosynthError, DataFileError, InputError

SCALES_GROUP = "cosynth.scales"


@cache
def registered_scales() -> dict[str, Scale]:
    """Every scale registered in the entry-point group, by id, built-ins included.

    A mistake in any file raises `DataFileError` naming it; nothing is
    returned half-read.
    """
    found: dict[str, Scale] = {}
    for point in sorted(entry_points(group=SCALES_GROUP), key=lambda p: p.name):
        scale = _read_registered(point)
        if scale.id != point.name:
            raise DataFileError(
                scale.filename,
                f"the scale's id is {scale.id!r} but it is registered as {point.name!r}: "
                "make them the same",
            )
        found[scale.id] = scale
    return found


def _read_registered(point: EntryPoint) -> Scale:
    if not point.attr:
        raise CosynthError(
            f"The scale plugin {point.name!r} ({point.value}) must name its file as "
            "'package:file.toml'."
        )
    try:
        text = files(point.module).joinpath(point.attr).read_text(encoding="utf-8")
    except (OSError, ModuleNotFoundError, UnicodeDecodeError) as exc:
        raise CosynthError(
            f"The scale plugin {point.name!r} ({point.value}) could not be read: {exc}"
        ) from exc
    return parse_scale(text, f"{point.module}:{point.attr}")


def read_scale_file(path: Path) -> tuple[Scale, str]:
    """A scale from a TOML file on disk, and its text (to keep whole in the store)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"There is no file {path}.") from None
    except UnicodeDecodeError:
        raise DataFileError(path.name, "the file is not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read: {exc.strerror}.") from None
    return parse_scale(text, path.name), text
