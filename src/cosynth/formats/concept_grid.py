"""The concept x study grid as CSV and as an Excel workbook.

One row per concept (the team's third-order concepts, then the studies'
concepts not translated yet), one column per study in translation order;
a cell gives the study's own term(s) and the pages they were coded on, the
mapping back that reciprocal translation keeps (Noblit & Hare 1988).
"""

from __future__ import annotations

import csv
import io
import re

from cosynth.domain.synthesis import ConceptGrid, GridCell, GridRow

GRID_COLUMNS = ("Concept", "Order")


def grid_table(grid: ConceptGrid) -> list[list[str]]:
    """The grid as rows of text, a header first: concept, order, then one column per study."""
    table = [[*GRID_COLUMNS, *(label for _, label in grid.studies)]]
    for row in grid.rows:
        table.append(
            [
                row.concept.name,
                row.concept.order.value,
                *(_cell_text(row, record_id) for record_id, _ in grid.studies),
            ]
        )
    return table


def write_concept_grid_csv(grid: ConceptGrid) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for line in grid_table(grid):
        writer.writerow([_safe(text) for text in line])
    return out.getvalue()


def write_concept_grid_xlsx(grid: ConceptGrid) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Concept grid"
    for r, line in enumerate(grid_table(grid), start=1):
        for c, text in enumerate(line, start=1):
            cell = sheet.cell(row=r, column=c)
            cell.value = text
            # Text stays text: a term starting "=" is not a formula (OWASP, CSV injection).
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if r == 1:
                cell.font = Font(bold=True)
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 14
    for c in range(3, len(grid.studies) + 3):
        sheet.column_dimensions[_column_letter(c)].width = 30
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell_text(row: GridRow, record_id: int) -> str:
    return "; ".join(_term(cell) for cell in row.cells.get(record_id, ()))


def _term(cell: GridCell) -> str:
    if not cell.pages:
        return cell.term
    pages = ", ".join(cell.pages)
    return f"{cell.term} (p. {pages})" if len(cell.pages) == 1 else f"{cell.term} (pp. {pages})"


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# OWASP, "CSV Injection": a cell starting with =, +, -, @, tab or carriage
# return is run as a formula by spreadsheets; a leading apostrophe makes it
# text. Numbers are left as they are.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def _safe(text: str) -> str:
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text
