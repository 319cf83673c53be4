"""The PRISMA2020 R template CSV: written, read back, refused when a count is bad; the paper.

The paper's own flow (Conquer et al. 2024, Findings): "2,097 papers were
identified, of these 1,904 were imported into Covidence which removed 760
duplicates. 191 sources were manually sifted, 243 were full-text-screened,
resulting in 21 studies for review and discussion. Ten studies remained, with
one additional study meeting inclusion criteria from hand searching. 11
studies were critically appraised for quality; one was excluded."
tests/data/prisma/conquer2024_reported.csv holds exactly what it reports, in
the R template: 2,097 identified from databases, 1,904 imported (cosynth's own
row), 760 duplicates, 191 records screened (the "manually sifted"), none
excluded (not reported), 243 reports sought and assessed, one report excluded
at appraisal, one record from citation searching (the hand search) sought and
assessed, 10 studies and reports included. The 21 "for review and
discussion" has no box.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cosynth.domain.prisma import Count, Flow, Inconsistency, check_flow, derived_totals
from cosynth.errors import ImportFileError
from cosynth.formats.prisma_csv import COLUMNS, read_flow_csv, write_flow_csv

PAPER = Path(__file__).parent.parent / "data" / "prisma" / "conquer2024_reported.csv"


@pytest.fixture
def paper() -> list[Inconsistency]:
    return check_flow(read_flow_csv(PAPER.name, PAPER.read_bytes()))


def _about(problems: list[Inconsistency], box: str) -> Inconsistency:
    (found,) = [problem for problem in problems if problem.boxes[-1] == box]
    return found


def test_it_reads_the_papers_numbers_as_reported() -> None:
    flow = read_flow_csv(PAPER.name, PAPER.read_bytes())
    assert (flow.database_results, flow.records_imported, flow.duplicates) == (2_097, 1_904, 760)
    assert (flow.records_screened, flow.dbr_sought_reports, flow.dbr_assessed) == (191, 243, 243)
    assert flow.citations_results == flow.other_sought_reports == 1
    assert flow.dbr_excluded == (Count("Scored below 7 on TAPUPAS (Appendix E)", 1),)
    assert (flow.new_studies, flow.new_reports) == (10, 10)


def test_it_finds_four_places_where_the_papers_flow_does_not_add_up(
    paper: list[Inconsistency],
) -> None:
    assert [problem.boxes[-1] for problem in paper] == [
        "records_imported",
        "records_screened",
        "dbr_sought_reports",
        "new_reports",
    ]


def test_it_says_193_of_the_2097_records_identified_have_no_box(
    paper: list[Inconsistency],
) -> None:
    problem = _about(paper, "records_imported")
    assert "(2,097)" in problem.message and "1,904 is reported" in problem.message
    assert "193 records have no box saying what became of them" in problem.message


def test_it_says_1144_records_should_have_been_screened_not_191(
    paper: list[Inconsistency],
) -> None:
    problem = _about(paper, "records_screened")
    assert '"Records imported for screening" (1,904) less "Duplicate records removed" (760)' in (
        problem.message
    )
    assert "1,144, but 191 is reported (953 records were neither screened nor removed)" in (
        problem.message
    )


def test_it_says_243_full_texts_were_sought_from_191_records_screened(
    paper: list[Inconsistency],
) -> None:
    problem = _about(paper, "dbr_sought_reports")
    assert '"Records screened" (191) less "Records excluded" (0)' in problem.message
    assert "191, but 243 is reported (52 too many" in problem.message


def test_it_says_233_full_texts_left_without_a_reason_on_the_way_to_10_studies(
    paper: list[Inconsistency],
) -> None:
    problem = _about(paper, "new_reports")
    assert set(problem.boxes) >= {"dbr_assessed", "dbr_excluded", "new_reports"}
    assert "243, but 10 is reported" in problem.message
    assert "233 reports assessed were neither excluded with a reason nor included" in (
        problem.message
    )


def test_it_finds_nothing_wrong_with_the_hand_search(paper: list[Inconsistency]) -> None:
    assert not [p for p in paper if "other_assessed" in p.boxes and p.boxes[-1] != "new_reports"]


def test_it_writes_every_column_and_box_of_the_r_template() -> None:
    text = write_flow_csv(Flow(database_results=12))
    lines = text.splitlines()
    assert lines[0] == ",".join(COLUMNS)
    keys = [line.split(",")[0] for line in lines[1:]]
    assert keys[:6] == [
        "NA", "previous_studies", "previous_reports", "NA", "database_results",
        "database_specific_results",
    ]  # fmt: skip
    assert keys[-3:] == ["identification", "screening", "included"]
    assert "records_imported" not in keys  # cosynth's own row, only when a flow has it
    assert "database_results,node7,box2,Records identified from: Databases,Databases," in text


labels = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda s: s.strip() == s and ";" not in s and "," not in s[-1:] and s[:1] != "'")
counts = st.lists(
    st.builds(Count, labels, st.integers(min_value=0, max_value=5000)), max_size=4
).map(tuple)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=0, max_value=100_000),
    counts,
    counts,
    st.integers(min_value=0, max_value=900),
    st.one_of(st.none(), st.integers(min_value=0, max_value=100_000)),
)
def test_it_reads_back_what_it_wrote(
    identified: int,
    databases: tuple[Count, ...],
    reasons: tuple[Count, ...],
    duplicates: int,
    imported: int | None,
) -> None:
    flow = Flow(
        database_results=identified,
        database_specific_results=databases,
        dbr_excluded=reasons,
        duplicates=duplicates,
        records_imported=imported,
        previous_studies=3,
    )
    assert read_flow_csv("flow.csv", write_flow_csv(flow).encode("utf-8")) == flow


def test_it_keeps_a_label_that_a_spreadsheet_would_run_as_a_formula() -> None:
    flow = derived_totals(Flow(database_results=4, dbr_excluded=(Count("=HYPERLINK(x)", 0),)))
    text = write_flow_csv(flow)
    assert "'=HYPERLINK(x), 0" in text
    assert read_flow_csv("flow.csv", text.encode()).dbr_excluded == flow.dbr_excluded


def test_it_reads_thousands_separators_and_a_bom() -> None:
    text = PAPER.read_text("utf-8").replace(",2097\n", ',"2,097"\n')
    flow = read_flow_csv("flow.csv", b"\xef\xbb\xbf" + text.encode())
    assert flow.database_results == 2_097


def _edited(old: str, new: str) -> bytes:
    text = PAPER.read_text("utf-8")
    assert old in text
    return text.replace(old, new).encode("utf-8")


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        (",760\n", ",\n", 14, 'column "n" (duplicates, "Duplicate records removed") is empty'),
        (",760\n", ",-760\n", 14, "is -760; a count cannot be negative"),
        (",760\n", ",seven hundred\n", 14, 'is "seven hundred", which is not a whole number'),
        (",760\n", ",76.5\n", 14, 'is "76.5", which is not a whole number'),
        (",191\n", ",NA\n", 18, "(records_screened, \"Records screened\") is empty"),
        ("(Appendix E), 1", "(Appendix E), xxx", 25, 'is "xxx", which is not a whole number'),
        ("(Appendix E), 1", "(Appendix E), -1", 25, "is -1; a count cannot be negative"),
        ('"Scored below 7 on TAPUPAS (Appendix E), 1"', "low", 25, '"low" needs a label'),
        ("\nduplicates,", "\nduplicate,", 14, '"duplicate" is not a box of the PRISMA 2020'),
        ("\nexcluded_other,", "\nduplicates,", 16, "duplicates is given twice (first on line 14)"),
    ],
)  # fmt: skip
def test_it_refuses_a_bad_count_naming_the_line_and_column(
    old: str, new: str, line: int, words: str
) -> None:
    with pytest.raises(ImportFileError) as refused:
        read_flow_csv("reported.csv", _edited(old, new))
    assert refused.value.line == line
    assert str(refused.value).startswith(f"reported.csv, line {line}: ")
    assert words in str(refused.value)


def test_it_refuses_a_file_without_a_box() -> None:
    text = "\n".join(
        line for line in PAPER.read_text("utf-8").splitlines() if not line.startswith("new_reports")
    )
    with pytest.raises(ImportFileError, match=r'there is no row for new_reports \("Reports of new'):
        read_flow_csv("reported.csv", text.encode())


def test_it_refuses_a_file_without_the_template_columns() -> None:
    with pytest.raises(ImportFileError, match='line 1: there is no "n" column'):
        read_flow_csv("reported.csv", b"data,count\nduplicates,760\n")


def test_it_refuses_a_file_that_is_not_utf8() -> None:
    with pytest.raises(ImportFileError, match="not UTF-8"):
        read_flow_csv("reported.csv", "data,n\nduplicates,76\xa0\n".encode("latin-1"))


def test_it_refuses_an_empty_file() -> None:
    with pytest.raises(ImportFileError, match="the file is empty"):
        read_flow_csv("reported.csv", b"")
