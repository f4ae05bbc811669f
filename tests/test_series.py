"""Dyad series over a store: buckets, directions, modality filter and the dyad table behind them."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from tidings.analysis.series import bucket_stats, dyad_series
from tidings.analysis.store_view import StoreView
from tidings.store.connection import connect

# (source countries, target countries, date value, precision, quad class, goldstein, cameo, modality)
EVENTS = [
    (["RUS"], ["PRK"], "2023-07-25", "day", 1, 1.0, "040", "asserted"),
    (["PRK"], ["RUS"], "2023-07-28", "day", 1, 3.0, "051", "asserted"),
    (["PRK", "RUS"], ["PRK", "RUS"], "2023-07-29", "day", 1, 5.0, "057", "asserted"),  # reciprocal
    (["RUS"], ["PRK"], "2023-09-14", "day", 4, -5.0, "172", "asserted"),
    (["RUS"], ["PRK"], "2023-09", "month", 2, 8.0, "070", "asserted"),
    (["RUS"], ["PRK"], "2023-09-15", "day", 2, 8.3, "072", "hypothetical"),
    (["RUS"], ["PRK"], "2022", "year", 2, 8.3, "072", "asserted"),  # no day: not in series
    (["USA"], ["PRK"], "2023-09-06", "day", 3, -4.0, "130", "asserted"),
]


@pytest.fixture(scope="module")
def view(tmp_path_factory: pytest.TempPathFactory) -> StoreView:
    path = Path(tmp_path_factory.mktemp("series")) / "s.duckdb"
    connection = connect(path)
    for seq, (sources, targets, value, precision, quad, goldstein, cameo, modality) in enumerate(EVENTS):
        day = datetime.date.fromisoformat(value) if precision == "day" else None
        connection.execute(
            "INSERT INTO events (article_id, seq, event_id, source_countries, target_countries, source_actor_ids, "
            "target_actor_ids, date_value, date_precision, \"date\", quad_class, goldstein, cameo, cameo_root, "
            "modality, record) VALUES ('a1', ?, ?, ?, ?, [], [], ?, ?, ?, ?, ?, ?, ?, ?, '{}')",
            [seq, f"E{seq}", sources, targets, value, precision, day, quad, goldstein, cameo, cameo[:2], modality])
    connection.close()
    with StoreView.open(path) as opened:
        yield opened


def test_monthly_undirected_series_counts_each_event_once(view: StoreView) -> None:
    series = dyad_series(view, "RUS", "PRK")
    assert [point.start for point in series.points] == [datetime.date(2023, 7, 1), datetime.date(2023, 9, 1)]
    july, september = series.points
    assert july.events == 3 and july.quad_class == {1: 3, 2: 0, 3: 0, 4: 0}
    assert july.goldstein_sum == 9.0 and july.goldstein_mean == 3.0 and july.cooperation_share == 1.0
    # The month-precision event counts on the first of its month; the hypothetical one does not count.
    assert september.events == 2 and september.goldstein_sum == 3.0 and september.cooperation_share == 0.5
    assert {code.cameo for code in september.top_codes} == {"070", "172"}


def test_directed_series_keep_only_one_direction(view: StoreView) -> None:
    russia_to_korea = dyad_series(view, "RUS", "PRK", directed=True)
    korea_to_russia = dyad_series(view, "PRK", "RUS", directed=True)
    assert russia_to_korea.events == 4  # 2023-07-25, the reciprocal one, two in September
    assert korea_to_russia.events == 2  # 2023-07-28 and the reciprocal one
    assert dyad_series(view, "PRK", "RUS").events == dyad_series(view, "RUS", "PRK").events == 5


def test_modalities_and_date_range_filter(view: StoreView) -> None:
    with_hypothetical = dyad_series(view, "RUS", "PRK", modalities=["asserted", "hypothetical"])
    assert with_hypothetical.events == 6
    september_only = dyad_series(view, "RUS", "PRK", date_from=datetime.date(2023, 8, 1))
    assert september_only.events == 2


def test_buckets_and_empty_fill(view: StoreView) -> None:
    weeks = dyad_series(view, "RUS", "PRK", bucket="week")
    assert all(point.start.weekday() == 0 for point in weeks.points)
    filled = dyad_series(view, "RUS", "PRK", fill_empty=True)
    assert [point.start.month for point in filled.points] == [7, 8, 9]
    assert filled.points[1].events == 0 and filled.points[1].goldstein_mean is None
    with pytest.raises(ValueError):
        dyad_series(view, "RUS", "PRK", bucket="year")  # type: ignore[arg-type]


def test_unknown_pair_is_an_empty_series(view: StoreView) -> None:
    assert dyad_series(view, "FRA", "DEU").points == []
    assert dyad_series(view, "x' OR '1'='1", "PRK").points == []


def test_bucket_stats_of_every_country_dyad(view: StoreView) -> None:
    stats = bucket_stats(view, min_events=1)
    assert set(stats) == {("PRK", "RUS"), ("PRK", "USA")}
    assert sum(bucket.events for bucket in stats[("PRK", "RUS")]) == 5
    assert set(bucket_stats(view, min_events=3)) == {("PRK", "RUS")}
