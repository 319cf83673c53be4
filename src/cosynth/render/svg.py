"""A small toolkit for writing SVG figures by hand: escaping, text measured and wrapped, shapes.

DESIGN.md: figures are SVG written directly, no plotting library. Text is
measured with the advance widths of a real font (Liberation Sans, the same
metrics as Arial and Helvetica; the table is data in fonts/liberation-sans.json
with its source, written by scripts/font-widths.py) and wrapped to the box it
goes in, so a label never runs out of its box whichever of the three fonts the
reader's system draws with. The figures name those fonts first.

Every figure is an accessible image: role="img", a <title> and a <desc>
that says in words what the picture shows (WCAG 1.1.1). Nothing relies on
colour alone (WCAG 1.4.1): shapes, line styles and words carry the meaning, so
a figure printed in greyscale reads the same. Output is deterministic: ids come
from the caller's prefix and the content, numbers are rounded the same way
every time, and nothing records a time.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

FONT_FAMILY = "Arial, 'Liberation Sans', Helvetica, sans-serif"
INK = "#1a1a1a"  # text: 17:1 on white (WCAG 1.4.3)
LINE = "#4d4d4d"  # lines and borders: 8:1 on white, over the 3:1 of WCAG 1.4.11
WIDE = 1000  # an East Asian wide character, in thousandths of an em


@dataclass(frozen=True, slots=True)
class FontMetrics:
    """Advance widths of one font, in thousandths of an em, regular and bold."""

    name: str
    source: str
    ascent: int
    descent: int
    regular: Mapping[str, int]
    bold: Mapping[str, int]

    def width(self, text: str, size: float, *, bold: bool = False) -> float:
        """The advance width of `text` at `size` pixels.

        A letter the table lacks is measured as its base letter (NFKD: "ł"
        as "l", "ő" as "o") with accents taking no width; a wide character
        as one em; anything else as the widest letter, "W", so an estimate
        errs long rather than short.
        """
        table = self.bold if bold else self.regular
        fallback = table["W"]
        total = 0
        for char in text:
            known = table.get(char)
            if known is not None:
                total += known
                continue
            if unicodedata.east_asian_width(char) in {"W", "F"}:
                total += WIDE
                continue
            parts = [c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)]
            if parts and all(part in table for part in parts):
                total += sum(table[part] for part in parts)
            elif unicodedata.combining(char) or unicodedata.category(char) == "Cf":
                continue
            else:
                total += fallback
        return total * size / 1000


@cache
def metrics() -> FontMetrics:
    """The font table shipped with cosynth (read once)."""
    data = json.loads(
        files("cosynth.render").joinpath("fonts/liberation-sans.json").read_text("utf-8")
    )
    scale = 1000 / data["units_per_em"]
    return FontMetrics(
        name=data["font"],
        source=data["source"],
        ascent=round(data["ascent"] * scale),
        descent=round(data["descent"] * scale),
        regular={char: round(w * scale) for char, w in data["regular"].items()},
        bold={char: round(w * scale) for char, w in data["bold"].items()},
    )


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    return metrics().width(text, size, bold=bold)


def wrap(text: str, width: float, size: float, *, bold: bool = False) -> tuple[str, ...]:
    """`text` broken into lines no wider than `width` at `size` pixels.

    Greedy, at spaces; a word too long for a line breaks after a hyphen or
    slash if it has one that fits, else between letters. Empty text is one
    empty line, so a box always has a height.
    """
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, size, bold=bold) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            rest = word
            while text_width(rest, size, bold=bold) > width:
                head, rest = _break_word(rest, width, size, bold=bold)
                lines.append(head)
            line = rest
        lines.append(line)
    return tuple(lines)


def _break_word(word: str, width: float, size: float, *, bold: bool) -> tuple[str, str]:
    fits = 1
    while fits < len(word) and text_width(word[: fits + 1], size, bold=bold) <= width:
        fits += 1
    for cut in range(fits, 0, -1):
        if word[cut - 1] in "-/\u2010\u2013":
            return word[:cut], word[cut:]
    return word[:fits], word[fits:]


def escape(text: str) -> str:
    """Text made safe for SVG content and for attribute values in double quotes.

    Characters XML 1.0 forbids (control characters) are dropped: they cannot
    be written at all, and a figure must always parse.
    """
    cleaned = "".join(
        char
        for char in text
        if char in "\t\n\r" or (ord(char) >= 0x20 and not 0xD800 <= ord(char) <= 0xDFFF)
        if char not in "\ufffe\uffff"
    )
    return (
        cleaned.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def num(value: float) -> str:
    """A coordinate, to one decimal place, without a trailing ".0" (stable output)."""
    rounded = round(value, 1)
    if rounded == 0:
        return "0"
    return f"{rounded:.1f}".removesuffix(".0")


def slug(text: str) -> str:
    """A fragment for an id, from a name: lower-case letters, digits and hyphens."""
    kept = "".join(c if c.isascii() and c.isalnum() else "-" for c in text.casefold())
    return "-".join(part for part in kept.split("-") if part) or "x"


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle: top-left corner, width and height, in pixels."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def centre(self) -> Point:
        return Point(self.x + self.width / 2, self.y + self.height / 2)

    def left_at(self, fraction: float = 0.5) -> Point:
        """A point on the left edge, `fraction` of the way down."""
        return Point(self.x, self.y + self.height * fraction)

    def right_at(self, fraction: float = 0.5) -> Point:
        return Point(self.right, self.y + self.height * fraction)

    def top_mid(self) -> Point:
        return Point(self.x + self.width / 2, self.y)

    def bottom_mid(self) -> Point:
        return Point(self.x + self.width / 2, self.bottom)

    def contains(self, point: Point, margin: float = 0) -> bool:
        return (
            self.x - margin <= point.x <= self.right + margin
            and self.y - margin <= point.y <= self.bottom + margin
        )

    def moved(self, dx: float = 0, dy: float = 0) -> Box:
        return Box(self.x + dx, self.y + dy, self.width, self.height)


@dataclass(frozen=True, slots=True)
class Style:
    """How a run of text is set: size in pixels, weight, line spacing, italic."""

    size: float = 13
    bold: bool = False
    italic: bool = False
    leading: float = 1.25

    @property
    def line_height(self) -> float:
        return self.size * self.leading


@dataclass(frozen=True, slots=True)
class TextBlock:
    """Lines of text set in one style, already wrapped."""

    lines: tuple[str, ...]
    style: Style

    @property
    def height(self) -> float:
        return len(self.lines) * self.style.line_height

    @property
    def width(self) -> float:
        return max(
            (text_width(line, self.style.size, bold=self.style.bold) for line in self.lines),
            default=0,
        )


def block(text: str, width: float, style: Style) -> TextBlock:
    """`text` wrapped to `width` in `style`."""
    return TextBlock(wrap(text, width, style.size, bold=style.bold), style)


PADDING = 8


def label_height(blocks: Sequence[TextBlock], padding: float = PADDING) -> float:
    """The height of a box holding `blocks` one under another, with `padding` all round."""
    return 2 * padding + sum(b.height for b in blocks)


def text(
    blocks: Sequence[TextBlock],
    x: float,
    top: float,
    *,
    anchor: str = "middle",
    fill: str = INK,
) -> str:
    """A <text> element: each line a <tspan> at its own baseline, `top` the first line's top.

    The baseline sits where the font's ascent puts it within the line's
    height, so a box made `label_height` tall holds the lines exactly.
    """
    if not blocks:
        return ""
    first = blocks[0].style
    font = metrics()
    spans: list[str] = []
    y = top
    for part in blocks:
        style = part.style
        half_leading = (style.line_height - style.size * (font.ascent + font.descent) / 1000) / 2
        for line in part.lines:
            baseline = y + half_leading + style.size * font.ascent / 1000
            attrs = f'x="{num(x)}" y="{num(baseline)}"'
            if style != first:
                attrs += _font_attrs(style, first)
            spans.append(f"<tspan {attrs}>{escape(line)}</tspan>")
            y += style.line_height
    head = f'<text text-anchor="{anchor}" font-size="{num(first.size)}"'
    if first.bold:
        head += ' font-weight="bold"'
    if first.italic:
        head += ' font-style="italic"'
    if fill != INK:
        head += f' fill="{fill}"'
    return head + ">" + "".join(spans) + "</text>"


def _font_attrs(style: Style, base: Style) -> str:
    attrs = f' font-size="{num(style.size)}"' if style.size != base.size else ""
    if style.bold != base.bold:
        attrs += f' font-weight="{"bold" if style.bold else "normal"}"'
    if style.italic != base.italic:
        attrs += f' font-style="{"italic" if style.italic else "normal"}"'
    return attrs


def rect(
    box: Box,
    *,
    rx: float = 0,
    fill: str = "#ffffff",
    stroke: str = LINE,
    stroke_width: float = 1,
    dash: str = "",
) -> str:
    attrs = f'x="{num(box.x)}" y="{num(box.y)}" width="{num(box.width)}" height="{num(box.height)}"'
    if rx:
        attrs += f' rx="{num(rx)}"'
    attrs += f' fill="{fill}" stroke="{stroke}" stroke-width="{num(stroke_width)}"'
    if dash:
        attrs += f' stroke-dasharray="{dash}"'
    return f"<rect {attrs}/>"


def node(
    key: str,
    box: Box,
    blocks: Sequence[TextBlock],
    *,
    rx: float = 6,
    fill: str = "#ffffff",
    stroke: str = LINE,
    stroke_width: float = 1,
    dash: str = "",
    padding: float = PADDING,
    anchor: str = "middle",
    tooltip: str = "",
) -> str:
    """A labelled box as one group: <g class="node"> holding its <rect> and <text>.

    The text is centred vertically; horizontally as `anchor` says. `tooltip`
    becomes the group's own <title> (a hover text, e.g. a full description).
    """
    inner = label_height(blocks, padding) - 2 * padding
    top = box.y + (box.height - inner) / 2
    if anchor == "middle":
        x = box.x + box.width / 2
    elif anchor == "end":
        x = box.right - padding
    else:
        x = box.x + padding
    hover = f"<title>{escape(tooltip)}</title>" if tooltip else ""
    return (
        f'<g class="node" id="{escape(key)}">{hover}'
        + rect(box, rx=rx, fill=fill, stroke=stroke, stroke_width=stroke_width, dash=dash)
        + text(blocks, x, top, anchor=anchor)
        + "</g>"
    )


def arrow_marker(marker_id: str, *, fill: str = LINE) -> str:
    """An arrowhead for `marker-end`, turned to follow its line (straight, curved or arc)."""
    return (
        f'<marker id="{escape(marker_id)}" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" markerUnits="strokeWidth" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{fill}"/></marker>'
    )


def _line_attrs(stroke: str, width: float, dash: str, marker: str) -> str:
    attrs = f'fill="none" stroke="{stroke}" stroke-width="{num(width)}"'
    if dash:
        attrs += f' stroke-dasharray="{dash}"'
    if marker:
        attrs += f' marker-end="url(#{escape(marker)})"'
    return attrs


def line(
    start: Point,
    end: Point,
    *,
    stroke: str = LINE,
    width: float = 1.5,
    dash: str = "",
    marker: str = "",
) -> str:
    return (
        f'<line x1="{num(start.x)}" y1="{num(start.y)}" x2="{num(end.x)}" y2="{num(end.y)}" '
        + _line_attrs(stroke, width, dash, marker)
        + "/>"
    )


def path(
    d: str, *, stroke: str = LINE, width: float = 1.5, dash: str = "", marker: str = ""
) -> str:
    return f'<path d="{d}" ' + _line_attrs(stroke, width, dash, marker) + "/>"


def curve(start: Point, end: Point) -> str:
    """Path data for a left-to-right S-curve: leaves and arrives horizontally."""
    bend = max((end.x - start.x) / 2, 12)
    return (
        f"M{num(start.x)},{num(start.y)} C{num(start.x + bend)},{num(start.y)} "
        f"{num(end.x - bend)},{num(end.y)} {num(end.x)},{num(end.y)}"
    )


def elbow(start: Point, end: Point) -> str:
    """Path data for a tree connector: across half way, down or up, across again."""
    middle = (start.x + end.x) / 2
    return (
        f"M{num(start.x)},{num(start.y)} H{num(middle)} V{num(end.y)} H{num(end.x)}"
        if start.y != end.y
        else f"M{num(start.x)},{num(start.y)} H{num(end.x)}"
    )


def arc(centre: Point, radius: float, start_angle: float, end_angle: float) -> str:
    """Path data for a clockwise arc (angles in radians, 0 = east, y down as SVG has it)."""
    start = Point(
        centre.x + radius * math.cos(start_angle), centre.y + radius * math.sin(start_angle)
    )
    end = Point(centre.x + radius * math.cos(end_angle), centre.y + radius * math.sin(end_angle))
    sweep = (end_angle - start_angle) % (2 * math.pi)
    large = 1 if sweep > math.pi else 0
    return (
        f"M{num(start.x)},{num(start.y)} "
        f"A{num(radius)},{num(radius)} 0 {large} 1 {num(end.x)},{num(end.y)}"
    )


def document(
    width: float,
    height: float,
    *,
    title: str,
    description: str,
    body: Iterable[str],
    defs: Iterable[str] = (),
    id_prefix: str = "",
) -> bytes:
    """The whole figure as UTF-8 bytes: an accessible <svg> root on a white ground.

    `id_prefix` keeps ids unique when several figures are inlined in one
    web page (the title's, the description's, markers' and patterns').
    """
    w, h = num(math.ceil(width)), num(math.ceil(height))
    # No XML declaration: UTF-8 is XML's default, and the same bytes can be
    # inlined in an HTML page, where a declaration does not belong.
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        f'role="img" aria-labelledby="{escape(id_prefix)}title {escape(id_prefix)}desc" '
        f'font-family="{FONT_FAMILY}" fill="{INK}">',
        f'<title id="{escape(id_prefix)}title">{escape(title)}</title>',
        f'<desc id="{escape(id_prefix)}desc">{escape(description)}</desc>',
    ]
    definitions = [d for d in defs if d]
    if definitions:
        parts.append("<defs>" + "".join(definitions) + "</defs>")
    parts.append('<rect width="100%" height="100%" fill="#ffffff"/>')
    parts.extend(part for part in body if part)
    parts.append("</svg>")
    return ("\n".join(parts) + "\n").encode("utf-8")


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"
