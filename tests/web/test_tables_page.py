"""The review's tables on the web: Tables 2-5 and the link analysis, plots inline, downloads."""

from __future__ import annotations

import html
import io
import re
from collections import Counter

import pytest
from docx import Document

from cosynth.services import coproduction
from cosynth.services.worked_example import build_worked_example, load_worked_example
from cosynth.services.workspace import Workspace
from tests.conftest import Team

_ID = re.compile(r'\bid="([^"]+)"')
_ROW = re.compile(r"<tr>(.*?)</tr>", re.DOTALL)
_CELL = re.compile(r"<td>(.*?)</td>", re.DOTALL)


@pytest.fixture
def example(app, workspace: Workspace, team: Team) -> dict[int, int]:
    """The paper's review, built through the real path: the paper's reference -> record id."""
    return build_worked_example(workspace, team.review_id, load_worked_example())


def tables_url(team: Team) -> str:
    return f"/reviews/{team.review_id}/tables"


def table_rows(page: str, key: str) -> list[list[str]]:
    """The body rows of the table `key` on the page, each as its cells' text."""
    start = page.index(f'<table id="table-{key}"')
    body = page[page.index("<tbody>", start) : page.index("</tbody>", start)]
    return [[html.unescape(cell) for cell in _CELL.findall(row)] for row in _ROW.findall(body)]


def test_it_shows_the_papers_score_order_highest_first(
    visit, workspace: Workspace, team: Team, example: dict[int, int]
) -> None:
    page = visit("pat").get(tables_url(team)).get_data(as_text=True)
    with workspace.transaction("alice") as tx:
        labels = {s.record_id: s.label for s in coproduction.study_scores(tx, team.review_id)}
    rows = table_rows(page, "table-4-score-order")
    assert len(rows) == 10
    score = rows[0].index("12")
    assert rows[0][:2] == ["1", labels[example[47]]]
    assert rows[-1][1] == labels[example[48]] and rows[-1][score] == "6"
    assert all(9 <= int(row[score]) <= 11 for row in rows[1:-1])
    for title in (
        "Table 2. Included studies",
        "Table 3. Further study characteristics",
        "Table 4. Studies re-ordered by extent of co-production (highest first)",
        "Table 5. Definitions, facilitators, barriers and recommendations",
        "Link analysis: score by co-production model",
        "Link analysis: score by scale of provision",
    ):
        assert f">{title}</h2>" in page
    assert len(table_rows(page, "table-2-included-studies")) == 10


def test_it_inlines_the_link_plots_with_a_text_alternative(
    visit, team: Team, example: dict[int, int]
) -> None:
    page = visit("bob").get(tables_url(team)).get_data(as_text=True)
    assert page.count("<svg ") == 2 and page.count('role="img"') == 2
    assert "<title id=" in page and "<desc id=" in page
    assert "Extent-of-co-production scores by scale of provision." in page
    # Two plots and many tables on one page: no id is used twice.
    doubled = [found for found, n in Counter(_ID.findall(page)).items() if n > 1]
    assert not doubled
    rows = table_rows(page, "link-analysis-scale-of-provision")
    assert rows[0][0] == "access to a pathway"
    assert rows[-1][0] == "a whole integrated care system" and rows[-1][3] == "6"


def test_it_downloads_the_tables_as_csv_markdown_docx_and_the_plots_as_svg(
    visit, team: Team, example: dict[int, int]
) -> None:
    bob = visit("bob")
    expected = {
        "table-4-score-order.csv": "text/csv; charset=utf-8",
        "tables.md": "text/markdown; charset=utf-8",
        "tables.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "link-analysis-co-production-model.svg": "image/svg+xml; charset=utf-8",
    }
    page = bob.get(tables_url(team)).get_data(as_text=True)
    for name, mimetype in expected.items():
        assert f'href="{tables_url(team)}/{name}"' in page
        got = bob.client.get(f"{tables_url(team)}/{name}")  # a file: no form to read
        assert got.status_code == 200, name
        assert got.headers["Content-Type"] == mimetype
        assert got.headers["Content-Disposition"] == f'attachment; filename="{name}"'
        assert got.headers["X-Content-Type-Options"] == "nosniff"
    csv = bob.get(f"{tables_url(team)}/table-4-score-order.csv").get_data(as_text=True)
    assert csv.lstrip("\ufeff").startswith("Rank,Study,")
    markdown = bob.get(f"{tables_url(team)}/tables.md").get_data(as_text=True)
    assert "## Table 4. Studies re-ordered" in markdown
    document = Document(io.BytesIO(bob.client.get(f"{tables_url(team)}/tables.docx").get_data()))
    assert len(document.tables) == 6
    svg = bob.get(f"{tables_url(team)}/link-analysis-scale-of-provision.svg").get_data(as_text=True)
    assert 'aria-labelledby="t d"' in svg  # the file keeps its own ids
    for unknown in ("passwords.csv", "table-4-score-order.exe", "..%2Fcosynth.db"):
        assert bob.get(f"{tables_url(team)}/{unknown}").status_code == 404


def test_it_shows_empty_tables_plainly_before_any_study(visit, team: Team) -> None:
    page = visit("alice").get(tables_url(team)).get_data(as_text=True)
    assert page.count("<h1>") == 1
    assert "Nothing to show yet" in page and "<svg" not in page


def test_it_refuses_the_tables_to_someone_not_on_the_team(
    visit, team: Team, example: dict[int, int]
) -> None:
    mallory = visit("mallory")
    for url in (tables_url(team), f"{tables_url(team)}/tables.md"):
        answer = mallory.get(url)
        assert answer.status_code == 403
        assert "Lalani" not in answer.get_data(as_text=True)
