"""The PRISMA 2020 diagram: a kept snapshot, words outlined yet kept for readers, PNG, HTML.

The snapshot is the paper's reported flow; rewrite it with
COSYNTH_UPDATE_SNAPSHOTS=1 and look at the file before committing it.
"""

from __future__ import annotations

import struct
from dataclasses import replace
from pathlib import Path

from cosynth.domain.citation import Citation
from cosynth.domain.prisma import Count, Flow, ListedRecord, derived_totals
from cosynth.formats.prisma_csv import read_flow_csv
from cosynth.render.prisma import describe_flow, flow_html, flow_png, flow_svg
from tests.render.svg_checks import NS, assert_ids_unique_and_resolved, assert_snapshot, parse

PAPER = Path(__file__).parent.parent / "data" / "prisma" / "conquer2024_reported.csv"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _paper() -> Flow:
    return read_flow_csv(PAPER.name, PAPER.read_bytes())


def _ours() -> Flow:
    return derived_totals(
        Flow(
            database_results=1_204,
            database_specific_results=(Count("MEDLINE", 804), Count("CINAHL", 400)),
            duplicates=204,
            records_excluded=960,
            dbr_notretrieved_reports=2,
            dbr_excluded=(Count("wrong setting", 20), Count("not co-production", 8)),
            citations_results=3,
            other_sought_reports=1,
            new_studies=11,
        )
    )


def test_it_draws_the_papers_flow_as_kept() -> None:
    assert_snapshot("prisma-conquer2024-reported.svg", flow_svg(_paper()))


def test_it_outlines_every_word_and_keeps_them_for_screen_readers() -> None:
    root = parse(flow_svg(_paper()))
    assert root.find(f".//{NS}text") is None  # no font needed to draw it
    assert root.get("role") == "img"
    desc = root.find(f"{NS}desc")
    assert desc is not None and desc.text == describe_flow(_paper())
    assert "2,097 records were identified from databases" in (desc.text or "")
    titles = {
        (box.get("id"), (box.find(f"{NS}title").text or ""))  # type: ignore[union-attr]
        for box in root.iter(f"{NS}g")
        if box.get("class") == "box"
    }
    assert ("box-screened", "Records screened (n = 191)") in titles
    assert ("box-reports_excluded", "Reports excluded (n = 1): Scored below 7 on TAPUPAS "
            "(Appendix E) (n = 1)") in titles  # fmt: skip
    assert_ids_unique_and_resolved(root)


def test_it_draws_the_other_methods_column_only_when_a_review_used_them() -> None:
    without = replace(_ours(), citations_results=0, other_sought_reports=0, other_assessed=0)
    with_other = flow_svg(_ours())
    assert b"box-other_identified" in with_other
    assert b"box-other_identified" not in flow_svg(without)
    assert "citation searching" in describe_flow(_ours())
    assert "citation searching" not in describe_flow(without)


def test_it_draws_previous_studies_only_for_an_updated_review() -> None:
    assert b"box-previous" not in flow_svg(_ours())
    updated = derived_totals(replace(_ours(), previous_studies=7, previous_reports=9))
    drawn = flow_svg(updated)
    assert b"box-previous" in drawn and b"box-total" in drawn
    assert b"Total studies included in review (n = 18)" in drawn


def test_it_links_each_box_that_has_records() -> None:
    drawn = flow_svg(
        _ours(), link=lambda key: f"/boxes/{key}", linked={"records_screened": True}
    ).decode()
    assert (
        '<a href="/boxes/records_screened" aria-label="Records screened (n = 1,000)">'
        '<g class="box" id="box-screened">'
    ) in drawn
    assert drawn.count("<a href=") == 1
    assert ' role="group" aria-labelledby="prisma-title prisma-desc"' in drawn


def test_it_draws_a_png_twice_the_svgs_size() -> None:
    drawn = flow_svg(_paper())
    root = parse(drawn)
    png = flow_png(drawn)
    assert png.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (2 * int(root.get("width", "")), 2 * int(root.get("height", "")))


def test_it_writes_a_page_where_each_box_opens_its_records() -> None:
    pat_sees = ListedRecord(
        7, Citation(title="Peer workers co-delivering integrated care", authors=("Clarke, J.",),
                    year=2019), "",
    )  # fmt: skip
    excluded = ListedRecord(9, Citation(title="Hospital car parking"), "wrong setting")
    page = flow_html(
        _ours(), {"new_studies": [pat_sees], "dbr_excluded": [excluded]}, title="Co-production"
    ).decode()
    assert page.startswith("<!doctype html>")
    assert "<script" not in page
    assert '<a href="#new_studies" aria-label="Studies included in review (n = 11)' in page
    assert '<section id="new_studies"><h2>New studies included in review (n = 1)</h2>' in page
    assert "Clarke 2019. Peer workers co-delivering integrated care" in page
    assert "— wrong setting" in page
    assert "section:target" in page
    assert 'href="#records_screened"' not in page  # no records behind it: no link


def test_it_says_on_the_page_where_the_flow_does_not_add_up() -> None:
    page = flow_html(_paper(), {}, title="Conquer et al. 2024, as reported").decode()
    assert "Where the flow does not add up yet" in page
    assert "193 records have no box saying what became of them" in page
