"""The review archive file (`.cosynth`): a ZIP of a review's rows, its files and a manifest.

Layout, version 1:

- `manifest.json`: the archive format and its version, the store's schema
  revision the rows are at, the cosynth version that wrote it, when and by
  whom, the review's title, the row count of every table and the sha256 of
  every other member;
- `tables/<table>.json`: `{"table", "columns", "rows"}`, one list per row,
  in the order of the columns (see `cosynth.domain.archive`);
- `files/<table>/<column>/<id><.ext>`: the bytes of a binary column (a full
  text's PDF, an imported export file, a roundtable transcript) as they were
  uploaded, so they can be opened from the archive with any unzip tool.

Reading checks everything before anything is used: the ZIP itself (through
`formats.archive.open_zip`, which refuses bombs and unsafe names), the
manifest, every member's checksum, members the manifest does not list, and
every table's row count. A fault is an `ImportFileError` naming the file and
the member.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cosynth.domain.archive import (
    ARCHIVE_FORMAT,
    ARCHIVE_FORMAT_VERSION,
    ArchiveManifest,
    ReviewDump,
    TableDump,
)
from cosynth.errors import ImportFileError
from cosynth.formats.archive import open_zip, read_member, safe_member_name

MANIFEST = "manifest.json"
EXTENSION = "cosynth"
MEDIA_TYPE = "application/zip"


def write_archive(
    dump: ReviewDump, *, cosynth_version: str, created_at: datetime, created_by: str
) -> bytes:
    """The archive file's bytes for `dump`."""
    members: dict[str, bytes] = {}
    for table in dump.tables:
        body = {"table": table.name, "columns": list(table.columns), "rows": list(table.rows)}
        members[f"tables/{table.name}.json"] = json_bytes(body)
    for name, data in dump.files.items():
        if not safe_member_name(name) or not name.startswith("files/"):
            raise ValueError(f"not an archive file member name: {name!r}")
        members[name] = data
    manifest = {
        "format": ARCHIVE_FORMAT,
        "format_version": ARCHIVE_FORMAT_VERSION,
        "schema_revision": dump.schema_revision,
        "cosynth_version": cosynth_version,
        "created_at": created_at.isoformat(),
        "created_by": created_by,
        "review": {"id": dump.review_id, "title": dump.title},
        "tables": dump.row_counts,
        "members": {name: hashlib.sha256(data).hexdigest() for name, data in members.items()},
    }
    stamp = created_at.timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in [(MANIFEST, json_bytes(manifest)), *members.items()]:
            info = zipfile.ZipInfo(name, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
            # PDFs are compressed already; deflating them again only costs time.
            packed = name.startswith("files/") and name.endswith(".pdf")
            info.compress_type = zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def read_manifest(data: bytes, filename: str) -> ArchiveManifest:
    """The archive's manifest alone, checked for its format (no members are read)."""
    with open_zip(data, filename) as archive:
        return _manifest(archive, filename)


def read_archive(data: bytes, filename: str) -> tuple[ArchiveManifest, ReviewDump]:
    """The archive's manifest and the review's rows, after every check has passed."""
    with open_zip(data, filename) as archive:
        manifest = _manifest(archive, filename)
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        if len(set(names)) != len(names):
            raise ImportFileError(filename, "the archive holds a member twice; it is damaged")
        unlisted = sorted(set(names) - set(manifest.checksums) - {MANIFEST})
        if unlisted:
            raise ImportFileError(
                filename,
                f"the archive holds {unlisted[0]!r}, which its manifest does not list; "
                "it has been changed since cosynth wrote it",
            )
        contents: dict[str, bytes] = {}
        for name, expected in manifest.checksums.items():
            body = read_member(archive, name, filename)
            if hashlib.sha256(body).hexdigest() != expected:
                raise ImportFileError(
                    filename,
                    f"the archive member {name!r} is not what was written (its checksum "
                    "does not match the manifest): the file is damaged or was changed",
                )
            contents[name] = body
    tables = []
    for table_name, count in manifest.row_counts.items():
        table = read_table_member(contents, table_name, filename)
        if len(table.rows) != count:
            raise ImportFileError(
                filename,
                f"the table {table_name} holds {len(table.rows)} rows; the manifest says {count}",
            )
        tables.append(table)
    listed = {f"tables/{name}.json" for name in manifest.row_counts}
    stray = sorted(name for name in contents if name.startswith("tables/") and name not in listed)
    if stray:
        raise ImportFileError(filename, f"the archive's {stray[0]!r} is not in its manifest")
    return manifest, ReviewDump(
        schema_revision=manifest.schema_revision,
        review_id=manifest.review_id,
        title=manifest.review_title,
        tables=tuple(tables),
        files={name: body for name, body in contents.items() if name.startswith("files/")},
    )


def _manifest(archive: zipfile.ZipFile, filename: str) -> ArchiveManifest:
    raw = load_json_member(_manifest_bytes(archive, filename), MANIFEST, filename)
    if not isinstance(raw, dict) or raw.get("format") != ARCHIVE_FORMAT:
        raise ImportFileError(filename, "this is not a cosynth review archive (no manifest)")
    version = raw.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ImportFileError(
            filename, f"the archive's format version {version!r} is not one cosynth knows"
        )
    if version > ARCHIVE_FORMAT_VERSION:
        raise ImportFileError(
            filename,
            f"the archive was made by a newer cosynth (archive format {version}); "
            f"this one reads up to format {ARCHIVE_FORMAT_VERSION}: upgrade cosynth",
        )
    fields = {
        key: raw.get(key)
        for key in ("schema_revision", "cosynth_version", "created_at", "created_by")
    }
    tables, members, review = raw.get("tables"), raw.get("members"), raw.get("review")
    well_formed = (
        all(isinstance(value, str) and value for value in fields.values())
        and mapping_of(tables, int)
        and mapping_of(members, str)
        and isinstance(review, dict)
        and isinstance(review.get("title"), str)
        and isinstance(review.get("id"), int)
    )
    if not well_formed:
        raise ImportFileError(filename, "the archive's manifest is incomplete; it is damaged")
    assert isinstance(tables, dict) and isinstance(members, dict) and isinstance(review, dict)
    return ArchiveManifest(
        format_version=version,
        schema_revision=str(fields["schema_revision"]),
        cosynth_version=str(fields["cosynth_version"]),
        created_at=str(fields["created_at"]),
        created_by=str(fields["created_by"]),
        review_id=int(review["id"]),
        review_title=str(review["title"]),
        row_counts=dict(tables),
        checksums=dict(members),
    )


def _manifest_bytes(archive: zipfile.ZipFile, filename: str) -> bytes:
    try:
        archive.getinfo(MANIFEST)
    except KeyError:
        raise ImportFileError(
            filename, "this is not a cosynth review archive (it has no manifest.json)"
        ) from None
    return read_member(archive, MANIFEST, filename)


def mapping_of(value: object, kind: type) -> bool:
    return isinstance(value, dict) and all(
        isinstance(key, str) and isinstance(item, kind) and not isinstance(item, bool)
        for key, item in value.items()
    )


def read_table_member(contents: Mapping[str, bytes], name: str, filename: str) -> TableDump:
    member = f"tables/{name}.json"
    if member not in contents:
        raise ImportFileError(
            filename, f"the archive has no table {name} ({member}); it is damaged"
        )
    body = load_json_member(contents[member], member, filename)
    ok = (
        isinstance(body, dict)
        and body.get("table") == name
        and isinstance(body.get("columns"), list)
        and all(isinstance(column, str) for column in body["columns"])
        and isinstance(body.get("rows"), list)
        and all(isinstance(row, list) for row in body["rows"])
    )
    if not ok:
        raise ImportFileError(filename, f"the archive member {member!r} is not a table")
    assert isinstance(body, dict)
    return TableDump(
        name=name,
        columns=tuple(body["columns"]),
        rows=tuple(tuple(row) for row in body["rows"]),
    )


def load_json_member(data: bytes, member: str, filename: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    # ValueError: a number too long for int(); RecursionError: nesting thousands deep.
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError, RecursionError) as exc:
        raise ImportFileError(
            filename, f"the archive member {member!r} is not readable JSON ({exc})"
        ) from None
