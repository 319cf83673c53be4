"""Uploaded files waiting for a job: kept on disk until the job has imported them.

A queued import must outlive a restart of the server (DESIGN.md rule 4:
nothing is lost), so its bytes are written to a folder beside the database
before the job is queued, made durable (fsync, then an atomic rename), and
removed only once the job has ended. The store itself keeps the bytes of
every imported file as its source, so nothing is lost when the upload goes.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from cosynth.errors import StoreError

SUFFIX = ".upload"


def keep(folder: Path, data: bytes) -> Path:
    """Write `data` to a new file in `folder`, durably; its path."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = folder / f"{uuid.uuid4().hex}{SUFFIX}"
        partial = path.with_suffix(".partial")
        with partial.open("xb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(path)
        _sync_folder(folder)
    except OSError as exc:
        raise StoreError(
            f"The uploaded file could not be kept in {folder} for the job: {exc.strerror or exc}."
        ) from exc
    return path


def read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise StoreError(
            f"The uploaded file this job was to import is no longer in {path.parent}; "
            "upload it again."
        ) from None
    except OSError as exc:
        raise StoreError(
            f"The uploaded file this job was to import cannot be read: {exc.strerror or exc}."
        ) from exc


def discard(path: Path) -> None:
    path.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX: fsync the directory); a no-op where unsupported."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
