"""alice records the roundtable and imports its transcript in any of three formats."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest

from cosynth.domain.advisory import MeetingMode, Roundtable
from cosynth.errors import (
    AlreadyImportedError,
    ImportFileError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
)
from cosynth.services import meetings, roundtables
from cosynth.services.workspace import Workspace
from tests.conftest import Team

VTT = (
    b"WEBVTT\n\n"
    b"1\n00:00:05.000 --> 00:00:31.000\n<v Alice>Does this match your experience?\n\n"
    b"2\n00:03:50.000 --> 00:04:35.500\n<v Alex>It worked where it was one clear project.\n"
)

TEXT = (
    b"Alice: Does this match your experience?\n"
    b"Jo: Carers are often left out of planning.\n"
    b"They ask us last.\n"
)


def word_document(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def roundtable(workspace: Workspace, team: Team) -> Roundtable:
    with workspace.transaction("alice") as tx:
        return roundtables.add_roundtable(
            tx, team.review_id, held_on=date(2022, 9, 20), minutes=90,
            title="Do the findings match your experience?",
        )  # fmt: skip


def test_it_records_the_90_minute_roundtable_for_the_team_to_see(
    workspace: Workspace, team: Team, roundtable: Roundtable
) -> None:
    with workspace.transaction("pat") as tx:
        assert roundtables.roundtables(tx, team.review_id) == [roundtable]
        assert roundtables.get_roundtable(tx, team.review_id, roundtable.id).minutes == 90
    with workspace.transaction("mallory") as tx, pytest.raises(PermissionDeniedError):
        roundtables.roundtables(tx, team.review_id)
    with workspace.transaction("bob") as tx, pytest.raises(PermissionDeniedError):
        roundtables.add_roundtable(tx, team.review_id, held_on=date(2022, 9, 20), minutes=90)


def test_it_ties_a_roundtable_to_its_meeting_on_the_same_day(
    workspace: Workspace, team: Team
) -> None:
    with workspace.transaction("alice") as tx:
        meeting = meetings.add_meeting(
            tx, team.review_id, held_on=date(2022, 9, 20), mode=MeetingMode.ONLINE
        )
        table = roundtables.add_roundtable(
            tx, team.review_id, held_on=date(2022, 9, 20), minutes=90, meeting_id=meeting.id
        )
        with pytest.raises(InputError, match="held on 2022-09-20"):
            roundtables.add_roundtable(
                tx, team.review_id, held_on=date(2022, 9, 21), minutes=90, meeting_id=meeting.id
            )
        with pytest.raises(InputError, match="in minutes"):
            roundtables.add_roundtable(tx, team.review_id, held_on=date(2022, 9, 21), minutes=0)
    assert table.meeting_id == meeting.id


@pytest.mark.parametrize(
    ("filename", "data", "format_name", "speakers"),
    [
        ("roundtable.vtt", VTT, "webvtt", ["Alice", "Alex"]),
        ("roundtable.txt", TEXT, "text", ["Alice", "Jo"]),
        (
            "roundtable.docx",
            word_document("Alice: Does this match?", "Robin: Peer support makes it work."),
            "docx",
            ["Alice", "Robin"],
        ),
    ],
)
def test_it_imports_a_transcript_in_each_format_into_numbered_turns(
    workspace: Workspace,
    team: Team,
    roundtable: Roundtable,
    filename: str,
    data: bytes,
    format_name: str,
    speakers: list[str],
) -> None:
    with workspace.transaction("alice") as tx:
        imported = roundtables.import_transcript(tx, team.review_id, roundtable.id, filename, data)
    with workspace.transaction("bob") as tx:
        again = roundtables.get_transcript(tx, team.review_id, imported.id)
        kept = roundtables.transcript_file(tx, team.review_id, imported.id)
    assert again == imported and imported.format == format_name
    assert [s.speaker for s in again.segments] == speakers
    assert [s.number for s in again.segments] == [1, 2]
    assert imported.imported_by == "alice" and kept == (filename, data)


def test_it_keeps_webvtt_times_on_each_turn(
    workspace: Workspace, team: Team, roundtable: Roundtable
) -> None:
    with workspace.transaction("alice") as tx:
        imported = roundtables.import_transcript(tx, team.review_id, roundtable.id, "r.vtt", VTT)
    second = imported.segments[1]
    assert (second.start, second.end) == ("00:03:50.000", "00:04:35.500")
    assert second.text == "It worked where it was one clear project."


def test_it_refuses_the_same_file_twice(
    workspace: Workspace, team: Team, roundtable: Roundtable
) -> None:
    with workspace.transaction("alice") as tx:
        first = roundtables.import_transcript(tx, team.review_id, roundtable.id, "a.vtt", VTT)
    with (
        workspace.transaction("alice") as tx,
        pytest.raises(AlreadyImportedError, match=f"transcript {first.id}"),
    ):
        roundtables.import_transcript(tx, team.review_id, roundtable.id, "copy.vtt", VTT)
    with workspace.transaction("alice") as tx:
        assert len(roundtables.transcripts(tx, team.review_id, roundtable.id)) == 1


def test_it_refuses_a_malformed_file_naming_it_and_the_line_and_keeps_nothing(
    workspace: Workspace, team: Team, roundtable: Roundtable
) -> None:
    broken = b"WEBVTT\n\n1\n00:00:05.000 -> 00:00:31.000\n<v Alice>Hello\n"
    with (
        workspace.transaction("alice") as tx,
        pytest.raises(ImportFileError, match=r"broken\.vtt") as refused,
    ):
        roundtables.import_transcript(tx, team.review_id, roundtable.id, "broken.vtt", broken)
    assert refused.value.line is not None and f"line {refused.value.line}" in str(refused.value)
    with workspace.transaction("alice") as tx:
        assert roundtables.transcripts(tx, team.review_id) == []


def test_it_lets_only_the_lead_import_and_names_a_missing_transcript(
    workspace: Workspace, team: Team, roundtable: Roundtable
) -> None:
    with workspace.transaction("pat") as tx, pytest.raises(PermissionDeniedError):
        roundtables.import_transcript(tx, team.review_id, roundtable.id, "a.vtt", VTT)
    with workspace.transaction("alice") as tx, pytest.raises(NotFoundError, match="transcript 5"):
        roundtables.get_transcript(tx, team.review_id, 5)
    with workspace.transaction("alice") as tx, pytest.raises(NotFoundError, match="roundtable 9"):
        roundtables.import_transcript(tx, team.review_id, 9, "a.vtt", VTT)
