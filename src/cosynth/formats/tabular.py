"""CSV, TSV and Excel exports: reading rows into citations, and writing citations as CSV.

Which column holds which field is `columns.ColumnMap`'s business; this module
finds the rows. A row's `line` is the physical line it starts on, which is
not its row number once a quoted cell spans lines (an abstract with
paragraphs). Blank rows and rows with nothing to screen are skipped with a
reason, never dropped.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from typing import Any, Literal, TextIO

from cosynth.domain.citation import CITATION_FIELDS, Citation
from cosynth.errors import ImportFileError
from cosynth.formats.archive import ZIP_ERRORS, open_zip, refuse_xml_declarations
from cosynth.formats.base import Document, Entry
from cosynth.formats.cells import Cell
from cosynth.formats.columns import ColumnMap
from cosynth.formats.latex import escape_entities

# The reason given for a row with no cells at all; the ASReview reader counts on it.
EMPTY_ROW = "empty row"
_DELIMITERS = ("\t", ";", ",")
_TABLE_EXTENSIONS = frozenset({"csv", "tsv", "tab", "txt"})
# First lines of the tagged formats other readers own (RIS, MEDLINE, WoS, EndNote).
_TAGGED_STARTS = ("TY  -", "PMID-", "FN ", "PT J", "%0 ", "%T ", "@", "{", "[", "<")

# Cells with whole reference lists exceed the csv module's 128 KiB default.
# (The limit is process-wide; raising it only lets larger cells through.)
csv.field_size_limit(1 << 27)


class CsvReader:
    """Reads comma-, semicolon- and tab-separated exports (`.csv`, `.tsv`, `.tab`, `.txt`)."""

    name = "csv"
    label = "CSV / TSV table"

    def sniff(self, doc: Document) -> int:
        head = doc.head
        first = head.lstrip("\n").split("\n", 1)[0]
        if not first.strip() or first.lstrip().startswith(_TAGGED_STARTS):
            return 0
        delimiter = _delimiter(first, doc.extension)
        if delimiter is None:
            return 0
        header = next(csv.reader([first], delimiter=delimiter), [])
        if ColumnMap(header).recognised:
            return 75 if doc.extension in _TABLE_EXTENSIONS else 60
        # A table, but not one of ours by its columns: reading it gives the
        # error that lists the columns, which helps more than "unknown format".
        return 10 if doc.extension in ("csv", "tsv", "tab") else 0

    def read(self, doc: Document) -> Iterator[Entry]:
        lines = _Lines(doc.text)
        first = lines.first()
        delimiter = _delimiter(first, doc.extension)
        if delimiter is None:
            raise ImportFileError(
                doc.filename,
                "the first line has no commas, semicolons or tabs, so it is not a table header",
                line=lines.line,
            )
        rows = csv.reader(
            lines,
            delimiter=delimiter,
            skipinitialspace=delimiter != "\t",
            quoting=_quoting(first, delimiter),
        )
        try:
            header_line = lines.line
            header = next(rows, [])
            lines.take_raw()
            columns = ColumnMap(
                header, options=doc.options, filename=doc.filename, line=header_line
            )
            columns.require_recognised(doc.filename, header_line)
            for cells in rows:
                start = lines.line
                raw = lines.take_raw()
                _check_quotes(raw, start, doc.filename)
                yield _entry(columns, cells, start, raw)
        except csv.Error as exc:
            raise ImportFileError(
                doc.filename, f"the table is damaged: {exc}", line=lines.line
            ) from None


class _Lines:
    """The lines of a text for `csv.reader`, remembering where each row starts and its text."""

    def __init__(self, text: str) -> None:
        self._lines = _split_lines(text)
        self._pending: list[str] = []
        self._taken: list[str] = []
        self.line = 1  # the line the next row starts on

    def first(self) -> str:
        """The first non-blank line (the header), passing over blank lines above it."""
        for line in self._lines:
            if line.strip():
                self._pending.append(line)
                return line
            self.line += 1
        return ""

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self._pending.pop() if self._pending else next(self._lines)
        self._taken.append(line)
        return line

    def take_raw(self) -> str:
        """The text of the row just read; the next row starts after it."""
        raw = "".join(self._taken)
        self.line += len(self._taken)
        self._taken.clear()
        return raw.rstrip("\n")


def _split_lines(text: str) -> Iterator[str]:
    """The lines of `text` with their "\\n", without copying the text (as `io.StringIO` would)."""
    start = 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            if start < len(text):
                yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def _quoting(header: str, delimiter: str) -> Literal[0, 3]:
    """No quoting for Web of Science tab-delimited files, which never quote.

    Their titles may start with a quote mark ("Mind the gap": ...), which a
    quoting reader would take for the start of a quoted cell.
    """
    if delimiter == "\t" and '"' not in header:
        names = next(csv.reader([header], delimiter="\t"), [])
        if ColumnMap(names).dialect.wos:
            return csv.QUOTE_NONE
    return csv.QUOTE_MINIMAL


def _check_quotes(raw: str, line: int, filename: str) -> None:
    """Refuse a row that spans lines with an odd number of quote marks.

    Only a quoted cell may hold a line break, and a well-formed quoted cell
    has an even number of quote marks (RFC 4180, section 2). An odd count
    means a closing quote is missing: the csv module would then read the
    following rows, up to the next quote mark or the end of the file, into
    this one cell, and those records would be lost without a word.
    """
    if "\n" in raw and raw.count('"') % 2:
        raise ImportFileError(
            filename,
            "a quoted cell in the row starting here is never closed (a quote mark is "
            "missing), so the rows after it would run into it; fix the quote marks in "
            "this row and import the file again",
            line=line,
        )


def _delimiter(line: str, extension: str) -> str | None:
    if extension in ("tsv", "tab") and "\t" in line:
        return "\t"
    counts = {delimiter: _count_outside_quotes(line, delimiter) for delimiter in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else None


def _count_outside_quotes(line: str, delimiter: str) -> int:
    # Quoted header names may hold commas ("Author(s) ID" never does, but
    # "Title, original" might); those are not separators.
    return sum(part.count(delimiter) for part in line.split('"')[::2])


def _entry(columns: ColumnMap, cells: Sequence[Cell], line: int, raw: str) -> Entry:
    if not any(isinstance(cell, tuple) or cell.strip() for cell in cells):
        return Entry.skip(line, raw, EMPTY_ROW)
    citation = columns.citation(cells)
    if citation.is_empty:
        return Entry.skip(line, raw, _empty_reason(columns, cells))
    return Entry(line=line, raw=raw, citation=citation)


def _empty_reason(columns: ColumnMap, cells: Sequence[Cell]) -> str:
    given = [
        f"{name}={_shown(cell)}"
        for name, cell in zip(columns.header, cells, strict=False)
        if (cell if isinstance(cell, tuple) else cell.strip())
    ]
    return (
        "the row has no title, abstract, authors, DOI or PMID to screen on "
        f"(it has only {', '.join(given)})"
    )


def _shown(cell: Cell) -> str:
    text = "; ".join(cell) if isinstance(cell, tuple) else cell.strip()
    return repr(text if len(text) <= 40 else text[:37] + "...")


# Excel ------------------------------------------------------------------


class ExcelReader:
    """Reads the first sheet of an Excel workbook (`.xlsx`, `.xlsm`) like a CSV table."""

    name = "xlsx"
    label = "Excel workbook"

    def sniff(self, doc: Document) -> int:
        if not doc.data.startswith(b"PK\x03\x04"):
            return 0
        try:
            with zipfile.ZipFile(io.BytesIO(doc.data)) as archive:
                names = set(archive.namelist())
        except ZIP_ERRORS:
            return 0
        # Every ZIP starts with "PK"; a workbook has the OOXML content types
        # and its parts under xl/ (ECMA-376 part 2, Open Packaging Conventions).
        if "[Content_Types].xml" in names and any(name.startswith("xl/") for name in names):
            return 90
        return 0

    def read(self, doc: Document) -> Iterator[Entry]:
        rows = _sheet_rows(doc)
        header_row = next(rows, None)
        if header_row is None:
            raise ImportFileError(doc.filename, "the first sheet of the workbook is empty")
        header_number, header = header_row
        columns = ColumnMap(header, options=doc.options, filename=doc.filename, line=header_number)
        columns.require_recognised(doc.filename, header_number)
        blank: list[int] = []
        for number, cells in rows:
            if not any(cells):
                # Formatting alone makes a row exist in a sheet, often thousands
                # below the data: blank rows count only when data follows.
                blank.append(number)
                continue
            yield from (Entry.skip(row, "", EMPTY_ROW) for row in blank)
            blank.clear()
            yield _entry(columns, cells, number, "\t".join(cells))


def _sheet_rows(doc: Document) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row number, cell texts) for each row of the first sheet, from the header on."""
    from openpyxl import load_workbook

    # Sizes and compression ratios are checked before openpyxl inflates anything.
    with open_zip(doc.data, doc.filename) as archive:
        refuse_xml_declarations(archive, doc.filename, "workbook")
    try:
        workbook = load_workbook(io.BytesIO(doc.data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many exception types on a damaged file
        raise ImportFileError(
            doc.filename, f"the Excel workbook cannot be opened ({exc.__class__.__name__}: {exc})"
        ) from None
    try:
        if not workbook.worksheets:  # found by fuzzing: IndexError before
            raise ImportFileError(doc.filename, "the workbook has no sheets")
        sheet = workbook.worksheets[0]
        started = False
        for number, values in enumerate(_checked_rows(sheet, doc.filename), start=1):
            cells = [_excel_text(value) for value in values]
            if not started and not any(cells):
                continue  # blank rows above the header
            started = True
            yield number, cells
    finally:
        workbook.close()


def _checked_rows(sheet: Any, filename: str) -> Iterator[tuple[object, ...]]:
    """The sheet's rows; one that cannot be parsed is an `ImportFileError`.

    In read-only mode openpyxl parses the sheet's XML as the rows are read, so a
    damaged sheet fails here, after the workbook opened (found by fuzzing, issue 10).
    """
    rows = sheet.iter_rows(values_only=True)
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # openpyxl and its XML parser raise many kinds
            raise ImportFileError(
                filename,
                f"the first sheet of the workbook is damaged ({type(exc).__name__}: {exc}); "
                "open it in Excel and save it again",
            ) from None
        yield values


def _excel_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a year or page typed as a number: 2014.0 -> "2014"
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


# Writer -----------------------------------------------------------------

# OWASP, "CSV Injection": a cell starting with =, +, -, @, tab or carriage
# return is run as a formula by Excel and LibreOffice; a leading apostrophe
# makes it text. https://owasp.org/www-community/attacks/CSV_Injection
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_LIST_FIELDS = frozenset({"authors", "keywords"})
_OTHER_SEPARATORS = re.compile(r",|\|| and ")


class CsvWriter:
    """Writes one row per citation with a column per Citation field (`extra` is not written).

    The file is plain UTF-8 without a byte-order mark: every reader of
    today's exports (pandas, R, ASReview, Rayyan, this reader) expects that,
    and Excel users can open it through Data > From Text/CSV, which asks.
    """

    name = "csv"
    label = "CSV table"
    extension = "csv"

    def write(self, citations: Iterable[Citation], out: TextIO) -> int:
        return self.write_table((), (((), citation) for citation in citations), out)

    def write_table(
        self,
        columns: Sequence[str],
        rows: Iterable[tuple[Sequence[str], Citation]],
        out: TextIO,
    ) -> int:
        """Provenance columns (record id, file, duplicate group) first, then the fields."""
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([*columns, *CITATION_FIELDS])
        count = 0
        for values, citation in rows:
            fields = [_safe(_csv_value(citation, field)) for field in CITATION_FIELDS]
            writer.writerow([*(_safe(value) for value in values), *fields])
            count += 1
        return count


def _csv_value(citation: Citation, field: str) -> str:
    value = getattr(citation, field)
    if field in _LIST_FIELDS:
        return list_cell(value)
    if field == "label":
        return "" if value is None else ("1" if value else "0")
    return escape_entities("" if value is None else str(value))


def list_cell(items: Sequence[str]) -> str:
    """Names or keywords joined with "; " so that the CSV reader splits them back the same."""
    joined = escape_entities("; ".join(items))
    # One name or keyword that the reader would split on another separator
    # ("Marx, Karl", "a|b") or read as a Python list gets a trailing ";",
    # which tells the reader that ";" is the separator.
    if len(items) == 1 and (_OTHER_SEPARATORS.search(joined) or joined.startswith("[")):
        return f"{joined};"
    return joined


def _safe(text: str) -> str:
    # An apostrophe the reader would take for this guard is itself guarded.
    guarded = text.startswith(_FORMULA_START) or (
        text.startswith("'") and text[1:2].startswith(_FORMULA_START)
    )
    return f"'{text}" if guarded else text
