"""Appraisal answers files: a small TOML or CSV file of one appraiser's answers.

TOML, one study::

    instrument = "tapupas"     # optional: refused if the protocol chose another
    record = 12                # optional: the study's record id
    [answers]
    T = "yes"
    A = { answer = "no", reason = "Conclusions asserted, not shown." }

CSV, one study or several: a header row with `item` and `answer`, and
optionally `reason` and `record`.

Each answer keeps its line, so a wrong item or answer is named by file and
line when the service checks it against the instrument.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass

from cosynth.domain.appraisal.judgements import ItemAnswer
from cosynth.errors import DataFileError
from cosynth.formats.instruments import line_of

MAX_FILE_SIZE = 5_000_000
_TOML_LINE = re.compile(r"at line (\d+)")
_CSV_COLUMNS = ("item", "answer", "reason", "record")


@dataclass(frozen=True, slots=True)
class AnswerSheet:
    filename: str
    instrument: str
    record_id: int | None
    answers: tuple[ItemAnswer, ...]


def read_answer_sheet(data: bytes, filename: str) -> AnswerSheet:
    """Read an answers file (TOML, or CSV by its name or content)."""
    if len(data) > MAX_FILE_SIZE:
        raise DataFileError(filename, "the file is too large for an answers file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataFileError(
            filename, "the file is not UTF-8 text; save it as UTF-8", line=line
        ) from None
    if not text.strip():
        raise DataFileError(filename, "the file is empty")
    first = text.lstrip().split("\n", 1)[0].casefold()
    looks_like_csv = "item" in first and "answer" in first and ("," in first or "\t" in first)
    if filename.lower().endswith((".csv", ".tsv")) or looks_like_csv:
        return _csv(text, filename)
    return _toml(text, filename)


def _toml(text: str, filename: str) -> AnswerSheet:
    try:
        table = tomllib.loads(text)
    # Also a number longer than int() reads (ValueError) and arrays or tables nested
    # thousands deep (RecursionError): found by fuzzing, issue 10.
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        found = _TOML_LINE.search(str(exc))
        raise DataFileError(
            filename,
            "this is neither valid TOML nor a CSV file (name a CSV file .csv)",
            line=int(found.group(1)) if found else None,
        ) from None
    for key in table:
        if key not in ("instrument", "record", "answers"):
            raise DataFileError(
                filename,
                f'"{key}" is not a key of an answers file (instrument, record, [answers])',
                line=line_of(text, (key,)),
            )
    instrument = table.get("instrument", "")
    if not isinstance(instrument, str):
        raise DataFileError(
            filename, "instrument must be an id in quotes", line=line_of(text, ("instrument",))
        )
    record = table.get("record")
    if record is not None and (isinstance(record, bool) or not isinstance(record, int)):
        raise DataFileError(
            filename, "record must be a record id (a number)", line=line_of(text, ("record",))
        )
    raw = table.get("answers")
    if not isinstance(raw, Mapping) or not raw:
        raise DataFileError(filename, "the file has no [answers] table of item = answer")
    answers: list[ItemAnswer] = []
    for item, given in raw.items():
        line = line_of(text, ("answers", item))
        if isinstance(given, str):
            answers.append(ItemAnswer(item=item, answer=given, record_id=record, line=line))
            continue
        if not isinstance(given, Mapping) or not isinstance(given.get("answer"), str):
            raise DataFileError(
                filename,
                f'the answer to item "{item}" must be text, '
                'or { answer = "...", reason = "..." }',
                line=line,
            )
        extra = set(given) - {"answer", "reason"}
        reason = given.get("reason", "")
        if extra or not isinstance(reason, str):
            raise DataFileError(
                filename,
                f'the answer to item "{item}" takes only answer and reason, as text',
                line=line,
            )
        answers.append(
            ItemAnswer(
                item=item, answer=given["answer"], reason=reason, record_id=record, line=line
            )
        )
    return AnswerSheet(
        filename=filename, instrument=instrument.strip(), record_id=record, answers=tuple(answers)
    )


def _csv(text: str, filename: str) -> AnswerSheet:
    first = text.lstrip().split("\n", 1)[0]
    dialect = "excel-tab" if "\t" in first and "," not in first else "excel"
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect)
    header = [cell.strip().casefold() for cell in next(reader, [])]
    for column in header:
        if column not in _CSV_COLUMNS:
            raise DataFileError(
                filename,
                f'"{column}" is not a column of an answers file ({", ".join(_CSV_COLUMNS)})',
                line=1,
            )
    if "item" not in header or "answer" not in header:
        raise DataFileError(filename, "the first row must name the columns item and answer", line=1)
    answers: list[ItemAnswer] = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise DataFileError(
                filename, f"this row has {len(row)} cells and the header {len(header)}", line=line
            )
        cells = dict(zip(header, (cell.strip() for cell in row), strict=False))
        record: int | None = None
        if cells.get("record"):
            # isdecimal, not isdigit: "²" is a digit int() cannot read (found by fuzzing).
            if not cells["record"].isdecimal():
                raise DataFileError(
                    filename, f'the record "{cells["record"]}" is not a record id', line=line
                )
            record = int(cells["record"])
        if not cells.get("item"):
            raise DataFileError(filename, "this row names no item", line=line)
        answers.append(
            ItemAnswer(
                item=cells["item"],
                answer=cells.get("answer", ""),
                reason=cells.get("reason", ""),
                record_id=record,
                line=line,
            )
        )
    if not answers:
        raise DataFileError(filename, "the file has a header but no answers")
    return AnswerSheet(filename=filename, instrument="", record_id=None, answers=tuple(answers))
