"""Backing up the whole store into one file, and restoring it into an empty store.

A backup holds everything the installation holds: every review with every
vote and judgement, the advisory group's personal details, the accounts with
their password hashes, the jobs. Whoever can open the database can read all
of that already, so backing up asks for no review permission; the file must
be kept as carefully as the database itself (the command line writes it
readable by its owner only).

`backup_store` reads the store in one snapshot (see `cosynth.store.backup`):
taken while the team is voting, it holds each vote whole or not at all.
`restore_store` writes it, ids as they were, into an empty store of either
engine (a SQLite backup restored to PostgreSQL and back), in one transaction:
a damaged backup, or a store that is not empty, is refused with a plain
reason and nothing is written (DESIGN.md rule 4).
"""

from __future__ import annotations

from cosynth import __version__
from cosynth.domain.backup import BackupManifest
from cosynth.errors import InputError
from cosynth.formats import backup as backup_format
from cosynth.services.workspace import Tx
from cosynth.store import backup as backup_store

EXTENSION = backup_format.EXTENSION

# What a job that had not finished when the backup was taken says after a restore.
UNFINISHED_JOB = (
    "This job had not finished when the backup this store was restored from was taken; "
    "the backup holds none of its work. Start it again."
)


def backup_store_bytes(tx: Tx) -> bytes:
    """The whole store as a backup file's bytes, read from one snapshot.

    Open `tx` reading only (`Workspace.transaction(..., read_only=True)`), and
    call this before anything else in it: PostgreSQL fixes the snapshot at the
    transaction's first query.
    """
    backup_store.begin_snapshot(tx.session)
    dump = backup_store.dump_store(tx.session, revision=backup_store.schema_revisions()[-1])
    return backup_format.write_backup(
        dump,
        cosynth_version=__version__,
        created_at=tx.now,
        created_by=tx.actor,
        engine=tx.session.get_bind().dialect.name,
    )


def read_backup_manifest(data: bytes, filename: str) -> BackupManifest:
    """What a backup says it holds (when, by whom, rows per table), checked."""
    manifest = backup_format.read_manifest(data, filename)
    _check_revision(manifest, filename)
    return manifest


def restore_store(tx: Tx, data: bytes, filename: str) -> BackupManifest:
    """Write the backup into this store, which must be empty; what the backup held.

    Every member is checked against the manifest before a row is written. A
    backup from an older schema revision goes through the same migrations as
    any store; one from a newer revision is refused. Jobs that had not
    finished are marked failed (`UNFINISHED_JOB`): the backup holds neither
    the queue that would run them nor an import's uploaded file.
    """
    manifest = read_backup_manifest(data, filename)
    holding = backup_store.tables_holding_rows(tx.session)
    if holding:
        raise InputError(
            f"{filename}: this store is not empty (it holds rows in {', '.join(holding[:3])}"
            f"{' and more' if len(holding) > 3 else ''}), and a backup is restored only into "
            "an empty store, so nothing here is overwritten or mixed with it. Restore into a "
            "new SQLite file or an empty PostgreSQL database (--db)."
        )
    _, dump = backup_format.read_backup(data, filename)
    if dump.schema_revision != backup_store.schema_revisions()[-1]:
        dump = backup_store.upgrade_store_dump(dump)
    backup_store.load_store(tx.session, dump)
    backup_store.reset_id_sequences(tx.session)
    failed = backup_store.fail_unfinished_jobs(tx.session, message=UNFINISHED_JOB, at=tx.now)
    tx.log(
        "store restored from a backup",
        None,
        filename=filename,
        backed_up_by=manifest.created_by,
        backed_up_at=manifest.created_at,
        engine=manifest.engine,
        cosynth_version=manifest.cosynth_version,
        schema_revision=manifest.schema_revision,
        rows=manifest.rows,
        unfinished_jobs=failed,
    )
    return manifest


def _check_revision(manifest: BackupManifest, filename: str) -> None:
    revisions = backup_store.schema_revisions()
    revision, head = manifest.schema_revision, revisions[-1]
    if revision in revisions:
        return
    if revision.isdigit() and head.isdigit() and int(revision) > int(head):
        raise InputError(
            f"{filename}: this backup was made by a newer cosynth (schema {revision}); "
            f"this one reads up to {head}: upgrade cosynth, then restore it."
        )
    raise InputError(
        f"{filename}: the backup's schema revision {revision!r} is not one this cosynth "
        f"knows (it reads {revisions[0]} to {head}); it was not made by cosynth, or is damaged."
    )
