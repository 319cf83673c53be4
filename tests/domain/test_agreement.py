"""Agreement statistics, checked against scikit-learn, the krippendorff package and Fleiss."""

from __future__ import annotations

import math
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from cosynth.domain.agreement import (
    COHEN,
    FLEISS,
    KRIPPENDORFF,
    Agreement,
    agreement_among,
    agreement_between,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    landis_koch_band,
    percent_agreement,
)
from cosynth.errors import InputError

DECISIONS = ("include", "exclude", "unsure")
decision = st.sampled_from(DECISIONS)
pairs_of_decisions = st.lists(st.tuples(decision, decision), min_size=1, max_size=60)
# Units with any number of ratings, missing ones absent: what alpha accepts.
ragged_units = st.lists(st.lists(decision, min_size=0, max_size=6), min_size=1, max_size=40)
# Units with the same number of ratings each: what Fleiss' kappa accepts.
even_units = st.integers(2, 6).flatmap(
    lambda m: st.lists(st.lists(decision, min_size=m, max_size=m), min_size=1, max_size=40)
)


def _counts(units: list[list[str]]) -> np.ndarray:
    return np.array([[unit.count(category) for category in DECISIONS] for unit in units])


# The example on Wikipedia's "Fleiss' kappa" page, reproduced in many textbooks
# and in statsmodels' tests: 10 subjects, 14 raters, 5 categories; P̄ = 0.378,
# P̄e = 0.213, kappa = 0.210. (Not from Fleiss's paper: see below for that.)
WIKIPEDIA_COUNTS = (
    (0, 0, 0, 0, 14),
    (0, 2, 6, 4, 2),
    (0, 0, 3, 5, 6),
    (0, 3, 9, 2, 0),
    (2, 2, 8, 1, 1),
    (7, 7, 0, 0, 0),
    (3, 2, 6, 3, 0),
    (2, 5, 3, 2, 2),
    (6, 5, 2, 1, 0),
    (0, 2, 2, 3, 7),
)

# Fleiss (1971): 30 patients, 6 psychiatrists each, 5 diagnoses
# (1 depression, 2 personality disorder, 3 schizophrenia, 4 neurosis, 5 other),
# as the R package irr ships it ("diagnoses"); kappa = 0.430 in the paper and
# 0.4302445 from irr's kappam.fleiss.
FLEISS_1971 = (
    "444444", "222555", "233335", "555555", "222444", "113333", "333355", "113334",
    "114444", "555555", "144444", "124444", "222333", "144444", "224445", "333335",
    "111455", "111112", "224444", "133555", "555555", "244444", "224555", "114444",
    "144445", "222224", "111155", "224444", "133333", "555555",
)  # fmt: skip


def _units_from_counts(rows: tuple[tuple[int, ...], ...]) -> list[list[str]]:
    return [
        [f"category {column}" for column, count in enumerate(row) for _ in range(count)]
        for row in rows
    ]


# Cohen's kappa


@settings(max_examples=300, deadline=None)
@given(pairs_of_decisions)
def test_it_computes_cohens_kappa_as_scikit_learn_does(pairs: list[tuple[str, str]]) -> None:
    firsts, seconds = zip(*pairs, strict=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn warns where kappa is undefined
        expected = cohen_kappa_score(firsts, seconds)
    ours = cohen_kappa(pairs)
    if math.isnan(expected):
        assert ours is None
    else:
        assert ours is not None
        assert ours == pytest.approx(expected, abs=1e-9)


def test_it_gives_cohens_kappa_one_for_perfect_agreement_on_two_categories() -> None:
    assert cohen_kappa([("include", "include"), ("exclude", "exclude")]) == 1.0


def test_it_gives_cohens_kappa_minus_one_for_perfect_disagreement() -> None:
    assert cohen_kappa([("include", "exclude"), ("exclude", "include")]) == -1.0


def test_it_leaves_cohens_kappa_undefined_when_both_used_one_category() -> None:
    pairs = [("exclude", "exclude")] * 20
    assert cohen_kappa(pairs) is None
    assert percent_agreement(pairs) == 100.0


def test_it_computes_cohens_kappa_when_only_one_rater_used_one_category() -> None:
    # p_e = 0.5 here, not 1: kappa is defined, and 0 (no better than chance).
    assert cohen_kappa([("exclude", "exclude"), ("exclude", "include")]) == 0.0


def test_it_leaves_everything_undefined_without_pairs() -> None:
    assert cohen_kappa([]) is None
    assert percent_agreement([]) is None


def test_it_gives_percentage_agreement_out_of_a_hundred() -> None:
    pairs = [("include", "include"), ("exclude", "exclude"), ("include", "unsure")]
    assert percent_agreement(pairs) == pytest.approx(200 / 3)


def test_it_computes_a_textbook_cohens_kappa() -> None:
    # 50 units: 20 both yes, 15 both no, 5 yes/no, 10 no/yes.
    # p_o = 0.70, p_e = 0.5 · 0.6 + 0.5 · 0.4 = 0.50, kappa = 0.40.
    pairs = [("yes", "yes")] * 20 + [("no", "no")] * 15 + [("yes", "no")] * 5
    pairs += [("no", "yes")] * 10
    assert cohen_kappa(pairs) == pytest.approx(0.4)


# Fleiss' kappa


def test_it_reproduces_the_wikipedia_fleiss_example() -> None:
    kappa = fleiss_kappa(_units_from_counts(WIKIPEDIA_COUNTS))
    assert kappa is not None
    assert round(kappa, 3) == 0.210


def test_it_reproduces_fleiss_1971() -> None:
    units = [list(ratings) for ratings in FLEISS_1971]
    assert fleiss_kappa(units) == pytest.approx(0.4302445, abs=1e-7)


@settings(max_examples=200, deadline=None)
@given(even_units)
def test_it_relates_fleiss_kappa_to_alpha_as_krippendorff_shows(units: list[list[str]]) -> None:
    # With m ratings on each of N units and no missing data, alpha corrects
    # Fleiss' expected agreement for sampling without replacement, so the two
    # definitions give alpha = 1 − (1 − kappa)(Nm − 1)/(Nm).
    kappa = fleiss_kappa(units)
    alpha = krippendorff_alpha(units)
    if kappa is None:
        assert alpha is None
        return
    assert alpha is not None
    ratings = len(units) * len(units[0])
    assert alpha == pytest.approx(1 - (1 - kappa) * (ratings - 1) / ratings, abs=1e-9)


def test_it_gives_fleiss_kappa_one_when_every_unit_is_unanimous() -> None:
    units = [["include"] * 3, ["exclude"] * 3, ["unsure"] * 3]
    assert fleiss_kappa(units) == 1.0


def test_it_leaves_fleiss_kappa_undefined_for_one_category() -> None:
    assert fleiss_kappa([["exclude"] * 4] * 5) is None


def test_it_leaves_fleiss_kappa_undefined_without_units() -> None:
    assert fleiss_kappa([]) is None


def test_it_computes_fleiss_kappa_on_a_single_unit() -> None:
    # One unit split 2–1: P̄ = 1/3, P̄e = 5/9, kappa = −1/2.
    assert fleiss_kappa([["include", "include", "exclude"]]) == pytest.approx(-0.5)


def test_it_refuses_fleiss_kappa_with_unequal_numbers_of_ratings() -> None:
    with pytest.raises(InputError, match=r"record 2 has 2.*Krippendorff"):
        fleiss_kappa([["include"] * 3, ["include", "exclude"]])


def test_it_refuses_fleiss_kappa_with_one_rating_per_unit() -> None:
    with pytest.raises(InputError, match="at least two ratings"):
        fleiss_kappa([["include"], ["exclude"]])


# Krippendorff's alpha


@settings(max_examples=300, deadline=None)
@given(ragged_units)
def test_it_computes_alpha_as_the_krippendorff_package_does(units: list[list[str]]) -> None:
    ours = krippendorff_alpha(units)
    used = {rating for unit in units if len(unit) >= 2 for rating in unit}
    if len(used) < 2:  # the package refuses these or returns NaN
        assert ours is None
        return
    expected = krippendorff.alpha(value_counts=_counts(units), level_of_measurement="nominal")
    assert ours is not None
    assert ours == pytest.approx(float(expected), abs=1e-9)


def test_it_reproduces_krippendorffs_own_nominal_example() -> None:
    # Krippendorff (2011), section C: 4 coders, 12 units, missing values; alpha = 0.743.
    coders = (
        "1 2 3 3 2 1 4 1 2 . . .",
        "1 2 3 3 2 2 4 1 2 5 . 3",
        ". 3 3 3 2 3 4 2 2 5 1 .",
        "1 2 3 3 2 4 4 1 2 5 1 .",
    )
    table = [row.split() for row in coders]
    units = [[row[u] for row in table if row[u] != "."] for u in range(12)]
    alpha = krippendorff_alpha(units)
    assert alpha is not None
    assert round(alpha, 3) == 0.743


def test_it_ignores_units_with_fewer_than_two_ratings() -> None:
    units = [["include", "include"], ["exclude", "exclude"], ["include"], []]
    assert krippendorff_alpha(units) == krippendorff_alpha(units[:2])


def test_it_leaves_alpha_undefined_without_pairable_units() -> None:
    assert krippendorff_alpha([]) is None
    assert krippendorff_alpha([["include"], ["exclude"]]) is None


def test_it_leaves_alpha_undefined_for_one_category() -> None:
    assert krippendorff_alpha([["exclude", "exclude"], ["exclude", "exclude", "exclude"]]) is None


def test_it_gives_alpha_one_for_perfect_agreement() -> None:
    assert krippendorff_alpha([["include", "include"], ["exclude", "exclude", "exclude"]]) == 1.0


# Landis & Koch bands


@pytest.mark.parametrize(
    ("kappa", "band"),
    [
        (-1.0, "poor"),
        (-0.0001, "poor"),
        (0.0, "slight"),
        (0.2, "slight"),
        (0.2001, "fair"),
        (0.205, "fair"),
        (0.21, "fair"),
        (0.4, "fair"),
        (0.405, "moderate"),
        (0.6, "moderate"),
        (0.61, "substantial"),
        (0.8, "substantial"),
        (0.805, "almost perfect"),
        (1.0, "almost perfect"),
    ],
)
def test_it_names_the_landis_koch_band(kappa: float, band: str) -> None:
    assert landis_koch_band(kappa) == band


@pytest.mark.parametrize("kappa", [math.nan, 1.01])
def test_it_refuses_a_band_for_an_impossible_kappa(kappa: float) -> None:
    with pytest.raises(ValueError, match="between -1 and 1"):
        landis_koch_band(kappa)


# The summaries a report shows


def test_it_summarises_two_raters_with_cohens_kappa() -> None:
    pairs = [("yes", "yes")] * 20 + [("no", "no")] * 15 + [("yes", "no")] * 5
    pairs += [("no", "yes")] * 10
    summary = agreement_between(pairs)
    assert summary == Agreement(COHEN, 50, 70.0, pytest.approx(0.4), "fair")


def test_it_says_why_cohens_kappa_is_missing() -> None:
    summary = agreement_between([("exclude", "exclude")] * 3)
    assert summary.value is None
    assert summary.band is None
    assert summary.percent == 100.0
    assert "'exclude'" in summary.note
    assert "no units" in agreement_between([]).note


def test_it_summarises_a_constant_number_of_raters_with_fleiss_kappa() -> None:
    summary = agreement_among([list(ratings) for ratings in FLEISS_1971])
    assert summary.statistic == FLEISS
    assert summary.units == 30
    assert summary.percent == pytest.approx(100 * 5 / 30)  # units 1, 4, 10, 21, 30
    assert summary.band == "moderate"


def test_it_summarises_missing_ratings_with_krippendorffs_alpha() -> None:
    units = [["include", "include"], ["exclude", "exclude", "include"], ["exclude"]]
    summary = agreement_among(units)
    assert summary.statistic == KRIPPENDORFF
    assert summary.units == 2
    assert summary.percent == 50.0
    assert summary.value == krippendorff_alpha(units)


def test_it_says_when_no_unit_had_two_ratings() -> None:
    summary = agreement_among([["include"], ["exclude"]])
    assert summary == Agreement(
        KRIPPENDORFF, 0, None, None, None, "undefined: no units were rated by two or more people"
    )
