"""Stopping-rule statistics on screening sequences whose answers are known."""

from __future__ import annotations

import pytest

from cosynth.ranking import stopping_statistics


def test_it_counts_irrelevant_records_since_the_last_relevant() -> None:
    stats = stopping_statistics([True, False, True, False, False, False], 10)
    assert stats.consecutive_irrelevant == 3
    assert stats.relevant_found == 2
    assert stats.unscreened == 4
    assert stopping_statistics([False, False], 10).consecutive_irrelevant == 2


def test_it_has_no_knee_or_recall_before_the_first_relevant_record() -> None:
    stats = stopping_statistics([False] * 200, 1000)
    assert stats.knee_at is None
    assert stats.slope_ratio is None
    assert not stats.knee_rule_met
    assert stats.estimated_recall is None


def test_it_finds_the_knee_of_a_steep_then_flat_gain_curve() -> None:
    # 20 relevant in the first 40 records, then 160 irrelevant.
    sequence = [i % 2 == 0 for i in range(40)] + [False] * 160
    stats = stopping_statistics(sequence, 2000)
    assert stats.knee_at == 39
    # (20 / 39) / ((20 - 20 + 1) / (200 - 39))
    assert stats.slope_ratio == pytest.approx((20 / 39) / (1 / 161))
    assert stats.knee_rule_met


def test_it_waits_for_150_records_before_the_knee_rule_is_met() -> None:
    sequence = [i % 2 == 0 for i in range(40)] + [False] * 60
    stats = stopping_statistics(sequence, 2000)
    assert stats.slope_ratio is not None and stats.slope_ratio >= 6
    assert not stats.knee_rule_met


def test_it_does_not_meet_the_knee_rule_while_relevant_records_keep_coming() -> None:
    sequence = [i % 5 == 0 for i in range(300)]
    stats = stopping_statistics(sequence, 2000)
    assert stats.slope_ratio is not None and stats.slope_ratio < 6
    assert not stats.knee_rule_met


def test_it_extrapolates_the_recent_rate_to_estimate_recall() -> None:
    # 30 found; 2 relevant among the last 100; 900 unscreened -> 18 more expected.
    sequence = [True] * 28 + [False] * 72 + [True, True] + [False] * 98
    stats = stopping_statistics(sequence, 1100)
    assert stats.rate_window == 100
    assert stats.recent_relevant_share == pytest.approx(0.02)
    assert stats.estimated_recall == pytest.approx(30 / 48)
    everything = stopping_statistics([True, False, True], 3)
    assert everything.estimated_recall == 1.0


def test_it_refuses_more_screened_than_there_are_records() -> None:
    with pytest.raises(ValueError, match="only 2"):
        stopping_statistics([True, False, False], 2)
