"""Roundtables with the advisory group, and their transcripts.

"A 90-minute roundtable discussion with CAG members provided findings in
reflection of their lived experience ... Key concepts were identified through
the discussion transcript" (the paper's Methods). A transcript is imported
like any source: its bytes are kept whole (DESIGN.md rule 4), the same file
is not imported twice, and it is read into numbered turns that concepts are
coded to (services.coding.code_transcript) as a study's text is.

The lead records roundtables and imports transcripts; the whole team reads
them, since the synthesis is coded from them.
"""

from __future__ import annotations

import hashlib
from datetime import date

from cosynth.domain.advisory import Roundtable, Transcript
from cosynth.domain.roles import Permission
from cosynth.errors import AlreadyImportedError, InputError, NotFoundError
from cosynth.formats.transcripts import read_transcript
from cosynth.services.meetings import get_meeting
from cosynth.services.workspace import Tx
from cosynth.store import advisory as advisory_store

MAX_TITLE = 500
# A roundtable longer than a working day is a typing mistake.
MAX_MINUTES = 8 * 60
MAX_FILENAME = 1000


def add_roundtable(
    tx: Tx,
    review_id: int,
    *,
    held_on: date,
    minutes: int,
    title: str = "",
    meeting_id: int | None = None,
) -> Roundtable:
    """Record a roundtable: when, how long (in minutes), and the meeting it was part of."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    if not 1 <= minutes <= MAX_MINUTES:
        raise InputError(
            f"A roundtable of {minutes} minutes? Give its length in minutes (1 to {MAX_MINUTES})."
        )
    title = " ".join(title.split())
    if len(title) > MAX_TITLE:
        raise InputError(f"The roundtable's title is longer than {MAX_TITLE} characters.")
    if meeting_id is not None:
        meeting = get_meeting(tx, review_id, meeting_id)
        if meeting.held_on != held_on:
            raise InputError(
                f"Meeting {meeting_id} was held on {meeting.held_on.isoformat()}, not "
                f"{held_on.isoformat()}: a roundtable that was part of it has its date."
            )
    table = advisory_store.insert_roundtable(
        tx.session, review_id, held_on=held_on, minutes=minutes, title=title,
        meeting_id=meeting_id, at=tx.now, actor=tx.actor,
    )  # fmt: skip
    tx.log("roundtable added", review_id, roundtable=table.id, meeting=meeting_id)
    return table


def get_roundtable(tx: Tx, review_id: int, roundtable_id: int) -> Roundtable:
    tx.require(review_id, Permission.VIEW)
    for table in advisory_store.roundtables_of(tx.session, review_id):
        if table.id == roundtable_id:
            return table
    raise NotFoundError(f"Review {review_id} has no roundtable {roundtable_id}.")


def roundtables(tx: Tx, review_id: int) -> list[Roundtable]:
    """The review's roundtables by date."""
    tx.require(review_id, Permission.VIEW)
    return advisory_store.roundtables_of(tx.session, review_id)


def import_transcript(
    tx: Tx, review_id: int, roundtable_id: int, filename: str, data: bytes
) -> Transcript:
    """Import a roundtable's transcript: plain text, DOCX or WebVTT, told apart by content
    and name. A file that cannot be read is refused naming the file and line; the same
    bytes imported before are refused as already imported. All or nothing."""
    tx.require(review_id, Permission.MANAGE_ADVISORY_GROUP)
    table = get_roundtable(tx, review_id, roundtable_id)
    filename = filename.strip() or "transcript"
    if len(filename) > MAX_FILENAME:
        raise InputError(f"The file name is longer than {MAX_FILENAME} characters.")
    digest = hashlib.sha256(data).hexdigest()
    before = advisory_store.transcript_with_digest(tx.session, review_id, digest)
    if before is not None:
        earlier = advisory_store.transcripts_of(tx.session, review_id, transcript_id=before)[0]
        raise AlreadyImportedError(
            f"{filename} was already imported, as transcript {before} ({earlier.filename}, "
            f"roundtable {earlier.roundtable_id}); nothing was imported again."
        )
    format_name, segments = read_transcript(filename, data)
    if not segments:
        raise InputError(f"{filename}: there is no text in it to import.")
    row = advisory_store.insert_transcript(
        tx.session, review_id, table.id, filename=filename, format=format_name, sha256=digest,
        raw=data, segments=segments, at=tx.now, actor=tx.actor,
    )  # fmt: skip
    tx.log(
        "transcript imported",
        review_id,
        transcript=row.id,
        roundtable=table.id,
        format=format_name,
        segments=len(segments),
    )
    return advisory_store.transcript_of(row)


def get_transcript(tx: Tx, review_id: int, transcript_id: int) -> Transcript:
    tx.require(review_id, Permission.VIEW)
    found = advisory_store.transcripts_of(tx.session, review_id, transcript_id=transcript_id)
    if not found:
        raise NotFoundError(f"Review {review_id} has no transcript {transcript_id}.")
    return found[0]


def transcripts(tx: Tx, review_id: int, roundtable_id: int | None = None) -> list[Transcript]:
    """The transcripts imported (of one roundtable, or all), in the order imported."""
    tx.require(review_id, Permission.VIEW)
    if roundtable_id is not None:
        get_roundtable(tx, review_id, roundtable_id)
    return advisory_store.transcripts_of(tx.session, review_id, roundtable_id=roundtable_id)


def transcript_file(tx: Tx, review_id: int, transcript_id: int) -> tuple[str, bytes]:
    """The transcript's file name and its bytes exactly as imported."""
    transcript = get_transcript(tx, review_id, transcript_id)
    raw = advisory_store.transcript_raw(tx.session, review_id, transcript_id)
    assert raw is not None  # get_transcript found it in the same transaction
    return transcript.filename, raw
