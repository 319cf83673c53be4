"""The extraction form's rules: checking a form, reading values, blinding, agreement; quotes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cosynth.domain.countries import country_name
from cosynth.domain.extraction import (
    ExtractionForm,
    FieldKind,
    FormField,
    agreed_value,
    check_form,
    form_from_data,
    form_problems,
    form_to_data,
    may_see,
    parse_value,
    value_from_data,
    value_to_data,
)
from cosynth.domain.quotes import cite, clean_quote, locate, searchable
from cosynth.errors import InputError

NUMBER = FormField("n", "Participants", FieldKind.NUMBER)
DATE = FormField("d", "Date", FieldKind.DATE)
GROUP = FormField(
    "people",
    "People",
    FieldKind.GROUP,
    fields=(
        FormField("role", "Role", FieldKind.SINGLE_CHOICE, choices=("carer", "staff")),
        FormField("n", "How many", FieldKind.NUMBER),
    ),
)


def test_it_names_every_problem_of_a_form() -> None:
    form = ExtractionForm(
        fields=(
            FormField("Bad Key", "x", FieldKind.TEXT),
            FormField("c", "C", FieldKind.SINGLE_CHOICE, choices=("a", "A")),
            FormField("t", "T", FieldKind.TEXT, choices=("a", "b")),
            FormField("g", "G", FieldKind.GROUP),
            FormField("t", "", FieldKind.NUMBER),
            FormField("h", "H", FieldKind.GROUP, fields=(GROUP,)),
        )
    )
    problems = [(p.key, p.message.split(" (")[0].split(";")[0]) for p in form_problems(form)]
    assert problems == [
        ("Bad Key", "a key is lower-case letters, digits and underscores, starting with a letter"),
        ("c", "two of its choices are the same"),
        ("t", "a text field has no choices"),
        ("g", "a repeating group needs at least one sub-field"),
        ("t", "it has no label"),
        ("t", "this key is used by another field"),
        ("h.people", "a repeating group cannot hold another repeating group"),
    ]
    with pytest.raises(InputError, match="cannot be saved: field 'Bad Key'"):
        check_form(form)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("12", "12"), ("12.0", "12"), (" 1.50 ", "1.5"), ("1e2", "100"), ("-0", "0"), (7, "7")],
)
def test_it_keeps_one_spelling_of_a_number(typed: object, kept: str) -> None:
    assert parse_value(NUMBER, typed) == kept


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "'abc' is not a number. Give the figure only"),
        ("1,200", "without thousands separators: 1200"),
        ("3,5", "Use a point for decimals: 3.5"),
        ("about 12", "is not a number"),
        ("nan", "is not a number"),
    ],
)
def test_it_refuses_what_is_not_a_number(typed: str, message: str) -> None:
    with pytest.raises(InputError, match=rf"Field 'n' \(Participants\): .*{message}"):
        parse_value(NUMBER, typed)


@pytest.mark.parametrize(
    ("typed", "kept"), [("2020-02-29", "2020-02-29"), ("2019-03", "2019-03"), ("2019", "2019")]
)
def test_it_reads_dates_as_precise_as_the_study_gives_them(typed: str, kept: str) -> None:
    assert parse_value(DATE, typed) == kept


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2020", r"not a real date \(there is no 31 February 2020\)"),
        ("2021-02-29", r"there is no 29 February 2021"),
        ("2020-00", "there is no month 0"),
        ("12/03/2020", "not a date cosynth can read: write dates as YYYY-MM-DD"),
        ("March 2020", "not a date cosynth can read"),
    ],
)
def test_it_refuses_dates_that_do_not_exist_or_cannot_be_read(typed: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_value(DATE, typed)


def test_it_reads_countries_by_name_code_or_common_name() -> None:
    country = FormField("c", "Country", FieldKind.COUNTRY)
    read = [parse_value(country, typed) for typed in ("uk", "GBR", "Bolivia", "wales")]
    assert read == ["United Kingdom", "United Kingdom", "Bolivia, Plurinational State of", "Wales"]
    with pytest.raises(InputError, match="Did you mean 'England'"):
        parse_value(country, "Englnd")
    assert country_name("Côte d'Ivoire") == "Côte d'Ivoire"


def test_it_reads_choices_whatever_their_case_and_order() -> None:
    many = FormField(
        "m", "Models", FieldKind.MULTIPLE_CHOICE, choices=("co-design", "peer support")
    )
    assert parse_value(many, "Peer Support; co-design") == ("co-design", "peer support")
    assert parse_value(many, ["peer support"]) == ("peer support",)
    yes_no = FormField("e", "Equity", FieldKind.YES_NO_UNCLEAR)
    assert [parse_value(yes_no, typed) for typed in ("YES", True, False, "")] == [
        "yes",
        "yes",
        "no",
        "",
    ]


def test_it_reads_a_repeating_group_and_drops_empty_entries() -> None:
    value = parse_value(GROUP, [{"role": "Carer", "n": 3}, {"role": ""}, {"n": "2.0"}])
    assert value == ({"role": "carer", "n": "3"}, {"n": "2"})
    assert value_from_data(value_to_data(value)) == value
    with pytest.raises(InputError, match=r"entry 1, 'role' \(Role\): 'nurse' is not one of"):
        parse_value(GROUP, [{"role": "nurse"}])


def test_it_blinds_like_screening() -> None:
    done = ["bob"]
    assert may_see("bob", "bob", lead=False, done_by=done)
    assert not may_see("bob", "carol", lead=False, done_by=done)
    assert not may_see("carol", "bob", lead=False, done_by=done)
    assert may_see("alice", "carol", lead=True, done_by=done)
    assert may_see("carol", "bob", lead=False, done_by=["bob", "carol"])
    assert not may_see("dave", "bob", lead=False, done_by=["bob", "carol"])


def test_it_agrees_only_when_two_or_more_gave_the_same() -> None:
    assert agreed_value(["a"]) is None
    assert agreed_value(["a", "a"]) == "a"
    assert agreed_value([("x",), ("y",)]) is None


field_keys = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)
texts = st.text(st.characters(codec="utf-8"), min_size=1, max_size=30).filter(
    lambda text: text.strip() == text and text.strip() != ""
)


@given(keys=st.lists(field_keys, min_size=1, max_size=5, unique=True), label=texts)
def test_it_round_trips_a_form_through_plain_data(keys: list[str], label: str) -> None:
    form = ExtractionForm(
        title=label,
        fields=tuple(
            FormField(key, label, FieldKind.SINGLE_CHOICE, choices=(f"{label} a", f"{label} b"))
            for key in keys
        ),
    )
    assert form_from_data(form_to_data(form)) == form


def test_it_cites_quotes_the_papers_way() -> None:
    assert cite("Smith 2019", "241") == "[Smith 2019: 241]"
    assert cite("NHS England 2021", "") == "[NHS England 2021]"
    assert clean_quote(" \u201c We were  listened to \u201d ") == "We were listened to"
    assert searchable("The [\u2026] design [to] achieve") == "The  ...  design  ...  achieve"


def test_it_locates_a_quote_in_the_page_text_even_over_a_page_break() -> None:
    pages = ["Intro.\nCarers said: we were lis-", "tened to, at last. Then more."]
    # (first page, start, last page, end): from "we" on the first page to "to" on the next.
    assert locate(pages, "we were listened to") == (0, 20, 1, 8)
    assert locate(["Carers said: WE WERE listened to."], "we were listened to") == (0, 13, 0, 32)
    assert locate(["abc"], "...") is None
