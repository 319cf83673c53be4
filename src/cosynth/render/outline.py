"""Words drawn as outlines: SVG path data from the glyphs of Liberation Sans.

A figure for a manuscript must look the same wherever it is opened, and a
journal's system may have none of the fonts an SVG names. Outlining the words
(the glyphs' own curves, written as paths) removes the dependency: no font is
needed to draw them. The fonts are Liberation Sans 2.1.5, Regular and Bold
(SIL Open Font License 1.1, fonts/OFL.txt), metric-compatible with Arial, so
the advance widths are the ones `svg.text_width` wraps lines with.

Outlined words cannot be read by a screen reader or searched, so whoever
draws them keeps the words in the figure's <title> and <desc>, and each
box's <title>.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from io import BytesIO
from typing import Any

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont

from cosynth.render.svg import num


@cache
def _font(bold: bool) -> tuple[Any, dict[int, str], Any, int, int]:
    """(glyph set, character map, horizontal metrics, units per em, ascent) of one weight."""
    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    font = TTFont(BytesIO(files("cosynth.render").joinpath(f"fonts/{name}").read_bytes()))
    return (
        font.getGlyphSet(),
        font.getBestCmap(),
        font["hmtx"],
        font["head"].unitsPerEm,
        font["hhea"].ascent,
    )


def advance(text: str, size: float, *, bold: bool = False) -> float:
    """The width of `text` set at `size` pixels, from the font's own advance widths."""
    _, cmap, hmtx, units, _ = _font(bold)
    total: int = sum(hmtx[_glyph(cmap, char)][0] for char in text)
    return total * size / units


def _glyph(cmap: dict[int, str], char: str) -> str:
    # A character the font lacks is drawn as its empty box (.notdef), as
    # every text renderer does; svg.text_width measures it long, never short.
    return cmap.get(ord(char), ".notdef")


def outline(
    text: str, x: float, baseline: float, size: float, *, bold: bool = False, anchor: str = "start"
) -> str:
    """Path data drawing `text` with its baseline at `baseline`; `x` is its start, middle or end."""
    glyphs, cmap, hmtx, units, _ = _font(bold)
    scale = size / units
    if anchor == "middle":
        x -= advance(text, size, bold=bold) / 2
    elif anchor == "end":
        x -= advance(text, size, bold=bold)
    pen = SVGPathPen(glyphs, ntos=_coordinate)
    for char in text:
        name = _glyph(cmap, char)
        if not char.isspace():
            # Font units have y up; SVG has y down: flip, then place at the pen position.
            glyphs[name].draw(TransformPen(pen, (scale, 0, 0, -scale, x, baseline)))
        x += hmtx[name][0] * scale
    commands: str = pen.getCommands()
    return commands


def _coordinate(value: float) -> str:
    return num(value)
