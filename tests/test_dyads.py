"""Dyad series across articles."""

from __future__ import annotations

import pytest

from tidings import Analyzer
from tidings.analysis.dyads import dyad_series


@pytest.fixture(scope="module")
def analyses():
    analyzer = Analyzer()
    return [
        analyzer.analyze("Russian President Vladimir Putin met North Korean leader Kim Jong Un in Vladivostok "
                         "on Wednesday.", published="2023-09-14"),
        analyzer.analyze("North Korea did not send weapons to Russia, officials in Seoul said on Monday.",
                         published="2023-10-03"),
        analyzer.analyze("The United States imposed sanctions on North Korea on Friday.", published="2023-10-07"),
    ]


def test_series_counts_asserted_events_of_the_pair_by_day(analyses):
    points = dyad_series(analyses, "RUS", "PRK")
    assert [p.date for p in points] == ["2023-09-13"]  # the meeting's own date; the negated event is left out
    point = points[0]
    assert point.events >= 1 and point.mean_goldstein > 0 and point.cooperation_share == 1.0
    assert all("Vladivostok" in sentence for _, _, sentence in point.evidence)


def test_direction_does_not_matter_and_other_pairs_stay_out(analyses):
    assert [p.date for p in dyad_series(analyses, "PRK", "RUS")] == ["2023-09-13"]
    conflict = dyad_series(analyses, "USA", "PRK")
    assert len(conflict) == 1 and conflict[0].mean_goldstein < 0
