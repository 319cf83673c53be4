"""The review's report as a small document model: one content, three writers.

`services.report.build_report` fills it from the review's data; the writers in
`render/` (HTML, Markdown, DOCX) turn it into bytes and decide nothing about
content, so the three always say the same (DESIGN.md rule 2: every number in
them was computed before it got here). A report is a sequence of parts
(chapters: a page break between them in Word), each a section of blocks;
sections nest (a theme under its category), tables are `ReportTable`s, and
figures carry their SVG with a caption and the words a reader who cannot see
the picture is given instead (WCAG 1.1.1).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cosynth.domain.report_tables import ReportTable


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of plain text; `note` marks the small print under a table or a missing item."""

    text: str
    note: bool = False


@dataclass(frozen=True, slots=True)
class Quotation:
    """Words quoted from a study (or the advisory group's roundtable), cited "[Study: page]"."""

    text: str
    citation: str


@dataclass(frozen=True, slots=True)
class ItemList:
    """A list: numbered when the order matters (the order of translation), else bulleted."""

    items: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True, slots=True)
class Figure:
    """A picture: `key` names its files ("figure-3-theme-map"), `svg` draws it, `alt` says
    what it shows in words. `png`, where given, is a raster of the same picture made by
    its own renderer (the PRISMA flow's, at print size); a writer that needs a raster
    and has none draws one from `svg`."""

    key: str
    caption: str
    alt: str
    svg: bytes
    png: bytes | None = None
    width_cm: float = 16.0


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and what is under it; `key` is its anchor ("search", "theme-12")."""

    key: str
    title: str
    blocks: tuple[Block, ...]


Block = Paragraph | Quotation | ItemList | ReportTable | Figure | Section


@dataclass(frozen=True, slots=True)
class Report:
    """The whole report: a title, lines under it (the question, when it was built), the parts."""

    title: str
    subtitle: tuple[str, ...]
    parts: tuple[Section, ...]

    def figures(self) -> list[Figure]:
        """Every figure, in reading order."""
        return [block for block in self.blocks() if isinstance(block, Figure)]

    def tables(self) -> list[ReportTable]:
        """Every table, in reading order."""
        return [block for block in self.blocks() if isinstance(block, ReportTable)]

    def sections(self) -> list[Section]:
        """Every section at every depth, in reading order."""
        return [block for block in self.blocks() if isinstance(block, Section)]

    def blocks(self) -> Iterator[Block]:
        """Every block at every depth, a section before what is under it."""
        for part in self.parts:
            yield part
            yield from walk(part.blocks)


def walk(blocks: tuple[Block, ...]) -> Iterator[Block]:
    for block in blocks:
        yield block
        if isinstance(block, Section):
            yield from walk(block.blocks)


def anchor(text: str) -> str:
    """A section's key from words: lower case, letters and digits joined by hyphens."""
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in text).split()
    return "-".join(words) or "section"
