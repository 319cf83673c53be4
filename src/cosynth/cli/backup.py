"""`cosynth backup FILE` and `cosynth restore FILE`: the whole store, every review and account."""

from __future__ import annotations

import os
from pathlib import Path

import click

from cosynth.cli.context import Context, pass_context
from cosynth.cli.output import out
from cosynth.errors import InputError
from cosynth.services import backup as backup_service


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_context
def backup(context: Context, file: Path) -> None:
    """Write the whole store (every review, account and job) to FILE.

    Safe while people are working: the backup is read from one instant, so
    each vote is in it whole or not at all. FILE holds personal details and
    password hashes: it is written readable by you only; keep it as safely
    as the database.
    """
    workspace = context.workspace()
    with workspace.transaction(context.actor, read_only=True) as tx:
        data = backup_service.backup_store_bytes(tx)
    _write_privately(file, data)
    out.print(f"Backed up {workspace.url} to {file} ({len(data):,} bytes).", style="green")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def restore(context: Context, file: Path) -> None:
    """Restore the backup in FILE into an empty store (a new SQLite file, an empty database).

    The store named by --db may be either engine, whatever the backup was
    taken from. A store that holds anything is refused; a damaged backup is
    refused; either way nothing is written.
    """
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"{file}: cannot read the file ({exc.strerror}).") from None
    # The manifest is checked before an empty database is given cosynth's tables.
    backup_service.read_backup_manifest(data, file.name)
    workspace = context.workspace(create=True)
    with workspace.transaction(context.actor) as tx:
        manifest = backup_service.restore_store(tx, data, file.name)
    out.print(
        f"Restored {file.name} (taken by {manifest.created_by} on {manifest.created_at} "
        f"from {manifest.engine}) into {workspace.url}: {manifest.reviews} reviews, "
        f"{manifest.rows:,} rows.",
        style="green",
    )


def _write_privately(path: Path, data: bytes) -> None:
    """Write `data` to `path` readable by its owner only, whole or not at all.

    The bytes go to a temporary file beside it first, then take its name: an
    interrupted backup never leaves a half-written file under the name given.
    """
    partial = path.with_name(f".{path.name}.partial")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write the backup ({exc.strerror}).") from None
