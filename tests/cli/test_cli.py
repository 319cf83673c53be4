"""The command line, as alice and bob use it from a terminal."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cosynth.cli import output
from cosynth.cli.main import cli

SAMPLES = Path(str(files("cosynth") / "samples"))


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables as a wide terminal shows them (a pipe would get 80 columns)."""
    monkeypatch.setattr(output.out, "width", 200)
    monkeypatch.setattr(output.err, "width", 200)


@pytest.fixture
def run(db_url: str) -> object:
    runner = CliRunner()

    def invoke(*args: str, who: str = "alice") -> Result:
        return runner.invoke(cli, ["--db", db_url, "--as", who, *args], catch_exceptions=False)

    invoke.db_url = db_url  # type: ignore[attr-defined]
    return invoke


@pytest.fixture
def empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COSYNTH_DB", raising=False)
    return tmp_path


def test_it_starts_a_review_imports_and_reports(run, tmp_path: Path) -> None:
    started = run("init", "--title", "Co-production in integrated care")
    assert started.exit_code == 0, started.output
    assert "Co-production in integrated care" in started.output

    imported = run(
        "import", str(SAMPLES / "PubMed_example.txt"), str(SAMPLES / "WoS_ciw_example.ciw"),
        "--searched", "2022-03-31",
    )  # fmt: skip
    assert imported.exit_code == 0, imported.output
    assert "PubMed_example.txt" in imported.output
    assert "3 imported" in imported.output
    assert "5 imported" in imported.output

    status = run("status", "--json")
    assert json.loads(status.output)["records"] == 8

    listed = run("records", "--json")
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert len(rows) == 8
    shown = run("records", "show", str(rows[0]["id"]), "--raw")
    assert "PMID-" in shown.output

    sources = run("sources")
    assert "2022-03-31" in sources.output


def test_it_refuses_a_repeated_file_and_carries_on_with_the_others(run) -> None:
    run("init")
    first = run("import", str(SAMPLES / "Ovid_ris_example.ris"))
    assert first.exit_code == 0, first.output
    again = run(
        "import", str(SAMPLES / "Ovid_ris_example.ris"), str(SAMPLES / "PubMed_example.txt")
    )
    assert again.exit_code == 1
    assert "already imported" in again.output
    assert "--again" in again.output
    assert "1 of 2 files were not imported" in again.output
    assert json.loads(run("status", "--json").output)["records"] == 7


def test_it_explains_bad_files_without_a_traceback(run, tmp_path: Path) -> None:
    run("init")
    pdf = tmp_path / "search.ris"
    pdf.write_bytes(b"%PDF-1.4\n...")
    result = run("import", str(pdf))
    assert result.exit_code == 1
    assert "search.ris: this is a PDF document" in result.output
    assert "Traceback" not in result.output
    missing = run("import", str(tmp_path / "nowhere.ris"))
    assert "nowhere.ris: there is no such file" in missing.output


def test_it_tells_someone_with_no_database_to_run_init(empty_folder: Path) -> None:
    result = CliRunner().invoke(cli, ["status"])
    assert result.exit_code == 1
    assert "cosynth init" in result.output
    assert not (empty_folder / "cosynth.db").exists()


def test_it_uses_cosynth_db_in_the_working_folder_by_default(empty_folder: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["--as", "alice", "init", "--title", "Here"]).exit_code == 0
    assert (empty_folder / "cosynth.db").exists()
    status = runner.invoke(cli, ["--as", "alice", "status", "--json"])
    assert json.loads(status.output)["review"]["title"] == "Here"


def test_it_keeps_mallory_out(run) -> None:
    run("init")
    run("import", str(SAMPLES / "Ovid_ris_example.ris"))
    for args in (("status",), ("records",), ("sources",), ("export", "records")):
        result = run(*args, who="mallory")
        assert result.exit_code == 1
        assert "mallory is not a member" in result.output
        assert "Detection of retention trees" not in result.output


def test_it_adds_the_team_and_lets_the_adviser_look_but_not_import(run) -> None:
    run("init")
    assert run("members", "add", "pat", "--role", "adviser").exit_code == 0
    assert "pat" in run("members").output
    assert run("status", who="pat").exit_code == 0
    refused = run("import", str(SAMPLES / "Ovid_ris_example.ris"), who="pat")
    assert refused.exit_code == 1
    assert "adviser may not import" in refused.output


@pytest.mark.parametrize("format_name", ["ris", "csv", "bibtex"])
def test_it_exports_every_record_in_a_form_cosynth_reads_back(
    run, tmp_path: Path, format_name: str
) -> None:
    run("init")
    run("import", str(SAMPLES / "Scopus_bib_example.bib"))
    target = tmp_path / f"out.{format_name}"
    result = run("export", "records", "--format", format_name, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "Wrote 3 records" in result.output

    elsewhere = ["--db", str(tmp_path / "elsewhere.db"), "--as", "alice"]
    runner = CliRunner()
    assert runner.invoke(cli, [*elsewhere, "init"]).exit_code == 0
    again = runner.invoke(cli, [*elsewhere, "import", str(target)])
    assert again.exit_code == 0, again.output
    before = json.loads(run("records", "--json").output.splitlines()[0])
    after = json.loads(runner.invoke(cli, [*elsewhere, "records", "--json"]).output.splitlines()[0])
    for field in ("title", "authors", "year", "doi", "journal"):
        assert after[field] == before[field], field


def test_it_builds_the_demo_review(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["demo", "--out", str(tmp_path / "demo"), "--no-serve"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "Demo review built" in result.output
    db = str(tmp_path / "demo" / "cosynth.db")

    def status(review: str) -> dict[str, int]:
        shown = runner.invoke(
            cli, ["--db", db, "--review", review, "--as", "alice", "status", "--json"]
        )
        assert shown.exit_code == 0, shown.output
        counted: dict[str, int] = json.loads(shown.output)
        return counted

    # Review 1: five sample exports to screen; review 2: the worked example's ten studies.
    demo, finished = status("1"), status("2")
    assert demo["members"] == finished["members"] == 4
    assert demo["records"] == 4 + 4 + 3 + 3 + 5
    assert finished["records"] == 10
    again = runner.invoke(cli, ["demo", "--out", str(tmp_path / "demo"), "--no-serve"])
    assert again.exit_code == 1
    assert "already exists" in again.output


def test_it_deduplicates_reviews_pairs_and_undoes_from_the_terminal(run, tmp_path: Path) -> None:
    first = tmp_path / "cinahl.ris"
    first.write_text(
        "TY  - JOUR\nTI  - Peer support and co-delivery in integrated mental health care\n"
        "AU  - Flora, N.\nPY  - 2021\nJO  - Int J Integr Care\nVL  - 21\nSP  - 1\nER  - \n"
    )
    second = tmp_path / "scopus.ris"
    second.write_text(first.read_text().replace("VL  - 21", "VL  - 22"))
    run("init")
    run("members", "add", "bob", "--role", "reviewer")
    run("import", str(first), str(second))
    found = json.loads(run("dedup", "--json").output)
    assert (found["groups"], found["pairs_for_review"]) == (0, 1)

    reviewed = CliRunner().invoke(
        cli, ["--db", run.db_url, "--as", "bob", "dedup", "review"], input="x\nm\n"
    )
    assert reviewed.exit_code == 0, reviewed.output
    assert "volumes 21 and 22" in reviewed.output
    assert "1 decisions recorded" in reviewed.output
    assert json.loads(run("dedup", "--json").output)["groups"] == 1
    assert "group 1" in run("dedup", "groups").output

    undone = run("dedup", "undo", "2")
    assert undone.exit_code == 0, undone.output
    assert "separate again" in undone.output
    assert json.loads(run("dedup", "--json").output)["groups"] == 0
    missing = run("dedup", "undo", "1")
    assert missing.exit_code == 1
    assert "not in a duplicate group" in missing.output


# What only some commands need: the report writers, the ranker, the web app.
HEAVY = ("docx", "cairosvg", "sklearn", "flask")


def loaded_by(*args: str) -> list[str]:
    """The heavy packages a fresh interpreter has loaded after `cosynth ARGS`."""
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from cosynth.cli.main import cli\n"
        f"result = CliRunner().invoke(cli, {list(args)!r})\n"
        "assert result.exit_code == 0, result.output\n"
        f"print(' '.join(name for name in {HEAVY!r} if name in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_a_command_loads_only_what_it_needs() -> None:
    # Each command used to import every other one: a second and a half before
    # `cosynth status` said anything.
    assert loaded_by("status", "--help") == []
    assert loaded_by("--version") == []
    assert "docx" in loaded_by("report", "build", "--help")
