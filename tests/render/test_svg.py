"""The SVG toolkit: measured text, wrapping, escaping, shapes and the accessible root."""

from __future__ import annotations

import math

import pytest

from cosynth.render import svg
from cosynth.render.svg import Box, Point, Style
from tests.render.svg_checks import NS, assert_text_fits, check, parse


def test_it_measures_text_with_the_fonts_own_widths():
    # Arial/Helvetica/Liberation Sans: "H" 722, "i" 222, space 278 thousandths of an em.
    assert svg.text_width("H", 1000) == 722
    assert svg.text_width("Hi i", 10) == pytest.approx((722 + 222 + 278 + 222) / 100)
    assert svg.text_width("co-production", 13, bold=True) > svg.text_width("co-production", 13)
    assert svg.text_width("", 13) == 0


def test_it_cites_where_the_widths_come_from():
    font = svg.metrics()
    assert font.name == "Liberation Sans"
    assert "Arial" in font.source and "Open Font License" in font.source
    assert font.ascent > 0 and font.descent > 0


def test_it_measures_letters_beyond_the_table_as_their_base_letter():
    # "ő" (Hungarian) is not in Latin-1: measured as "o" with its accent taking no width.
    assert svg.text_width("ő", 1000) == svg.text_width("o", 1000)
    assert svg.text_width("Ś", 1000) == svg.text_width("S", 1000)


def test_it_measures_wide_and_unknown_characters_generously():
    assert svg.text_width("中", 1000) == 1000
    assert svg.text_width("∑", 1000) == svg.text_width("W", 1000)


def test_it_wraps_text_to_the_width_keeping_every_word():
    words = "Co-production using lived experience of an integrated care service"
    lines = svg.wrap(words, 120, 13)
    assert len(lines) > 1
    assert all(svg.text_width(line, 13) <= 120 for line in lines)
    assert " ".join(lines).split() == words.split()


def test_it_breaks_a_word_too_long_for_a_line_after_a_hyphen_first():
    lines = svg.wrap("service-to-service-user-communication", 100, 13)
    assert all(svg.text_width(line, 13) <= 100 for line in lines)
    assert "".join(lines) == "service-to-service-user-communication"
    assert lines[0].endswith("-")


def test_it_breaks_a_word_with_no_hyphen_between_letters():
    lines = svg.wrap("Pneumonoultramicroscopicsilicovolcanoconiosis", 60, 13)
    assert len(lines) > 2
    assert "".join(lines) == "Pneumonoultramicroscopicsilicovolcanoconiosis"
    assert all(svg.text_width(line, 13) <= 60 for line in lines)


def test_it_keeps_lines_the_writer_broke():
    assert svg.wrap("Design\nTransformation", 500, 13) == ("Design", "Transformation")
    assert svg.wrap("", 100, 13) == ("",)


def test_it_escapes_markup_quotes_and_drops_what_xml_cannot_hold():
    nasty = 'Staff & "service users" <script>alert(1)</script>\x00\x1b'
    data = svg.document(
        100,
        50,
        title=nasty,
        description=nasty,
        body=[svg.node("n", Box(0, 0, 100, 50), [svg.block(nasty, 84, Style())], tooltip=nasty)],
    )
    root = parse(data)
    title = root.find(f"{NS}title")
    assert title is not None
    assert title.text == 'Staff & "service users" <script>alert(1)</script>'
    assert root.find(f".//{NS}script") is None


def test_it_writes_an_accessible_root_with_unique_ids_per_prefix():
    first = svg.document(10, 10, title="A", description="B", body=[], id_prefix="fig3-")
    root = check(first)
    assert root.get("aria-labelledby") == "fig3-title fig3-desc"
    assert root.get("font-family", "").startswith("Arial")
    assert root.get("viewBox") == "0 0 10 10"


def test_it_sizes_a_box_to_hold_its_lines():
    blocks = [
        svg.block("Impact on service users and services", 120, Style(size=13, bold=True)),
        svg.block("9 studies", 120, Style(size=11, italic=True)),
    ]
    box = Box(10, 10, 136, svg.label_height(blocks))
    data = svg.document(200, 200, title="t", description="d", body=[svg.node("n", box, blocks)])
    root = check(data)
    spans = list(root.iter(f"{NS}tspan"))
    assert len(spans) == sum(len(b.lines) for b in blocks)
    # The note's smaller, italic face is written on its own line only.
    assert spans[-1].get("font-size") == "11"
    assert spans[-1].get("font-style") == "italic"
    assert spans[0].get("font-size") is None


def test_the_fit_check_catches_text_wider_than_its_box():
    blocks = [svg.block("Sustainable person-centred services", 1000, Style())]
    box = Box(0, 0, 80, svg.label_height(blocks))
    data = svg.document(400, 100, title="t", description="d", body=[svg.node("n", box, blocks)])
    with pytest.raises(AssertionError, match="too wide"):
        assert_text_fits(parse(data))


def test_it_writes_numbers_the_same_way_every_time():
    assert svg.num(12.0) == "12"
    assert svg.num(12.345) == "12.3"
    assert svg.num(-0.01) == "0"
    assert svg.slug("Impact on service users & services") == "impact-on-service-users-services"


def test_it_draws_a_clockwise_arc_and_says_when_it_is_the_long_way_round():
    short = svg.arc(Point(0, 0), 10, 0, math.pi / 2)
    assert short == "M10,0 A10,10 0 0 1 0,10"
    long = svg.arc(Point(0, 0), 10, 0, 1.5 * math.pi)
    assert " 0 1 1 " in long


def test_connectors_end_in_a_marker_defined_once():
    marker = svg.arrow_marker("fig-arrow")
    connector = svg.path(svg.curve(Point(0, 0), Point(100, 40)), marker="fig-arrow", dash="6 4")
    data = svg.document(120, 60, title="t", description="d", body=[connector], defs=[marker])
    root = check(data)
    drawn = root.find(f".//{NS}path[@marker-end]")
    assert drawn is not None
    assert drawn.get("marker-end") == "url(#fig-arrow)"
    assert drawn.get("stroke-dasharray") == "6 4"
    assert svg.elbow(Point(0, 0), Point(40, 20)) == "M0,0 H20 V20 H40"
