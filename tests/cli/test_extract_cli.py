"""From the terminal: alice imports the form, pat proposes a field, bob and carol extract."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cosynth.cli import output
from cosynth.cli.main import cli
from cosynth.services import fulltext
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.extraction_helpers import FORM_TOML
from tests.services.screening_helpers import import_search, include_at_full_text
from tests.services.test_quotes import PAGES, article_pdf

Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output.out, "width", 200)
    monkeypatch.setattr(output.err, "width", 200)


@pytest.fixture
def run(db_url: str) -> Run:
    runner = CliRunner()

    def invoke(*args: str, who: str = "alice") -> Result:
        return runner.invoke(cli, ["--db", db_url, "--as", who, *args], catch_exceptions=False)

    return invoke


@pytest.fixture
def studies(workspace: Workspace, team: Team) -> list[int]:
    ids = import_search(workspace, team)
    include_at_full_text(workspace, team, ids[:2])
    return ids


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def refused(result: Result, message: str) -> Result:
    assert result.exit_code == 1, result.output
    assert message in result.output, result.output
    return result


def test_it_designs_the_form_with_pat_and_exports_it(
    run: Run, studies: list[int], tmp_path: Path
) -> None:
    form = tmp_path / "form.toml"
    form.write_text(FORM_TOML)
    assert "version 1: 8 fields" in ok(run("extract", "form", "import", str(form))).output
    refused(run("extract", "form", "import", str(form), who="pat"), "may not edit protocol")
    proposed = ok(
        run(
            "extract", "form", "propose", "setting", "--label", "Care setting",
            "--kind", "single_choice", "--choice", "community", "--choice", "hospital",
            "--why", "Where care happens matters to carers", who="pat",
        )
    )  # fmt: skip
    assert "Proposal #1 (new field 'setting')" in proposed.output
    ok(run("extract", "form", "comment", "models", "Peer support is co-delivery too", who="pat"))
    assert "version 2" in ok(run("extract", "form", "accept", "1")).output
    shown = ok(run("extract", "form", "show", who="pat")).output
    assert "setting" in shown and "pat" in shown
    assert "#1 pat, new field on 'setting'" in shown and "[accepted into version 2]" in shown
    exported = ok(run("extract", "form", "export", "-o", str(tmp_path / "out.toml"))).output
    assert "Wrote the form" in exported
    again = (tmp_path / "out.toml").read_text()
    assert 'key = "setting"' in again and 'proposed_by = "pat"' in again
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "x"\n\n[[fields]]\nkey = "n"\nlabel = "N"\nkind = "numbr"\n')
    refused(
        run("extract", "form", "import", str(bad)),
        "bad.toml, line 6: field 'n': 'numbr' is not a kind",
    )


def test_it_extracts_compares_agrees_and_exports_from_the_terminal(
    run: Run, studies: list[int], tmp_path: Path
) -> None:
    form = tmp_path / "form.toml"
    form.write_text(FORM_TOML)
    ok(run("extract", "form", "import", str(form)))
    bob = tmp_path / "bob.csv"
    bob.write_text(
        "field,value\ncountry,England\ndesign,qualitative\nmodels,co-design;peer support\n"
        "participants[1].group,service users\nparticipants[1].number,12\n"
    )
    carol = tmp_path / "carol.toml"
    carol.write_text(
        'country = "GB-ENG"\ndesign = "case study"\nmodels = ["peer support", "co-design"]\n'
        '[[participants]]\ngroup = "service users"\nnumber = 12\n'
    )
    assert "Kept 4 values" in ok(run("extract", "set", "Author1 2013", str(bob), who="bob")).output
    ok(run("extract", "done", str(studies[0]), who="bob"))
    ok(run("extract", "set", str(studies[0]), str(carol), who="carol"))
    refused(run("extract", "compare", str(studies[0]), who="carol"), "stay hidden")
    ok(run("extract", "done", str(studies[0]), who="carol"))
    compared = ok(run("extract", "compare", str(studies[0]), who="carol")).output
    assert "1 of 8 fields differ" in compared and "case study" in compared
    refused(run("extract", "agree", str(studies[0]), "design", "qualitative", who="bob"), "lead")
    ok(run("extract", "agree", str(studies[0]), "design", "qualitative", "--note", "p. 3"))
    status = ok(run("extract", "status", who="pat")).output
    assert "bob, carol" in status and "8/8" in status
    table = ok(run("extract", "export", who="pat")).output.splitlines()
    assert table[1].startswith(f"{studies[0]},Author1 2013,England,qualitative,")
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("field,value\nservice_users,abc\n")
    refused(
        run("extract", "set", str(studies[1]), str(wrong), who="bob"),
        "wrong.csv: Field 'service_users' (Number of service users involved): 'abc' is not",
    )
    refused(run("extract", "set", str(studies[2]), str(wrong), who="bob"), "not an included")


def test_it_keeps_and_exports_quotes_from_the_terminal(
    run: Run, workspace: Workspace, team: Team, studies: list[int], tmp_path: Path
) -> None:
    with workspace.transaction("bob") as tx:
        report = fulltext.attach_report(
            tx, team.review_id, studies[0], "a.pdf", article_pdf(*PAGES)
        ).id
    added = run(
        "quote", "add", "Author1 2013", "we were listened to for the first time",
        "--kind", "first-order", "--report", str(report), "--page", "242", who="bob",
    )  # fmt: skip
    assert "cited [Author1 2013: 242] (found in the full text)" in ok(added).output
    refused(
        run(
            "quote", "add", str(studies[0]), "a shift in power", "--kind", "second-order",
            "--report", str(report), "--page", "243", who="bob",
        ),
        "it is on page 242",
    )  # fmt: skip
    typed = run(
        "quote", "add", str(studies[1]), "Heard at last", "--kind", "first-order", "--page", "9",
        who="carol",
    )  # fmt: skip
    assert "unverified" in ok(typed).output
    listed = ok(run("quote", "list", who="pat")).output
    assert "[Author1 2013: 242]" in listed and "[Author2 2014: 9]" in listed
    ok(run("quote", "export", "-o", str(tmp_path / "quotes.csv"), who="pat"))
    assert len((tmp_path / "quotes.csv").read_text().splitlines()) == 3
    refused(run("quote", "list", who="mallory"), "not a member")
