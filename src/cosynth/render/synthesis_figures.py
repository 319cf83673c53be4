"""The synthesis's figures as SVG: the theme map, the translation diagram, the ladder and cycle.

They follow the paper's Figures 3, 4 and 5 (Conquer et al. 2024, Findings):
the categories, themes and sub-themes (Figure 3); the themes, the advisory
group's translations and the new interpretations they led to (Figure 4); and
the ladder of co-production with the review's new rung, co-delivery, opening
into a cycle (Figure 5).

Pure: data in, bytes out. Each figure grows with its content (ten themes or
forty), wraps every label to its box with measured text (render.svg), and
tells levels and kinds apart by position, shape, line style and words, never
by colour alone (WCAG 1.4.1), so it reads in greyscale print.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from cosynth.domain.coproduction import Level, Scale
from cosynth.domain.figures import CO_DELIVERY_CYCLE, DiagramNode, LayeredDiagram
from cosynth.domain.synthesis import ThemeLevel, ThemeNode
from cosynth.render import svg
from cosynth.render.svg import Box, Point, Style, TextBlock

MARGIN = 24
TITLE = Style(size=16, bold=True)
HEADING = Style(size=13, bold=True)
NOTE = Style(size=11, italic=True)
SMALL = Style(size=11)
LIGHT = "#ececec"  # a light grey ground for emphasis; the words and borders carry it too
MID = "#d9d9d9"


def _title(title: str, width: float, y: float) -> tuple[str, float]:
    """The figure's visible title, wrapped, and the y below it."""
    heading = svg.block(title, width - 2 * MARGIN, TITLE)
    return svg.text([heading], MARGIN, y, anchor="start"), y + heading.height + 12


def _footer(notes: Sequence[str], width: float, y: float) -> tuple[str, float]:
    blocks = [svg.block(note, width - 2 * MARGIN, SMALL) for note in notes if note]
    if not blocks:
        return "", y
    return svg.text(blocks, MARGIN, y, anchor="start"), y + sum(b.height for b in blocks)


@dataclass(frozen=True, slots=True)
class _Look:
    """How one kind of box is drawn: its ground, border weight, corners and text."""

    fill: str
    stroke_width: float
    rx: float
    style: Style


# -- Figure 3: the theme map


_TREE_WIDTHS = {ThemeLevel.CATEGORY: 170.0, ThemeLevel.THEME: 210.0, ThemeLevel.SUB_THEME: 220.0}
_TREE_LOOKS = {
    ThemeLevel.CATEGORY: _Look(MID, 2.5, 2, Style(size=14, bold=True)),
    ThemeLevel.THEME: _Look(LIGHT, 1.5, 8, Style(size=13, bold=True)),
    ThemeLevel.SUB_THEME: _Look("#ffffff", 1, 14, Style(size=12.5)),
}
_TREE_GAPS = {ThemeLevel.CATEGORY: 28.0, ThemeLevel.THEME: 14.0, ThemeLevel.SUB_THEME: 8.0}
_LEVEL_HEADINGS = {
    ThemeLevel.CATEGORY: "Categories",
    ThemeLevel.THEME: "Themes",
    ThemeLevel.SUB_THEME: "Sub-themes",
}
_TREE_GUTTER = 56.0


@dataclass(frozen=True, slots=True)
class _Placed:
    node: ThemeNode
    box: Box
    blocks: tuple[TextBlock, ...]
    children: tuple[_Placed, ...]


def _study_count(node: ThemeNode) -> str:
    return svg.plural(len(node.support.record_ids), "study", "studies")


def theme_map_svg(
    tree: Sequence[ThemeNode],
    *,
    title: str = "Categories, themes and sub-themes of the synthesis",
    studies: bool = True,
    id_prefix: str = "",
) -> bytes:
    """The paper's Figure 3: categories > themes > sub-themes, left to right.

    Each level has its own column (headed), box shape and weight of border;
    with `studies`, each box notes how many studies support it.
    """
    levels = sorted({n.theme.level for n in _walk(tree)}, key=list(ThemeLevel).index) or [
        ThemeLevel.CATEGORY
    ]
    xs: dict[ThemeLevel, float] = {}
    x = float(MARGIN)
    for level in levels:
        xs[level] = x
        x += _TREE_WIDTHS[level] + _TREE_GUTTER
    width = max(x - _TREE_GUTTER + MARGIN, 420)

    title_svg, y = _title(title, width, MARGIN)
    body = [title_svg]
    heading_blocks = {
        level: svg.block(_LEVEL_HEADINGS[level], _TREE_WIDTHS[level], HEADING) for level in levels
    }
    body.extend(svg.text([heading_blocks[level]], xs[level], y, anchor="start") for level in levels)
    y += max(b.height for b in heading_blocks.values()) + 10

    measured: dict[int, tuple[tuple[TextBlock, ...], float, float]] = {}

    def measure(node: ThemeNode) -> tuple[tuple[TextBlock, ...], float, float]:
        """A node's text, its own box's height and its subtree's height (kept once made)."""
        if node.theme.id in measured:
            return measured[node.theme.id]
        level = node.theme.level
        inner = _TREE_WIDTHS[level] - 2 * svg.PADDING
        blocks = [svg.block(node.theme.name, inner, _TREE_LOOKS[level].style)]
        if studies:
            blocks.append(svg.block(_study_count(node), inner, NOTE))
        own = svg.label_height(blocks)
        kids = [measure(child)[2] for child in node.children]
        gap = _TREE_GAPS[node.children[0].theme.level] if node.children else 0
        span = sum(kids) + gap * max(len(kids) - 1, 0)
        measured[node.theme.id] = (tuple(blocks), own, max(own, span))
        return measured[node.theme.id]

    def place(node: ThemeNode, top: float) -> _Placed:
        blocks, own, extent = measure(node)
        children: list[_Placed] = []
        if node.children:
            gap = _TREE_GAPS[node.children[0].theme.level]
            spans = [measure(child)[2] for child in node.children]
            cursor = top + (extent - (sum(spans) + gap * (len(spans) - 1))) / 2
            for child, span in zip(node.children, spans, strict=True):
                children.append(place(child, cursor))
                cursor += span + gap
            middle = (children[0].box.centre.y + children[-1].box.centre.y) / 2
            box_top = min(max(top, middle - own / 2), top + extent - own)
        else:
            box_top = top + (extent - own) / 2
        level = node.theme.level
        box = Box(xs[level], box_top, _TREE_WIDTHS[level], own)
        return _Placed(node, box, blocks, tuple(children))

    placed: list[_Placed] = []
    for root in tree:
        placed.append(place(root, y))
        y += measure(root)[2] + _TREE_GAPS[ThemeLevel.CATEGORY]
    if not placed:
        empty = svg.block("No themes yet.", width - 2 * MARGIN, NOTE)
        body.append(svg.text([empty], MARGIN, y, anchor="start"))
        y += empty.height + _TREE_GAPS[ThemeLevel.CATEGORY]

    lines: list[str] = []
    boxes: list[str] = []

    def draw(item: _Placed) -> None:
        look = _TREE_LOOKS[item.node.theme.level]
        boxes.append(
            svg.node(
                f"{id_prefix}theme-{item.node.theme.id}",
                item.box,
                item.blocks,
                rx=look.rx,
                fill=look.fill,
                stroke_width=look.stroke_width,
                tooltip=item.node.theme.description,
            )
        )
        for child in item.children:
            lines.append(svg.path(svg.elbow(item.box.right_at(), child.box.left_at())))
            draw(child)

    for item in placed:
        draw(item)
    height = y - _TREE_GAPS[ThemeLevel.CATEGORY] + MARGIN
    return svg.document(
        width,
        height,
        title=title,
        description=_tree_description(tree, studies=studies),
        body=[*body, *lines, *boxes],
        id_prefix=id_prefix,
    )


def _walk(tree: Sequence[ThemeNode]) -> list[ThemeNode]:
    found: list[ThemeNode] = []
    for node in tree:
        found.append(node)
        found.extend(_walk(node.children))
    return found


def _tree_description(tree: Sequence[ThemeNode], *, studies: bool) -> str:
    if not tree:
        return "No themes have been recorded yet."

    def say(node: ThemeNode) -> str:
        words = node.theme.name + (f" ({_study_count(node)})" if studies else "")
        if node.children:
            kind = _LEVEL_HEADINGS[node.children[0].theme.level].lower()
            words += f", with {kind}: " + "; ".join(say(child) for child in node.children)
        return words

    return "A tree read left to right, from categories to themes to sub-themes. " + " ".join(
        f"Category {say(root)}." for root in tree
    )


# -- Figure 4: themes, the advisory group's translations, the new interpretations


_COLUMN_WIDTHS = (210.0, 220.0, 220.0)
_COLUMN_GUTTER = 96.0
_NODE_GAP = 12.0
_COLUMN_LOOKS = (
    _Look("#ffffff", 1, 3, Style(size=13)),
    _Look(LIGHT, 1.5, 16, Style(size=13)),
    _Look(MID, 2.5, 3, Style(size=14, bold=True)),
)
_DIRECT_DASH = "6 4"


def interpretations_svg(
    diagram: LayeredDiagram,
    *,
    title: str = "Themes, the advisory group's translations and the new interpretations",
    id_prefix: str = "",
) -> bytes:
    """The paper's Figure 4: a column per stage, lines from each box to those it led to.

    Boxes are ordered so lines cross little (`_crossing_less_order`); a
    theme stays among its category's. A line that skips a
    column (a theme an interpretation names directly) is dashed, and the
    legend says so.
    """
    count = len(diagram.columns)
    widths = [_COLUMN_WIDTHS[min(i, len(_COLUMN_WIDTHS) - 1)] for i in range(count)]
    looks = [_COLUMN_LOOKS[min(i, len(_COLUMN_LOOKS) - 1)] for i in range(count)]
    xs = [MARGIN + sum(widths[:i]) + _COLUMN_GUTTER * i for i in range(count)]
    width = max(xs[-1] + widths[-1] + MARGIN if count else 0, 480)

    title_svg, y = _title(title, width, MARGIN)
    body = [title_svg]
    headings = [svg.block(c.heading, widths[i], HEADING) for i, c in enumerate(diagram.columns)]
    body.extend(svg.text([h], xs[i], y, anchor="start") for i, h in enumerate(headings))
    y += max((h.height for h in headings), default=0) + 12

    contents: dict[str, tuple[TextBlock, ...]] = {}
    for i, column in enumerate(diagram.columns):
        for item in column.nodes:
            contents[item.key] = _node_blocks(item, widths[i], looks[i].style)
    heights = {key: svg.label_height(blocks) for key, blocks in contents.items()}
    totals = [
        sum(heights[n.key] for n in c.nodes) + _NODE_GAP * max(len(c.nodes) - 1, 0)
        for c in diagram.columns
    ]
    tallest = max(totals, default=0)
    orders = _crossing_less_order(diagram, heights, tallest)
    boxes: dict[str, Box] = {}
    for i, ordered in enumerate(orders):
        cursor = y + (tallest - totals[i]) / 2
        for item in ordered:
            boxes[item.key] = Box(xs[i], cursor, widths[i], heights[item.key])
            cursor += heights[item.key] + _NODE_GAP
    bottom = y + tallest

    marker = f"{id_prefix}arrow"
    edges = [e for e in diagram.edges if e.source in boxes and e.target in boxes]
    outgoing: dict[str, list[str]] = {}
    incoming: dict[str, list[str]] = {}
    for edge in edges:
        outgoing.setdefault(edge.source, []).append(edge.target)
        incoming.setdefault(edge.target, []).append(edge.source)

    def port(key: str, other: str, ends: dict[str, list[str]]) -> float:
        ranked = sorted(ends[key], key=lambda k: (boxes[k].centre.y, k))
        return (ranked.index(other) + 1) / (len(ranked) + 1)

    connectors = [
        svg.path(
            svg.curve(
                boxes[e.source].right_at(port(e.source, e.target, outgoing)),
                boxes[e.target].left_at(port(e.target, e.source, incoming)),
            ),
            dash=_DIRECT_DASH if e.direct else "",
            marker=marker,
        )
        for e in edges
    ]
    drawn: list[str] = []
    for i, column in enumerate(diagram.columns):
        look = looks[i]
        drawn.extend(
            svg.node(
                f"{id_prefix}{item.key}",
                boxes[item.key],
                contents[item.key],
                rx=look.rx,
                fill=look.fill,
                stroke_width=look.stroke_width,
                tooltip=item.detail,
            )
            for item in column.nodes
        )

    legend, y = _legend(
        [
            (False, "leads to (through the advisory group's translation)"),
            *(
                [(True, "named directly by the interpretation")]
                if any(e.direct for e in edges)
                else []
            ),
        ],
        marker,
        bottom + 20,
    )
    return svg.document(
        width,
        y + MARGIN,
        title=title,
        description=_diagram_description(diagram),
        body=[*body, *connectors, *drawn, *legend],
        defs=[svg.arrow_marker(marker)],
        id_prefix=id_prefix,
    )


def _node_blocks(item: DiagramNode, width: float, style: Style) -> tuple[TextBlock, ...]:
    inner = width - 2 * svg.PADDING
    blocks = [svg.block(item.label, inner, style)]
    if item.note:
        blocks.append(svg.block(item.note, inner, NOTE))
    return tuple(blocks)


def _crossing_less_order(
    diagram: LayeredDiagram, heights: dict[str, float], tallest: float
) -> list[list[DiagramNode]]:
    """The boxes of each column in an order whose lines cross less (barycentre sweeps).

    Each box moves towards the mean height of the boxes it is joined to:
    later columns after the boxes they come from, then earlier columns after
    those they lead to, then the later ones again. Boxes move only among
    their own group (a theme stays under its category), and the sort is
    stable, so the result is the same every time.
    """
    orders = [list(column.nodes) for column in diagram.columns]
    before: dict[str, list[str]] = {}
    after: dict[str, list[str]] = {}
    for edge in diagram.edges:
        before.setdefault(edge.target, []).append(edge.source)
        after.setdefault(edge.source, []).append(edge.target)

    def centres() -> dict[str, float]:
        found: dict[str, float] = {}
        for column in orders:
            total = sum(heights[n.key] for n in column) + _NODE_GAP * max(len(column) - 1, 0)
            cursor = (tallest - total) / 2
            for item in column:
                found[item.key] = cursor + heights[item.key] / 2
                cursor += heights[item.key] + _NODE_GAP
        return found

    def sweep(index: int, neighbours: dict[str, list[str]]) -> None:
        where = centres()

        def key(item: DiagramNode) -> float:
            ys = [where[k] for k in neighbours.get(item.key, ()) if k in where]
            return sum(ys) / len(ys) if ys else math.inf

        runs: list[list[DiagramNode]] = []
        for item in orders[index]:
            if runs and runs[-1][0].group == item.group:
                runs[-1].append(item)
            else:
                runs.append([item])
        orders[index] = [item for run in runs for item in sorted(run, key=key)]

    count = len(orders)
    for index in range(1, count):
        sweep(index, before)
    for index in range(count - 2, -1, -1):
        sweep(index, after)
    for index in range(1, count):
        sweep(index, before)
    return orders


def _legend(items: Sequence[tuple[bool, str]], marker: str, y: float) -> tuple[list[str], float]:
    parts: list[str] = []
    for dashed, words in items:
        middle = y + SMALL.line_height / 2
        parts.append(
            svg.line(
                Point(MARGIN, middle),
                Point(MARGIN + 44, middle),
                dash=_DIRECT_DASH if dashed else "",
                marker=marker,
            )
        )
        parts.append(svg.text([TextBlock((words,), SMALL)], MARGIN + 54, y, anchor="start"))
        y += SMALL.line_height + 4
    return parts, y


def _diagram_description(diagram: LayeredDiagram) -> str:
    said = [
        f"{column.heading}: " + ("; ".join(n.label for n in column.nodes) or "none yet") + "."
        for column in diagram.columns
    ]
    links = []
    for edge in diagram.edges:
        try:
            source, target = diagram.node(edge.source), diagram.node(edge.target)
        except KeyError:
            continue
        links.append(f"{source.label} {'directly ' if edge.direct else ''}to {target.label}")
    joined = (" Links: " + "; ".join(links) + ".") if links else " No links yet."
    return "Columns read left to right. " + " ".join(said) + joined


# -- Figure 5: the ladder of co-production and the co-delivery cycle


_RUNG_WIDTH = 210.0
_RUNG_GAP = 10.0
_GROUP_LABEL_WIDTH = 92.0
_BRACKET = 22.0
_STAGE_WIDTH = 160.0
_LADDER_TO_CYCLE = 64.0
RUNG = Style(size=13)
PROPOSED = Style(size=13, bold=True)
STAGE = Style(size=12.5)


def coproduction_cycle_svg(
    scale: Scale,
    *,
    stages: Sequence[str] = CO_DELIVERY_CYCLE,
    proposed: Collection[str] | None = None,
    proposal_note: str = "New rung proposed by this review",
    title: str = "The ladder of co-production leading to co-delivery and a cyclic framework",
    cycle_heading: str = "The co-delivery cycle",
    id_prefix: str = "",
) -> bytes:
    """The paper's Figure 5: the ladder (bottom rung at the bottom) and the cycle beside it.

    `proposed` names the rungs the review proposes (default: the scale's
    optional levels, i.e. the paper's "Co-delivery"); each is drawn with a
    heavy border and says in words that it is new. TLAP's groups ("doing to",
    "doing for", "doing with") are brackets at the ladder's side. `stages`
    go clockwise round the cycle; the one that names a proposed rung faces
    the ladder, joined to the rung by a dashed arrow.
    """
    wanted = (
        {label.casefold() for label in proposed}
        if proposed is not None
        else {level.label.casefold() for level in scale.levels if level.optional}
    )
    new = [level for level in scale.levels if level.label.casefold() in wanted]
    grouped = any(level.group for level in scale.levels)
    ladder_x = MARGIN + ((_GROUP_LABEL_WIDTH + _BRACKET) if grouped else 0)

    # The ladder in its own coordinates, top rung at y = 0.
    rung_blocks: dict[int, tuple[TextBlock, ...]] = {}
    for level in scale.levels:
        inner = _RUNG_WIDTH - 2 * svg.PADDING
        is_new = level in new
        blocks = [svg.block(f"{level.rank}. {level.label}", inner, PROPOSED if is_new else RUNG)]
        if is_new and proposal_note:
            blocks.append(svg.block(proposal_note, inner, NOTE))
        rung_blocks[level.rank] = tuple(blocks)
    rungs: dict[int, Box] = {}
    cursor = 0.0
    for level in reversed(scale.levels):
        height = max(svg.label_height(rung_blocks[level.rank]), 32)
        rungs[level.rank] = Box(ladder_x, cursor, _RUNG_WIDTH, height)
        cursor += height + _RUNG_GAP
    ladder_height = cursor - _RUNG_GAP

    # The cycle around its centre (0, 0).
    stage_blocks = [(svg.block(stage, _STAGE_WIDTH - 2 * svg.PADDING, STAGE),) for stage in stages]
    stage_heights = [svg.label_height(b) for b in stage_blocks]
    count = len(stages)
    facing = _facing_stage(stages, new)
    radius = 0.0
    if count:
        diagonal = math.hypot(_STAGE_WIDTH, max(stage_heights))
        radius = (diagonal + 36) / (2 * math.sin(math.pi / max(count, 2)))
        radius = max(radius, _STAGE_WIDTH * 0.75)
    start = math.pi if new and facing is not None else -math.pi / 2
    first = facing if new and facing is not None else 0
    angles = [start + 2 * math.pi * ((i - first) % count) / count for i in range(count)]
    offsets = [
        Box(
            radius * math.cos(a) - _STAGE_WIDTH / 2,
            radius * math.sin(a) - h / 2,
            _STAGE_WIDTH,
            h,
        )
        for a, h in zip(angles, stage_heights, strict=True)
    ]

    width_guess = (
        ladder_x + _RUNG_WIDTH + (_LADDER_TO_CYCLE + 2 * radius + _STAGE_WIDTH if count else 0)
    )
    width = max(width_guess + MARGIN, 480)
    title_svg, top = _title(title, width, MARGIN)

    # Where the cycle's centre sits relative to the ladder's top: level with
    # the proposed rung, so the arrow from rung to cycle runs straight across.
    anchor_rung = rungs[new[-1].rank] if new else None
    cycle_cy = anchor_rung.centre.y if anchor_rung else ladder_height / 2
    cycle_top = min((cycle_cy + b.y for b in offsets), default=0.0)
    scale_heading = svg.block(scale.name, _RUNG_WIDTH + 60, HEADING)
    cycle_heading_block = svg.block(cycle_heading, 2 * radius + _STAGE_WIDTH, HEADING)
    ladder_drop = top + scale_heading.height + 12
    cycle_drop = top + cycle_heading_block.height + 12 - cycle_top
    shift = max(ladder_drop, cycle_drop)
    ladder_head_y = shift - scale_heading.height - 12
    cycle_head_y = shift + cycle_top - cycle_heading_block.height - 12

    body = [title_svg]
    body.append(svg.text([scale_heading], ladder_x, ladder_head_y, anchor="start"))
    boxes = {rank: box.moved(dy=shift) for rank, box in rungs.items()}
    top_rung = boxes[scale.levels[-1].rank]
    bottom_rung = boxes[scale.levels[0].rank]
    for rail in (ladder_x + 18, ladder_x + _RUNG_WIDTH - 18):
        body.append(
            svg.line(Point(rail, top_rung.y - 8), Point(rail, bottom_rung.bottom + 8), width=4)
        )
    if grouped:
        body.extend(_group_brackets(scale.levels, boxes, ladder_x))
    for level in scale.levels:
        is_new = level in new
        body.append(
            svg.node(
                f"{id_prefix}rung-{level.rank}",
                boxes[level.rank],
                rung_blocks[level.rank],
                rx=3,
                fill=LIGHT if is_new else "#ffffff",
                stroke_width=3 if is_new else 1.25,
                dash="",
                tooltip=level.definition,
            )
        )

    marker = f"{id_prefix}arrow"
    bottom = max(bottom_rung.bottom, 0.0)
    if count:
        centre = Point(
            ladder_x + _RUNG_WIDTH + _LADDER_TO_CYCLE + radius + _STAGE_WIDTH / 2, shift + cycle_cy
        )
        body.append(
            svg.text(
                [cycle_heading_block],
                centre.x - radius - _STAGE_WIDTH / 2,
                cycle_head_y,
                anchor="start",
            )
        )
        stage_boxes = [b.moved(centre.x, centre.y) for b in offsets]
        if count > 1:
            for i in range(count):
                j = (i + 1) % count
                a0, a1 = angles[i], angles[j]
                if a1 <= a0:
                    a1 += 2 * math.pi
                leave = _clear_of(stage_boxes[i], centre, radius, (a0, a1), step=1)
                arrive = _clear_of(stage_boxes[j], centre, radius, (a1, a0), step=-1)
                if leave < arrive:
                    body.append(svg.path(svg.arc(centre, radius, leave, arrive), marker=marker))
        body.extend(
            svg.node(
                f"{id_prefix}stage-{i + 1}",
                box,
                blocks,
                rx=18,
                fill="#ffffff",
                stroke_width=1.5,
                tooltip="",
            )
            for i, (box, blocks) in enumerate(zip(stage_boxes, stage_blocks, strict=True))
        )
        if new and facing is not None:
            rung = boxes[new[-1].rank]
            target = stage_boxes[facing]
            body.append(
                svg.path(
                    f"M{svg.num(rung.right)},{svg.num(rung.centre.y)} H{svg.num(target.x)}",
                    dash=_DIRECT_DASH,
                    marker=marker,
                    width=2,
                )
            )
        bottom = max(bottom, *(b.bottom for b in stage_boxes))

    notes = [f"Ladder: {scale.credit}. {scale.source}".strip()]
    notes.extend(f"{level.label}: {level.source}" for level in new if level.source != scale.source)
    footer, end = _footer(notes, width, bottom + 20)
    body.append(footer)
    return svg.document(
        width,
        end + MARGIN,
        title=title,
        description=_ladder_description(scale, new, stages, proposal_note),
        body=body,
        defs=[svg.arrow_marker(marker)],
        id_prefix=id_prefix,
    )


def _facing_stage(stages: Sequence[str], new: Sequence[Level]) -> int | None:
    """The stage that names the (top) proposed rung, e.g. "Co-delivery: ..."."""
    if not new:
        return None
    label = new[-1].label.casefold()
    for index, stage in enumerate(stages):
        if stage.casefold().startswith(label):
            return index
    for index, stage in enumerate(stages):
        if label in stage.casefold():
            return index
    return 0 if stages else None


def _clear_of(
    box: Box, centre: Point, radius: float, between: tuple[float, float], *, step: int
) -> float:
    """The angle, going from `between[0]` towards `between[1]`, where the circle leaves `box`."""
    angle, end = between
    increment = math.radians(0.5) * step
    for _ in range(720):
        point = Point(centre.x + radius * math.cos(angle), centre.y + radius * math.sin(angle))
        if not box.contains(point, margin=6):
            return angle
        angle += increment
        if (step > 0 and angle >= end) or (step < 0 and angle <= end):
            break
    return angle


def _group_brackets(levels: Sequence[Level], boxes: dict[int, Box], ladder_x: float) -> list[str]:
    """TLAP's groups as brackets beside the ladder, each labelled in words."""
    runs: list[tuple[str, list[Level]]] = []
    for level in levels:
        if runs and runs[-1][0] == level.group:
            runs[-1][1].append(level)
        else:
            runs.append((level.group, [level]))
    parts: list[str] = []
    x = ladder_x - _BRACKET / 2
    for group, members in runs:
        if not group:
            continue
        top = boxes[members[-1].rank].y + 2
        bottom = boxes[members[0].rank].bottom - 2
        parts.append(
            svg.path(
                f"M{svg.num(x + 6)},{svg.num(top)} H{svg.num(x)} V{svg.num(bottom)} "
                f"H{svg.num(x + 6)}",
                width=1.5,
            )
        )
        label = svg.block(group[:1].upper() + group[1:], _GROUP_LABEL_WIDTH - 6, HEADING)
        parts.append(svg.text([label], x - 6, (top + bottom) / 2 - label.height / 2, anchor="end"))
    return parts


def _ladder_description(
    scale: Scale, new: Sequence[Level], stages: Sequence[str], proposal_note: str
) -> str:
    rungs = "; ".join(
        f"{level.rank} {level.label}"
        + (f" ({level.group})" if level.group else "")
        + (f", {proposal_note.lower()}" if level in new and proposal_note else "")
        for level in scale.levels
    )
    words = f"{scale.name}, rungs from bottom to top: {rungs}."
    if stages:
        cycle = ", then ".join(stages)
        words += f" Beside it, a cycle, clockwise: {cycle}, then back to {stages[0]}."
        if new:
            words += f" An arrow leads from the {new[-1].label} rung into the cycle."
    return words
