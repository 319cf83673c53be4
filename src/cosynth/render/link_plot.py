"""The link analysis as an SVG dot plot: one row per category, one dot per study's score.

Written directly (DESIGN.md: SVG for figures, no plotting library). Pure:
the analysis in, bytes out. Text is real SVG text, and the figure has a
title and a description for screen readers (WCAG 1.1.1).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from cosynth.domain.coproduction import LinkAnalysis
from cosynth.render.svg import FONT_FAMILY, text_width

ROW = 34
LEFT = 230
RIGHT = 150
TOP = 56
WIDTH = 760


def link_plot_svg(
    analysis: LinkAnalysis, *, low: int, high: int, title: str, id_prefix: str = ""
) -> bytes:
    """Scores (x, from `low` to `high`) of the studies in each category (rows).

    `id_prefix` keeps the title's and description's ids unique when several
    plots are inlined in one web page.
    """
    span = max(high - low, 1)
    plot = WIDTH - LEFT - RIGHT
    # The labels' column is as wide as the longest label (measured in Liberation Sans,
    # render.svg), so a long category ("Continuous improvement committees") is not cut.
    labels = [f"{row.category} (n={row.count})" for row in analysis.rows]
    left = max([LEFT, *(text_width(label, 13) + 24 for label in labels)])
    width = round(left + plot + RIGHT)
    height = TOP + ROW * len(analysis.rows) + 50

    def x(score: float) -> float:
        return left + plot * (score - low) / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{id_prefix}t {id_prefix}d" '
        f'font-family="{FONT_FAMILY}" font-size="13">',
        f'<title id="{id_prefix}t">{escape(title)}</title>',
        f'<desc id="{id_prefix}d">{escape(_description(analysis))}</desc>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="{left:.1f}" y="24" font-size="15" font-weight="bold">{escape(title)}</text>',
    ]
    axis_y = TOP + ROW * len(analysis.rows) + 6
    for tick in range(low, high + 1):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{TOP - 10}" x2="{x(tick):.1f}" y2="{axis_y}" '
            'stroke="#dddddd"/>'
        )
        parts.append(
            f'<text x="{x(tick):.1f}" y="{axis_y + 18}" text-anchor="middle">{tick}</text>'
        )
    parts.append(
        f'<text x="{left + plot / 2:.1f}" y="{axis_y + 38}" text-anchor="middle">'
        "extent-of-co-production score</text>"
    )
    for index, (row, name) in enumerate(zip(analysis.rows, labels, strict=True)):
        y = TOP + ROW * index + ROW / 2
        parts.append(
            f'<text x="{left - 12:.1f}" y="{y + 4:.1f}" text-anchor="end">{escape(name)}</text>'
        )
        seen: dict[int, int] = {}
        for label, score in zip(row.studies, row.scores, strict=True):
            stack = seen.get(score, 0)
            seen[score] = stack + 1
            parts.append(
                f'<circle cx="{x(score):.1f}" cy="{y - 6 + 6 * stack:.1f}" r="5" '
                f'fill="#1f5fa8" fill-opacity="0.8">'
                f"<title>{escape(label)}: {score}</title></circle>"
            )
        parts.append(
            f'<line x1="{x(row.mean_score):.1f}" y1="{y - 12:.1f}" x2="{x(row.mean_score):.1f}" '
            f'y2="{y + 12:.1f}" stroke="#b3261e" stroke-width="2"/>'
        )
        parts.append(
            f'<text x="{width - RIGHT + 12}" y="{y + 4:.1f}">mean {row.mean_score:.1f}</text>'
        )
    parts.append("</svg>")
    return ("\n".join(parts) + "\n").encode("utf-8")


def _description(analysis: LinkAnalysis) -> str:
    rows = "; ".join(
        f"{row.category}: {row.count} studies, mean score {row.mean_score:.1f}"
        for row in analysis.rows
    )
    return f"Extent-of-co-production scores by {analysis.characteristic}. {rows}."
