"""Checks every figure test makes: it parses, it is accessible, and no text leaves its box.

Text is measured with the same font table the figures are laid out with
(render.svg), so "fits" means fits in Arial, Helvetica or Liberation Sans.
"""

from __future__ import annotations

import os
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from cosynth.render import svg

NS = "{http://www.w3.org/2000/svg}"
SNAPSHOTS = Path(__file__).parent / "snapshots"


def parse(data: bytes) -> Element:
    root = ElementTree.fromstring(data)
    assert root.tag == f"{NS}svg"
    return root


def assert_accessible(root: Element) -> None:
    """role="img", and aria-labelledby names a non-empty <title> and <desc> (WCAG 1.1.1)."""
    assert root.get("role") == "img"
    labelled = (root.get("aria-labelledby") or "").split()
    assert len(labelled) == 2
    title = root.find(f"{NS}title")
    desc = root.find(f"{NS}desc")
    assert title is not None and desc is not None
    assert [title.get("id"), desc.get("id")] == labelled
    assert (title.text or "").strip() and (desc.text or "").strip()


def _spans(text: Element) -> list[tuple[Element, float, bool]]:
    size = float(text.get("font-size", "13"))
    bold = text.get("font-weight") == "bold"
    found = []
    for span in text.iter(f"{NS}tspan"):
        span_size = float(span.get("font-size", size))
        weight = span.get("font-weight")
        found.append((span, span_size, bold if weight is None else weight == "bold"))
    return found


def _extent(span: Element, size: float, bold: bool, anchor: str) -> tuple[float, float]:
    x = float(span.get("x", "0"))
    width = svg.text_width(span.text or "", size, bold=bold)
    if anchor == "middle":
        return x - width / 2, x + width / 2
    if anchor == "end":
        return x - width, x
    return x, x + width


def assert_text_fits(root: Element) -> int:
    """Every node's lines lie inside its box; every text inside the figure. Returns node count."""
    font = svg.metrics()
    nodes = [g for g in root.iter(f"{NS}g") if g.get("class") == "node"]
    for group in nodes:
        box = group.find(f"{NS}rect")
        label = group.find(f"{NS}text")
        assert box is not None and label is not None, group.get("id")
        left, top = float(box.get("x", "0")), float(box.get("y", "0"))
        right = left + float(box.get("width", "0"))
        bottom = top + float(box.get("height", "0"))
        anchor = label.get("text-anchor", "start")
        for span, size, bold in _spans(label):
            start, end = _extent(span, size, bold, anchor)
            baseline = float(span.get("y", "0"))
            where = f"{group.get('id')}: {span.text!r}"
            assert left + 2 <= start and end <= right - 2, f"too wide: {where}"
            assert top <= baseline - size * font.ascent / 1000, f"above its box: {where}"
            assert baseline + size * font.descent / 1000 <= bottom, f"below its box: {where}"
    width = float(root.get("width", "0"))
    height = float(root.get("height", "0"))
    for text in root.iter(f"{NS}text"):
        anchor = text.get("text-anchor", "start")
        for span, size, bold in _spans(text):
            start, end = _extent(span, size, bold, anchor)
            assert start >= 0 and end <= width, f"outside the figure: {span.text!r}"
            assert 0 < float(span.get("y", "0")) <= height, f"outside the figure: {span.text!r}"
    return len(nodes)


def assert_ids_unique_and_resolved(root: Element) -> set[str]:
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), "an id is used twice"
    for element in root.iter():
        for attribute in ("marker-end", "fill"):
            value = element.get(attribute) or ""
            if value.startswith("url(#"):
                assert value[5:-1] in ids, f"{attribute} points at a missing {value}"
    return {i for i in ids if i}


def check(data: bytes) -> Element:
    """All of the above at once."""
    root = parse(data)
    assert_accessible(root)
    assert_text_fits(root)
    assert_ids_unique_and_resolved(root)
    return root


def assert_snapshot(name: str, data: bytes) -> None:
    """`data` equals the kept snapshot; COSYNTH_UPDATE_SNAPSHOTS=1 rewrites it instead.

    Look at the rewritten SVG (open it in a browser) before committing it.
    """
    path = SNAPSHOTS / name
    if os.environ.get("COSYNTH_UPDATE_SNAPSHOTS") == "1":
        path.write_bytes(data)
        return
    assert path.exists(), (
        f"No snapshot {path.name} yet: run with COSYNTH_UPDATE_SNAPSHOTS=1 to write it, "
        "then look at it before committing."
    )
    assert data == path.read_bytes(), (
        f"{path.name} changed. If the change is meant, rerun with COSYNTH_UPDATE_SNAPSHOTS=1 "
        "and look at the new file before committing it."
    )
