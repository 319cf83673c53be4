"""alice, bob and carol appraise three included studies with TAPUPAS from the terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cosynth.cli import output
from cosynth.cli.main import cli

TAPUPAS = ("T", "A", "Pu", "U", "Pr", "Ac", "S")


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output.out, "width", 200)
    monkeypatch.setattr(output.err, "width", 200)


@pytest.fixture
def run(db_url: str):
    runner = CliRunner()

    def invoke(*args: str, who: str = "alice") -> Result:
        return runner.invoke(cli, ["--db", db_url, "--as", who, *args], catch_exceptions=False)

    return invoke


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def refused(result: Result, words: str) -> Result:
    assert result.exit_code == 1, result.output
    assert "Error:" in result.output and words in result.output, result.output
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def studies(run, tmp_path: Path) -> list[int]:
    """Three studies included at full text by bob and carol."""
    ok(run("init", "--title", "Co-production in integrated care"))
    for name, role in (("bob", "reviewer"), ("carol", "reviewer"), ("pat", "adviser")):
        ok(run("members", "add", name, "--role", role))
    export = tmp_path / "search.ris"
    export.write_text(
        "".join(
            f"TY  - JOUR\nTI  - {title}\nAU  - {author}, A.\nPY  - {year}\nER  - \n\n"
            for author, year, title in (
                ("Hughes", 2018, "Co-producing an integrated care system"),
                ("Knowles", 2018, "Peer support in integrated mental health care"),
                ("Clarke", 2019, "Peer workers co-delivering integrated care"),
            )
        )
    )
    ok(run("import", str(export)))
    ids = [json.loads(line)["id"] for line in ok(run("records", "--json")).output.splitlines()]
    for stage in ("ta", "ft"):
        for record_id in ids:
            for who in ("bob", "carol"):
                ok(run("screen", "vote", str(record_id), "include", "--stage", stage, who=who))
    return ids


def answers_file(tmp_path: Path, name: str, record_id: int, unmet: tuple[str, ...] = ()) -> Path:
    path = tmp_path / name
    lines = [f"record = {record_id}", "", "[answers]"]
    for item in TAPUPAS:
        if item in unmet:
            lines.append(f'{item} = {{ answer = "no", reason = "Not shown in the paper." }}')
        else:
            lines.append(f'{item} = "yes"')
    path.write_text("\n".join(lines) + "\n")
    return path


def test_it_appraises_with_tapupas_end_to_end_and_lists_the_exclusion(
    run, studies: list[int], tmp_path: Path
) -> None:
    listed = ok(run("appraise", "instruments")).output
    for instrument_id in ("tapupas", "casp-qualitative-2018", "jbi-qualitative", "hawker"):
        assert instrument_id in listed
    shown = ok(run("appraise", "instruments", "tapupas")).output
    assert "Transparency" in shown and "Specificity" in shown and "To check:" in shown

    refused(run("appraise", "judge", str(studies[0]), "T", "yes", who="bob"), "no appraisal instr")
    refused(run("appraise", "protocol", "--instrument", "tapupas", who="bob"), "may not edit")
    chosen = ok(run("appraise", "protocol", "--instrument", "tapupas"))
    assert "sum >= 7" in chosen.output and "2 appraisers per study" in chosen.output
    as_json = json.loads(ok(run("appraise", "protocol", "--json")).output)
    assert (as_json["instrument"], as_json["rule"], as_json["threshold"]) == ("tapupas", "sum", 7)

    weak, mixed, strong = studies
    for record_id in studies:
        unmet = ("U",) if record_id == weak else ()
        path = answers_file(tmp_path, f"bob-{record_id}.toml", record_id, unmet)
        judged = ok(run("appraise", "judge", "--file", str(path), who="bob"))
        assert "7 answers recorded" in judged.output

    # carol answers all three studies from one CSV file, and differs on one item.
    rows = ["record,item,answer,reason"]
    for record_id in studies:
        for item in TAPUPAS:
            answer = "no" if (record_id, item) in {(weak, "U"), (mixed, "Pr")} else "yes"
            rows.append(f"{record_id},{item},{answer},p. 3")
    (tmp_path / "carol.csv").write_text("\n".join(rows) + "\n")

    refused(run("appraise", "compare", str(mixed), who="carol"), "once 2 appraisers have finished")
    ok(run("appraise", "judge", "--file", str(tmp_path / "carol.csv"), who="carol"))
    compared = ok(run("appraise", "compare", str(mixed), who="carol")).output
    assert "Pr Propriety" in compared and "6 of 7 scored items agree" in compared
    assert "T Transparency" not in compared

    refused(
        run("appraise", "agree", str(mixed), "Pr", "yes", "--rationale", "Approval on p. 2",
            who="pat"),
        "may not appraise",
    )  # fmt: skip
    agreed = ok(
        run("appraise", "agree", str(mixed), "Pr", "yes", "--rationale", "Approval on p. 2")
    )
    assert "Met (decided by the lead)" in agreed.output

    summary = ok(run("appraise", "summary", who="pat")).output
    assert "2 of 3 studies meet the rule (TAPUPAS, threshold 7)" in summary
    assert (
        f"Excluded: Hughes 2018 (record {weak}), scored 6, below the threshold of 7 (TAPUPAS)"
        in summary
    )
    data = json.loads(ok(run("appraise", "summary", "--json", who="pat")).output)
    assert [s["score"] for s in data["studies"]] == [6, 7, 7]
    assert data["excluded"] == [
        {
            "record_id": weak,
            "study": "Hughes 2018",
            "reason": "scored 6, below the threshold of 7 (TAPUPAS)",
        }
    ]
    assert strong in [s["record_id"] for s in data["studies"] if s["met"]]

    refused(run("appraise", "protocol", "--threshold", "6"), "locked")
    amended = ok(
        run("appraise", "protocol", "--threshold", "6", "--amendment", "Pilot showed 7 too strict")
    )
    assert "Amended: Pilot showed 7 too strict" in amended.output
    refused(run("appraise", "summary", who="mallory"), "mallory is not a member")


def test_it_names_the_file_and_line_of_a_wrong_answer(
    run, studies: list[int], tmp_path: Path
) -> None:
    ok(run("appraise", "protocol", "--instrument", "tapupas"))
    path = answers_file(tmp_path, "bob.toml", studies[0])
    path.write_text(path.read_text().replace('U = "yes"', 'U = "sort of"'))
    refused(
        run("appraise", "judge", "--file", str(path), who="bob"),
        'bob.toml, line 7: "sort of" is not an answer to item U (Utility) of TAPUPAS',
    )
    refused(run("appraise", "judge", str(studies[0]), "Z", "yes", who="bob"), '"Z" is not an item')
    refused(
        run("appraise", "judge", str(studies[0]), "T", "yes", "--instrument", "hawker", who="bob"),
        "chose TAPUPAS",
    )
    one = ok(run("appraise", "judge", str(studies[0]), "T", "met", "--reason", "p. 4", who="bob"))
    assert "T Transparency: Met - p. 4" in one.output
    assert "0 of 2 appraisers have finished; in progress" in one.output
    refused(run("appraise", "protocol", "--threshold", "9"), "locked")


def test_it_adds_a_review_instrument_and_refuses_a_broken_one(
    run, studies: list[int], tmp_path: Path
) -> None:
    broken = tmp_path / "ours.toml"
    broken.write_text(
        'id = "ours"\nname = "Ours"\nversion = "1"\n[source]\ncitation = "Us"\nlicence = "CC0"\n'
        '[[scales]]\nid = "yn"\nanswers = [{ id = "yes", label = "Yes", points = 1 }, '
        '{ id = "no", label = "No", points = 0 }]\n'
        '[scoring]\nrule = "sum"\nthreshold = 3\n'
        '[[items]]\nid = "a"\nlabel = "A"\n[[items]]\nid = "b"\nlabel = "B"\n'
    )
    refused(run("appraise", "add-instrument", str(broken)), "ours.toml, line 12: the threshold 3")
    assert "ours" not in ok(run("appraise", "instruments")).output.split()
    broken.write_text(broken.read_text().replace("threshold = 3", "threshold = 2"))
    ok(run("appraise", "add-instrument", str(broken)))
    ok(run("appraise", "protocol", "--instrument", "ours", "--appraisers", "1"))
    ok(run("appraise", "judge", str(studies[1]), "a", "yes", who="carol"))
    done = ok(run("appraise", "judge", str(studies[1]), "b", "no", who="carol")).output
    assert "1 of 1 appraisers have finished; not met, score 1 of 2" in done
