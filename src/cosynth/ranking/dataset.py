"""Reading a labelled review for simulation: title, abstract, keywords and the gold label.

The layout is the one ASReview's simulation files use (columns `title`,
`abstract`, `label_included`; `keywords` optional), so the same file serves
both tools. Every problem is reported with the file and, where there is one,
the line a spreadsheet user would look at.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cosynth.errors import ImportFileError

# Abstracts with whole reference lists exceed the csv module's 128 KiB default.
csv.field_size_limit(1 << 27)

LABEL_COLUMN = "label_included"
_TEXT_COLUMNS = ("title", "abstract", "keywords")
_TRUE = frozenset({"1", "true", "yes"})
_FALSE = frozenset({"0", "false", "no"})


@dataclass(frozen=True)
class LabelledDataset:
    """A screened review: one entry per record, in file order."""

    name: str
    titles: tuple[str, ...]
    abstracts: tuple[str, ...]
    keywords: tuple[str, ...]
    labels: tuple[bool, ...]

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def n_included(self) -> int:
        return sum(self.labels)


def read_labelled_dataset(path: Path | str) -> LabelledDataset:
    """Read a CSV of screened records; raise `ImportFileError` saying what is wrong and where."""
    path = Path(path)
    filename = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ImportFileError(filename, "there is no such file") from None
    except IsADirectoryError:
        raise ImportFileError(filename, "this is a folder, not a CSV file") from None
    except UnicodeDecodeError:
        raise ImportFileError(
            filename, "the file is not UTF-8 text; save it from the spreadsheet as 'CSV UTF-8'"
        ) from None
    if not text.strip():
        raise ImportFileError(filename, "the file is empty")
    return _parse(text, filename, path.stem)


def _parse(text: str, filename: str, name: str) -> LabelledDataset:
    rows = _rows(text, filename)
    header_line, header = next(rows)
    columns = {cell.strip().lower(): i for i, cell in reversed(list(enumerate(header)))}
    if LABEL_COLUMN not in columns:
        found = ", ".join(repr(cell) for cell in header if cell.strip()) or "none"
        raise ImportFileError(
            filename,
            f"there is no {LABEL_COLUMN!r} column (1 = included, 0 = excluded) in the header; "
            f"the columns are {found}",
            line=header_line,
        )
    if "title" not in columns and "abstract" not in columns:
        raise ImportFileError(
            filename, "the header has neither a 'title' nor an 'abstract' column", line=header_line
        )
    label_at = columns[LABEL_COLUMN]
    texts: dict[str, list[str]] = {column: [] for column in _TEXT_COLUMNS}
    labels: list[bool] = []
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue  # a blank line, as spreadsheets leave at the end
        labels.append(_label(row[label_at] if label_at < len(row) else "", filename, line))
        for column, cells in texts.items():
            at = columns.get(column)
            cells.append(row[at].strip() if at is not None and at < len(row) else "")
    if not labels:
        raise ImportFileError(filename, "the file has a header but no records")
    if all(labels):
        raise ImportFileError(
            filename, "every record is labelled included; a simulation needs excluded ones too"
        )
    if not any(labels):
        raise ImportFileError(
            filename, "no record is labelled included (1), so there is nothing to find"
        )
    return LabelledDataset(
        name=name,
        titles=tuple(texts["title"]),
        abstracts=tuple(texts["abstract"]),
        keywords=tuple(texts["keywords"]),
        labels=tuple(labels),
    )


def _rows(text: str, filename: str) -> Iterator[tuple[int, list[str]]]:
    """Each row with the physical line it starts on (a quoted abstract may span lines)."""
    reader = csv.reader(text.splitlines(keepends=True))
    start = 1
    try:
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(
            filename, f"the CSV cannot be read here ({exc})", line=start
        ) from None


def _label(cell: str, filename: str, line: int) -> bool:
    value = cell.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    shown = repr(cell) if cell.strip() else "empty"
    raise ImportFileError(
        filename,
        f"column {LABEL_COLUMN!r} is {shown}; it must be 1 (included) or 0 (excluded)",
        line=line,
    )
