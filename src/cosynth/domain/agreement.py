"""How far reviewers agree on nominal decisions: percentage agreement, kappa, alpha.

Screening decisions are categories ("include", "exclude", "unsure"); the caller
decides how "unsure" is counted and passes plain strings. Every statistic here
is chance-corrected agreement of the form (observed − expected) / (1 − expected):

- Cohen's kappa for two named raters who rated the same units (Cohen 1960,
  "A coefficient of agreement for nominal scales", Educ Psychol Meas 20:37–46);
- Fleiss' kappa for any fixed number m ≥ 2 of raters per unit, who need not be
  the same people from unit to unit (Fleiss 1971, "Measuring nominal scale
  agreement among many raters", Psychol Bull 76:378–382);
- Krippendorff's alpha, nominal metric, for any number of ratings per unit,
  missing ratings allowed (Krippendorff 2004, Content Analysis, 2nd ed., ch. 11;
  Krippendorff 2011, "Computing Krippendorff's alpha-reliability").

Counts are kept as integers and the ratios as exact fractions, so a statistic
is computed once, exactly, and rounded to a float only at the end: no
floating-point cancellation, and "expected agreement is 1" is an exact test.

A statistic is None where it is undefined: with no units, or where every rating
falls in one category, so that chance alone explains perfect agreement (the
denominator 1 − expected is 0). `Agreement.note` says which.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from cosynth.errors import InputError

COHEN = "Cohen's kappa"
FLEISS = "Fleiss' kappa"
KRIPPENDORFF = "Krippendorff's alpha"

# Landis & Koch (1977), "The measurement of observer agreement for categorical
# data", Biometrics 33:159–174, p. 165. Their table prints ranges to two
# decimals (0.00–0.20, 0.21–0.40, ...), which leaves gaps such as 0.20–0.21.
# We close the gaps by making each printed upper limit inclusive: a value
# belongs to the first band whose upper limit it does not exceed, so 0.20 is
# "slight" and 0.205 (or 0.2001) is "fair". Nothing is rounded first.
_BANDS: tuple[tuple[float, str], ...] = (
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.00, "almost perfect"),
)
# Exact arithmetic keeps statistics within [-1, 1]; the tolerance only forgives
# a caller who computed a value in floating point elsewhere.
_ABOVE_ONE_TOLERANCE = 1e-9

_ONE_CATEGORY = "undefined: every rating was {category!r}, so chance alone explains the agreement"
_NO_UNITS = "undefined: no units were rated by two or more people"


@dataclass(frozen=True, slots=True)
class Agreement:
    """One agreement figure as a report shows it.

    `units` counts the units (records) the statistic was computed on;
    `percent` is the percentage of those units on which every rating agreed;
    `value` is the chance-corrected statistic and `band` its Landis & Koch
    label, both None when the statistic is undefined, with `note` saying why.
    """

    statistic: str
    units: int
    percent: float | None
    value: float | None
    band: str | None
    note: str = ""


def percent_agreement(pairs: Sequence[tuple[str, str]]) -> float | None:
    """The percentage (0–100) of pairs whose two ratings are equal; None for no pairs."""
    if not pairs:
        return None
    agreed = sum(1 for first, second in pairs if first == second)
    return 100 * agreed / len(pairs)


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's (1960) kappa for two raters: (p_o − p_e) / (1 − p_e).

    Each pair is (first rater's category, second rater's category) for one
    unit. p_o is the share of units where they agree; p_e the agreement
    expected by chance from each rater's own marginal shares,
    p_e = Σ_k p_1k · p_2k. Returns None with no pairs, and None when p_e = 1,
    which happens exactly when both raters put every unit in one and the same
    category: kappa is then 0/0 and undefined (scikit-learn returns NaN there).
    """
    n = len(pairs)
    if n == 0:
        return None
    agreed = sum(1 for first, second in pairs if first == second)
    firsts = Counter(first for first, _ in pairs)
    seconds = Counter(second for _, second in pairs)
    # In counts: kappa = (n·agreed − Σ a_k b_k) / (n² − Σ a_k b_k).
    chance = sum(count * seconds[category] for category, count in firsts.items())
    if chance == n * n:
        return None
    return float(Fraction(n * agreed - chance, n * n - chance))


def fleiss_kappa(units: Sequence[Sequence[str]]) -> float | None:
    """Fleiss' (1971) kappa: every unit rated by the same number m ≥ 2 of raters.

    With n_ij the number of raters who put unit i in category j (N units):
    P_i = (Σ_j n_ij² − m) / (m(m − 1)) is the agreeing share of rater pairs on
    unit i, P̄ their mean, p_j = Σ_i n_ij / (N·m) the share of category j and
    P̄_e = Σ_j p_j²; kappa = (P̄ − P̄_e) / (1 − P̄_e). The raters may differ from
    unit to unit. With m = 2 this equals Scott's pi, not Cohen's kappa.
    Returns None for no units, or when every rating is one category.
    Raises `InputError` when units have different numbers of ratings or fewer
    than two: use `krippendorff_alpha` for those.
    """
    if not units:
        return None
    m = len(units[0])
    for position, unit in enumerate(units, start=1):
        if len(unit) != m:
            raise InputError(
                f"Fleiss' kappa needs the same number of ratings on every record: the first has "
                f"{m}, record {position} has {len(unit)}. Krippendorff's alpha allows this."
            )
    if m < 2:
        raise InputError(f"Fleiss' kappa needs at least two ratings per record; these have {m}.")
    n_units = len(units)
    agreeing_pairs = 0  # Σ_i Σ_j n_ij (n_ij − 1): ordered pairs of raters who agree
    totals: Counter[str] = Counter()
    for unit in units:
        counts = Counter(unit)
        agreeing_pairs += sum(count * (count - 1) for count in counts.values())
        totals.update(counts)
    ratings = n_units * m
    if len(totals) == 1:
        return None
    observed = Fraction(agreeing_pairs, n_units * m * (m - 1))
    expected = Fraction(sum(total * total for total in totals.values()), ratings * ratings)
    return float((observed - expected) / (1 - expected))


def krippendorff_alpha(units: Sequence[Sequence[str]]) -> float | None:
    """Krippendorff's alpha for nominal data, any number of ratings per unit.

    Each unit lists the ratings it received; missing ratings are simply absent.
    A unit with fewer than two ratings cannot be paired and is ignored. From
    the coincidence matrix (each unit with m_u ratings adds 1/(m_u − 1) for
    every ordered pair of its ratings), alpha = 1 − D_o / D_e, which for the
    nominal metric is 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c · n_k, where
    n_c counts the pairable ratings of category c and n = Σ n_c
    (Krippendorff 2011, section C, "nominal data").
    Returns None when no unit is pairable, or when every pairable rating is
    one category (D_e = 0).
    """
    disagreement = Fraction(0)  # Σ_{c≠k} o_ck
    totals: Counter[str] = Counter()
    for unit in units:
        m = len(unit)
        if m < 2:
            continue
        counts = Counter(unit)
        # Ordered pairs within the unit whose two values differ: m² − Σ_c n_uc².
        unequal_pairs = m * m - sum(count * count for count in counts.values())
        disagreement += Fraction(unequal_pairs, m - 1)
        totals.update(counts)
    n = sum(totals.values())
    if n == 0 or len(totals) == 1:
        return None
    expected = n * n - sum(total * total for total in totals.values())  # Σ_{c≠k} n_c n_k
    return float(1 - (n - 1) * disagreement / expected)


def landis_koch_band(kappa: float) -> str:
    """The Landis & Koch (1977) label for a kappa-like statistic.

    Bands: below 0 "poor"; up to 0.20 "slight"; up to 0.40 "fair"; up to 0.60
    "moderate"; up to 0.80 "substantial"; up to 1 "almost perfect". Each upper
    limit is inclusive and values are not rounded first, so 0.20 is "slight",
    0.205 is "fair" and 0 is "slight". Raises ValueError for NaN or a value
    above 1, which no kappa can take.
    """
    if math.isnan(kappa) or kappa > 1 + _ABOVE_ONE_TOLERANCE:
        raise ValueError(f"a kappa lies between -1 and 1, not {kappa!r}")
    if kappa < 0:
        return "poor"
    for upper, band in _BANDS:
        if kappa <= upper:
            return band
    return _BANDS[-1][1]  # within the tolerance above 1


def agreement_between(pairs: Sequence[tuple[str, str]]) -> Agreement:
    """Agreement between two named raters on the units both rated: Cohen's kappa."""
    value = cohen_kappa(pairs)
    note = ""
    if not pairs:
        note = _NO_UNITS
    elif value is None:
        note = _ONE_CATEGORY.format(category=pairs[0][0])
    return _agreement(COHEN, len(pairs), percent_agreement(pairs), value, note)


def agreement_among(units: Sequence[Sequence[str]]) -> Agreement:
    """Agreement among several raters, one list of ratings per unit.

    When every unit has the same number m ≥ 2 of ratings this is Fleiss' kappa;
    otherwise (some ratings missing) Krippendorff's alpha over the units with
    two or more ratings. `percent` is the share of those units on which every
    rating is the same. For two raters who can be told apart, prefer
    `agreement_between`: Cohen's kappa credits each rater's own tendencies.
    """
    pairable = [unit for unit in units if len(unit) >= 2]
    sizes = {len(unit) for unit in units}
    if len(sizes) == 1 and pairable:
        statistic, value = FLEISS, fleiss_kappa(units)
    else:
        statistic, value = KRIPPENDORFF, krippendorff_alpha(units)
    percent = (
        100 * sum(1 for unit in pairable if len(set(unit)) == 1) / len(pairable)
        if pairable
        else None
    )
    note = ""
    if not pairable:
        note = _NO_UNITS
    elif value is None:
        note = _ONE_CATEGORY.format(category=pairable[0][0])
    return _agreement(statistic, len(pairable), percent, value, note)


def _agreement(
    statistic: str, units: int, percent: float | None, value: float | None, note: str
) -> Agreement:
    band = landis_koch_band(value) if value is not None else None
    return Agreement(statistic, units, percent, value, band, note)
