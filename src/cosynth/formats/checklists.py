"""Reporting checklist files: TOML text -> `Checklist`, the `cosynth.checklists` group, and a
filled checklist written as Markdown, CSV and DOCX (one table row per item).

A broken checklist file is refused whole, naming the file and the line of the
key at fault (found as `formats.instruments` finds it: `tomllib` names the
line of a syntax error only).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from importlib.resources import files

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Pt

from cosynth.domain.checklists import (
    Checklist,
    ChecklistDataError,
    FilledChecklist,
    FilledItem,
    checklist_from_dict,
)
from cosynth.errors import CosynthError, DataFileError, InputError
from cosynth.formats.instruments import line_of, read_toml

CHECKLISTS_GROUP = "cosynth.checklists"
MAX_FILE_SIZE = 1_000_000
FORMATS = ("md", "csv", "docx")
COLUMNS = (
    "Item",
    "Section",
    "Title",
    "Where the evidence lies in the review",
    "Status",
    "What to add",
    "Reported in the manuscript",
)


@dataclass(frozen=True, slots=True)
class ChecklistFile:
    """A checklist with the text it was read from."""

    filename: str
    text: str
    checklist: Checklist


def read_checklist(data: bytes | str, filename: str) -> ChecklistFile:
    """Read one checklist file, or raise `DataFileError` naming the file and the line."""
    text, table = read_toml(data, filename, what="a reporting checklist", max_size=MAX_FILE_SIZE)
    try:
        checklist = checklist_from_dict(table)
    except ChecklistDataError as exc:
        raise DataFileError(
            filename, exc.problem, line=line_of(text, exc.path, exc.value)
        ) from None
    return ChecklistFile(filename=filename, text=text, checklist=checklist)


@cache
def registered_checklists() -> dict[str, ChecklistFile]:
    """Every checklist registered through `cosynth.checklists`, built-ins included, by id.

    An entry point names its file as "package:file.toml":
    `emerge = "cosynth.checklists:emerge.toml"`.
    """
    found: dict[str, ChecklistFile] = {}
    for point in sorted(entry_points(group=CHECKLISTS_GROUP), key=lambda p: p.name):
        read = read_checklist(_read_source(point), f"{point.module}:{point.attr}")
        if read.checklist.id != point.name:
            raise DataFileError(
                read.filename,
                f'the file\'s id is "{read.checklist.id}", but it is registered as '
                f'"{point.name}": the two must be the same',
                line=line_of(read.text, ("id",), read.checklist.id),
            )
        found[point.name] = read
    return found


def _read_source(point: EntryPoint) -> bytes:
    if not point.attr:
        raise CosynthError(
            f"The reporting checklist plugin {point.name!r} ({point.value}) must name its file "
            'as "package:file.toml".'
        )
    try:
        return files(point.module).joinpath(point.attr).read_bytes()
    except Exception as exc:  # a broken plugin must not look like a cosynth crash
        raise CosynthError(
            f"The reporting checklist {point.name!r} ({point.value}) could not be read: {exc}"
        ) from exc


# -- writing a filled checklist


def item_row(filled: FilledItem) -> tuple[str, ...]:
    """One item as the cells of its table row (the same in every format)."""
    item = filled.item
    evidence = " ".join(f"{e.kind.label}: {_sentence(e.summary)}" for e in filled.evidence)
    return (
        item.number,
        item.section,
        item.title,
        evidence or "(the manuscript only)",
        filled.status.value + (" (flagged)" if filled.flagged else ""),
        " ".join(filled.to_add),
        filled.reported.where if filled.reported else "",
    )


def _sentence(text: str) -> str:
    return text if text.endswith((".", "…", "?", "!")) else text + "."


def _notes(filled: FilledChecklist) -> list[str]:
    checklist = filled.checklist
    notes = [
        f"Filled from the data of review {filled.review_id} by {filled.software} on "
        f"{filled.filled_at:%Y-%m-%d}: {len(filled.flagged)} of {len(filled.items)} items "
        "flagged.",
        f"Source: {checklist.citation}" + (f" {checklist.url}" if checklist.url else ""),
        f"Licence: {checklist.licence}",
    ]
    if checklist.check:
        notes.append(f"To check: {checklist.check}")
    # Items sharing one note (ENTREQ 9-21) are named together, not one line each.
    checks: dict[str, list[str]] = {}
    for f in filled.items:
        if f.item.check:
            checks.setdefault(f.item.check, []).append(f.item.number)
    for check, numbers in checks.items():
        which = f"Item {numbers[0]}" if len(numbers) == 1 else f"Items {', '.join(numbers)}"
        notes.append(f"{which}, to check: {check}")
    return notes


def _title(filled: FilledChecklist) -> str:
    return f"{filled.checklist.title}: {filled.review_title}"


def checklist_markdown(filled: FilledChecklist) -> bytes:
    """The filled checklist as a GitHub-flavoured Markdown table, notes after."""
    parts = [f"# {_md(_title(filled))}", ""]
    parts.append("| " + " | ".join(COLUMNS) + " |")
    parts.append("|" + "|".join("---" for _ in COLUMNS) + "|")
    parts.extend("| " + " | ".join(_md(c) for c in item_row(f)) + " |" for f in filled.items)
    parts.append("")
    parts.extend(f"*{_md(note)}*\n" for note in _notes(filled))
    return ("\n".join(parts).rstrip() + "\n").encode("utf-8")


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def checklist_csv(filled: FilledChecklist) -> bytes:
    """The filled checklist as CSV, one row per item (UTF-8 with a byte-order mark, so
    spreadsheet programs read the accents)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for filled_item in filled.items:
        writer.writerow([_safe_cell(cell) for cell in item_row(filled_item)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _safe_cell(text: str) -> str:
    # A cell a spreadsheet would run as a formula (OWASP CSV injection) is kept as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def checklist_docx(filled: FilledChecklist) -> bytes:
    """The filled checklist as a Word document: a heading, one table row per item, notes."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_heading(_title(filled), level=1)
    grid = document.add_table(rows=1, cols=len(COLUMNS))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, COLUMNS, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for filled_item in filled.items:
        for cell, text in zip(grid.add_row().cells, item_row(filled_item), strict=True):
            cell.text = text
    for row in grid.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8)
    for note in _notes(filled):
        document.add_paragraph().add_run(note).italic = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def write_checklist(filled: FilledChecklist, fmt: str) -> bytes:
    """The filled checklist in `fmt`: "md", "csv" or "docx"."""
    writers = {"md": checklist_markdown, "csv": checklist_csv, "docx": checklist_docx}
    if fmt not in writers:
        raise InputError(
            f'"{fmt}" is not a checklist format cosynth writes: use {", ".join(FORMATS)}.'
        )
    return writers[fmt](filled)
