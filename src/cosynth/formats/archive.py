"""Opening ZIP-based uploads (Excel workbooks, ASReview projects) without trusting them.

An uploaded ZIP can claim members far larger than memory (a "zip bomb") or
name paths outside any folder ("zip slip", ../../etc). Readers never extract
to disk: they read named members into memory, and only after the archive's
declared sizes and compression ratios have been checked here. The standard
library's `zipfile` stops reading a member at its declared size, so the
declared sizes are the ones that count.
"""

from __future__ import annotations

import io
import lzma
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath

from cosynth.errors import ImportFileError

MAX_MEMBER_BYTES = 1 << 30  # 1 GiB: no export or review database is bigger
MAX_TOTAL_BYTES = 2 << 30
# XML and text deflate 5-20 times; a ratio beyond this on a large member is a bomb.
MAX_RATIO = 200
_RATIO_FLOOR = 16 << 20  # small members (empty SQLite pages) may compress far better

# Everything `zipfile` raises on a damaged or unusual archive (found by fuzzing, issue 10):
# a corrupt deflate stream (zlib.error), an unknown or unsupported compression method
# (NotImplementedError), an encrypted member (RuntimeError), a torn header (struct.error).
ZIP_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    OSError,
    ValueError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    zlib.error,
    lzma.LZMAError,
    struct.error,
)


@contextmanager
def open_zip(data: bytes, filename: str) -> Iterator[zipfile.ZipFile]:
    """The archive in `data`, after checking its members' sizes; an `ImportFileError` if unsafe."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        raise ImportFileError(filename, "the ZIP archive is damaged or incomplete") from None
    with archive:
        _check_sizes(archive, filename)
        yield archive


def _check_sizes(archive: zipfile.ZipFile, filename: str) -> None:
    total = 0
    for info in archive.infolist():
        if not info.filename:
            # zipfile's own ZipInfo.is_dir() fails on it with IndexError (found by fuzzing).
            raise ImportFileError(
                filename, "the archive holds a member with no name; it is damaged"
            )
        total += info.file_size
        too_big = info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES
        bomb = info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        )
        if too_big or bomb:
            raise ImportFileError(
                filename,
                f"the archive member {info.filename!r} unpacks to {info.file_size:,} bytes, "
                "more than cosynth will unpack from an upload; this is not an ordinary export",
            )


def safe_member_name(name: str) -> bool:
    """True for a relative path inside the archive: no drive, no root, no "..".

    Names come from inside the upload (project.json names its data file), so
    they are checked before use even though nothing is written to disk.
    """
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    path = PurePosixPath(name)
    return ".." not in path.parts and ":" not in path.parts[0]


def read_member(archive: zipfile.ZipFile, name: str, filename: str) -> bytes:
    """The bytes of member `name`, which must exist and have a safe name."""
    if not safe_member_name(name):
        raise ImportFileError(filename, f"the archive names an unsafe path {name!r}")
    try:
        with archive.open(name) as handle:
            return handle.read(MAX_MEMBER_BYTES + 1)
    except KeyError:
        raise ImportFileError(filename, f"the archive has no member {name!r}") from None
    except NotImplementedError:  # a RuntimeError too, so caught first
        raise ImportFileError(
            filename,
            f"the archive member {name!r} is compressed in a way cosynth cannot unpack; "
            "make the ZIP again with ordinary (deflate) compression",
        ) from None
    except RuntimeError:
        raise ImportFileError(
            filename, f"the archive member {name!r} is encrypted; export it without a password"
        ) from None
    except ZIP_ERRORS as exc:
        raise ImportFileError(filename, f"the archive member {name!r} is damaged ({exc})") from None


# A document type declaration or an entity declaration, in UTF-8 or UTF-16 (a NUL between
# letters). Office Open XML parts never carry one (ECMA-376 part 2 forbids DTDs in a package);
# one in an upload is a "billion laughs" or an external entity reading local files.
_DTD = re.compile(
    rb"<\x00?!\x00?(?:D\x00?O\x00?C\x00?T\x00?Y\x00?P\x00?E|E\x00?N\x00?T\x00?I\x00?T\x00?Y)",
    re.IGNORECASE,
)


def refuse_xml_declarations(archive: zipfile.ZipFile, filename: str, what: str) -> None:
    """Raise `ImportFileError` if any XML part of an Office package declares a DTD or entities.

    Checked before the package reaches openpyxl or python-docx, so that whatever
    their XML parsers would do with entities (expand, resolve, or fail with an
    unhelpful message), an upload that declares them is refused in plain words.
    """
    for info in archive.infolist():
        if info.is_dir() or not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        if _DTD.search(read_member(archive, info.filename, filename)):
            raise ImportFileError(
                filename,
                f"the part {info.filename!r} of this {what} declares XML entities or a "
                "document type, which Office never writes; cosynth refuses such files "
                "because they can expand without end or read other files. Save the file "
                "again from the program that made it",
            )
