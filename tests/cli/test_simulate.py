"""`cosynth simulate` on the 100-record ASReview demo dataset and on bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cosynth.cli import output
from cosynth.cli.main import cli
from tests.shared_data import shared_data

DEMO = "screening/ASReview_demo_vanderWaal2022_sample100.csv"


@pytest.fixture
def demo_dataset() -> Path:
    root = shared_data()
    if root is None or not (root / DEMO).is_file():
        pytest.skip("the shared data folder (../shared/data) is not here")
    return root / DEMO


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output.out, "width", 200)
    monkeypatch.setattr(output.err, "width", 200)


def test_it_reports_each_seed_the_mean_and_a_recall_curve(demo_dataset: Path) -> None:
    result = CliRunner().invoke(cli, ["simulate", str(demo_dataset), "--seeds", "2"])
    assert result.exit_code == 0, result.output
    assert "100 records, 10 included" in result.output
    assert "to 95% recall" in result.output
    assert "mean" in result.output
    assert " 10% screened" in result.output
    assert "100% screened" in result.output


def test_it_prints_the_figures_as_json(demo_dataset: Path) -> None:
    result = CliRunner().invoke(
        cli, ["simulate", str(demo_dataset), "--seeds", "3", "--ranker", "tfidf-svm", "--json"]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["n_records"] == 100
    assert figures["n_included"] == 10
    assert figures["ranker"] == "tfidf-svm"
    assert [run["seed"] for run in figures["runs"]] == [0, 1, 2]
    for run in figures["runs"]:
        assert 9 <= run["k95"] <= run["k100"] <= 100
        assert run["wss95"] == pytest.approx((100 - run["k95"]) / 100 - 0.05)
    assert figures["mean"]["k95"] == pytest.approx(sum(r["k95"] for r in figures["runs"]) / 3)
    assert figures["recall_curve"][-1] == {"screened_share": 1.0, "recall": 1.0}


def test_it_says_plainly_what_is_wrong_with_a_file_without_labels(tmp_path: Path) -> None:
    path = tmp_path / "unlabelled.csv"
    path.write_text("title,abstract\nA,B\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["simulate", str(path)])
    assert result.exit_code == 1
    assert "unlabelled.csv, line 1: there is no 'label_included' column" in result.output
    assert "Traceback" not in result.output


def test_it_names_the_rankers_there_are_for_an_unknown_one(demo_dataset: Path) -> None:
    result = CliRunner().invoke(cli, ["simulate", str(demo_dataset), "--ranker", "magic"])
    assert result.exit_code == 1
    assert "no ranker called 'magic'" in result.output
    assert "tfidf-svm" in result.output


def test_it_refuses_zero_seeds(demo_dataset: Path) -> None:
    result = CliRunner().invoke(cli, ["simulate", str(demo_dataset), "--seeds", "0"])
    assert result.exit_code == 1
    assert "between 1 and 100" in result.output
