"""The report as one standalone HTML file. Pure: a `Report` in, bytes out.

Everything is in the one file (style and figures; no script, no fetch), so it
can be mailed, archived or opened from a USB stick. Figures are the SVG itself
as an image, with the figure's words as its alternative text (WCAG 1.1.1) and
its caption under it; tables have a caption and column headers (WCAG 1.3.1).
The markup is also well-formed XML, so any parser reads it the same way.
"""

from __future__ import annotations

import base64
from html import escape

from cosynth.domain.report import (
    Block,
    Figure,
    ItemList,
    Paragraph,
    Quotation,
    Report,
    Section,
)
from cosynth.domain.report_tables import ReportTable

# Plain, printable, high-contrast (WCAG 1.4.3 and 1.4.11: text and borders above 4.5:1).
STYLE = """
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; line-height: 1.5;
  color: #1a1a1a; background: #ffffff; max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem; }
a { color: #1f4f8a; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #ffffff; padding: .5rem; }
header p { margin: .25rem 0; }
nav ol { padding-left: 1.5rem; }
h2 { border-top: 2px solid #1a1a1a; padding-top: .75rem; margin-top: 2.5rem; }
table { border-collapse: collapse; margin: 1rem 0; font-size: .875rem; width: 100%; }
caption { text-align: left; font-weight: bold; padding: .25rem 0; }
th, td { border: 1px solid #595959; padding: .3rem .45rem; vertical-align: top; text-align: left; }
thead th { background: #e8eef5; }
.wide { overflow-x: auto; }
figure { margin: 1.5rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #d0d0d0; }
figcaption { font-weight: bold; margin-top: .4rem; }
blockquote { margin: .75rem 0 .75rem 1rem; padding-left: 1rem; border-left: 4px solid #1f4f8a; }
blockquote footer { font-style: normal; color: #3d3d3d; }
.note { font-size: .875rem; color: #3d3d3d; font-style: italic; }
@media print { h2 { break-before: page; } .skip, nav { display: none; }
  .wide { overflow: visible; } }
"""


def report_html(report: Report) -> bytes:
    """The report as an HTML document: a contents list linking to each part, then the parts."""
    lines = [
        "<!DOCTYPE html>",
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="en">',
        "<head>",
        '<meta charset="utf-8"/>',
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
        f"<title>{_e(report.title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#main">Skip to the report</a>',
        "<header>",
        f"<h1>{_e(report.title)}</h1>",
        *(f"<p>{_e(line)}</p>" for line in report.subtitle),
        "</header>",
        '<nav aria-labelledby="contents"><h2 id="contents">Contents</h2><ol>',
        *(f'<li><a href="#{_e(part.key)}">{_e(part.title)}</a></li>' for part in report.parts),
        "</ol></nav>",
        '<main id="main">',
    ]
    for part in report.parts:
        lines.extend(_section(part, 2))
    lines += ["</main>", "</body>", "</html>"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _section(section: Section, level: int) -> list[str]:
    heading = min(level, 6)
    lines = [
        f'<section id="{_e(section.key)}" aria-labelledby="{_e(section.key)}-h">',
        f'<h{heading} id="{_e(section.key)}-h">{_e(section.title)}</h{heading}>',
    ]
    for block in section.blocks:
        lines.extend(_block(block, level))
    lines.append("</section>")
    return lines


def _block(block: Block, level: int) -> list[str]:
    if isinstance(block, Section):
        return _section(block, level + 1)
    if isinstance(block, Paragraph):
        kind = ' class="note"' if block.note else ""
        return [f"<p{kind}>{_text(block.text)}</p>"]
    if isinstance(block, Quotation):
        return [
            f"<blockquote><p>\u201c{_text(block.text)}\u201d</p>"
            f"<footer>{_e(block.citation)}</footer></blockquote>"
        ]
    if isinstance(block, ItemList):
        tag = "ol" if block.ordered else "ul"
        items = "".join(f"<li>{_text(item)}</li>" for item in block.items)
        return [f"<{tag}>{items}</{tag}>"]
    if isinstance(block, ReportTable):
        return _table(block)
    return _figure(block)


def _table(table: ReportTable) -> list[str]:
    lines = [
        '<div class="wide">',
        f'<table id="{_e(table.key)}">',
        f"<caption>{_e(table.title)}</caption>",
        "<thead><tr>" + "".join(f'<th scope="col">{_e(c)}</th>' for c in table.columns),
        "</tr></thead>",
        "<tbody>",
    ]
    for row in table.rows:
        lines.append("<tr>" + "".join(f"<td>{_text(cell)}</td>" for cell in row) + "</tr>")
    lines += ["</tbody>", "</table>", "</div>"]
    lines.extend(f'<p class="note">{_text(note)}</p>' for note in table.notes)
    return lines


def _figure(figure: Figure) -> list[str]:
    data = base64.b64encode(figure.svg).decode("ascii")
    return [
        f'<figure id="{_e(figure.key)}">',
        f'<img src="data:image/svg+xml;base64,{data}" alt="{_e(figure.alt)}"/>',
        f"<figcaption>{_e(figure.caption)}</figcaption>",
        "</figure>",
    ]


def _e(text: str) -> str:
    return escape(text, quote=True)


def _text(text: str) -> str:
    """Escaped, with the text's own line breaks kept."""
    return "<br/>".join(_e(line) for line in text.split("\n"))
