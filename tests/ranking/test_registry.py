"""Rankers come from the `cosynth.rankers` entry-point group."""

from __future__ import annotations

import pytest

from cosynth.errors import InputError
from cosynth.ranking import DEFAULT_RANKER, Ranker, load_ranker, ranker_names


def test_it_lists_the_built_in_rankers_with_the_default_among_them() -> None:
    names = ranker_names()
    assert "tfidf-svm" in names
    assert DEFAULT_RANKER in names
    assert names == sorted(names)


def test_it_loads_the_default_ranker_without_a_name() -> None:
    ranker = load_ranker()
    assert isinstance(ranker, Ranker)
    assert ranker.name == DEFAULT_RANKER


def test_it_names_the_known_rankers_for_an_unknown_one() -> None:
    with pytest.raises(InputError, match=r"no ranker called 'bert'.*tfidf-svm"):
        load_ranker("bert")
