"""Write cosynth's text-width table (src/cosynth/render/fonts/liberation-sans.json).

The SVG figures wrap their text with advance widths read from a real font, so
a label never runs out of its box. The font is Liberation Sans (Regular and
Bold), metric-compatible with Arial and Helvetica: the same advance width for
every character they share, so the figure lays out the same whichever of the
three the reader's system draws with.

Run once, where the fonts and fontTools are installed (Debian: fonts-liberation;
fontTools comes with fpdf2):

    python scripts/font-widths.py /usr/share/fonts/truetype/liberation
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

# Basic Latin, Latin-1, and the punctuation and arrows the figures use.
RANGES = [
    (0x20, 0x7E),
    (0xA0, 0xFF),
    (0x2010, 0x2027),
    (0x2030, 0x203A),
    (0x2190, 0x2195),
    (0x2212, 0x2212),
    (0x2022, 0x2022),
]
OUT = Path(__file__).resolve().parent.parent / "src/cosynth/render/fonts/liberation-sans.json"


def widths(path: Path) -> tuple[dict[str, int], dict[str, float], str]:
    font = TTFont(path)
    scale = 1000 / font["head"].unitsPerEm
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    table: dict[str, int] = {}
    for low, high in RANGES:
        for code in range(low, high + 1):
            glyph = cmap.get(code)
            if glyph is not None:
                table[chr(code)] = round(hmtx[glyph][0] * scale)
    hhea = font["hhea"]
    vertical = {"ascent": round(hhea.ascent * scale), "descent": round(-hhea.descent * scale)}
    version = font["name"].getDebugName(5) or ""
    return table, vertical, version


def main(folder: str) -> None:
    regular, vertical, version = widths(Path(folder) / "LiberationSans-Regular.ttf")
    bold, _, _ = widths(Path(folder) / "LiberationSans-Bold.ttf")
    data = {
        "font": "Liberation Sans",
        "version": version.strip(),
        "source": (
            "Advance widths from the hmtx tables of LiberationSans-Regular.ttf and "
            "LiberationSans-Bold.ttf (Liberation fonts, SIL Open Font License 1.1; "
            "https://github.com/liberationfonts/liberation-fonts), metric-compatible with "
            "Arial and Helvetica. Written by scripts/font-widths.py."
        ),
        "units_per_em": 1000,
        **vertical,
        "regular": regular,
        "bold": bold,
    }
    OUT.write_text(
        json.dumps(data, ensure_ascii=False, indent=0, sort_keys=False) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/liberation")
