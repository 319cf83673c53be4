"""Extraction files: the form as TOML (both ways), one study's values as TOML or CSV."""

from __future__ import annotations

import re

import pytest

from cosynth.domain.extraction import FieldKind
from cosynth.errors import DataFileError
from cosynth.formats.extraction import read_form, read_values, write_form
from tests.services.extraction_helpers import FORM_TOML


def test_it_reads_a_form_and_writes_it_back_the_same() -> None:
    form = read_form(FORM_TOML, "form.toml")
    assert form.keys[:3] == ("country", "design", "models")
    assert form.field("participants").kind is FieldKind.GROUP
    assert [sub.key for sub in form.field("participants").fields] == ["group", "number"]
    assert read_form(write_form(form), "again.toml") == form


def test_it_writes_text_that_toml_needs_escaped() -> None:
    form = read_form(FORM_TOML, "form.toml")
    awkward = 'Says "hello"\\ then\ttabs, \u00e9t\u00e9 and \x7f'
    tricky = form.__class__(fields=form.fields, title=awkward)
    assert read_form(write_form(tricky), "tricky.toml").title == awkward


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('title = "x"\n[[fields]]\nkey = "a"\nlabel = \n', "form.toml, line 4: this is not valid"),
        ('titel = "x"\n', "form.toml, line 1: 'titel' is not a setting of a form"),
        (
            'title = "x"\n\n[[fields]]\nkey = "a"\nlable = "A"\nkind = "text"\n',
            "form.toml, line 4: field 1 (a): 'lable' is not a setting of a field",
        ),
        (
            'title = "x"\n\n[[fields]]\nkey = "a"\nlabel = "A"\nkind = "single_choice"\n'
            'choices = ["only"]\n',
            "form.toml, line 4: field 'a': a choice field needs at least two choices",
        ),
        (
            'title = "x"\n\n[[fields]]\nkey = "a"\nlabel = "A"\nkind = "group"\n\n'
            '[[fields.subfields]]\nkey = "b"\nlabel = "B"\nkind = "text"\n\n'
            '[[fields.subfields]]\nkey = "b"\nlabel = "B again"\nkind = "text"\n',
            "form.toml, line 9: field 'a.b': this key is used by another field",
        ),
        ('title = "x"\n\n[[fields]]\nlabel = "A"\nkind = "text"\n', "field 1 has no key"),
        ('title = "x"\n', "form.toml: the form has no fields"),
    ],
)
def test_it_names_the_line_of_a_mistake_in_a_form_file(text: str, message: str) -> None:
    with pytest.raises(DataFileError, match=re.escape(message)):
        read_form(text, "form.toml")


def test_it_reads_values_from_toml_with_group_entries() -> None:
    data = (
        b'country = "UK"\nservice_users = 12\nstarted = 2019-03-01\n'
        b'[[participants]]\ngroup = "staff"\n'
    )
    values = read_values(data, "smith.toml")
    assert values["service_users"] == 12
    assert values["participants"] == [{"group": "staff"}]


def test_it_reads_values_from_csv_with_group_cells_and_a_bom() -> None:
    data = (
        "\ufeffField,Value\ncountry,UK\n\nmodels,co-design; peer support\n"
        "participants[2].group,staff\nparticipants[1].group,carers\nparticipants[1].number,4\n"
    ).encode()
    assert read_values(data, "smith.csv") == {
        "country": "UK",
        "models": "co-design; peer support",
        "participants": [{"group": "carers", "number": "4"}, {"group": "staff"}],
    }


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"country,UK\n", "a.csv", "a.csv, line 1: the first row must name the columns"),
        (b"field,value\nmodels,a\nmodels,b\n", "a.csv", "a.csv, line 3: 'models' is given twice"),
        (b"field,value\n,UK\n", "a.csv", "a.csv, line 2: this row names no field"),
        (b"field,value\ncountry,\xff\n", "a.csv", "a.csv, line 2: the file is not UTF-8"),
        (b"country: UK\n", "a.yaml", "values are read from a .toml or a .csv file"),
    ],
)
def test_it_names_the_line_of_a_mistake_in_a_values_file(
    data: bytes, name: str, message: str
) -> None:
    with pytest.raises(DataFileError, match=re.escape(message)):
        read_values(data, name)
