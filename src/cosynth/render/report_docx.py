"""The report as a Word document (python-docx). Pure: a `Report` in, bytes out.

Real Word structure, so a journal's template and a screen reader both find
their way: Title and Heading styles, tables with a header row that repeats
on each page, figures as PNG pictures (drawn from their SVG with cairosvg)
with a caption and alternative text (the picture's "description", WCAG
1.1.1), quotations in the Quote style, and each part on a page of its own.
A part with a wide table (the paper's Table 4 has twelve columns) is laid out
landscape.
"""

from __future__ import annotations

import io
import struct
import zipfile

import cairosvg
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section as DocxSection
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph as DocxParagraph

from cosynth.domain.report import (
    Block,
    Figure,
    ItemList,
    Paragraph,
    Quotation,
    Report,
    Section,
    walk,
)
from cosynth.domain.report_tables import ReportTable

WIDE = 6  # columns beyond which a table's part is laid out landscape
PORTRAIT_TEXT_CM = 16.0  # A4 less 2.5 cm margins
LANDSCAPE_TEXT_CM = 24.7
LANGUAGE = "en-GB"  # the report's words are British English, as the paper's
RASTER_SCALE = 2.0  # pixels per SVG unit: sharp in print at the sizes used


def report_docx(report: Report) -> bytes:
    """The report as a .docx: the title page, then one part after another."""
    document = Document()
    document.core_properties.title = report.title
    # Arial (Liberation Sans where it is missing, with the same widths): the figures' font.
    for name in ("Normal", "Caption", "Quote"):
        document.styles[name].font.name = "Arial"
    _language(document, LANGUAGE)
    _margins(document.sections[0], landscape=False)
    document.add_heading(report.title, level=0)
    for line in report.subtitle:
        document.add_paragraph(line)
    document.add_heading("Contents", level=1)
    for number, part in enumerate(report.parts, 1):
        document.add_paragraph(f"{number}. {part.title}")
    for part in report.parts:
        section = document.add_section(WD_SECTION.NEW_PAGE)
        landscape = any(
            isinstance(b, ReportTable) and len(b.columns) > WIDE for b in walk(part.blocks)
        )
        _margins(section, landscape=landscape)
        width = LANDSCAPE_TEXT_CM if landscape else PORTRAIT_TEXT_CM
        _section(document, part, 1, width)
    out = io.BytesIO()
    document.save(out)
    return _stable(out.getvalue())


def _stable(docx: bytes) -> bytes:
    """The same bytes for the same report: python-docx dates each ZIP member with the time
    it was written; here every member gets ZIP's earliest date, in the order it was written."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx)) as written,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as stable,
    ):
        for member in written.infolist():
            fixed = zipfile.ZipInfo(member.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            stable.writestr(fixed, written.read(member))
    return out.getvalue()


def _language(document: DocumentObject, language: str) -> None:
    """The document's language on its Normal style, which every other style is based on,
    so a screen reader speaks it and a spelling checker checks it as such (WCAG 3.1.1)."""
    properties = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    properties.append(lang)


def _margins(section: DocxSection, *, landscape: bool) -> None:
    short, long_ = Cm(21.0), Cm(29.7)  # A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long_, short) if landscape else (short, long_)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))


def _section(document: DocumentObject, section: Section, level: int, width: float) -> None:
    document.add_heading(section.title, level=min(level, 9))
    for block in section.blocks:
        _block(document, block, level, width)


def _block(document: DocumentObject, block: Block, level: int, width: float) -> None:
    if isinstance(block, Section):
        _section(document, block, level + 1, width)
    elif isinstance(block, Paragraph):
        paragraph = document.add_paragraph()
        _lines(paragraph, block.text, italic=block.note)
    elif isinstance(block, Quotation):
        paragraph = document.add_paragraph(style="Quote")
        _lines(paragraph, f"\u201c{block.text}\u201d ")
        paragraph.add_run(block.citation).italic = False
    elif isinstance(block, ItemList):
        for number, item in enumerate(block.items, 1):
            if block.ordered:
                # Numbered by hand: Word's "List Number" would go on counting from the
                # previous list in the document.
                document.add_paragraph(f"{number}. {item}")
            else:
                document.add_paragraph(item, style="List Bullet")
    elif isinstance(block, ReportTable):
        _table(document, block, width)
    else:
        _figure(document, block, width)


def _lines(paragraph: DocxParagraph, text: str, *, italic: bool = False) -> None:
    for index, line in enumerate(text.split("\n")):
        run = paragraph.add_run(line)
        run.italic = italic or None
        if index < text.count("\n"):
            run.add_break()


def _table(document: DocumentObject, table: ReportTable, width: float) -> None:
    document.add_paragraph(table.title, style="Caption")
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.autofit = False
    for cell, text in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_header(grid)
    for row in table.rows:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            cell.text = text
    size = Pt(8) if len(table.columns) > WIDE else Pt(9)
    widths = column_widths(table, width)
    for column, column_width in zip(grid.columns, widths, strict=True):
        column.width = Cm(column_width)  # the grid, which LibreOffice lays out by
    for row in grid.rows:
        for cell, cell_width in zip(row.cells, widths, strict=True):
            cell.width = Cm(cell_width)  # each cell, which Word lays out by
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = size
    for note in table.notes:
        document.add_paragraph().add_run(note).italic = True


def column_widths(table: ReportTable, width: float) -> list[float]:
    """Each column's share of `width` (cm), by what it holds: every column is at least as
    wide as its longest word (a heading is never split inside a word), and the room left
    goes to the columns of sentences."""
    least: list[float] = []
    wanted: list[float] = []
    text: list[int] = []
    for index, heading in enumerate(table.columns):
        cells = [row[index] for row in table.rows]
        words = [len(word) for line in (heading, *cells) for word in line.split()]
        lines = [len(line) for cell in cells for line in cell.split("\n")]
        least.append(_cm(min(max(words, default=1), 16)))
        wanted.append(max(_cm(min(max(lines, default=1), 45)), least[-1]))
        text.append(sum(min(len(cell), 400) for cell in cells))
    if sum(wanted) <= width:
        return [width * w / sum(wanted) for w in wanted]
    if sum(least) >= width:
        return [width * w / sum(least) for w in least]
    # The room beyond each column's least goes by how much text the column holds, so a
    # column of paragraphs is wider than a column of titles.
    room = width - sum(least)
    extra = [t if w > m else 0 for t, w, m in zip(text, wanted, least, strict=True)]
    total = sum(extra) or 1
    return [m + room * e / total for m, e in zip(least, extra, strict=True)]


def _cm(characters: int) -> float:
    """About how wide a run of characters is in 8-9 pt text, with the cell's padding."""
    return 0.21 * characters + 0.4


def _repeat_header(grid: Table) -> None:
    """Mark the first row as the table's header: repeated on each page, read as headers."""
    properties = grid.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _figure(document: DocumentObject, figure: Figure, width: float) -> None:
    png = figure.png if figure.png is not None else svg_png(figure.svg)
    picture_width = min(figure.width_cm, width)
    pixels_wide, pixels_high = png_size(png)
    # A tall picture is narrowed so it fits on the page with its caption (A4, 2.5 cm margins).
    height = picture_width * pixels_high / max(pixels_wide, 1)
    if height > 21.0:
        picture_width *= 21.0 / height
    paragraph = document.add_paragraph()
    shape = paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(picture_width))
    properties = shape._inline.docPr
    properties.set("descr", figure.alt)
    properties.set("title", figure.caption)
    document.add_paragraph(figure.caption, style="Caption")


def svg_png(svg: bytes) -> bytes:
    """A figure's SVG as PNG, white behind it (Word shows transparency as the page)."""
    data = cairosvg.svg2png(bytestring=svg, scale=RASTER_SCALE, background_color="white")
    assert isinstance(data, bytes)
    return data


def png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its header."""
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)
