"""The review archive: a whole review in one `.cosynth` file, and opened again elsewhere.

`export_review` reads every row the review holds (and the PDFs and imported
files kept with them) into one file; `import_review` opens such a file as a
new review in this store, owned by the person importing it, exactly as it
was: the same records, votes, resolutions, appraisals, extraction, quotes,
scores, synthesis and advisory group, under this store's own ids. The import
is one transaction (DESIGN.md rule 4): a damaged archive, or one from a newer
cosynth, is refused with a plain reason and nothing is written.
"""

from __future__ import annotations

from cosynth import __version__
from cosynth.domain.archive import ArchiveManifest
from cosynth.domain.review import Review
from cosynth.domain.roles import Permission
from cosynth.errors import InputError
from cosynth.formats import review_archive
from cosynth.services.workspace import Tx
from cosynth.store import archive as archive_store
from cosynth.store import reviews as review_store

EXTENSION = review_archive.EXTENSION
MEDIA_TYPE = review_archive.MEDIA_TYPE


def export_review(tx: Tx, review_id: int) -> bytes:
    """The review as an archive file's bytes (the lead only: it holds every vote, unblinded)."""
    tx.require(review_id, Permission.ARCHIVE_REVIEW)
    dump = archive_store.dump_review(
        tx.session, review_id, revision=archive_store.schema_revisions()[-1]
    )
    data = review_archive.write_archive(
        dump, cosynth_version=__version__, created_at=tx.now, created_by=tx.actor
    )
    tx.log(
        "review archived",
        review_id,
        rows=sum(dump.row_counts.values()),
        files=len(dump.files),
        size=len(data),
    )
    return data


def archive_filename(review: Review) -> str:
    """A file name for the review's archive: its title made safe for any file system."""
    words = "".join(ch if ch.isalnum() else "-" for ch in review.title.lower()).split("-")
    stem = "-".join(word for word in words if word)[:60] or f"review-{review.id}"
    return f"{stem}.{EXTENSION}"


def read_archive_manifest(data: bytes, filename: str) -> ArchiveManifest:
    """What an archive says it holds (title, who made it when, row counts), checked."""
    manifest = review_archive.read_manifest(data, filename)
    _check_revision(manifest, filename)
    return manifest


def import_review(tx: Tx, data: bytes, filename: str) -> Review:
    """Open an archive as a new review in this store, led by the person importing it.

    Every member is checked against the manifest's checksums before a row is
    written; an archive from an older schema revision is brought up to this
    one through the same migrations any store goes through; one from a newer
    revision is refused. The members keep their roles; the importer becomes
    the lead (added, or raised to lead) so that someone here can run it.
    """
    manifest = read_archive_manifest(data, filename)
    _, dump = review_archive.read_archive(data, filename)
    if dump.schema_revision != archive_store.schema_revisions()[-1]:
        dump = archive_store.upgrade_dump(dump)
    review_id = archive_store.load_review(tx.session, dump)
    archive_store.ensure_lead(tx.session, review_id, tx.actor, tx.now)
    tx.log(
        "review opened from an archive",
        review_id,
        filename=filename,
        archived_by=manifest.created_by,
        archived_at=manifest.created_at,
        cosynth_version=manifest.cosynth_version,
        schema_revision=manifest.schema_revision,
        # The audit entries before this one name ids as they were where the
        # review was archived (store/archive.py, JSON_IDS).
        archived_review_id=manifest.review_id,
    )
    review = review_store.get_review(tx.session, review_id)
    assert review is not None
    return review


def _check_revision(manifest: ArchiveManifest, filename: str) -> None:
    revisions = archive_store.schema_revisions()
    revision = manifest.schema_revision
    if revision in revisions:
        return
    head = revisions[-1]
    if revision.isdigit() and head.isdigit() and int(revision) > int(head):
        raise InputError(
            f"{filename}: this archive was made by a newer cosynth (schema {revision}); "
            f"this one reads up to {head}: upgrade cosynth, then import it again."
        )
    raise InputError(
        f"{filename}: the archive's schema revision {revision!r} is not one this cosynth "
        f"knows (it reads {revisions[0]} to {head}); it was not made by cosynth, or is damaged."
    )
