"""The co-production advisory group: its members, meetings, action log, roundtables and pay.

The paper's review was co-produced with a co-production advisory group (CAG) of six
people: two service users, two unpaid carers and two staff, recruited through a local
Healthwatch network by newsletter and word of mouth, who met three times and kept in
touch by email and telephone, and were paid for their time (the paper's Methods). Its
action log (the paper's Figure 2) records who did what in which phase; a 90-minute
roundtable was recorded and its transcript coded for key concepts like a study's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class TranscriptSegment:
    """One turn of a transcript: `number` counts from 1; `start` and `end` are WebVTT
    cue times such as "00:01:02.500", and "" for a plain-text or DOCX transcript."""

    number: int
    speaker: str
    start: str
    end: str
    text: str


@dataclass(frozen=True, slots=True)
class Transcript:
    """A roundtable's transcript as imported: `format` is "text", "docx" or "webvtt"."""

    id: int
    roundtable_id: int
    filename: str
    format: str
    segments: tuple[TranscriptSegment, ...]
    imported_by: str
    imported_at: datetime


@dataclass(frozen=True, slots=True)
class Roundtable:
    """A recorded discussion with the group, e.g. the paper's 90-minute roundtable."""

    id: int
    held_on: date
    minutes: int
    title: str
    meeting_id: int | None
