"""Report tables as CSV, Markdown and DOCX. Pure: tables in, bytes out."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Pt

from cosynth.domain.report_tables import ReportTable

FORMATS = ("csv", "md", "docx")


def table_csv(table: ReportTable) -> bytes:
    """One table as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the accents)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def tables_markdown(tables: Sequence[ReportTable], *, title: str = "") -> bytes:
    """Every table as a GitHub-flavoured Markdown document, notes under each."""
    parts = [f"# {title}\n"] if title else []
    for table in tables:
        parts.append(f"## {table.title}\n")
        parts.append("| " + " | ".join(_md(c) for c in table.columns) + " |")
        parts.append("|" + "|".join("---" for _ in table.columns) + "|")
        parts.extend("| " + " | ".join(_md(cell) for cell in row) + " |" for row in table.rows)
        parts.append("")
        parts.extend(f"*{_md(note)}*\n" for note in table.notes)
    return ("\n".join(parts).rstrip() + "\n").encode("utf-8")


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def tables_docx(tables: Sequence[ReportTable], *, title: str = "") -> bytes:
    """Every table in one Word document, landscape, a heading and notes for each."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    if title:
        document.add_heading(title, level=1)
    for table in tables:
        document.add_heading(table.title, level=2)
        grid = document.add_table(rows=1, cols=len(table.columns))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, table.columns, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in table.rows:
            for cell, text in zip(grid.add_row().cells, row, strict=True):
                cell.text = text
        for row in grid.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(8)
        for note in table.notes:
            document.add_paragraph().add_run(note).italic = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
