"""bob and carol screen a real PubMed and Web of Science export from the terminal; alice leads."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from fpdf import FPDF

from cosynth.cli import output
from cosynth.cli.main import cli

SAMPLES = Path(str(files("cosynth") / "samples"))


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output.out, "width", 200)
    monkeypatch.setattr(output.err, "width", 200)


@pytest.fixture
def run(db_url: str):
    runner = CliRunner()

    def invoke(*args: str, who: str = "alice", keys: str | None = None) -> Result:
        return runner.invoke(
            cli, ["--db", db_url, "--as", who, *args], input=keys, catch_exceptions=False
        )

    return invoke


@pytest.fixture
def review(run) -> list[int]:
    """alice's review: two real exports imported, bob and carol reviewing, pat advising."""
    assert run("init", "--title", "Co-production in integrated care").exit_code == 0
    for sample in ("PubMed_example.txt", "WoS_ciw_example.ciw"):
        assert run("import", str(SAMPLES / sample)).exit_code == 0
    for name, role in (("bob", "reviewer"), ("carol", "reviewer"), ("pat", "adviser")):
        assert run("members", "add", name, "--role", role).exit_code == 0
    listed = run("records", "--json")
    return [json.loads(line)["id"] for line in listed.output.splitlines()]


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def test_it_screens_a_real_export_end_to_end_with_blinding_conflicts_and_kappa(
    run, review: list[int], tmp_path: Path
) -> None:
    ok(
        run(
            "screen", "protocol",
            "--include-if", "Co-production with service users or carers",
            "--exclude-if", "Not about health or social care",
            "--reason", "not co-production", "--reason", "wrong setting",
        )
    )  # fmt: skip
    shown = ok(run("screen", "protocol", "--json"))
    assert json.loads(shown.output)["reasons"] == ["not co-production", "wrong setting"]

    # bob screens every record in the interactive screener, in file order.
    keys = "i\n" + "e\n1\n" + "n\nunsure of the setting\nu\n" + "e\n2\n" * (len(review) - 3)
    screened = ok(run("screen", "--order", "file", who="bob", keys=keys))
    assert f"{len(review)} votes this session." in screened.output
    assert "Co-production with service users or carers" in screened.output  # criteria shown
    assert "Nothing more is waiting for you" in screened.output

    # carol cannot see bob's votes before she has voted.
    blind = ok(run("screen", "show", str(review[0]), who="carol"))
    assert "bob" not in blind.output and "Blinded" in blind.output
    exported = tmp_path / "votes.csv"
    ok(run("screen", "export", "-o", str(exported), who="carol"))
    assert "bob" not in exported.read_text()

    ok(run("screen", "vote", str(review[0]), "include", who="carol"))
    ok(run("screen", "vote", str(review[1]), "include", who="carol"))
    ok(run("screen", "vote", str(review[2]), "include", who="carol"))
    for record in review[3:]:
        ok(run("screen", "vote", str(record), "exclude", "--reason", "wrong setting", who="carol"))
    assert "bob: include" in ok(run("screen", "show", str(review[0]), who="carol")).output

    conflicts = [
        json.loads(line) for line in ok(run("screen", "conflicts", "--json")).output.splitlines()
    ]
    assert [c["record_id"] for c in conflicts] == [review[1], review[2]]
    assert conflicts[1]["votes"][0]["note"] == "unsure of the setting"
    ok(run("screen", "resolve", str(review[1]), "include", "--rationale", "Carers co-designed it"))
    ok(
        run(
            "screen", "resolve", str(review[2]), "exclude",
            "--reason", "wrong setting", "--rationale", "Acute ward only",
        )
    )  # fmt: skip

    agreement = json.loads(ok(run("screen", "agreement", "--json")).output)
    assert agreement["overall"]["statistic"] == "Cohen's kappa"
    assert agreement["overall"]["records"] == len(review)
    assert agreement["overall"]["value"] is not None
    progress = json.loads(ok(run("screen", "progress", "--json")).output)
    assert (progress["included"], progress["excluded"], progress["conflicts"]) == (
        2,
        len(review) - 2,
        0,
    )

    # Full text: one PDF found, one not retrieved; pat advises on the one found.
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Carers and staff co-produced the service from the start.")
    paper = tmp_path / "study.pdf"
    paper.write_bytes(bytes(pdf.output()))
    ok(run("fulltext", "attach", str(review[0]), str(paper), who="bob"))
    assert "co-produced the service" in ok(run("fulltext", "text", "1")).output
    why = "Not held by the library; author did not reply"
    ok(run("fulltext", "not-retrieved", str(review[1]), "--note", why))
    ok(run("screen", "protocol", "--stage", "ft", "--reason", "no qualitative data"))
    ok(run("screen", "assign", str(review[0]), "--to", "pat", "--stage", "ft"))
    ft = ("--stage", "ft")
    ok(
        run(
            "screen",
            "vote",
            str(review[0]),
            "include",
            *ft,
            "--note",
            "Real co-delivery",
            who="pat",
        )
    )
    ok(run("screen", "vote", str(review[0]), "include", "--stage", "ft", who="bob"))
    no_data = ("--reason", "no qualitative data")
    ok(run("screen", "vote", str(review[0]), "exclude", *no_data, *ft, who="carol"))
    conflict = ok(run("screen", "conflicts", "--stage", "ft"))
    assert "advice from pat: include - Real co-delivery" in conflict.output
    settled = ("--rationale", "Interviews with carers throughout")
    ok(run("screen", "resolve", str(review[0]), "include", *ft, *settled))
    summary = json.loads(ok(run("fulltext", "summary", "--json")).output)
    assert summary == {
        "reports_sought": 2,
        "reports_not_retrieved": 1,
        "reports_attached": 1,
        "reports_assessed": 1,
        "reports_excluded": 0,
        "reports_excluded_by_reason": {},
        "included": 1,
    }


def test_it_lets_bob_go_back_and_change_his_mind(run, review: list[int]) -> None:
    ok(run("screen", "--order", "file", who="bob", keys="i\nb\nu\nq\n"))
    shown = ok(run("screen", "show", str(review[0]), "--history", who="bob"))
    assert "bob: include" in shown.output and "bob: unsure" in shown.output


def test_it_explains_bad_votes_without_a_traceback(run, review: list[int]) -> None:
    first = str(review[0])
    vote = ("screen", "vote", first)
    cases = [
        ((*vote, "exclude"), "bob", "Say why the record is excluded"),
        ((*vote, "exclude", "--reason", "boring"), "bob", '"boring" is not one of'),
        (("screen", "vote", "99999", "include"), "bob", "has no record 99999"),
        ((*vote, "include"), "mallory", "mallory is not a member"),
        ((*vote, "include", "--stage", "ft"), "bob", "not in the full text stage"),
        ((*vote, "include"), "pat", "not assigned to pat"),
        (("screen", "resolve", first, "include", "--rationale", "x"), "alice", "0 of 2 votes"),
        (("screen", "protocol", "--reviewers", "0"), "alice", "between 1 and 10"),
        (("fulltext", "attach", first, str(SAMPLES / "ORIGIN.md")), "bob", "ORIGIN.md"),
    ]
    for args, who, message in cases:
        result = run(*args, who=who)
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output


def test_it_runs_a_calibration_round_and_shows_its_kappa(run, review: list[int]) -> None:
    started = ok(run("screen", "calibrate", "--size", "4", "--seed", "7"))
    assert "Calibration sample of 4 records" in started.output
    ok(run("screen", "--calibration", who="bob", keys="i\ni\ne\n1\ne\n1\n"))
    done = ok(run("screen", "--calibration", who="carol", keys="i\ne\n1\ne\n1\ne\n1\n"))
    assert (
        "Calibration agreement over 4 records: Cohen's kappa 0.50 (moderate), 75% agreed."
        in done.output
    )
    assert json.loads(ok(run("screen", "progress", "--json")).output)["partly_voted"] == 0


def test_it_says_why_a_calibration_round_cannot_start_before_an_import(run) -> None:
    ok(run("init", "--title", "An empty review"))
    refused = run("screen", "calibrate", "--size", "20")
    assert refused.exit_code == 1
    assert "no records at the title and abstract stage to sample yet" in refused.output
    assert "between 1 and 0" not in refused.output


def test_it_shows_alice_the_audit_log_but_not_bob(run, review: list[int]) -> None:
    ok(run("screen", "vote", str(review[0]), "include", who="bob"))
    log = ok(run("log"))
    assert "vote cast" in log.output and "bob" in log.output
    assert "include" not in log.output.split("vote cast")[1].splitlines()[0]  # never how
    refused = run("log", who="bob")
    assert refused.exit_code == 1 and "may not read the audit log" in refused.output
