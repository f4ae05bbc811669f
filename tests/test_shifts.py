"""Shift detection on hand-made series: a known step is found where it is, a flat series gives none."""

from __future__ import annotations

import dataclasses
import datetime

from tidings.analysis.series import BucketStats
from tidings.analysis.shifts import find_change_points, shift_config


def buckets(values_per_month: list[list[float]]) -> list[BucketStats]:
    """Monthly buckets from 2023-01 holding events with the given Goldstein scores."""
    return [BucketStats(start=datetime.date(2023 + month // 12, month % 12 + 1, 1), events=len(values),
                        goldstein_sum=sum(values), goldstein_squares=sum(v * v for v in values),
                        cooperative=sum(v > 0 for v in values))
            for month, values in enumerate(values_per_month)]


def test_a_step_toward_cooperation_is_found_at_its_month() -> None:
    series = buckets([[-2.0, -1.0, -3.0]] * 6 + [[4.0, 5.0, 3.0]] * 4)
    points = find_change_points(series)
    assert [point.index for point in points] == [6]
    assert points[0].score > 0 and points[0].size > 5
    assert series[points[0].index].start == datetime.date(2023, 7, 1)


def test_a_step_toward_conflict_is_an_estrangement_with_a_negative_score() -> None:
    points = find_change_points(buckets([[3.0, 4.0]] * 3 + [[-6.0, -5.0, -7.0]] * 5))
    assert [point.index for point in points] == [3]
    assert points[0].score < 0


def test_a_flat_series_has_no_shift() -> None:
    assert find_change_points(buckets([[1.0, 2.0, 1.5]] * 12)) == []
    assert find_change_points(buckets([[2.0]] * 12)) == []


def test_noise_below_the_minimum_size_is_not_a_shift() -> None:
    noisy = buckets([[1.0, 1.4, 0.8], [1.2, 0.9, 1.1], [1.3, 1.0, 1.2], [1.1, 1.5, 0.7]] * 3)
    assert find_change_points(noisy) == []


def test_two_steps_are_both_found_and_max_shifts_bounds_them() -> None:
    series = buckets([[0.0, 0.5, -0.5]] * 4 + [[6.0, 7.0, 6.5]] * 4 + [[-6.0, -7.0, -6.5]] * 4)
    assert [point.index for point in find_change_points(series)] == [4, 8]
    one = dataclasses.replace(shift_config(), max_shifts=1)
    assert len(find_change_points(series, one)) == 1


def test_short_or_empty_series_are_handled() -> None:
    assert find_change_points([]) == []
    assert find_change_points(buckets([[5.0, 6.0]])) == []
