"""The PRISMA 2020 flow diagram: SVG with its words outlined, PNG, and an interactive HTML page.

The layout is PRISMA 2020's (Page et al. 2021, BMJ 372:n71, Figure 1): side
bands for Identification, Screening and Included; a column for
"Identification of studies via databases and registers" with the boxes of
records removed, excluded, not retrieved and excluded with reasons beside it;
a column for "Identification of studies via other methods" when a review
used them; and for an updated review the previous studies and the totals.

The words are outlined (render.outline) so the figure looks the same on every
system; each box keeps its words in its <title>, and the figure's <desc>
says the whole flow in sentences, for screen readers (WCAG 1.1.1). Colour
only tells the columns apart where their headings also say it (WCAG 1.4.1).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from cosynth.domain.prisma import BOX_NAMES, Count, Flow, ListedRecord, check_flow
from cosynth.domain.study import author_year
from cosynth.render import svg
from cosynth.render.outline import advance, outline

SIZE = 12
HEAD = 13
PAD = 8
LEADING = 1.3
WIDTH = 240  # a box
GAP = 44  # between a column's box and the box beside it
COLUMN_GAP = 56  # between the two sides of the diagram
BAND = 30  # the side bands' width
ROW_GAP = 34
MARGIN = 16
HEADER_FILL = {"dbr": "#fde9a9", "other": "#e3e3e3", "previous": "#e3e3e3"}
BAND_FILL = "#c9def4"

Link = Callable[[str], str]


def _n(value: int) -> str:
    return f"(n = {value:,})"


@dataclass(frozen=True)
class _Line:
    text: str
    bold: bool = False
    indent: float = 0


@dataclass(frozen=True)
class _Box:
    """One box of the diagram: its R template keys (the first one with records is linked)."""

    name: str
    keys: tuple[str, ...]
    lines: tuple[_Line, ...]


def _counts(counts: Sequence[Count], unnamed: str) -> list[_Line]:
    return [_Line(f"{count.label or unnamed} {_n(count.n)}", indent=12) for count in counts]


def _boxes(flow: Flow) -> dict[str, _Box]:
    """Every box the flow draws, by a name for its place in the layout."""
    identified = [_Line("Records identified from:")]
    identified.append(_Line(f"Databases {_n(flow.database_results)}", indent=6))
    identified += _counts(flow.database_specific_results, "(not named)")
    identified.append(_Line(f"Registers {_n(flow.register_results)}", indent=6))
    identified += _counts(flow.register_specific_results, "(not named)")
    new = "new " if flow.updated else ""
    boxes = {
        "identified": _Box(
            "identified", ("database_results", "register_results"), tuple(identified)
        ),
        "removed": _Box(
            "removed",
            ("duplicates", "excluded_automatic", "excluded_other"),
            (
                _Line("Records removed before screening:"),
                _Line(f"Duplicate records removed {_n(flow.duplicates)}", indent=6),
                _Line(
                    f"Records marked as ineligible by automation tools "
                    f"{_n(flow.excluded_automatic)}",
                    indent=6,
                ),
                _Line(f"Records removed for other reasons {_n(flow.excluded_other)}", indent=6),
            ),
        ),
        "screened": _Box(
            "screened",
            ("records_screened",),
            (_Line(f"Records screened {_n(flow.records_screened)}"),),
        ),
        "excluded": _Box(
            "excluded",
            ("records_excluded",),
            (_Line(f"Records excluded {_n(flow.records_excluded)}"),),
        ),
        "included": _Box(
            "included",
            ("new_studies", "new_reports"),
            (
                _Line(
                    f"{'New studies' if new else 'Studies'} included in review "
                    f"{_n(flow.new_studies)}"
                ),
                _Line(f"Reports of {new}included studies {_n(flow.new_reports)}"),
            ),
        ),
    }
    for column, label in (("dbr", ""), ("other", "other_")):
        if column == "other" and not flow.has_other_methods:
            continue
        excluded: tuple[Count, ...] = getattr(flow, f"{column}_excluded")
        total = sum(count.n for count in excluded)
        boxes[f"{label}sought"] = _Box(
            f"{label}sought",
            (f"{column}_sought_reports",),
            (
                _Line(
                    f"Reports sought for retrieval {_n(getattr(flow, f'{column}_sought_reports'))}"
                ),
            ),
        )
        boxes[f"{label}notretrieved"] = _Box(
            f"{label}notretrieved",
            (f"{column}_notretrieved_reports",),
            (
                _Line(
                    f"Reports not retrieved {_n(getattr(flow, f'{column}_notretrieved_reports'))}"
                ),
            ),
        )
        boxes[f"{label}assessed"] = _Box(
            f"{label}assessed",
            (f"{column}_assessed",),
            (_Line(f"Reports assessed for eligibility {_n(getattr(flow, f'{column}_assessed'))}"),),
        )
        boxes[f"{label}reports_excluded"] = _Box(
            f"{label}reports_excluded",
            (f"{column}_excluded",),
            (
                _Line(f"Reports excluded {_n(total)}" + (":" if excluded else "")),
                *_counts(excluded, "Reason not given"),
            ),
        )
    if flow.has_other_methods:
        boxes["other_identified"] = _Box(
            "other_identified",
            ("website_results", "organisation_results", "citations_results"),
            (
                _Line("Records identified from:"),
                _Line(f"Websites {_n(flow.website_results)}", indent=6),
                _Line(f"Organisations {_n(flow.organisation_results)}", indent=6),
                _Line(f"Citation searching {_n(flow.citations_results)}", indent=6),
            ),
        )
    if flow.updated:
        boxes["previous"] = _Box(
            "previous",
            ("previous_studies", "previous_reports"),
            (
                _Line(
                    f"Studies included in previous version of review {_n(flow.previous_studies)}"
                ),
                _Line(
                    "Reports of studies included in previous version of review "
                    f"{_n(flow.previous_reports)}"
                ),
            ),
        )
        boxes["total"] = _Box(
            "total",
            ("total_studies", "total_reports"),
            (
                _Line(f"Total studies included in review {_n(flow.total_studies)}"),
                _Line(f"Reports of total included studies {_n(flow.total_reports)}"),
            ),
        )
    return boxes


def _wrapped(box: _Box, width: float) -> list[tuple[str, bool, float]]:
    lines: list[tuple[str, bool, float]] = []
    for line in box.lines:
        for part in svg.wrap(line.text, width - 2 * PAD - line.indent, SIZE, bold=line.bold):
            lines.append((part, line.bold, line.indent))
    return lines


def _height(box: _Box, width: float) -> float:
    return 2 * PAD + len(_wrapped(box, width)) * SIZE * LEADING


def _words(box: _Box) -> str:
    return " ".join(line.text for line in box.lines)


def _draw_text(
    lines: Sequence[tuple[str, bool, float]],
    x: float,
    top: float,
    *,
    anchor: str = "start",
    size: float = SIZE,
) -> str:
    font = svg.metrics()
    parts = []
    for index, (text, bold, indent) in enumerate(lines):
        line_top = top + index * size * LEADING
        half = (size * LEADING - size * (font.ascent + font.descent) / 1000) / 2
        baseline = line_top + half + size * font.ascent / 1000
        parts.append(outline(text, x + indent, baseline, size, bold=bold, anchor=anchor))
    d = "".join(parts)
    return f'<path d="{d}" fill="{svg.INK}"/>' if d else ""


def _draw_box(
    box: _Box,
    area: svg.Box,
    link: Link | None,
    linked: Mapping[str, bool],
    *,
    fill: str = "#ffffff",
) -> str:
    lines = _wrapped(box, area.width)
    inner = len(lines) * SIZE * LEADING
    top = area.y + (area.height - inner) / 2
    body = (
        f'<g class="box" id="box-{box.name}"><title>{svg.escape(_words(box))}</title>'
        + svg.rect(area, fill=fill)
        + _draw_text(lines, area.x + PAD, top)
        + "</g>"
    )
    if link is None:
        return body
    target = next((key for key in box.keys if linked.get(key)), None)
    if target is None:
        return body
    # The link's own name (WCAG 2.4.4): the box's words, which its outlines cannot give.
    return f'<a href="{svg.escape(link(target))}" aria-label="{svg.escape(_words(box))}">{body}</a>'


def _heading(text: str, area: svg.Box, fill: str, *, rotate: bool = False) -> str:
    if rotate:
        # A side band: the word runs bottom to top, centred in the band.
        cx, cy = area.x + area.width / 2, area.y + area.height / 2
        lines = [(text, True, 0.0)]
        drawn = _draw_text(lines, 0, -HEAD * LEADING / 2, anchor="middle", size=HEAD)
        return (
            svg.rect(area, rx=4, fill=fill)
            + f'<g transform="translate({svg.num(cx)},{svg.num(cy)}) rotate(-90)">{drawn}</g>'
        )
    wrapped = [(line, True, 0.0) for line in svg.wrap(text, area.width - 2 * PAD, HEAD, bold=True)]
    inner = len(wrapped) * HEAD * LEADING
    top = area.y + (area.height - inner) / 2
    return svg.rect(area, rx=4, fill=fill) + _draw_text(
        wrapped, area.x + area.width / 2, top, anchor="middle", size=HEAD
    )


def flow_svg(
    flow: Flow,
    *,
    title: str = "PRISMA 2020 flow diagram",
    link: Link | None = None,
    linked: Mapping[str, bool] | None = None,
    id_prefix: str = "prisma-",
) -> bytes:
    """The flow diagram; with `link`, each box that has records links to `link(key)`."""
    boxes = _boxes(flow)
    has = dict(linked or {})
    other = flow.has_other_methods
    x: float = MARGIN + BAND + 12
    columns: dict[str, float] = {}
    if flow.updated:
        columns["previous"] = x
        x += WIDTH + COLUMN_GAP
    columns["main"] = x
    columns["side"] = x + WIDTH + GAP
    x = columns["side"] + WIDTH
    if other:
        columns["other"] = x + COLUMN_GAP
        columns["other_side"] = columns["other"] + WIDTH + GAP
        x = columns["other_side"] + WIDTH
    width = x + MARGIN

    rows = [
        ("identified", "removed", "other_identified", None),
        ("screened", "excluded", None, None),
        ("sought", "notretrieved", "other_sought", "other_notretrieved"),
        ("assessed", "reports_excluded", "other_assessed", "other_reports_excluded"),
        ("included", None, None, None),
    ]
    if flow.updated:
        rows.append(("total", None, None, None))
    header_height = 2 * PAD + 2 * HEAD * LEADING
    y = MARGIN + header_height + ROW_GAP / 2
    placed: dict[str, svg.Box] = {}
    row_tops: list[float] = []
    for row in rows:
        names = [name for name in row if name is not None and name in boxes]
        height = max(_height(boxes[name], WIDTH) for name in names)
        if row[0] == "included":
            # Tall enough for the side band's word, which runs up the band.
            height = max(height, advance("Included", HEAD, bold=True) + 2 * PAD)
        row_tops.append(y)
        for name, column in zip(row, ("main", "side", "other", "other_side"), strict=True):
            if name is None or name not in boxes:
                continue
            col = column
            if name == "total":
                col = "main"
            placed[name] = svg.Box(columns[col], y, WIDTH, height)
        y += height + ROW_GAP
    if "previous" in boxes:
        first = placed["identified"]
        placed["previous"] = svg.Box(
            columns["previous"], first.y, WIDTH, _height(boxes["previous"], WIDTH)
        )
    height = y - ROW_GAP + MARGIN

    body: list[str] = []
    # Headings over the columns.
    new = "new " if flow.updated else ""
    head_right = columns["side"] + WIDTH
    body.append(
        _heading(
            f"Identification of {new}studies via databases and registers",
            svg.Box(columns["main"], MARGIN, head_right - columns["main"], header_height),
            HEADER_FILL["dbr"],
        )
    )
    if other:
        body.append(
            _heading(
                f"Identification of {new}studies via other methods",
                svg.Box(
                    columns["other"],
                    MARGIN,
                    columns["other_side"] + WIDTH - columns["other"],
                    header_height,
                ),
                HEADER_FILL["other"],
            )
        )
    if flow.updated:
        body.append(
            _heading(
                "Previous studies",
                svg.Box(columns["previous"], MARGIN, WIDTH, header_height),
                HEADER_FILL["previous"],
            )
        )
    # Side bands: Identification (row 1), Screening (rows 2-4), Included (the rest).
    bottoms = [placed[row[0]].bottom for row in rows]
    bands = (
        ("Identification", row_tops[0], bottoms[0]),
        ("Screening", row_tops[1], bottoms[3]),
        ("Included", row_tops[4], bottoms[-1]),
    )
    for word, top, bottom in bands:
        body.append(
            _heading(word, svg.Box(MARGIN, top, BAND, bottom - top), BAND_FILL, rotate=True)
        )

    for name, area in placed.items():
        body.append(_draw_box(boxes[name], area, link, has))

    marker = f"{id_prefix}arrow"
    arrows: list[tuple[svg.Point, svg.Point]] = []

    def down(a: str, b: str) -> None:
        if a in placed and b in placed:
            arrows.append((placed[a].bottom_mid(), placed[b].top_mid()))

    def across(a: str, b: str) -> None:
        if a in placed and b in placed:
            arrows.append((placed[a].right_at(), placed[b].left_at()))

    for a, b in (
        ("identified", "screened"),
        ("screened", "sought"),
        ("sought", "assessed"),
        ("assessed", "included"),
    ):
        down(a, b)
    for a, b in (
        ("identified", "removed"),
        ("screened", "excluded"),
        ("sought", "notretrieved"),
        ("assessed", "reports_excluded"),
    ):
        across(a, b)
    if other:
        down("other_identified", "other_sought")
        down("other_sought", "other_assessed")
        across("other_sought", "other_notretrieved")
        across("other_assessed", "other_reports_excluded")
    for start, end in arrows:
        body.append(svg.line(start, end, marker=marker))
    if other:
        # Other methods' included reports join the included box from the right.
        start = placed["other_assessed"].bottom_mid()
        end = placed["included"].right_at()
        body.append(
            svg.path(
                f"M{svg.num(start.x)},{svg.num(start.y)} V{svg.num(end.y)} H{svg.num(end.x)}",
                marker=marker,
            )
        )
    if flow.updated:
        start = placed["previous"].bottom_mid()
        end = placed["total"].left_at()
        body.append(
            svg.path(
                f"M{svg.num(start.x)},{svg.num(start.y)} V{svg.num(end.y)} H{svg.num(end.x)}",
                marker=marker,
            )
        )
        down("included", "total")
        tail, tip = arrows[-1]
        body.append(svg.line(tail, tip, marker=marker))

    drawn = svg.document(
        width,
        height,
        title=title,
        description=describe_flow(flow),
        body=body,
        defs=[svg.arrow_marker(marker)],
        id_prefix=id_prefix,
    )
    if any(has.values()) and link is not None:
        # An image's children are presentational, so links inside one are hidden
        # from assistive technology (axe: nested-interactive); a linked diagram
        # is a labelled group instead, its links reachable by keyboard.
        drawn = drawn.replace(b' role="img" ', b' role="group" ', 1)
    return drawn


def describe_flow(flow: Flow) -> str:
    """The flow in sentences: the figure's <desc>, and a text for those who would rather read."""
    parts = [
        f"{flow.database_results:,} records were identified from databases"
        + (
            " ("
            + ", ".join(f"{c.label or 'not named'} {c.n:,}" for c in flow.database_specific_results)
            + ")"
            if flow.database_specific_results
            else ""
        )
        + f" and {flow.register_results:,} from registers.",
        f"Before screening, {flow.duplicates:,} duplicate records were removed, "
        f"{flow.excluded_automatic:,} were marked as ineligible by automation tools and "
        f"{flow.excluded_other:,} were removed for other reasons.",
        f"{flow.records_screened:,} records were screened and {flow.records_excluded:,} excluded.",
        f"{flow.dbr_sought_reports:,} reports were sought for retrieval; "
        f"{flow.dbr_notretrieved_reports:,} were not retrieved.",
        f"{flow.dbr_assessed:,} reports were assessed for eligibility and "
        f"{flow.dbr_excluded_total:,} excluded{_reasons(flow.dbr_excluded)}.",
    ]
    if flow.has_other_methods:
        parts += [
            f"By other methods, {flow.website_results:,} records were identified from websites, "
            f"{flow.organisation_results:,} from organisations and {flow.citations_results:,} "
            "by citation searching.",
            f"{flow.other_sought_reports:,} of their reports were sought, "
            f"{flow.other_notretrieved_reports:,} not retrieved, {flow.other_assessed:,} assessed "
            f"and {flow.other_excluded_total:,} excluded{_reasons(flow.other_excluded)}.",
        ]
    new = "new " if flow.updated else ""
    parts.append(
        f"{flow.new_studies:,} {new}studies were included, in {flow.new_reports:,} reports."
    )
    if flow.updated:
        parts.append(
            f"With {flow.previous_studies:,} studies ({flow.previous_reports:,} reports) from the "
            f"previous version, {flow.total_studies:,} studies ({flow.total_reports:,} reports) "
            "are included in all."
        )
    return " ".join(parts)


def _reasons(counts: Sequence[Count]) -> str:
    named = [c for c in counts if c.label]
    if not named:
        return ""
    return ": " + "; ".join(f"{c.label} {c.n:,}" for c in named)


def flow_png(svg_bytes: bytes, *, scale: float = 2) -> bytes:
    """The SVG as a PNG, `scale` times its size in pixels (2: sharp in print and on screens)."""
    import cairosvg

    png: bytes = cairosvg.svg2png(bytestring=svg_bytes, scale=scale, background_color="white")
    return png


_STYLE = """
body { font-family: Arial, 'Liberation Sans', Helvetica, sans-serif; color: #1a1a1a;
  max-width: 80rem; margin: 1rem auto; padding: 0 1rem; line-height: 1.5; }
figure { margin: 0; overflow-x: auto; }
svg a:focus rect, svg a:hover rect { stroke: #1d4ed8; stroke-width: 3; }
svg a:focus { outline: none; }
section { border-left: 4px solid transparent; padding: 0 0.75rem; margin: 1rem 0; }
section:target { border-left-color: #1d4ed8; background: #eef4ff; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 0.2rem 0.6rem; border-bottom: 1px solid #ccc; }
td.n { text-align: right; }
.why { color: #444; }
.problems { border: 2px solid #8a4b00; padding: 0.5rem 1rem; }
a { color: #1d4ed8; }
"""


def flow_html(
    flow: Flow,
    records: Mapping[str, Sequence[ListedRecord]],
    *,
    title: str,
) -> bytes:
    """A standalone page: the diagram, each box a link to the list of its records further down.

    No script: the record lists are sections of the same page and the one
    opened is highlighted with :target. The numbers are also given as a
    table of links, the way in for a keyboard or a screen reader.
    """
    linked = {key: bool(records.get(key)) for key in BOX_NAMES}
    drawn = flow_svg(
        flow, title=f"PRISMA 2020 flow diagram: {title}", link=lambda key: f"#{key}", linked=linked
    )
    problems = check_flow(flow)
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>PRISMA 2020 flow: {html.escape(title)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>PRISMA 2020 flow: {html.escape(title)}</h1>",
        "<p>Every number is counted from the review's records. Choose a box, or a row of the "
        "table, to see the records behind it.</p>",
        '<figure id="flow">',
        drawn.decode("utf-8"),
        f"<figcaption>{html.escape(describe_flow(flow))}</figcaption></figure>",
    ]
    if problems:
        out.append('<div class="problems"><h2>Where the flow does not add up yet</h2><ul>')
        out += [f"<li>{html.escape(p.message)}</li>" for p in problems]
        out.append("</ul></div>")
    out.append(
        '<h2 id="numbers">The numbers</h2><table><thead><tr><th scope="col">Box</th>'
        '<th scope="col">n</th></tr></thead><tbody>'
    )
    for key, name in BOX_NAMES.items():
        value = getattr(flow, key)
        if value is None or isinstance(value, tuple):
            continue
        label = (
            f'<a href="#{key}">{html.escape(name)}</a>' if linked.get(key) else html.escape(name)
        )
        out.append(f'<tr><th scope="row">{label}</th><td class="n">{value:,}</td></tr>')
    out.append("</tbody></table>")
    for key, name in BOX_NAMES.items():
        listed = records.get(key)
        if not listed:
            continue
        out.append(f'<section id="{key}"><h2>{html.escape(name)} (n = {len(listed):,})</h2><ol>')
        for entry in listed:
            why = f' <span class="why">— {html.escape(entry.why)}</span>' if entry.why else ""
            out.append(
                f"<li>{html.escape(author_year(entry.citation))}. "
                f"{html.escape(entry.citation.title or '(no title)')} "
                f"<small>(record {entry.record_id})</small>{why}</li>"
            )
        out.append('</ol><p><a href="#flow">Back to the diagram</a></p></section>')
    out.append("</body></html>")
    return ("\n".join(out) + "\n").encode("utf-8")
