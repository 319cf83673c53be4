"""Figures that help a team decide when to stop screening. Shown, never acted on.

None of these excludes a record: an unscreened record stays unscreened until
a person decides it, and the PRISMA count of records "marked ineligible by
automation tools" is only ever what a person chose to apply.

- Consecutive irrelevant: records screened since the last relevant one.
- The knee method of Cormack & Grossman (2016), "Engineering quality and
  reliability in technology-assisted review", SIGIR '16, pp. 75-84,
  doi:10.1145/2911451.2911510. On the gain curve (relevant found against
  records screened, s of them), the knee is the point furthest above the
  straight line from the origin to the current point (the Kneedle rule of
  Satopää et al. 2011, without smoothing). The slope ratio is
  rho = (rel(knee) / knee) / ((rel(s) - rel(knee) + 1) / (s - knee)),
  the +1 as they define it, so that a flat tail does not divide by zero.
  Their rule is met when rho >= 6 and at least 150 records are screened.
- Estimated recall, by rate extrapolation: cosynth's own plain heuristic,
  not a published estimator. The relevant share among the last 100 records
  screened (all of them, when fewer) is assumed for every unscreened record;
  recall = found / (found + share x unscreened). A ranked queue puts likelier
  records first, so the share among the rest is usually lower than the recent
  share, which makes this estimate lean low (cautious); it is not a
  statistical guarantee, for which a random sample of the unscreened records
  has to be screened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

KNEE_SLOPE_RATIO = 6.0
KNEE_MIN_SCREENED = 150
RATE_WINDOW = 100


@dataclass(frozen=True)
class StoppingStatistics:
    """Where screening stands, for a person deciding whether to go on."""

    screened: int
    relevant_found: int
    unscreened: int
    consecutive_irrelevant: int
    knee_at: int | None  # records screened at the knee; None before any relevant record
    slope_ratio: float | None  # None without a knee
    knee_rule_met: bool
    recent_relevant_share: float  # over the last `rate_window` records screened
    rate_window: int
    estimated_recall: float | None  # None before any relevant record


def stopping_statistics(
    labels_in_screening_order: Sequence[bool], n_total: int
) -> StoppingStatistics:
    """The statistics after screening `labels_in_screening_order` of `n_total` records."""
    relevant = [bool(label) for label in labels_in_screening_order]
    screened = len(relevant)
    if screened > n_total:
        raise ValueError(f"{screened} records screened, but there are only {n_total}")
    found = sum(relevant)
    unscreened = n_total - screened
    knee_at, slope_ratio = _knee(relevant)
    window = min(RATE_WINDOW, screened)
    share = sum(relevant[screened - window :]) / window if window else 0.0
    return StoppingStatistics(
        screened=screened,
        relevant_found=found,
        unscreened=unscreened,
        consecutive_irrelevant=_since_last_relevant(relevant),
        knee_at=knee_at,
        slope_ratio=slope_ratio,
        knee_rule_met=(
            slope_ratio is not None
            and slope_ratio >= KNEE_SLOPE_RATIO
            and screened >= KNEE_MIN_SCREENED
        ),
        recent_relevant_share=share,
        rate_window=window,
        estimated_recall=found / (found + share * unscreened) if found else None,
    )


def _since_last_relevant(relevant: list[bool]) -> int:
    count = 0
    for label in reversed(relevant):
        if label:
            break
        count += 1
    return count


def _knee(relevant: list[bool]) -> tuple[int | None, float | None]:
    """The knee (records screened there) and the slope ratio at it."""
    screened, found = len(relevant), sum(relevant)
    if found == 0:
        return None, None
    best_at, best_gap, found_at_knee, so_far = 0, 0.0, 0, 0
    for at, label in enumerate(relevant, 1):
        so_far += label
        # Height above the chord, both axes scaled to 1 (Kneedle's difference curve).
        gap = so_far / found - at / screened
        if gap > best_gap:
            best_at, best_gap, found_at_knee = at, gap, so_far
    if best_at == 0:
        return None, None  # the curve never rises above its chord: no knee yet
    # The chord ends on the curve, so the knee is never the last record.
    before = found_at_knee / best_at
    after = (found - found_at_knee + 1) / (screened - best_at)
    return best_at, before / after
