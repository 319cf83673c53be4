"""The report's three writers on a small hand-built report: the same content in each.

Snapshot: tests/render/snapshots/small-report.md (COSYNTH_UPDATE_SNAPSHOTS=1 rewrites it;
read the new file before committing it).
"""

from __future__ import annotations

import io
import re
import time
from xml.etree.ElementTree import Element

import pytest
from defusedxml import ElementTree
from docx import Document
from docx.oxml.ns import qn

from cosynth.domain.report import Figure, ItemList, Paragraph, Quotation, Report, Section
from cosynth.domain.report_tables import ReportTable
from cosynth.render.report_docx import column_widths, png_size, report_docx, svg_png
from cosynth.render.report_html import report_html
from cosynth.render.report_markdown import report_markdown
from cosynth.render.score_bars import score_bars_svg
from tests.render.svg_checks import assert_snapshot, check

XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def report() -> Report:
    bars = score_bars_svg(
        [("Eriksson 2019", 12), ("Bruns 2021", 11), ("Lalani 2019", 6)],
        low=2,
        high=12,
        title="Extent-of-co-production score of each study",
    )
    scores = ReportTable(
        key="table-4-score-order",
        title="Table 4. Studies re-ordered by extent of co-production",
        columns=("Rank", "Study", "Score"),
        rows=(("1", "Eriksson 2019", "12"), ("2", "Bruns 2021", "11"), ("3", "Lalani 2019", "6")),
        notes=("Score: sum of the TLAP ladder and the NHS England spectrum (range 2-12).",),
    )
    theme = Section(
        "theme-3",
        "Person-centred design (theme)",
        (
            Paragraph("Studies (2): Bruns 2021, Eriksson 2019."),
            Quotation("This depth of empathy also empowered decision-makers", "[Bruns 2021: 241]"),
        ),
    )
    return Report(
        title="Co-production in integrated care",
        subtitle=("Review question: how has co-production changed integrated care?",),
        parts=(
            Section(
                "studies",
                "Included studies",
                (
                    Paragraph("3 studies are included; the *lowest* scored 6 <of 12> & so on."),
                    scores,
                    Figure(
                        key="score-bars",
                        caption="Scores, highest first",
                        alt="Eriksson 2019 12; Bruns 2021 11; Lalani 2019 6.",
                        svg=bars,
                    ),
                ),
            ),
            Section(
                "synthesis",
                "Synthesis",
                (
                    ItemList(("Eriksson 2019", "Bruns 2021"), ordered=True),
                    Section("themes", "Themes", (theme,)),
                    Paragraph("No interpretations yet.", note=True),
                ),
            ),
        ),
    )


def test_it_writes_the_report_as_markdown(report: Report) -> None:
    written = report_markdown(report)
    assert_snapshot("small-report.md", written)
    text = written.decode("utf-8")
    # Markdown's own marks in the text are escaped; a citation's brackets are kept.
    assert r"the \*lowest\* scored 6 \<of 12\>" in text
    assert (
        "> \u201cThis depth of empathy also empowered decision-makers\u201d [Bruns 2021: 241]"
        in text
    )
    assert "![Eriksson 2019 12; Bruns 2021 11; Lalani 2019 6.](figures/score-bars.svg)" in text
    assert "| 1 | Eriksson 2019 | 12 |" in text
    assert "#### Person-centred design (theme)" in text  # part, section, theme: nested


def test_it_writes_well_formed_html_with_words_for_every_figure(report: Report) -> None:
    root = ElementTree.fromstring(report_html(report))
    assert root.tag == f"{XHTML}html" and root.get("lang") == "en"
    assert not list(root.iter(f"{XHTML}script"))
    images = list(root.iter(f"{XHTML}img"))
    assert len(images) == len(report.figures()) == 1
    for image in images:
        assert image.get("alt", "").strip()
        assert image.get("src", "").startswith("data:image/svg+xml;base64,")
    (table,) = root.iter(f"{XHTML}table")
    assert (
        _text(table.find(f"{XHTML}caption"))
        == "Table 4. Studies re-ordered by extent of co-production"
    )
    assert [h.get("scope") for h in table.iter(f"{XHTML}th")] == ["col"] * 3
    headings = [_text(h) for h in root.iter() if re.fullmatch(rf"{re.escape(XHTML)}h[1-6]", h.tag)]
    assert headings[:3] == ["Co-production in integrated care", "Contents", "Included studies"]
    # The contents link to parts that exist.
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    links = [
        a.get("href", "")[1:] for a in root.iter(f"{XHTML}a") if a.get("href", "").startswith("#")
    ]
    assert links and set(links) <= ids
    # Text is escaped, never markup.
    assert "the *lowest* scored 6 <of 12> & so on." in _text(root)


def _text(element: Element | None) -> str:
    assert element is not None
    return "".join(element.itertext())


def test_it_writes_a_word_document_with_headings_tables_and_described_pictures(
    report: Report,
) -> None:
    document = Document(io.BytesIO(report_docx(report)))
    headings = [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings == [
        ("Title", "Co-production in integrated care"),
        ("Heading 1", "Contents"),
        ("Heading 1", "Included studies"),
        ("Heading 1", "Synthesis"),
        ("Heading 2", "Themes"),
        ("Heading 3", "Person-centred design (theme)"),
    ]
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == ["Rank", "Study", "Score"]
    assert [c.text for c in table.rows[-1].cells] == ["3", "Lalani 2019", "6"]
    header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))  # repeated on each page
    assert header is not None
    (picture,) = document.inline_shapes
    described = picture._inline.docPr
    assert described.get("descr") == "Eriksson 2019 12; Bruns 2021 11; Lalani 2019 6."
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == [
        "Table 4. Studies re-ordered by extent of co-production",
        "Scores, highest first",
    ]
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert quotes == [
        "\u201cThis depth of empathy also empowered decision-makers\u201d [Bruns 2021: 241]"
    ]
    # Its language, for screen readers and spelling checkers (WCAG 3.1.1).
    lang = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang is not None and lang.get(qn("w:val")) == "en-GB"
    # Each part starts a page of its own: a section per part after the title page.
    assert len(document.sections) == 1 + len(report.parts)


def test_it_writes_the_same_word_bytes_for_the_same_report(
    report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = report_docx(report)
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)  # written years later
    assert report_docx(report) == first


def test_it_gives_a_wide_table_a_landscape_page() -> None:
    wide = ReportTable(key="wide", title="Wide", columns=tuple(f"c{i}" for i in range(12)), rows=())
    report = Report("A review", (), (Section("wide", "Wide", (wide,)), Section("n", "Narrow", ())))
    document = Document(io.BytesIO(report_docx(report)))
    title, wide_part, narrow_part = document.sections
    assert wide_part.page_width > wide_part.page_height
    assert narrow_part.page_width < narrow_part.page_height
    assert title.page_width < title.page_height


def test_it_shares_a_tables_width_by_what_its_columns_hold() -> None:
    table = ReportTable(
        key="t",
        title="t",
        columns=("Rank", "Definition of co-production"),
        rows=(("1", "A long sentence that defines co-production in the study's own words " * 3),),
    )
    rank, definition = column_widths(table, 16.0)
    assert rank + definition == pytest.approx(16.0)
    assert 1.0 < rank < definition  # "Rank" fits on one line; the sentence takes the rest


def test_it_draws_the_score_bars_as_an_accessible_picture() -> None:
    data = score_bars_svg(
        [("Eriksson 2019", 12), ("Lalani 2019", 6)], low=2, high=12, title="Scores"
    )
    root = check(data)
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Eriksson 2019" in texts and "12" in texts and "6" in texts
    width, height = png_size(svg_png(data))
    assert width > height > 0
