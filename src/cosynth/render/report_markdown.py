"""The report as GitHub-flavoured Markdown. Pure: a `Report` in, bytes out.

Figures are images linked by file name (`figures/<key>.svg` by default), so the
Markdown sits beside the folder of figures that `services.report.report_files`
writes; each has its words as alternative text and its caption under it.
"""

from __future__ import annotations

from cosynth.domain.report import Block, Figure, ItemList, Paragraph, Quotation, Report, Section
from cosynth.domain.report_tables import ReportTable

FIGURES = "figures"


def figure_file(figure: Figure, folder: str = FIGURES) -> str:
    """Where the Markdown (and the report's folder) keeps a figure's SVG."""
    return f"{folder}/{figure.key}.svg"


def report_markdown(report: Report, *, figures: str = FIGURES) -> bytes:
    """The report as one Markdown document; `figures` is the folder the images are linked in."""
    lines = [f"# {_inline(report.title)}", ""]
    for line in report.subtitle:
        lines += [_inline(line), ""]
    lines += ["## Contents", ""]
    for number, part in enumerate(report.parts, 1):
        lines.append(f"{number}. [{_inline(part.title)}](#{part.key})")
    lines.append("")
    for part in report.parts:
        lines.extend(_section(part, 2, figures))
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")


def _section(section: Section, level: int, figures: str) -> list[str]:
    # An explicit anchor, so the contents' links work whatever a viewer does to headings.
    lines = [f'<a id="{section.key}"></a>', "", f"{'#' * min(level, 6)} {_inline(section.title)}"]
    lines.append("")
    for block in section.blocks:
        lines.extend(_block(block, level, figures))
    return lines


def _block(block: Block, level: int, figures: str) -> list[str]:
    if isinstance(block, Section):
        return _section(block, level + 1, figures)
    if isinstance(block, Paragraph):
        text = _inline(block.text).replace("\n", "  \n")
        return [f"*{text}*" if block.note else text, ""]
    if isinstance(block, Quotation):
        return [f"> \u201c{_inline(block.text)}\u201d {_inline(block.citation)}", ""]
    if isinstance(block, ItemList):
        return [
            *(
                f"{f'{n}.' if block.ordered else '-'} {_inline(item)}"
                for n, item in enumerate(block.items, 1)
            ),
            "",
        ]
    if isinstance(block, ReportTable):
        return _table(block)
    return [
        f"![{_inline(block.alt)}]({figure_file(block, figures)})",
        "",
        f"**{_inline(block.caption)}**",
        "",
    ]


def _table(table: ReportTable) -> list[str]:
    lines = [f"**{_inline(table.title)}**", ""]
    lines.append("| " + " | ".join(_cell(c) for c in table.columns) + " |")
    lines.append("|" + "|".join("---" for _ in table.columns) + "|")
    lines.extend("| " + " | ".join(_cell(cell) for cell in row) + " |" for row in table.rows)
    lines.append("")
    for note in table.notes:
        lines += [f"*{_inline(note)}*", ""]
    return lines


def _inline(text: str) -> str:
    """Text that Markdown shows as written: its marks escaped, nothing read as markup."""
    return "\n".join(_line_start(line) for line in _marks(text).split("\n"))


def _marks(text: str) -> str:
    escaped = text.replace("\\", "\\\\")
    for mark in ("*", "_", "`", "<", ">"):
        escaped = escaped.replace(mark, "\\" + mark)
    # A citation's brackets stay as written ("[Bruns 2021: 241]"); only a link's pattern
    # ("](") and a heading's or list's mark at the start of a line would be read as markup.
    return escaped.replace("](", "]\\(")


def _line_start(line: str) -> str:
    if line.startswith(("#", "+", "-", "=")):
        return "\\" + line
    return line


def _cell(text: str) -> str:
    # Inside a cell nothing starts a line, so only the cell's own mark is escaped.
    return _marks(text).replace("|", "\\|").replace("\n", "<br>")
