"""Appraisal instruments are data: every shipped file loads, and a wrong file is named by line."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from cosynth.domain.appraisal.instruments import Rule, instrument_from_dict
from cosynth.domain.appraisal.scoring import max_score, suggested_rule
from cosynth.errors import DataFileError, InputError
from cosynth.formats.instruments import line_of, read_instrument, registered_instruments

SHIPPED = sorted(Path(str(files("cosynth") / "instruments")).glob("*.toml"))

GOOD = """\
format = 1
id = "mini"
name = "Mini"
version = "1"

[source]
citation = "Us, 2024."
licence = "CC0"

[[scales]]
id = "yn"
answers = [
  { id = "yes", label = "Yes", points = 1 },
  { id = "no", label = "No", points = 0 },
]

[scoring]
rule = "sum"
threshold = 2

[[items]]
id = "a"
label = "First"

[[items]]
id = "b"
label = "Second"
critical = true
"""


def test_it_loads_every_shipped_instrument_file() -> None:
    assert len(SHIPPED) >= 6
    for path in SHIPPED:
        read = read_instrument(path.read_bytes(), path.name)
        instrument = read.instrument
        assert instrument.citation and instrument.licence and instrument.version
        assert instrument.items and instrument.scales
        assert max_score(instrument, suggested_rule(instrument)) > 0


def test_it_registers_every_shipped_file_through_the_entry_point_group() -> None:
    registered = registered_instruments()
    assert {found.filename.split(":")[1] for found in registered.values()} == {
        path.name for path in SHIPPED
    }
    assert set(registered) == {
        "tapupas",
        "tapupas-graded",
        "casp-qualitative-2018",
        "jbi-qualitative",
        "aacods",
        "hawker",
    }


def test_it_ships_the_instruments_as_methods_md_describes_them() -> None:
    shipped = {key: found.instrument for key, found in registered_instruments().items()}
    tapupas = shipped["tapupas"]
    assert [item.label for item in tapupas.items] == [
        "Transparency",
        "Accuracy",
        "Purposivity",
        "Utility",
        "Propriety",
        "Accessibility",
        "Specificity",
    ]
    assert max_score(tapupas, suggested_rule(tapupas)) == 7
    assert suggested_rule(tapupas).threshold == 7
    assert max_score(shipped["tapupas-graded"], suggested_rule(shipped["tapupas-graded"])) == 14
    assert "check" in tapupas.check.lower() or tapupas.check

    casp = shipped["casp-qualitative-2018"]
    assert len(casp.items) == 10
    assert [item.id for item in casp.items if item.screening] == ["Q1", "Q2"]
    assert casp.item("Q10") is not None and casp.item("Q10").free_text  # type: ignore[union-attr]
    assert "CC BY-NC-SA" in casp.licence and casp.url.startswith("https://")
    assert [a.label for a in casp.scales[0].answers] == ["Yes", "Can't tell", "No"]

    jbi = shipped["jbi-qualitative"]
    assert len(jbi.items) == 10
    assert [a.label for a in jbi.scales[0].answers] == ["Yes", "No", "Unclear", "Not applicable"]

    assert [item.label for item in shipped["aacods"].items] == [
        "Authority",
        "Accuracy",
        "Coverage",
        "Objectivity",
        "Date",
        "Significance",
    ]
    hawker = shipped["hawker"]
    assert len(hawker.items) == 9
    assert {a.label: a.points for a in hawker.scales[0].answers} == {
        "Good": 4,
        "Fair": 3,
        "Poor": 2,
        "Very poor": 1,
    }
    assert max_score(hawker, suggested_rule(hawker)) == 36


def test_it_marks_what_could_not_be_confirmed() -> None:
    for found in registered_instruments().values():
        assert "check" in found.text.casefold(), found.filename


def test_it_reads_a_well_formed_file() -> None:
    read = read_instrument(GOOD.encode(), "mini.toml")
    assert read.instrument.scoring is not None
    assert read.instrument.scoring.rule is Rule.SUM
    assert [a.meets for a in read.instrument.scales[0].answers] == [True, False]
    assert read.instrument.items[1].critical


def _broken(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (_broken('id = "b"\n', 'id = "a"\n'), 26, 'item id "a" is used twice'),
        (_broken('id = "b"\n', ""), 25, "item 2 has no id"),
        (_broken("threshold = 2", "threshold = 3"), 19, "threshold 3 is outside"),
        (
            _broken("threshold = 2\n", "threshold = 2\npoints = { maybe = 1 }\n"),
            20,
            'answer "maybe", which is on none',
        ),
        (
            _broken("threshold = 2\n", 'threshold = 2\ncritical = ["a", "z"]\n'),
            20,
            'critical item "z" is not an item',
        ),
        (_broken('label = "Second"\n', 'label = "Second"\nscale = "likert"\n'), 28, "likert"),
        (_broken("critical = true", "critcal = true"), 28, '"critcal" is not a key'),
        (
            _broken(
                '{ id = "no", label = "No", points = 0 }',
                '{ id = "yes", label = "No", points = 0 }',
            ),
            14,
            'answer id "yes" is used twice',
        ),
        (_broken("points = 1 }", 'points = "one" }'), 13, '"points" must be a whole number'),
        (_broken('version = "1"\n', ""), None, '"version" is missing'),
        (_broken('rule = "sum"', 'rule = "mean"'), 18, 'the rule "mean"'),
        (_broken('id = "mini"', 'id = "my tool"'), 2, "cannot be an id"),
        (_broken('version = "1"', f'version = "{"1" * 101}"'), 4, "at most 100 characters"),
        (_broken('[[items]]\nid = "a"', '[[items]\nid = "a"'), 21, "not valid TOML"),
    ],
)
def test_it_names_the_file_and_line_of_a_mistake_and_loads_nothing(
    text: str, line: int | None, words: str
) -> None:
    with pytest.raises(DataFileError) as caught:
        read_instrument(text.encode(), "mine.toml")
    error = caught.value
    assert isinstance(error, InputError)
    assert words in error.problem
    assert error.filename == "mine.toml"
    assert error.line == line, (error.message, text.splitlines()[(error.line or 1) - 1])
    assert error.message.startswith("mine.toml" + (f", line {line}" if line else ""))


def test_it_refuses_a_file_that_is_not_utf8() -> None:
    with pytest.raises(DataFileError, match="line 2: the file is not UTF-8"):
        read_instrument(b'format = 1\nname = "caf\xe9"\n', "latin1.toml")


def test_it_needs_a_threshold_for_a_sum_and_critical_items_for_all_critical() -> None:
    with pytest.raises(DataFileError, match="needs a threshold"):
        read_instrument(_broken("threshold = 2\n", "").encode(), "x.toml")
    no_critical = _broken("critical = true\n", "").replace('rule = "sum"', 'rule = "all-critical"')
    with pytest.raises(DataFileError, match="needs at least one critical item"):
        read_instrument(no_critical.encode(), "x.toml")


def test_it_finds_keys_in_arrays_of_tables_and_inline_tables() -> None:
    assert line_of(GOOD, ("items", 1, "critical")) == 28
    assert line_of(GOOD, ("scales", 0, "answers", 1, "id"), "no") == 14
    assert line_of(GOOD, ("scoring", "threshold"), 2) == 19
    assert line_of(GOOD, ("name",)) == 3
    assert line_of(GOOD, ("items", 1)) == 25


def test_it_parses_a_dict_without_any_file() -> None:
    instrument = instrument_from_dict(
        {
            "id": "d",
            "name": "D",
            "version": "1",
            "source": {"citation": "c", "licence": "l"},
            "scales": [{"id": "s", "answers": [{"id": "y", "label": "Y", "points": 2},
                                                {"id": "n", "label": "N", "points": 0}]}],
            "items": [{"id": "1", "label": "One"}, {"id": "2", "label": "Why", "free_text": True}],
        }
    )  # fmt: skip
    assert [item.free_text for item in instrument.items] == [False, True]
    assert instrument.scale_of(instrument.items[0]) is instrument.scales[0]
