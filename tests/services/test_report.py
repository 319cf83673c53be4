"""The review's full report, built from its records: the worked example whole, with numbers
that add up, and a smaller review of eleven appraised studies, one left out.

The worked example is built once for the module (it takes a few seconds); no test changes
it. Its report's text is a snapshot: tests/render/snapshots/worked-example-report.md
(COSYNTH_UPDATE_SNAPSHOTS=1 rewrites it; read the new file before committing it).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from defusedxml import ElementTree
from docx import Document

from cosynth.domain.prisma import check_flow
from cosynth.domain.report import Figure, Paragraph, Quotation, Report, Section, walk
from cosynth.domain.report_tables import ReportTable
from cosynth.domain.roles import Role
from cosynth.domain.synthesis import walk as walk_themes
from cosynth.errors import InputError, PermissionDeniedError
from cosynth.render.report_markdown import report_markdown
from cosynth.services import prisma, themes
from cosynth.services.demo import SPICES
from cosynth.services.question import set_question
from cosynth.services.records import list_sources
from cosynth.services.report import build_report, report_files
from cosynth.services.reviews import add_member, create_review
from cosynth.services.search_log import log_search
from cosynth.services.studies import included_studies
from cosynth.services.worked_example import build_worked_example, load_worked_example
from cosynth.services.worked_synthesis import build_worked_synthesis, load_worked_synthesis
from cosynth.services.workspace import Workspace, open_workspace
from tests.conftest import Team
from tests.render.svg_checks import assert_snapshot
from tests.services.appraisal_helpers import appraise, choose_tapupas, eleven_studies
from tests.services.test_worked_synthesis import _fresh_store

PNG = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Built:
    workspace: Workspace
    review_id: int
    refs: dict[int, int]


@pytest.fixture(scope="module")
def built(
    _server_database: str | None,
    _sqlite_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Built]:
    url = _fresh_store(_server_database, _sqlite_template, tmp_path_factory.mktemp("report"))
    workspace = open_workspace(url)
    with workspace.transaction("alice") as tx:
        review = create_review(
            tx,
            "Transforming integrated care through co-production",
            question="How has co-production changed the design and transformation of "
            "integrated health and care services?",
        )
        add_member(tx, review.id, "bob", Role.REVIEWER)
        add_member(tx, review.id, "carol", Role.REVIEWER)
        add_member(tx, review.id, "pat", Role.ADVISER)
        set_question(tx, review.id, "spices", SPICES, text=review.question)
    example = load_worked_example()
    refs = build_worked_example(workspace, review.id, example)
    build_worked_synthesis(workspace, review.id, refs, load_worked_synthesis(example))
    yield Built(workspace, review.id, refs)
    workspace.close()


def _table(report: Report, key: str) -> ReportTable:
    (found,) = [table for table in report.tables() if table.key == key]
    return found


def _section(report: Report, key: str) -> Section:
    (found,) = [section for section in report.sections() if section.key == key]
    return found


def test_it_reports_the_worked_example_with_every_part_table_and_figure(built: Built) -> None:
    with built.workspace.transaction("alice") as tx:
        report = build_report(tx, built.review_id)
    assert [part.title for part in report.parts] == [
        "Question and protocol",
        "Search",
        "Study selection",
        "Critical appraisal",
        "Included studies",
        "Synthesis",
        "The advisory group's involvement",
        "Reporting checklists",
    ]
    figures = {figure.key: figure for figure in report.figures()}
    assert list(figures) == [
        "figure-1-prisma-flow",
        "score-bars",
        "link-analysis-co-production-model",
        "link-analysis-scale-of-provision",
        "figure-3-theme-map",
        "figure-4-interpretations",
        "figure-5-co-delivery-cycle",
    ]
    for figure in figures.values():
        assert figure.alt.strip() and figure.caption.strip()
        assert figure.svg.startswith(b"<svg")
    tables = [table.key for table in report.tables()]
    for key in (
        "table-1-question",
        "screening-protocol",
        "search-log",
        "prisma-flow",
        "screening-agreement",
        "table-2-included-studies",
        "table-3-further-characteristics",
        "table-4-score-order",
        "link-analysis-co-production-model",
        "link-analysis-scale-of-provision",
        "table-5-definitions-facilitators-barriers",
        "phases",
        "reciprocal-translations",
        "refutational-translations",
        "contributions",
        "meetings",
        "action-log",
        "resonance",
        "checklist-emerge",
        "checklist-entreq",
        "checklist-prisma-2020",
        "checklist-gripp2-sf",
    ):
        assert key in tables, key
    # The checklists have the number of items each is published with.
    assert [len(_table(report, f"checklist-{c}").rows) >= n for c, n in (
        ("emerge", 19), ("entreq", 21), ("prisma-2020", 27), ("gripp2-sf", 5)
    )] == [True] * 4  # fmt: skip


def test_it_reports_numbers_that_add_up(built: Built) -> None:
    with built.workspace.transaction("alice") as tx:
        report = build_report(tx, built.review_id)
        flow = prisma.prisma_flow(tx, built.review_id)
        tree = themes.theme_tree(tx, built.review_id)
    assert check_flow(flow) == []
    selection = _section(report, "selection")
    assert Paragraph("Every box of the flow adds up (checked by cosynth).") in selection.blocks
    # The search log's records are the flow's records identified, source by source.
    search = _table(report, "search-log")
    *sources, total = search.rows
    assert total[0] == "All sources"
    assert int(total[4]) == int(total[5]) == flow.identified == 10
    assert sum(int(row[5]) for row in sources) == sum(c.n for c in flow.database_specific_results)
    # The flow's studies are Table 2's rows, Table 4's and the score bars'.
    assert flow.new_studies == 10
    assert len(_table(report, "table-2-included-studies").rows) == flow.new_studies
    table4 = _table(report, "table-4-score-order")
    assert len(table4.rows) == flow.new_studies
    assert [row[4] for row in table4.rows] == sorted((row[4] for row in table4.rows), key=int)[::-1]
    # The paper's extremes: reference 47 highest at 12, 48 lowest at 6.
    assert table4.rows[0][4] == "12" and table4.rows[-1][4] == "6"
    bars = next(f for f in report.figures() if f.key == "score-bars")
    assert "Eriksson 2019 12" in bars.alt and "Lalani 2019 6" in bars.alt
    # The link analysis counts each study once per model it has.
    by_model = _table(report, "link-analysis-co-production-model")
    co_delivery = next(row for row in by_model.rows if row[0] == "Co-delivery")
    assert co_delivery[2] == "5" and len(co_delivery[1].split(", ")) == 5
    # Every theme of the tree has its section, with its studies counted as the tree counts them.
    for node in walk_themes(tree):
        section = _section(report, f"theme-{node.theme.id}")
        assert (
            Paragraph(
                f"Studies ({len(node.support.record_ids)}): "
                + ", ".join(_labels(node.support.record_ids, built))
                + "."
            )
            in section.blocks
        )
    # Quotations are cited "[Study: page]", and each is shown once.
    quotes = [b for b in report.blocks() if isinstance(b, Quotation)]
    assert quotes
    assert all(re.fullmatch(r"\[[A-Z][\w' ]+ \d{4}: \d+\]", q.citation) for q in quotes)
    assert len({(q.text, q.citation) for q in quotes}) == len(quotes)
    # Three interpretations, each a section of its own.
    interpretations = _section(report, "interpretations")
    assert [b.title for b in interpretations.blocks if isinstance(b, Section)] == [
        "Narrow focus",
        "Co-delivery",
        "Sustainable person-centred services",
    ]
    # The advisory group by its make-up, never by name.
    group = _section(report, "advisory-group")
    assert group.blocks[0] == Paragraph(
        "The advisory group: 6 members (2 service users, 2 unpaid carers, 2 members of staff)."
    )


def _labels(record_ids: tuple[int, ...], built: Built) -> list[str]:
    with built.workspace.transaction("alice") as tx:
        labels = {s.record_id: s.label for s in included_studies(tx, built.review_id)}
    return [labels[r] for r in record_ids]


def test_it_writes_the_worked_examples_report_text(built: Built) -> None:
    with built.workspace.transaction("alice") as tx:
        report = build_report(tx, built.review_id)
        today = tx.now.date().isoformat()
    # The day it was built (in the title lines and the phase log) is the one thing that varies.
    text = report_markdown(report).decode("utf-8").replace(today, "YYYY-MM-DD")
    assert_snapshot("worked-example-report.md", text.encode("utf-8"))


def test_it_writes_every_format_the_figures_and_the_prisma_files(built: Built) -> None:
    with built.workspace.transaction("bob") as tx:
        written = report_files(tx, built.review_id)
    assert {"report.html", "report.md", "report.docx"} <= set(written)
    assert {
        "prisma/prisma-flow.svg",
        "prisma/prisma-flow.png",
        "prisma/prisma-flow.html",
        "prisma/prisma-flow.csv",
    } <= set(written)
    figures = [name for name in written if name.startswith("figures/")]
    assert len(figures) == 2 * 7  # each figure as SVG and PNG
    for name in figures:
        assert written[name].startswith(PNG if name.endswith(".png") else b"<svg"), name
    root = ElementTree.fromstring(written["report.html"])
    images = list(root.iter("{http://www.w3.org/1999/xhtml}img"))
    assert len(images) == 7 and all(image.get("alt", "").strip() for image in images)
    document = Document(io.BytesIO(written["report.docx"]))
    assert len(document.inline_shapes) == 7
    assert all(shape._inline.docPr.get("descr") for shape in document.inline_shapes)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[1:] == [
        "Question and protocol",
        "Search",
        "Study selection",
        "Critical appraisal",
        "Included studies",
        "Synthesis",
        "The advisory group's involvement",
        "Reporting checklists",
    ]
    # Every table of the report is a real Word table, its header row first.
    with built.workspace.transaction("bob") as tx:
        report = build_report(tx, built.review_id)
    assert len(document.tables) == len(report.tables())
    assert [c.text for c in document.tables[0].rows[0].cells] == list(report.tables()[0].columns)


def test_it_refuses_an_unknown_format_and_mallory(built: Built) -> None:
    with built.workspace.transaction("alice") as tx, pytest.raises(InputError, match="pdf"):
        report_files(tx, built.review_id, ["html", "pdf"])
    with built.workspace.transaction("mallory") as tx, pytest.raises(PermissionDeniedError):
        build_report(tx, built.review_id)


def test_it_reports_eleven_appraised_studies_and_the_one_left_out(
    workspace: Workspace, team: Team
) -> None:
    ids = eleven_studies(workspace, team)
    with workspace.transaction("bob") as tx:
        (source,) = list_sources(tx, team.review_id)
        log_search(
            tx,
            team.review_id,
            "CINAHL",
            run_on=date(2022, 3, 31),
            string='(MH "Integrated Health Care Systems+") AND co-produc*',
            limits="2012-2022",
            hits=11,
            source_id=source.id,
        )
    choose_tapupas(workspace, team)
    for record_id in ids:
        unmet = ("A",) if record_id == ids[2] else ()
        for who in team.reviewers:
            appraise(workspace, who, team, record_id, unmet=unmet)
    with workspace.transaction("carol") as tx:
        report = build_report(tx, team.review_id)
        flow = prisma.prisma_flow(tx, team.review_id)
    assert check_flow(flow) == []
    results = _table(report, "appraisal-results")
    assert len(results.rows) == 11
    left_out = [row for row in results.rows if row[3] == "no"]
    assert [(row[0], row[2]) for row in left_out] == [("Hughes 2018", "6 of 7")]
    (protocol,) = _section(report, "appraisal-protocol").blocks
    assert isinstance(protocol, Paragraph)
    assert "Rule: a study stays in the review when its score is at least 7." in protocol.text
    part = _section(report, "appraisal")
    assert part.blocks[0] == Paragraph(
        "11 studies appraised with TAPUPAS: 10 met the bar, 1 excluded, 0 not yet settled."
    )
    # The flow leaves it out with the appraisal's reason; Table 2 lists the ten left.
    assert flow.new_studies == 10 and flow.dbr_excluded_total == 1
    numbers = dict(_table(report, "prisma-flow").rows)
    assert numbers["New studies included in review"] == "10"
    assert "Hughes 2018" not in {row[0] for row in _table(report, "table-2-included-studies").rows}
    # bob and carol screened all eleven at both stages, and agreed on each.
    agreed = _table(report, "screening-agreement")
    assert [row[:4] for row in agreed.rows] == [
        ("Title and abstract", "bob and carol", "11", "100%"),
        ("Full text", "bob and carol", "11", "100%"),
    ]
    # The search as run, beside the file its records came in.
    (run,) = _table(report, "searches").rows
    assert run[0] == "CINAHL" and run[2] == "2022-03-31" and run[5] == "11"
    assert run[3] == '(MH "Integrated Health Care Systems+") AND co-produc*'
    assert run[6] == "handsearch.ris"


def test_it_reports_a_review_with_nothing_yet_plainly(workspace: Workspace, team: Team) -> None:
    with workspace.transaction("pat") as tx:
        report = build_report(tx, team.review_id)
    notes = [b.text for b in report.blocks() if isinstance(b, Paragraph) and b.note]
    assert "The studies have not been appraised: no instrument is chosen." in notes
    assert "No themes yet." in notes and "No interpretations yet." in notes
    assert "No advisory group is recorded for this review." in notes
    assert not [b for b in walk(report.parts) if isinstance(b, Figure) and not b.alt]
