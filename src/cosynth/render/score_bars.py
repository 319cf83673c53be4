"""A small bar chart: each study's extent-of-co-production score, highest first.

The paper's Table 4 re-orders the studies by score; the bars let a reader see
the order (and the gap between the highest and the lowest) at a glance. Pure:
(label, score) pairs in, SVG bytes out, through the shared toolkit (render.svg)
so the text is measured and the figure is an accessible image.
"""

from __future__ import annotations

from collections.abc import Sequence

from cosynth.render import svg

ROW = 24
BAR = 16
SIZE = 13
GAP = 12
PLOT = 360
TOP = 12
BOTTOM = 36
FILL = "#1f4f8a"  # 8.6:1 on white (WCAG 1.4.11)


def score_bars_svg(
    scores: Sequence[tuple[str, int]],
    *,
    low: int,
    high: int,
    title: str,
    id_prefix: str = "",
) -> bytes:
    """One bar per study from `low` (the scheme's least score) to its score, out of `high`;
    the score written at the bar's end, so nothing is read from length alone."""
    span = max(high - low, 1)
    label_width = max((svg.text_width(label, SIZE) for label, _ in scores), default=0.0)
    left = GAP + label_width + GAP
    width = left + PLOT + 48
    height = TOP + ROW * len(scores) + BOTTOM
    body: list[str] = []
    axis_y = TOP + ROW * len(scores)
    for tick in range(low, high + 1):
        x = left + PLOT * (tick - low) / span
        body.append(
            f'<line x1="{svg.num(x)}" y1="{TOP}" x2="{svg.num(x)}" y2="{svg.num(axis_y)}" '
            'stroke="#d9d9d9"/>'
        )
        body.append(
            f'<text x="{svg.num(x)}" y="{svg.num(axis_y + 16)}" font-size="11" '
            f'text-anchor="middle">{tick}</text>'
        )
    body.append(
        f'<text x="{svg.num(left + PLOT / 2)}" y="{svg.num(axis_y + 31)}" font-size="11" '
        'text-anchor="middle">extent-of-co-production score</text>'
    )
    for index, (label, score) in enumerate(scores):
        y = TOP + ROW * index
        length = PLOT * (min(max(score, low), high) - low) / span
        body.append(
            f'<text x="{svg.num(left - GAP)}" y="{svg.num(y + ROW / 2 + 4)}" font-size="{SIZE}" '
            f'text-anchor="end">{svg.escape(label)}</text>'
        )
        body.append(
            f'<rect x="{svg.num(left)}" y="{svg.num(y + (ROW - BAR) / 2)}" '
            f'width="{svg.num(length)}" height="{BAR}" fill="{FILL}"/>'
        )
        body.append(
            f'<text x="{svg.num(left + length + 6)}" y="{svg.num(y + ROW / 2 + 4)}" '
            f'font-size="{SIZE}" font-weight="bold">{score}</text>'
        )
    ranked = "; ".join(f"{label} {score}" for label, score in scores)
    return svg.document(
        width,
        height,
        title=title,
        description=f"Scores from {low} to {high}, highest first: {ranked}.",
        body=body,
        id_prefix=id_prefix,
    )
