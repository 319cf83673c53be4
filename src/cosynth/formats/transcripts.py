"""A roundtable's transcript as turns: WebVTT captions, a plain-text file, or a Word document.

The paper's advisory group held a 90-minute roundtable whose transcript was
coded for key concepts like a study's text (the paper's Methods, "Data
translation and synthesis"). Recordings come back as WebVTT captions (Zoom,
Microsoft Teams, YouTube), as typed or exported plain text, or as a Word
document; each is read here into numbered turns, a speaker and their words.

- WebVTT follows the W3C WebVTT specification (W3C Candidate Recommendation,
  section 6 "Parsing"): the signature line, the header, NOTE / STYLE / REGION
  blocks, cues with an optional identifier, timestamps as the spec collects
  them, voice spans (`<v Speaker>`) for who is speaking, other tags dropped and
  character references decoded. Zoom writes the speaker as a "Name: words"
  prefix instead of a voice span; that is read too. Each cue (or each voice
  within a cue) is one turn, as recorded: turns are never merged.
- Plain text and Word documents share one rule for turns: a line that starts
  with a speaker's name and a colon ("Priya: I think...") starts a turn; other
  lines continue it; blank lines are paragraph breaks inside it. A time at the
  start ("[00:01:02] Priya: ...") is kept as the turn's start; so are the
  "Name  0:02" heading lines of Otter and Teams exports, and the older Teams
  layout of a timing line, then the name, then the words. In Word, a bold
  name at the start of a paragraph, and a table laid out Speaker | Words, are
  turns.

Text must be UTF-8 (a byte-order mark is fine, as is UTF-16 with one). Other
encodings are refused with a way to fix it rather than guessed: a transcript's
words are quoted in the synthesis, and a wrong guess (cp1252 for a Latin-2 or
Mac file) would change the advisers' words without anyone noticing.
"""

from __future__ import annotations

import codecs
import html
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from cosynth.domain.advisory import TranscriptSegment
from cosynth.errors import ImportFileError
from cosynth.formats.archive import ZIP_ERRORS, open_zip, refuse_xml_declarations
from cosynth.formats.text import binary_kind

__all__ = ["FORMATS", "MAX_BYTES", "read_transcript"]

# The format names a transcript is stored under.
FORMATS = ("text", "docx", "webvtt")

# A day-long meeting's captions are a few megabytes; refusing far larger files
# early keeps a mistaken upload (a recording, a video) from being parsed at all.
MAX_BYTES = 20 * 1024 * 1024

_DOCX_MEDIA_TYPE_HINT = "save it from Word as a .docx document"
_HOW_TO_SAVE = (
    "Save the transcript as a Word document (.docx), as WebVTT captions (.vtt) "
    "or as plain text (.txt) and upload that"
)


def read_transcript(filename: str, data: bytes) -> tuple[str, tuple[TranscriptSegment, ...]]:
    """Read a transcript file: its format ("text", "docx" or "webvtt") and its turns.

    The format is told from the content (a Word document is a ZIP package; a
    WebVTT file starts with "WEBVTT") and the file's extension. Anything that
    cannot be read raises `ImportFileError` naming the file, the line (or the
    Word paragraph) and what to change.
    """
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            filename,
            f"the file is {len(data) // (1024 * 1024)} MB, more than the "
            f"{MAX_BYTES // (1024 * 1024)} MB a transcript can be; is it a recording? "
            "Upload the transcript's text instead",
        )
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(b"PK\x03\x04"):
        return "docx", _read_docx(filename, data)
    if extension == "docx":
        raise ImportFileError(
            filename,
            "this does not open as a Word document: it may be damaged, or another kind "
            f"of file renamed .docx. Open it in Word and {_DOCX_MEDIA_TYPE_HINT} again",
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            filename,
            "this is an old-style Word document (.doc); open it in Word and "
            f"{_DOCX_MEDIA_TYPE_HINT} (File, Save As, Word Document)",
        )
    kind = binary_kind(data)
    if kind is not None:
        raise ImportFileError(filename, f"this is {kind}, not a transcript. {_HOW_TO_SAVE}")
    text = _decode(filename, data)
    if text.startswith("WEBVTT"):
        return "webvtt", _read_webvtt(filename, text)
    if extension == "vtt":
        raise ImportFileError(
            filename,
            'a WebVTT file must start with the line "WEBVTT", and this one does not',
            line=1,
        )
    _refuse_subtitles_without_signature(filename, text)
    return "text", _read_plain_text(filename, text)


# Decoding ----------------------------------------------------------------


def _decode(filename: str, data: bytes) -> str:
    """UTF-8 (with or without a BOM) or UTF-16 with a BOM, line endings made `\\n`."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            body, name = data[len(bom) :], encoding.upper()
            break
    else:
        if b"\x00" in data[:65536]:
            raise ImportFileError(
                filename, f"this is a binary file, not a transcript. {_HOW_TO_SAVE}"
            )
        body, encoding, name = data, "utf-8", "UTF-8"
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            filename,
            f"this is not {name} text (the characters near byte {exc.start} cannot be "
            "read). Open it in a text editor and save it with the encoding UTF-8 "
            "(in Notepad: File, Save As, Encoding: UTF-8), then upload it again",
            line=line,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Speakers and times in plain text and Word ---------------------------------

# A speaker's name: up to six words of letters, digits and . ' ’ - (Dr. Amina
# Shah, Mary-Jane O'Neill, P3, Adviser 2), at most 40 characters. Each word
# starts with a capital or a digit (or a letter of a script without case),
# except name particles such as "van" or "de" after the first word: without
# that, "So the point: we..." would be read as a speaker called "So the point".
_WORD = r"[^\W_][\w.'’\-]*"
_NAME = rf"{_WORD}(?: {_WORD}){{0,5}}"
_PARTICLES = frozenset(
    {"al", "bin", "binti", "da", "dal", "de", "del", "della", "den", "der", "di", "do", "dos"}
    | {"du", "el", "ibn", "la", "le", "st", "ten", "ter", "van", "von", "y"}
)
# A time as transcribers write it: 1:02, 01:02, 1:02:03, 00:01:02.500.
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_BRACKETED_CLOCK = rf"(?:\[{_CLOCK}\]|\({_CLOCK}\)|{_CLOCK})"
# "[00:01:02] Priya: words", "Priya (00:01:02): words", "Priya: words", "PRIYA:",
# "Sam (facilitator): words" (the role in brackets is kept as part of the speaker).
_TURN = re.compile(
    rf"^(?:(?P<before>{_BRACKETED_CLOCK})[ \t]+)?"
    rf"(?P<name>{_NAME})"
    rf"(?P<role>[ \t]*\((?!{_CLOCK}\))[^()\n]{{1,30}}\))?"
    rf"(?:[ \t]*(?P<after>\[{_CLOCK}\]|\({_CLOCK}\)))?"
    r"[ \t]*[:：](?:[ \t]+(?P<words>.*))?$"
)
# Otter and Teams exports: a heading line "Priya Shah  0:02", the words below it.
_HEADING = re.compile(rf"^(?P<name>{_NAME})[ \t]+(?P<clock>{_BRACKETED_CLOCK})$")
# A time alone at the start of a line: the transcriber marked the time, not a new speaker.
_TIME_MARK = re.compile(rf"^(?P<clock>{_BRACKETED_CLOCK})(?:[ \t]+(?P<words>.*))?$")


_TEAMS_CLOCK = r"\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d{1,3})?"
_TEAMS_TIMING = re.compile(rf"^(?P<start>{_TEAMS_CLOCK})[ \t]*-->[ \t]*{_TEAMS_CLOCK}$")


def _teams_clock(text: str) -> str:
    """ "0:0:5.85" as "00:00:05.850"."""
    whole, _, fraction = text.partition(".")
    hours, minutes, seconds = (int(part) for part in whole.split(":"))
    clock = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    return f"{clock}.{fraction.ljust(3, '0')}" if fraction else clock


def _is_name(name: str) -> bool:
    if len(name) > 40:
        return False
    for index, word in enumerate(name.split(" ")):
        first = word[0]
        if first.isdigit() or not first.islower():
            continue
        if index > 0 and word.lower() in _PARTICLES:
            continue
        return False
    return True


def _clock(text: str) -> str:
    """A transcriber's time as "HH:MM:SS" (with ".mmm" when it has a fraction), or ""."""
    digits = text.strip("[]()").replace(",", ".")
    whole, _, fraction = digits.partition(".")
    parts = [int(part) for part in whole.split(":")]
    if len(parts) == 2:
        parts.insert(0, 0)
    hours, minutes, seconds = parts
    if minutes > 59 or seconds > 59:
        return ""
    clock = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    return f"{clock}.{fraction.ljust(3, '0')}" if fraction else clock


@dataclass(frozen=True, slots=True)
class _Start:
    """What a line says about a new turn: who speaks (None: not said), from when, first words."""

    speaker: str | None
    start: str
    words: str


def _turn_start(line: str) -> _Start | None:
    """The new turn `line` starts, or None when it continues the current one."""
    named = _named_turn(line)
    if named is not None:
        return named
    match = _TIME_MARK.match(line)
    if match and _clock(match["clock"]):
        words = match["words"] or ""
        inner = _named_turn(words) if words else None
        if inner is not None and inner.speaker is not None:
            return _Start(inner.speaker, _clock(match["clock"]), inner.words)
        return _Start(None, _clock(match["clock"]), words)
    return None


def _named_turn(line: str) -> _Start | None:
    """The turn `line` starts by naming its speaker, or None."""
    match = _TURN.match(line)
    if match and _is_name(match["name"]):
        clock = match["before"] or match["after"]
        speaker = match["name"] + (" " + match["role"].strip() if match["role"] else "")
        return _Start(speaker, _clock(clock) if clock else "", match["words"] or "")
    match = _HEADING.match(line)
    if match and _is_name(match["name"]) and _clock(match["clock"]):
        return _Start(match["name"], _clock(match["clock"]), "")
    return None


@dataclass(frozen=True, slots=True)
class _Line:
    """One line of a plain-text file or a Word paragraph's line.

    `place` names it in an error ("line 12", "paragraph 12"); `bold_name` is a
    Word paragraph's bold opening words when they are a name; `turn` is a turn
    already known (a row of a Speaker | Words table).
    """

    place: str
    line: int | None
    text: str
    bold_name: str | None = None
    turn: tuple[str, str] | None = None  # (speaker, start) of a table row


@dataclass(slots=True)
class _Turn:
    speaker: str
    start: str
    place: str
    line: int | None
    paragraphs: list[list[str]] = field(default_factory=lambda: [[]])

    def add(self, words: str) -> None:
        if words:
            self.paragraphs[-1].append(words)

    def break_paragraph(self) -> None:
        if self.paragraphs[-1]:
            self.paragraphs.append([])

    @property
    def text(self) -> str:
        return "\n\n".join("\n".join(lines) for lines in self.paragraphs if lines)


def _turns(filename: str, lines: Sequence[_Line]) -> tuple[TranscriptSegment, ...]:
    """Turns from lines, by the plain-text rule (see the module's docstring)."""
    turns: list[_Turn] = []
    current: _Turn | None = None
    timed = ""  # the start of a Teams timing line, whose next line names the speaker
    for line in lines:
        text = line.text.strip()
        start: _Start | None = None
        if timed and text:
            # Teams' older Word transcripts: "0:0:5.850 --> 0:0:9.120", then
            # "Okafor, Sam", then the words (the name may hold a comma).
            named = len(text) <= 60 and not text.endswith((".", "?", "!"))
            start = _Start(text if named else "", timed, "" if named else text)
            timed = ""
        elif line.turn is not None:
            start = _Start(line.turn[0], line.turn[1], text)
        elif line.bold_name is not None:
            start = _Start(line.bold_name, "", text)
        elif (timing := _TEAMS_TIMING.match(text)) is not None:
            timed = _teams_clock(timing["start"])
            continue
        elif text:
            start = _turn_start(text)
        if start is not None:
            speaker = start.speaker
            if speaker is None:
                speaker = current.speaker if current is not None else ""
            current = _Turn(speaker, start.start, line.place, line.line)
            turns.append(current)
            current.add(start.words.strip())
        elif not text:
            if current is not None:
                if current.speaker:
                    current.break_paragraph()
                else:
                    # Before anyone is named (a title, a note on who was
                    # there) each paragraph is a turn of its own.
                    current = None
        else:
            if current is None:
                current = _Turn("", "", line.place, line.line)
                turns.append(current)
            current.add(text)
    for turn in turns:
        if not turn.text:
            # Plain text names the line in the error's own field; Word names the paragraph.
            where = "" if turn.line is not None else f"{turn.place}: "
            raise ImportFileError(
                filename,
                f"{where}{turn.speaker + ' is' if turn.speaker else 'this turn is'} given "
                "no words; add what was said, or delete the line",
                line=turn.line,
            )
    if not turns:
        raise ImportFileError(filename, "the transcript has no text in it")
    return tuple(
        TranscriptSegment(number, turn.speaker, turn.start, "", turn.text)
        for number, turn in enumerate(turns, start=1)
    )


def _read_plain_text(filename: str, text: str) -> tuple[TranscriptSegment, ...]:
    lines = [
        _Line(f"line {number}", number, line)
        for number, line in enumerate(text.split("\n"), start=1)
    ]
    return _turns(filename, lines)


def _refuse_subtitles_without_signature(filename: str, text: str) -> None:
    """Timed captions without the WEBVTT line (or SubRip .srt) are not a plain transcript."""
    for number, line in enumerate(text.split("\n")[:50], start=1):
        if "-->" in line and re.search(r"\d{2}[:.,]\d{2,3}\s*-->", line):
            raise ImportFileError(
                filename,
                "this looks like timed captions (a line with -->), but the file does not "
                'start with "WEBVTT". For WebVTT captions add a first line "WEBVTT" and '
                "a blank line after it; for SubRip (.srt) captions, save them as WebVTT "
                "(.vtt) first",
                line=number,
            )


# Word ---------------------------------------------------------------------


def _read_docx(filename: str, data: bytes) -> tuple[TranscriptSegment, ...]:
    from docx import Document  # imported here: only Word transcripts need it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except ZIP_ERRORS:
        raise ImportFileError(
            filename,
            "this ZIP package is damaged and does not open as a Word document. "
            f"Open it in Word and {_DOCX_MEDIA_TYPE_HINT} again",
        ) from None
    if "word/document.xml" not in names:
        kind = (
            "an Excel workbook"
            if any(name.startswith("xl/") for name in names)
            else "a PowerPoint presentation"
            if any(name.startswith("ppt/") for name in names)
            else "an OpenDocument file (LibreOffice)"
            if "content.xml" in names
            else "a ZIP archive"
        )
        raise ImportFileError(filename, f"this is {kind}, not a transcript. {_HOW_TO_SAVE}")
    # Sizes, compression ratios and entity declarations are checked before python-docx
    # inflates or parses anything (issue 10: zip bombs, billion laughs, external entities).
    with open_zip(data, filename) as archive:
        refuse_xml_declarations(archive, filename, "Word document")
    try:
        document = Document(io.BytesIO(data))
        lines = list(_docx_lines(document))
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise ImportFileError(
            filename,
            f"this Word document is damaged and cannot be read ({type(exc).__name__}). "
            f"Open it in Word and {_DOCX_MEDIA_TYPE_HINT} again",
        ) from None
    return _turns(filename, lines)


def _docx_lines(document: Any) -> list[_Line]:
    """Each paragraph's lines and each table row, in the order they appear in the document."""
    from docx.table import Table

    found: list[tuple[_Line, tuple[int, str, bool] | None]] = []
    number = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row_number, row in enumerate(block.rows, start=1):
                line = _table_row(f"table row {row_number}", row)
                if line is not None:
                    found.append((line, None))
            continue
        number += 1
        runs = list(_runs(block))
        bold = _bold_name(runs)
        for index, part in enumerate("".join(text for text, _ in runs).split("\n")):
            found.append((_Line(f"paragraph {number}", None, part), bold if index == 0 else None))
    # A bold name with a colon is a speaker; one without is a speaker only if they
    # speak more than once, so that a sentence opening with a bold "Important" is
    # not read as a turn of someone called Important.
    with_colon = {bold[1] for _, bold in found if bold is not None and bold[2]}
    without = Counter(bold[1] for _, bold in found if bold is not None and not bold[2])
    lines: list[_Line] = []
    for line, bold in found:
        if bold is None or not (bold[1] in with_colon or without[bold[1]] > 1):
            lines.append(line)
            continue
        words = line.text[bold[0] :].lstrip()
        words = words[1:] if words[:1] in {":", "："} else words
        lines.append(_Line(line.place, None, words, bold_name=bold[1]))
    return lines


def _runs(paragraph: Any) -> Iterator[tuple[str, bool]]:
    """(text, bold) of each run, including runs inside hyperlinks and tracked insertions.

    python-docx's `Paragraph.text` leaves out text inside `w:ins` (a tracked
    change not yet accepted): what was inserted is part of what was said, and
    deleted text (`w:delText`) is left out as Word shows it.
    """
    from docx.text.run import Run

    for element in paragraph._p.xpath(
        "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:ins/w:hyperlink/w:r"
        " | ./w:smartTag/w:r | ./w:sdt/w:sdtContent/w:r | ./w:fldSimple/w:r"
    ):
        run = Run(element, paragraph)
        bold = run.bold
        if bold is None and run.style is not None:
            bold = run.style.font.bold
        yield element.text, bool(bold)


def _bold_name(runs: Sequence[tuple[str, bool]]) -> tuple[int, str, bool] | None:
    """(the bold opening's length, the name in it, whether a colon follows) of a paragraph.

    "**Priya:** I think..." and "**Priya** I think..." both open with Priya's
    name; a paragraph that is bold throughout is a heading, not a turn.
    """
    opening = ""
    for text, bold in runs:
        if not bold:
            break
        opening += text
    else:
        return None
    rest = "".join(text for text, _ in runs)[len(opening) :]
    name = opening.strip()
    colon = name.endswith((":", "：")) or rest.lstrip().startswith((":", "："))
    name = name.rstrip(":：").rstrip()
    if not name or not rest.strip() or "\n" in opening or len(name) > 40:
        return None
    if not re.fullmatch(_NAME, name) or not (colon or _is_name(name)):
        return None
    return len(opening), name, colon


_HEADER_CELLS = frozenset(
    {"speaker", "name", "who", "person", "words", "text", "said", "transcript", "time"}
    | {"timestamp", "start"}
)


def _table_row(place: str, row: Any) -> _Line | None:
    """A Speaker | Words table row (a time column before or after the name is read too)."""
    cells: list[str] = []
    seen: set[int] = set()
    for cell in row.cells:
        # A merged cell is listed once for each grid column it spans.
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(cell.text.strip())
    if not any(cells):
        return None
    if all(cell.lower().rstrip(":") in _HEADER_CELLS for cell in cells if cell):
        return None  # the heading row
    start = ""
    for index in (0, 1):
        if index < len(cells) - 1 and re.fullmatch(_BRACKETED_CLOCK, cells[index]):
            start = _clock(cells[index])
            if start:
                del cells[index]
                break
    speaker = cells[0].rstrip(":：").strip()
    words = "\n".join(cell for cell in cells[1:] if cell)
    if len(cells) < 2 or len(speaker) > 40 or "\n" in speaker:
        # Not laid out Speaker | Words: the row's text continues the current turn.
        return _Line(place, None, "\n".join(cell for cell in cells if cell))
    if not speaker:
        return _Line(place, None, words)
    return _Line(place, None, words, turn=(speaker, start))


# WebVTT -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Block:
    """Lines of a WebVTT file between blank lines: (1-based line number, text)."""

    lines: tuple[tuple[int, str], ...]


def _blocks(text: str) -> list[_Block]:
    """Split the file at empty lines, and before a timing line that follows a cue's own.

    Only an empty line ends a block (a line of spaces does not), as in the
    spec's "collect a WebVTT block"; a second "-->" line also starts a new one.
    """
    blocks: list[_Block] = []
    current: list[tuple[int, str]] = []
    arrow_seen = False
    first = True
    for number, line in enumerate(text.split("\n"), start=1):
        if line == "":
            if current:
                blocks.append(_Block(tuple(current)))
            current, arrow_seen, first = [], False, False
            continue
        if "-->" in line:
            # In the header, or after this block's timing line, an arrow starts a
            # new block; so does one after the first two lines (an identifier and
            # a timing line are all that may come before it).
            if first or arrow_seen or len(current) >= 2:
                if current:
                    blocks.append(_Block(tuple(current)))
                current, first = [], False
            arrow_seen = True
        current.append((number, line))
    if current:
        blocks.append(_Block(tuple(current)))
    return blocks


def _read_webvtt(filename: str, text: str) -> tuple[TranscriptSegment, ...]:
    signature = text.split("\n", 1)[0]
    if not re.fullmatch(r"WEBVTT(?:[ \t].*)?", signature):
        raise ImportFileError(
            filename,
            'the first line must be "WEBVTT" alone, or "WEBVTT" then a space and a '
            f"title; this one is {signature[:40]!r}",
            line=1,
        )
    segments: list[TranscriptSegment] = []
    blocks = _blocks(text)
    for index, block in enumerate(blocks):
        lines = block.lines
        if index == 0 and lines[0][0] == 1:
            continue  # the signature line and the header after it
        timing = next((i for i, (_, line) in enumerate(lines[:2]) if "-->" in line), None)
        if timing is None:
            keyword = lines[0][1]
            if re.match(r"(?:NOTE|STYLE|REGION)(?:[ \t]|$)", keyword):
                continue
            for number, line in lines[:2]:
                if re.match(r"[ \t]*\d+:\d", line):
                    raise ImportFileError(
                        filename,
                        'this looks like a timing line, but it has no "-->" between the '
                        'start and end times; write it as "00:01:02.000 --> 00:01:05.000"',
                        line=number,
                    )
            raise ImportFileError(
                filename,
                "these words are not part of any cue: each cue starts with a timing line "
                'such as "00:01:02.000 --> 00:01:05.000", and an empty line ends a cue. '
                "If they belong to the cue above, remove the empty line before them",
                line=lines[0][0],
            )
        line_number, timing_line = lines[timing]
        start, end = _cue_timings(filename, line_number, timing_line)
        payload = [line for _, line in lines[timing + 1 :]]
        voices = _cue_voices("\n".join(payload))
        if not voices:
            raise ImportFileError(
                filename,
                "this cue has no words after its timing line; add what was said, or delete the cue",
                line=line_number,
            )
        for speaker, words in voices:
            segments.append(TranscriptSegment(len(segments) + 1, speaker, start, end, words))
    if not segments:
        raise ImportFileError(filename, "the WebVTT file has no cues, so no words to import")
    return tuple(segments)


def _cue_timings(filename: str, number: int, line: str) -> tuple[str, str]:
    """The cue's start and end as "HH:MM:SS.mmm", by the spec's "collect WebVTT cue timings"."""
    position = 0

    def skip_whitespace() -> None:
        nonlocal position
        while position < len(line) and line[position] in " \t\f":
            position += 1

    def timestamp(which: str) -> int:
        nonlocal position
        begins = position
        value, position = _timestamp(line, position)
        if value is None:
            hint = (
                " (WebVTT writes the milliseconds after a full stop, not a comma, as "
                "in 00:01:02.500)"
                if re.match(r"[\d:]+,\d", line[begins:])
                else ""
            )
            raise ImportFileError(
                filename,
                f"the {which} time of this cue cannot be read{hint}; write the timing line "
                'as "00:01:02.000 --> 00:01:05.000" (hours:minutes:seconds.milliseconds)',
                line=number,
            )
        return value

    skip_whitespace()
    start = timestamp("start")
    skip_whitespace()
    if not line.startswith("-->", position):
        raise ImportFileError(
            filename,
            'the start time must be followed by "-->" and the end time, as in '
            '"00:01:02.000 --> 00:01:05.000"',
            line=number,
        )
    position += 3
    skip_whitespace()
    end = timestamp("end")
    if position < len(line) and line[position] not in " \t\f":
        raise ImportFileError(
            filename,
            "the end time must be followed by a space before any cue settings "
            '(such as "align:start")',
            line=number,
        )
    if end <= start:
        raise ImportFileError(
            filename,
            f"this cue ends ({_vtt_time(end)}) before it starts ({_vtt_time(start)}); "
            "the end time must be later than the start time",
            line=number,
        )
    return _vtt_time(start), _vtt_time(end)


def _timestamp(line: str, position: int) -> tuple[int | None, int]:
    """(milliseconds, the position after it) by the spec's "collect a WebVTT timestamp"."""

    def digits(at: int) -> tuple[str, int]:
        end = at
        while end < len(line) and "0" <= line[end] <= "9":
            end += 1
        return line[at:end], end

    first, position = digits(position)
    if not first:
        return None, position
    hours_first = len(first) != 2 or int(first) > 59
    if not line.startswith(":", position):
        return None, position
    second, position = digits(position + 1)
    if len(second) != 2:
        return None, position
    if hours_first or line.startswith(":", position):
        if not line.startswith(":", position):
            return None, position
        third, position = digits(position + 1)
        if len(third) != 2:
            return None, position
        hours, minutes, seconds = int(first), int(second), int(third)
    else:
        hours, minutes, seconds = 0, int(first), int(second)
    if not line.startswith(".", position):
        return None, position
    millis, position = digits(position + 1)
    if len(millis) != 3 or minutes > 59 or seconds > 59:
        return None, position
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + int(millis), position


def _vtt_time(millis: int) -> str:
    seconds, millis = divmod(millis, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


# A tag runs from "<" to ">" (or to the end of the cue text, as the spec's tokenizer reads it).
_TAG = re.compile(r"<([^>]*)(?:>|$)")


def _cue_voices(payload: str) -> list[tuple[str, str]]:
    """(speaker, words) for each voice in a cue's text, tags dropped and references decoded.

    A cue usually has one voice; Teams writes `<v Priya Shah>words</v>`, Zoom
    "Priya Shah: words". A cue with two voice spans gives two turns with the
    same times. Ruby text (`<rt>`, a reading aid above the words) is dropped.
    """
    pieces: list[tuple[str | None, list[str]]] = [(None, [])]
    in_ruby_text = False
    position = 0
    for match in _TAG.finditer(payload):
        if not in_ruby_text:
            pieces[-1][1].append(html.unescape(payload[position : match.start()]))
        position = match.end()
        name, *annotation = re.split(r"[ \t\n\f]+", match[1].strip(), maxsplit=1)
        kind = name.split(".", 1)[0].lower()
        if kind == "v":
            named = " ".join(html.unescape(" ".join(annotation)).split())
            if "".join(pieces[-1][1]).strip():
                pieces.append((named, []))
            else:
                pieces[-1] = (named, [])
        elif kind == "/v":
            pieces.append((None, []))
        elif kind == "rt":
            in_ruby_text = True
        elif kind == "/rt":
            in_ruby_text = False
    if not in_ruby_text:
        pieces[-1][1].append(html.unescape(payload[position:]))
    voices: list[tuple[str, str]] = []
    for voice, parts in pieces:
        lines = [line.strip() for line in "".join(parts).split("\n")]
        words = "\n".join(line for line in lines if line)
        if words:
            voices.append(_zoom_speaker(words) if voice is None else (voice, words))
    return voices


def _zoom_speaker(words: str) -> tuple[str, str]:
    """Zoom's captions name the speaker as "Priya Shah: words", with no voice span."""
    first, _, more = words.partition("\n")
    start = _turn_start(first)
    if start is None or start.speaker is None or not (start.words.strip() or more):
        return "", words
    return start.speaker, "\n".join(part for part in (start.words.strip(), more) if part)
