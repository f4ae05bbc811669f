"""Speed of dyad series over the store (a script, not a test).

Fills a temporary store with N synthetic events (default 1,000,000), generated in SQL with ``range()``:
about 50 countries with a skewed (Zipf-like) share of events, each event with a source and a target
country and a government actor on each side, dates over five years, CAMEO roots skewed toward the common
verbal ones, 85 % asserted. Then it opens the store as the API does
(:class:`~tidings.analysis.store_view.StoreView`, which builds the sorted dyad table) and times
:func:`~tidings.analysis.series.dyad_series` (monthly buckets) for 20 dyads of different sizes, directed
and undirected. Beside it, the baseline: the same monthly aggregation straight over the store's ``events``
table with list functions, no dyad table (what a query looks like without it).

    .venv/bin/python benchmarks/dyads.py [--events N] [--queries 20] [--json]

``--json`` prints one object with ``dyad_query_ms_median`` (target: at most 200 ms) and the other figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from tidings.analysis.series import dyad_series
from tidings.analysis.store_view import StoreView
from tidings.store.connection import connect

COUNTRIES = ("USA RUS CHN UKR GBR FRA DEU ISR IRN PRK KOR JPN IND PAK TUR SYR IRQ SAU EGY AFG BRA MEX CAN AUS ITA "
             "ESP POL NGA ZAF KEN ETH SDN LBY YEM QAT ARE JOR LBN VEN COL ARG CHL IDN PHL VNM THA MMR BGD NLD BEL").split()

# Hash-based draws keep the data the same on every run. u(i, salt) is uniform in [0, 1).
_FILL = """
INSERT INTO events BY NAME
WITH draws AS (
    SELECT i, (hash(i, 1) % 1000000) / 1e6 AS u1, (hash(i, 2) % 1000000) / 1e6 AS u2,
           (hash(i, 3) % 1826)::INTEGER AS day_offset, (hash(i, 4) % 1000000) / 1e6 AS u4,
           (hash(i, 5) % 100)::INTEGER AS u5
    FROM range(?) AS r(i)
), coded AS (
    SELECT *, floor(50 * pow(u1, 2))::INTEGER AS source_index,
           (floor(50 * pow(u1, 2))::INTEGER + 1 + floor(49 * pow(u2, 2))::INTEGER) % 50 AS target_index,
           1 + floor(20 * pow(u4, 1.6))::INTEGER AS root
    FROM draws
)
SELECT 'a' || (i // 20)::VARCHAR AS article_id, (i % 20)::INTEGER AS seq, 'E' || (i % 20)::VARCHAR AS event_id,
       0 AS sentence, 'synthetic evidence sentence ' || i::VARCHAR AS evidence_text,
       [(?)[source_index + 1] || 'GOV'] AS source_actor_ids, [(?)[target_index + 1] || 'GOV'] AS target_actor_ids,
       [(?)[source_index + 1]] AS source_countries, [(?)[target_index + 1]] AS target_countries,
       lpad(root::VARCHAR, 2, '0') || '0' AS cameo, lpad(root::VARCHAR, 2, '0') AS cameo_root, 'synthetic' AS cameo_name,
       CASE WHEN root <= 5 THEN 1 WHEN root <= 8 THEN 2 WHEN root <= 13 THEN 3 ELSE 4 END AS quad_class,
       CASE WHEN root <= 5 THEN root * 1.0 WHEN root <= 8 THEN 7.0 WHEN root <= 13 THEN -2.0 - (root - 9)
            ELSE -5.0 - (root - 14) * 0.8 END AS goldstein,
       CASE WHEN u5 < 85 THEN 'asserted' WHEN u5 < 92 THEN 'future' WHEN u5 < 96 THEN 'negated'
            ELSE 'hypothetical' END AS modality,
       strftime(DATE '2020-01-01' + day_offset, '%Y-%m-%d') AS date_value, 'day' AS date_precision,
       'clause' AS date_from, DATE '2020-01-01' + day_offset AS "date", 0.8 AS confidence, 'synthetic' AS rule,
       '{}' AS record
FROM coded
"""

_BASELINE = """
SELECT date_trunc('month', "date")::DATE AS start, count(*), count(*) FILTER (WHERE quad_class = 1),
       count(*) FILTER (WHERE quad_class = 2), count(*) FILTER (WHERE quad_class = 3),
       count(*) FILTER (WHERE quad_class = 4), sum(goldstein)
FROM store.events
WHERE modality = 'asserted' AND "date" IS NOT NULL
  AND ((list_contains(list_concat(source_countries, source_actor_ids), ?)
        AND list_contains(list_concat(target_countries, target_actor_ids), ?))
    OR (list_contains(list_concat(source_countries, source_actor_ids), ?)
        AND list_contains(list_concat(target_countries, target_actor_ids), ?)))
GROUP BY start ORDER BY start
"""


def fill(path: Path, events: int) -> float:
    started = time.perf_counter()
    connection = connect(path)
    countries = list(COUNTRIES)
    connection.execute(_FILL, [events, countries, countries, countries, countries])
    connection.close()
    return (time.perf_counter() - started) * 1000


def dyads(count: int) -> list[tuple[str, str, bool]]:
    """Pairs from busy to rare (skewed countries), every other one directed."""
    pairs = [(COUNTRIES[i % 50], COUNTRIES[(i * 7 + 3) % 50], i % 2 == 1) for i in range(count)]
    return [(a, b, directed) for a, b, directed in pairs if a != b] or [("USA", "RUS", False)]


def timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--baseline-queries", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.duckdb"
        fill_ms = fill(path, options.events)
        build_ms, view = timed(lambda: StoreView.open(path))
        with view:
            times, sizes = [], []
            for a, b, directed in dyads(options.queries):
                ms, series = timed(lambda: dyad_series(view, a, b, bucket="month", directed=directed))
                times.append(ms)
                sizes.append(series.events)
            baseline = []
            cursor = view.cursor()
            for a, b, _ in dyads(options.baseline_queries):
                ms, _rows = timed(lambda: cursor.execute(_BASELINE, [a, b, b, a]).fetchall())
                baseline.append(ms)
            figures = {
                "events": options.events, "dyad_rows": view.dyad_rows, "fill_ms": round(fill_ms),
                "dyad_table_build_ms": round(build_ms), "queries": len(times),
                "dyad_query_ms_median": round(statistics.median(times), 1),
                "dyad_query_ms_max": round(max(times), 1), "target_ms": 200,
                "events_per_query_median": statistics.median(sizes),
                "baseline_unflattened_ms_median": round(statistics.median(baseline), 1),
                "speedup_vs_baseline": round(statistics.median(baseline) / max(statistics.median(times), 1e-6), 1),
            }
    if options.json:
        print(json.dumps(figures))
        return
    for key, value in figures.items():
        print(f"{key:32} {value}")


if __name__ == "__main__":
    main()
