"""Roundtable transcripts: WebVTT (Teams, Zoom), plain text (typed, Otter) and Word, and bad files.

The group's 90-minute roundtable (the paper's Methods) comes back from the
recording in whichever form the facilitator's software writes; every form
reads into the same numbered turns, and a broken file is refused with the
file, the line and what to fix.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st

from cosynth.domain.advisory import TranscriptSegment
from cosynth.errors import ImportFileError
from cosynth.formats.transcripts import read_transcript

DATA = Path(__file__).parents[1] / "data" / "transcripts"

# The roundtable's turns as the plain-text file has them: (speaker, start, first words).
ROUNDTABLE = (
    ("", "", "CAG roundtable: early impressions of the findings"),
    ("Sam (facilitator)", "00:00:04", "Thank you all for coming."),
    ("Priya", "00:00:31", "Can I ask first what you mean by co-production?"),
    ("Sam (facilitator)", "00:00:45", "That's a fair challenge."),
    ("Margaret", "00:01:10", "That's the bit that matters to carers."),
    ("Dev", "00:01:52", "From the staff side,"),
    ("Ruth", "00:02:20", "That came up in the South African study too: the peer"),
    ("Tomasz", "00:02:41", "But then what happens when the funding stops?"),
    ("Joan", "00:03:05", "I agree with Tomasz."),
    ("Sam (facilitator)", "00:03:20", "So would you say the findings focus too narrowly"),
    ("Priya", "00:03:31", "Yes. Design is the easy part."),
    ("Margaret", "00:03:44", "And co-delivery should be its own step."),
)


def _read(name: str) -> tuple[str, tuple[TranscriptSegment, ...]]:
    return read_transcript(name, (DATA / name).read_bytes())


def _refusal(filename: str, data: bytes) -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        read_transcript(filename, data)
    assert caught.value.filename == filename
    assert filename in str(caught.value)
    return caught.value


def _flat(text: str) -> str:
    return " ".join(text.split())


# Plain text -----------------------------------------------------------------


def test_it_reads_the_roundtable_typed_up_as_plain_text() -> None:
    kind, segments = _read("roundtable.txt")

    assert kind == "text"
    assert [segment.number for segment in segments] == list(range(1, 13))
    assert [(s.speaker, s.start) for s in segments] == [(sp, st) for sp, st, _ in ROUNDTABLE]
    for segment, (_, _, opening) in zip(segments, ROUNDTABLE, strict=True):
        assert segment.text.startswith(opening)
        assert segment.end == ""
    # The title and the note on consent come before anyone speaks: a turn of no one.
    assert segments[0].text == (
        "CAG roundtable: early impressions of the findings\n"
        "Recorded on 14 March 2023 with everyone's consent. Names are pseudonyms."
    )


def test_it_keeps_a_speakers_paragraphs_and_line_breaks_in_one_turn() -> None:
    _, segments = _read("roundtable.txt")
    margaret = segments[4]

    assert margaret.text == (
        "That's the bit that matters to carers. When I was looking\n"
        "after my husband, the person who helped most was another carer who'd been\n"
        "through it. She wasn't staff, she was just there.\n"
        "\n"
        "She knew which forms to fill in & who to ring. Nobody gives you that list."
    )
    # A colon inside a turn ("too: the peer") does not start another speaker's turn.
    assert segments[6].speaker == "Ruth"
    assert "study too: the peer\nsupporters" in segments[6].text


def test_it_reads_an_otter_export_with_a_heading_line_per_speaker() -> None:
    kind, segments = _read("roundtable_otter.txt")

    assert kind == "text"
    assert [(s.speaker, s.start) for s in segments] == [
        ("Sam Okafor", "00:00:04"),
        ("Priya", "00:00:31"),
        ("Margaret Ellis", "00:01:10"),
        ("Speaker 4", "00:01:52"),
    ]
    assert segments[2].text == "That's the bit that matters to carers."


@pytest.mark.parametrize(
    ("line", "speaker", "start", "words"),
    [
        ("Priya: yes", "Priya", "", "yes"),
        ("PRIYA: yes", "PRIYA", "", "yes"),
        ("Dr. Amina Shah: yes", "Dr. Amina Shah", "", "yes"),
        ("Mary-Jane O'Neill: yes", "Mary-Jane O'Neill", "", "yes"),
        ("Ludwig van Beethoven: yes", "Ludwig van Beethoven", "", "yes"),
        ("P3: yes", "P3", "", "yes"),
        ("Adviser 2 (carer): yes", "Adviser 2 (carer)", "", "yes"),
        ("[00:01:02] Priya: yes", "Priya", "00:01:02", "yes"),
        ("(1:02) Priya: yes", "Priya", "00:01:02", "yes"),
        ("01:02:03.5 Priya: yes", "Priya", "01:02:03.500", "yes"),
        ("Priya (00:01:02): yes", "Priya", "00:01:02", "yes"),
        ("Priya [1:02:03]: yes", "Priya", "01:02:03", "yes"),
        ("Zoë: oui", "Zoë", "", "oui"),
        ("أمينة: نعم", "أمينة", "", "نعم"),
        ("李明: 是的", "李明", "", "是的"),
    ],
)
def test_it_recognises_the_ways_transcribers_write_a_speaker(
    line: str, speaker: str, start: str, words: str
) -> None:
    _, segments = read_transcript("t.txt", f"{line}\n".encode())

    assert [(s.speaker, s.start, s.text) for s in segments] == [(speaker, start, words)]


@pytest.mark.parametrize(
    "line",
    [
        "So the key point: we were not asked.",
        "Note this: it was late.",
        "See https://example.org/co-production for more",
        "At 10:30: we met again",
        "A name far too long to be anybody's name at all in this: transcript",
    ],
)
def test_it_does_not_take_a_sentence_with_a_colon_for_a_speaker(line: str) -> None:
    text = f"Priya: I said so.\n{line}\n"

    _, segments = read_transcript("t.txt", text.encode())

    assert [s.speaker for s in segments] == ["Priya"]
    assert segments[0].text == f"I said so.\n{line}"


def test_it_gives_a_time_written_alone_to_the_speaker_who_was_talking() -> None:
    text = "Priya: I started.\n[00:05:00] And carried on.\nDev: Then me.\n"

    _, segments = read_transcript("t.txt", text.encode())

    assert [(s.speaker, s.start, s.text) for s in segments] == [
        ("Priya", "", "I started."),
        ("Priya", "00:05:00", "And carried on."),
        ("Dev", "", "Then me."),
    ]


def test_it_reads_a_speaker_named_on_a_line_of_their_own() -> None:
    text = "FACILITATOR:\nWelcome, everyone.\n\nPRIYA:\nThank you.\n"

    _, segments = read_transcript("t.txt", text.encode())

    assert [(s.speaker, s.text) for s in segments] == [
        ("FACILITATOR", "Welcome, everyone."),
        ("PRIYA", "Thank you."),
    ]


def test_it_reads_paragraphs_with_no_speakers_as_turns_of_no_one() -> None:
    text = "Notes of what was said.\nSecond line.\n\nAnother paragraph.\n"

    _, segments = read_transcript("notes.txt", text.encode())

    assert [(s.speaker, s.text) for s in segments] == [
        ("", "Notes of what was said.\nSecond line."),
        ("", "Another paragraph."),
    ]


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + "Priya: ça va\r\nDev: yes\r\n".encode(),
        codecs.BOM_UTF16_LE + "Priya: ça va\r\nDev: yes\r\n".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "Priya: ça va\rDev: yes\r".encode("utf-16-be"),
    ],
)
def test_it_reads_utf8_and_utf16_with_byte_order_marks_and_any_line_ending(data: bytes) -> None:
    _, segments = read_transcript("t.txt", data)

    assert [(s.speaker, s.text) for s in segments] == [("Priya", "ça va"), ("Dev", "yes")]


def test_it_refuses_text_that_is_not_utf8_and_says_how_to_save_it() -> None:
    data = "Priya: fine\nMargaret: it was all “co-produced”\n".encode("cp1252")

    error = _refusal("roundtable.txt", data)

    assert error.line == 2
    assert "UTF-8" in error.problem
    assert "Save As" in error.problem


@pytest.mark.parametrize("data", [b"", b"\n\n   \n", codecs.BOM_UTF8])
def test_it_refuses_a_transcript_with_no_text(data: bytes) -> None:
    error = _refusal("empty.txt", data)

    assert "no text" in error.problem


def test_it_refuses_a_turn_with_no_words_naming_its_line() -> None:
    text = "Priya: I think so.\n\nDev:\nMargaret: So do I.\n"

    error = _refusal("t.txt", text.encode())

    assert error.line == 3
    assert "Dev" in error.problem
    assert "no words" in error.problem


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n...", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n....", "a PNG image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1....", ".doc"),
        (b"Priya: hello\x00\x00\x00\x01", "binary"),
    ],
)
def test_it_refuses_files_that_are_not_transcripts(data: bytes, kind: str) -> None:
    error = _refusal("roundtable.txt", data)

    assert kind in error.problem


def test_it_tells_subrip_captions_from_a_transcript() -> None:
    srt = b"1\n00:00:01,000 --> 00:00:04,000\nPriya: hello\n"

    error = _refusal("roundtable.srt", srt)

    assert error.line == 2
    assert "WEBVTT" in error.problem
    assert "SubRip" in error.problem


# WebVTT ---------------------------------------------------------------------


def test_it_reads_teams_captions_with_voice_spans() -> None:
    kind, segments = _read("roundtable.vtt")

    assert kind == "webvtt"
    assert [s.number for s in segments] == list(range(1, 15))
    speakers = [s.speaker for s in segments]
    assert speakers == [
        "Sam",
        "Sam",
        "Priya",
        "Sam",
        "Margaret",
        "Margaret",
        "Dev",
        "Ruth",
        "Tomasz",
        "Joan",
        "Sam",
        "Priya",
        "Margaret",
        "Margaret",
    ]
    assert (segments[0].start, segments[0].end) == ("00:00:04.120", "00:00:16.480")
    assert (segments[13].start, segments[13].end) == ("00:03:44.000", "00:03:58.000")


def test_it_drops_tags_and_decodes_character_references_in_cues() -> None:
    _, segments = _read("roundtable.vtt")
    text = {s.number: s.text for s in segments}

    assert text[2] == (
        "so that we keep this rooted in what the papers actually say.\n"
        "Please stop us whenever something doesn't ring true."
    )
    assert text[3].startswith("Can I ask first what you mean by co-production? Because in my\n")
    assert "experience it's often" in text[3]
    assert "most of them sit at\nco-design on the ladder" in text[4]
    # An inline timestamp tag goes, the words around it stay.
    assert "been through it. She wasn't\nstaff" in text[5]
    assert text[6] == "She knew which forms to fill in & who to ring. Nobody gives you that list."
    assert "as if it\u2019s about" in text[7]
    assert not any("<" in s.text or "&amp;" in s.text for s in segments)


def test_it_gives_two_voices_in_one_cue_a_turn_each_with_the_cues_times() -> None:
    _, segments = _read("roundtable.vtt")

    priya, margaret = segments[11], segments[12]

    assert (priya.speaker, priya.text) == ("Priya", "Yes. Design is the easy part.")
    assert (margaret.speaker, margaret.text) == ("Margaret", "Sustaining it, yes.")
    assert (
        (priya.start, priya.end)
        == (margaret.start, margaret.end)
        == (
            "00:03:31.000",
            "00:03:43.000",
        )
    )


def test_it_reads_zoom_captions_with_the_speaker_before_a_colon() -> None:
    kind, segments = _read("roundtable_zoom.vtt")

    assert kind == "webvtt"
    assert [(s.speaker, s.start) for s in segments] == [
        ("Sam Okafor", "00:00:04.120"),
        ("Sam Okafor", "00:00:09.360"),
        ("Priya", "00:00:31.000"),
        ("Margaret Ellis", "00:01:10.000"),
        ("Joan O'Neill", "00:03:05.000"),
        ("", "00:03:12.000"),
    ]
    assert segments[4].text == (
        "I agree with Tomasz. If it's not built into the service from the start,\n"
        "it's a pilot, not a change."
    )
    assert segments[5].text == "[laughter]"


def _vtt(*lines: str) -> bytes:
    return "\n".join(lines).encode()


@pytest.mark.parametrize(
    ("timing", "start", "end"),
    [
        ("00:01.000 --> 00:02.500", "00:00:01.000", "00:00:02.500"),
        ("1:02:03.004 --> 1:02:04.000", "01:02:03.004", "01:02:04.000"),
        ("123:00:00.000 --> 123:00:01.000", "123:00:00.000", "123:00:01.000"),
        ("00:00:01.000-->00:00:02.000", "00:00:01.000", "00:00:02.000"),
        ("00:00:01.000\t-->\t00:00:02.000 line:0 align:end", "00:00:01.000", "00:00:02.000"),
    ],
)
def test_it_reads_every_timing_the_webvtt_specification_allows(
    timing: str, start: str, end: str
) -> None:
    _, segments = read_transcript("t.vtt", _vtt("WEBVTT", "", timing, "<v Dev>Yes.", ""))

    assert [(s.speaker, s.start, s.end, s.text) for s in segments] == [("Dev", start, end, "Yes.")]


def test_it_reads_a_cue_straight_after_the_header_and_cues_with_no_blank_line_between() -> None:
    data = _vtt(
        "\ufeffWEBVTT",
        "00:00:01.000 --> 00:00:02.000",
        "<v.loud Margaret Ellis>Hello &lt;all&gt;&nbsp;there",
        "00:00:02.000 --> 00:00:03.000",
        "<v Dev>Hi.</v>",
    )

    _, segments = read_transcript("t.vtt", data)

    assert [(s.speaker, s.text) for s in segments] == [
        ("Margaret Ellis", "Hello <all>\u00a0there"),
        ("Dev", "Hi."),
    ]


def test_it_drops_ruby_readings_and_keeps_the_words_they_annotate() -> None:
    data = _vtt("WEBVTT", "", "00:01.000 --> 00:02.000", "<ruby>漢<rt>kan</rt></ruby>字 <b>yes</b>")

    _, segments = read_transcript("t.vtt", data)

    assert segments[0].text == "漢字 yes"


@pytest.mark.parametrize(
    ("lines", "line", "words"),
    [
        (("WEBVTTX", "", "00:01.000 --> 00:02.000", "Hi"), 1, "first line"),
        (("webvtt", "", "00:01.000 --> 00:02.000", "Hi"), 1, "WEBVTT"),
        (("", "WEBVTT", "", "00:01.000 --> 00:02.000", "Hi"), 1, "WEBVTT"),
        (("WEBVTT", "", "00:00:01 --> 00:00:02.000", "Hi"), 3, "start time"),
        (("WEBVTT", "", "00:00:01,000 --> 00:00:02,000", "Hi"), 3, "full stop"),
        (("WEBVTT", "", "00:00:01.000 --> 00:00:02", "Hi"), 3, "end time"),
        (("WEBVTT", "", "00:60:01.000 --> 00:61:02.000", "Hi"), 3, "start time"),
        (("WEBVTT", "", "1", "00:00:01.000 to 00:00:02.000", "Hi"), 4, "-->"),
        (("WEBVTT", "", "00:00:01.000 --> 00:00:02.000line:0", "Hi"), 3, "space"),
        (("WEBVTT", "", "00:00:05.000 --> 00:00:02.000", "Hi"), 3, "ends (00:00:02.000)"),
        (("WEBVTT", "", "00:00:05.000 --> 00:00:05.000", "Hi"), 3, "later than"),
        (("WEBVTT", "", "00:00:01.000 --> 00:00:02.000", ""), 3, "no words"),
        (("WEBVTT", "", "7", "00:00:01.000 --> 00:00:02.000", "<v Dev></v>"), 4, "no words"),
        (("WEBVTT", "", "00:01.000 --> 00:02.000", "Hi", "", "and more"), 6, "empty line"),
        (("WEBVTT", "", "00:00:01.000 -> 00:00:02.000", "Hi"), 3, "-->"),
        (("WEBVTT", "", "00:01.000 --> 00:02.000", "Hi", "", "one", "two"), 6, "not part of"),
    ],
)
def test_it_refuses_broken_webvtt_naming_the_line_and_the_fix(
    lines: Sequence[str], line: int, words: str
) -> None:
    error = _refusal("roundtable.vtt", _vtt(*lines))

    assert error.line == line
    assert words in error.problem


def test_it_refuses_webvtt_with_no_cues() -> None:
    error = _refusal("t.vtt", _vtt("WEBVTT", "", "NOTE nothing was recorded", ""))

    assert "no cues" in error.problem


# Word -----------------------------------------------------------------------


def _docx_bytes(document: object) -> bytes:
    out = io.BytesIO()
    document.save(out)  # type: ignore[attr-defined]
    return out.getvalue()


def _roundtable_docx() -> bytes:
    """The typed roundtable as a Word document, each speaker's name in bold."""
    document = Document()
    text = (DATA / "roundtable.txt").read_text(encoding="utf-8")
    title, consent = text.split("\n", 2)[:2]
    document.add_heading(title, level=1)
    document.add_paragraph(consent)
    for paragraph in text.split("\n\n")[1:]:
        match = re.match(r"\[(\S+)\] ([^:]+): (.*)", paragraph, re.DOTALL)
        joined = " ".join(paragraph.split("\n"))
        if match is None:
            document.add_paragraph(joined)
            continue
        para = document.add_paragraph()
        para.add_run(f"{match[2]}:").bold = True
        para.add_run(f" {' '.join(match[3].split())}")
    return _docx_bytes(document)


def test_it_reads_a_word_transcript_with_speakers_in_bold() -> None:
    kind, segments = read_transcript("roundtable.docx", _roundtable_docx())
    _, typed = _read("roundtable.txt")

    assert kind == "docx"
    assert [s.speaker for s in segments] == [s.speaker for s in typed]
    assert [_flat(s.text) for s in segments] == [_flat(s.text) for s in typed]
    assert all(s.start == s.end == "" for s in segments)


def test_it_reads_bold_names_without_a_colon_but_not_a_bold_heading_or_word() -> None:
    document = Document()
    heading = document.add_paragraph()
    heading.add_run("Roundtable with the advisory group").bold = True
    for name, words in (
        ("Priya", " I think the findings are narrow."),
        ("Important", " to say this was not recorded."),
        ("Dev ", "Agreed."),
        ("Priya", " Thank you."),
        ("Dev", " Me too."),
    ):
        para = document.add_paragraph()
        para.add_run(name).bold = True
        para.add_run(words)

    _, segments = read_transcript("t.docx", _docx_bytes(document))

    assert [(s.speaker, s.text) for s in segments] == [
        ("", "Roundtable with the advisory group"),
        ("Priya", "I think the findings are narrow.\nImportant to say this was not recorded."),
        ("Dev", "Agreed."),
        ("Priya", "Thank you."),
        ("Dev", "Me too."),
    ]


def test_it_reads_a_word_transcript_laid_out_as_a_table() -> None:
    document = Document()
    document.add_paragraph("Roundtable, 14 March 2023")
    table = document.add_table(rows=0, cols=3)
    for cells in (
        ("Time", "Speaker", "Words"),
        ("00:00:04", "Sam (facilitator)", "Thank you all for coming."),
        ("0:31", "Priya", "Can I ask what you mean by co-production?"),
        ("", "", "Because it's often a survey."),
        ("01:10", "Margaret Ellis:", "That's the bit that matters to carers."),
    ):
        row = table.add_row()
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text

    _, segments = read_transcript("t.docx", _docx_bytes(document))

    assert [(s.speaker, s.start, s.text) for s in segments] == [
        ("", "", "Roundtable, 14 March 2023"),
        ("Sam (facilitator)", "00:00:04", "Thank you all for coming."),
        (
            "Priya",
            "00:00:31",
            "Can I ask what you mean by co-production?\nBecause it's often a survey.",
        ),
        ("Margaret Ellis", "00:01:10", "That's the bit that matters to carers."),
    ]


def test_it_reads_the_older_teams_word_transcript_with_timings_and_names_on_lines() -> None:
    document = Document()
    for line in (
        "0:0:0.0 --> 0:0:5.850",
        "Okafor, Sam",
        "Welcome, everyone.",
        "",
        "0:1:10.120 --> 0:1:18.250",
        "Ellis, Margaret",
        "That's the bit that matters to carers.",
    ):
        document.add_paragraph(line)

    _, segments = read_transcript("teams.docx", _docx_bytes(document))

    assert [(s.speaker, s.start, s.text) for s in segments] == [
        ("Okafor, Sam", "00:00:00.000", "Welcome, everyone."),
        ("Ellis, Margaret", "00:01:10.120", "That's the bit that matters to carers."),
    ]


def test_it_keeps_tracked_insertions_and_leaves_out_tracked_deletions() -> None:
    document = Document()
    para = document.add_paragraph("Priya: We were asked ")
    inserted = OxmlElement("w:ins")
    inserted.set(qn("w:id"), "1")
    inserted.set(qn("w:author"), "Sam")
    run = OxmlElement("w:r")
    words = OxmlElement("w:t")
    words.text = "far too late."
    run.append(words)
    inserted.append(run)
    para._p.append(inserted)
    deleted = OxmlElement("w:del")
    deleted.set(qn("w:id"), "2")
    deleted.set(qn("w:author"), "Sam")
    run = OxmlElement("w:r")
    gone = OxmlElement("w:delText")
    gone.text = " at the end."
    run.append(gone)
    deleted.append(run)
    para._p.append(deleted)

    _, segments = read_transcript("t.docx", _docx_bytes(document))

    assert [(s.speaker, s.text) for s in segments] == [("Priya", "We were asked far too late.")]


def test_it_reads_line_breaks_inside_a_word_paragraph() -> None:
    document = Document()
    para = document.add_paragraph()
    para.add_run("Dev: First line.")
    para.add_run().add_break()
    para.add_run("Second line.")

    _, segments = read_transcript("t.docx", _docx_bytes(document))

    assert segments[0].text == "First line.\nSecond line."


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("filename", "data", "words"),
    [
        ("roundtable.docx", b"PK\x03\x04 this is not really a zip", "damaged"),
        ("roundtable.docx", b"Priya: this is text renamed .docx\n", "does not open"),
        ("roundtable.docx", _zip({"xl/workbook.xml": b"<x/>"}), "Excel workbook"),
        ("roundtable.docx", _zip({"notes.txt": b"hello"}), "ZIP archive"),
        ("roundtable.docx", _zip({"word/document.xml": b"<not-word/>"}), "damaged"),
    ],
)
def test_it_refuses_a_word_file_that_is_not_a_word_document(
    filename: str, data: bytes, words: str
) -> None:
    error = _refusal(filename, data)

    assert words in error.problem


def test_it_refuses_an_empty_word_document() -> None:
    error = _refusal("t.docx", _docx_bytes(Document()))

    assert "no text" in error.problem


def test_it_names_the_paragraph_of_a_word_turn_with_no_words() -> None:
    document = Document()
    document.add_paragraph("Priya: Yes.")
    document.add_paragraph("Dev:")

    error = _refusal("t.docx", _docx_bytes(document))

    assert error.line is None
    assert error.problem.startswith("paragraph 2: ")


# Properties -----------------------------------------------------------------

_names = st.from_regex(r"[A-Z][a-z]{1,8}( [A-Z][a-z]{1,10})?", fullmatch=True)
_words = st.lists(
    st.text(
        alphabet=st.characters(
            whitelist_categories=("L", "N", "P", "Zs"), blacklist_characters="\u00a0"
        ),
        min_size=1,
        max_size=40,
    ).map(lambda text: " ".join(text.split())),
    min_size=1,
    max_size=3,
).map(lambda lines: "\n".join(line for line in lines if line))
_turn_lists = st.lists(st.tuples(_names, _words), min_size=1, max_size=6)


def _accepted(turns: list[tuple[str, str]]) -> bool:
    """Only turns whose words do not themselves read as another turn or a time."""
    return all(
        words
        and not re.match(r"[\[(]?\d{1,2}:\d{2}", words)
        and not any(re.match(r"[^\W_][\w.'’\- ]{0,45}[:：]", line) for line in words.split("\n"))
        for _, words in turns
    )


@settings(max_examples=60, deadline=None)
@given(_turn_lists)
def test_it_reads_back_every_turn_written_as_plain_text(turns: list[tuple[str, str]]) -> None:
    if not _accepted(turns):
        return
    text = "\n".join(f"{name}: {words}" for name, words in turns)

    _, segments = read_transcript("t.txt", text.encode())

    assert [(s.speaker, s.text) for s in segments] == turns


@settings(max_examples=60, deadline=None)
@given(_turn_lists)
def test_it_reads_back_every_turn_written_as_webvtt(turns: list[tuple[str, str]]) -> None:
    lines = ["WEBVTT", ""]
    for index, (name, words) in enumerate(turns):
        escaped = words.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        lines += [f"00:00:{index:02d}.000 --> 00:00:{index:02d}.900", f"<v {name}>{escaped}", ""]

    _, segments = read_transcript("t.vtt", "\n".join(lines).encode())

    assert [(s.speaker, s.text) for s in segments] == turns
    assert [s.number for s in segments] == list(range(1, len(turns) + 1))


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["t.txt", "t.vtt", "t.docx", "t"]),
    st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(str.encode),
        st.text(max_size=300).map(lambda text: ("WEBVTT\n\n" + text).encode()),
    ),
)
def test_it_reads_or_refuses_anything_without_crashing(filename: str, data: bytes) -> None:
    try:
        kind, segments = read_transcript(filename, data)
    except ImportFileError as error:
        assert error.filename == filename
        return
    assert kind in {"text", "webvtt", "docx"}
    assert segments
    assert [s.number for s in segments] == list(range(1, len(segments) + 1))
    assert all(s.text.strip() for s in segments)
