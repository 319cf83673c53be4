"""Question frameworks as data files: the built-ins read whole, a broken file refused
naming the file and the line of the mistake."""

from __future__ import annotations

import pytest

from cosynth.errors import DataFileError
from cosynth.formats.frameworks import read_framework, registered_frameworks

GOOD = """\
format = 1
id = "ours"
name = "OURS"
version = "1"

[source]
citation = "Our protocol, 2022"

[[elements]]
key = "setting"
letter = "S"
name = "Setting"
prompt = "Where?"

[[elements]]
key = "comparison"
letter = "C"
name = "Comparison"
prompt = "Compared with what?"
searched = false
"""


def test_it_reads_every_built_in_framework_with_its_source() -> None:
    found = registered_frameworks()
    assert set(found) == {"spice", "spices", "spider", "pico", "pico-qualitative", "peo"}
    for read in found.values():
        assert read.framework.citation
        assert all(e.prompt for e in read.framework.elements)
    spices = found["spices"].framework
    assert [e.name for e in spices.elements][-1] == "Social science method"
    assert not spices.element("comparison").searched


def test_it_reads_a_reviews_own_framework() -> None:
    read = read_framework(GOOD, "ours.toml")
    assert [(e.key, e.searched) for e in read.framework.elements] == [
        ("setting", True),
        ("comparison", False),
    ]


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (('key = "comparison"', 'key = "setting"'), 16, 'two elements have the key "setting"'),
        (('prompt = "Where?"', 'prompt = ""'), 13, '"prompt" must be text, not empty'),
        (("searched = false", 'searched = "no"'), 20, "searched must be true or false"),
        (('letter = "S"', 'letters = "S"'), 11, '"letters" is not a key cosynth knows here'),
        (("[source]\n", "[source]\ncitation = \n"), 7, "this is not valid TOML"),
    ],
)
def test_it_refuses_a_broken_framework_naming_the_line(
    change: tuple[str, str], line: int, words: str
) -> None:
    with pytest.raises(DataFileError) as refused:
        read_framework(GOOD.replace(*change, 1), "ours.toml")
    assert refused.value.line == line, refused.value.message
    assert words in refused.value.message


def test_it_refuses_a_file_that_is_not_utf8() -> None:
    with pytest.raises(DataFileError, match="not UTF-8"):
        read_framework(GOOD.encode("utf-16"), "ours.toml")
