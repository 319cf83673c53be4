"""The store backup file (`.cosynth-backup`): a ZIP of every table, its files and a manifest.

The same layout as the review archive (`cosynth.formats.review_archive`),
whose table members and checks it shares, with its own format name so that
neither is ever taken for the other:

- `manifest.json`: the format and its version, the schema revision, the
  cosynth version, when and by whom, the engine it was taken from, the row
  count of every table and the sha256 of every other member;
- `tables/<table>.json`: `{"table", "columns", "rows"}`;
- `files/<table>/<column>/<id><.ext>`: the bytes of a binary column.

Reading checks everything before a row is used: the ZIP (refusing bombs and
unsafe names), the manifest, every member's checksum, members it does not
list, every table's row count. A fault is an `ImportFileError` naming the
file and the member.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import datetime

from cosynth.domain.backup import BACKUP_FORMAT, BACKUP_FORMAT_VERSION, BackupManifest, StoreDump
from cosynth.errors import ImportFileError
from cosynth.formats.archive import open_zip, read_member, safe_member_name
from cosynth.formats.review_archive import (
    json_bytes,
    load_json_member,
    mapping_of,
    read_table_member,
)

MANIFEST = "manifest.json"
EXTENSION = "cosynth-backup"


def write_backup(
    dump: StoreDump, *, cosynth_version: str, created_at: datetime, created_by: str, engine: str
) -> bytes:
    """The backup file's bytes for `dump`."""
    members: dict[str, bytes] = {}
    for table in dump.tables:
        body = {"table": table.name, "columns": list(table.columns), "rows": list(table.rows)}
        members[f"tables/{table.name}.json"] = json_bytes(body)
    for name, data in dump.files.items():
        if not safe_member_name(name) or not name.startswith("files/"):
            raise ValueError(f"not a backup file member name: {name!r}")
        members[name] = data
    manifest = {
        "format": BACKUP_FORMAT,
        "format_version": BACKUP_FORMAT_VERSION,
        "schema_revision": dump.schema_revision,
        "cosynth_version": cosynth_version,
        "created_at": created_at.isoformat(),
        "created_by": created_by,
        "engine": engine,
        "tables": dump.row_counts,
        "members": {name: hashlib.sha256(data).hexdigest() for name, data in members.items()},
    }
    stamp = max(created_at.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in [(MANIFEST, json_bytes(manifest)), *members.items()]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            packed = name.startswith("files/") and name.endswith(".pdf")
            info.compress_type = zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def read_manifest(data: bytes, filename: str) -> BackupManifest:
    """The backup's manifest alone, checked for its format (no other member is read)."""
    with open_zip(data, filename) as archive:
        return _manifest(archive, filename)


def read_backup(data: bytes, filename: str) -> tuple[BackupManifest, StoreDump]:
    """The backup's manifest and every table's rows, after every check has passed."""
    with open_zip(data, filename) as archive:
        manifest = _manifest(archive, filename)
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        if len(set(names)) != len(names):
            raise ImportFileError(filename, "the backup holds a member twice; it is damaged")
        unlisted = sorted(set(names) - set(manifest.checksums) - {MANIFEST})
        if unlisted:
            raise ImportFileError(
                filename,
                f"the backup holds {unlisted[0]!r}, which its manifest does not list; "
                "it has been changed since cosynth wrote it",
            )
        contents: dict[str, bytes] = {}
        for name, expected in manifest.checksums.items():
            body = read_member(archive, name, filename)
            if hashlib.sha256(body).hexdigest() != expected:
                raise ImportFileError(
                    filename,
                    f"the backup member {name!r} is not what was written (its checksum "
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
        raise ImportFileError(filename, f"the backup's {stray[0]!r} is not in its manifest")
    return manifest, StoreDump(
        schema_revision=manifest.schema_revision,
        tables=tuple(tables),
        files={name: body for name, body in contents.items() if name.startswith("files/")},
    )


def _manifest(archive: zipfile.ZipFile, filename: str) -> BackupManifest:
    try:
        archive.getinfo(MANIFEST)
    except KeyError:
        raise ImportFileError(
            filename, "this is not a cosynth backup (it has no manifest.json)"
        ) from None
    raw = load_json_member(read_member(archive, MANIFEST, filename), MANIFEST, filename)
    if not isinstance(raw, dict) or raw.get("format") != BACKUP_FORMAT:
        kind = raw.get("format") if isinstance(raw, dict) else None
        hint = (
            " (it is a review archive: open it with `cosynth archive import`)"
            if (kind == "cosynth review archive")
            else ""
        )
        raise ImportFileError(filename, f"this is not a cosynth backup{hint}")
    version = raw.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ImportFileError(
            filename, f"the backup's format version {version!r} is not one cosynth knows"
        )
    if version > BACKUP_FORMAT_VERSION:
        raise ImportFileError(
            filename,
            f"the backup was made by a newer cosynth (backup format {version}); "
            f"this one reads up to format {BACKUP_FORMAT_VERSION}: upgrade cosynth",
        )
    fields = {
        key: raw.get(key)
        for key in ("schema_revision", "cosynth_version", "created_at", "created_by", "engine")
    }
    tables, members = raw.get("tables"), raw.get("members")
    well_formed = (
        all(isinstance(value, str) and value for value in fields.values())
        and mapping_of(tables, int)
        and mapping_of(members, str)
    )
    if not well_formed:
        raise ImportFileError(filename, "the backup's manifest is incomplete; it is damaged")
    assert isinstance(tables, dict) and isinstance(members, dict)
    return BackupManifest(
        format_version=version,
        schema_revision=str(fields["schema_revision"]),
        cosynth_version=str(fields["cosynth_version"]),
        created_at=str(fields["created_at"]),
        created_by=str(fields["created_by"]),
        engine=str(fields["engine"]),
        row_counts=dict(tables),
        checksums=dict(members),
    )
