"""Files people upload: read whole, with a name that is safe to show and one safe as a path.

A browser sends whatever name the file had on the person's computer, which
may hold folders ("C:\\fakepath\\..." or "../../etc/passwd"), control
characters or be empty. cosynth keeps the file's bytes in the store, so a name
is only ever shown, never opened; `safe_name` is there for anything that
writes an upload to disk (a background import's temporary file).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

_NAME_MAX = 200  # the width of the sources table's file name column
_UNNAMED = "upload"


@dataclass(frozen=True, slots=True)
class Upload:
    """One uploaded file: the name to show, a name safe as a path, and its bytes."""

    display_name: str
    safe_name: str
    data: bytes


def read_uploads(files: list[FileStorage]) -> list[Upload]:
    """The files of a multiple file input, leaving out the empty part sent when none is chosen."""
    return [
        Upload(display_name(upload.filename), safe_name(upload.filename), upload.read())
        for upload in files
        if upload.filename
    ]


def display_name(sent: str | None) -> str:
    """The file's own name, without any folders or control characters, for people to read."""
    base = (sent or "").replace("\\", "/").rsplit("/", 1)[-1]
    shown = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return shown[:_NAME_MAX] or _UNNAMED


def safe_name(sent: str | None) -> str:
    """A name that is safe as a file name on any system (ASCII, no folders, no dot files)."""
    return secure_filename(display_name(sent))[:_NAME_MAX] or _UNNAMED
