"""Identifiers in one canonical form each."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cosynth.domain import identifiers


@pytest.mark.parametrize(
    "written",
    [
        "10.1016/j.jclinepi.2020.01.001",
        "10.1016/J.JCLINEPI.2020.01.001",
        "doi:10.1016/j.jclinepi.2020.01.001",
        "DOI: 10.1016/j.jclinepi.2020.01.001.",
        "https://doi.org/10.1016/j.jclinepi.2020.01.001",
        "http://dx.doi.org/10.1016%2Fj.jclinepi.2020.01.001",
        "(10.1016/j.jclinepi.2020.01.001)",
    ],
)
def test_it_reads_every_way_a_doi_is_written_as_one(written: str) -> None:
    assert identifiers.doi(written) == "10.1016/j.jclinepi.2020.01.001"


def test_it_finds_both_dois_in_a_field_that_holds_two() -> None:
    assert identifiers.dois("10.1000/abc; 10.1000/DEF") == ("10.1000/abc", "10.1000/def")


def test_it_keeps_brackets_that_belong_to_the_doi() -> None:
    assert identifiers.doi(
        "10.1002/(SICI)1097-0258(19980815)17:15<1661::AID-SIM968>3.0.CO;2-2"
    ) == ("10.1002/(sici)1097-0258(19980815)17:15<1661::aid-sim968>3.0.co;2-2")


def test_it_finds_no_doi_where_there_is_none() -> None:
    assert identifiers.doi("10.4") == ""
    assert identifiers.doi("") == ""


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("0306406152", "9780306406157"),
        ("978-0-306-40615-7", "9780306406157"),
        ("0-8044-2957-X", "9780804429573"),
    ],
)
def test_it_reads_isbn10_and_isbn13_as_one(written: str, expected: str) -> None:
    assert identifiers.isbn13s(written) == (expected,)


def test_it_ignores_an_isbn_whose_check_digit_is_wrong() -> None:
    assert identifiers.isbn13s("978-0-306-40615-8") == ()


@pytest.mark.parametrize(
    ("written", "expected"), [("12345678", "12345678"), ("PMID: 00123", "123"), ("x", "")]
)
def test_it_reads_pmids(written: str, expected: str) -> None:
    assert identifiers.pmid(written) == expected


def test_it_reads_issns_and_pmcids() -> None:
    assert identifiers.issns("0957-9672 (Print) 1473-6535 (Linking)") == ("0957-9672", "1473-6535")
    assert identifiers.issns("2049-396x") == ("2049-396X",)
    assert identifiers.pmcid("pmc 10921964") == "PMC10921964"


@given(st.from_regex(r"10\.\d{4,9}/[a-z0-9._;()/:-]{1,40}", fullmatch=True))
def test_it_finds_any_doi_behind_any_prefix(raw: str) -> None:
    expected = identifiers.doi(raw)
    for prefix in ("doi:", "https://doi.org/", "DOI "):
        assert identifiers.doi(prefix + raw) == expected
