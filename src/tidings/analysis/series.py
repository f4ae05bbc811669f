"""Dyad series over the store: how a pair of countries (or actors) relates, bucket by bucket, in SQL.

Entry point :func:`dyad_series`: for the pair ``a``–``b`` (undirected, or ``a``→``b`` when ``directed``),
per day, week or month: event counts by QuadClass, summed and mean Goldstein, cooperation share (QuadClass
1–2 over all) and the most frequent CAMEO codes. Only events whose modality is in ``modalities`` count
(default: asserted; data/dyad_series.json). :func:`bucket_stats` gives every country dyad's buckets in one
query, for shift detection across the store.

Both read the flattened dyad table of a :class:`~tidings.analysis.store_view.StoreView`, sorted by pair,
so a query touches only the pair's blocks (benchmarks/dyads.py measures it on a million events).
The in-memory helper for analyses that are not stored is :mod:`tidings.analysis.dyads`.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, Field

from tidings.analysis.dyad_table import DYAD_TABLE
from tidings.analysis.store_view import StoreView
from tidings.datafiles import DATA

Bucket = Literal["day", "week", "month"]


@dataclass(frozen=True)
class SeriesConfig:
    modalities: tuple[str, ...]
    buckets: tuple[str, ...]
    top_codes: int


@lru_cache(maxsize=1)
def series_config() -> SeriesConfig:
    raw = json.loads((DATA / "dyad_series.json").read_text(encoding="utf-8"))
    return SeriesConfig(tuple(raw["modalities"]), tuple(raw["buckets"]), int(raw["top_codes"]))


class CodeCount(BaseModel):
    cameo: str
    events: int


class SeriesPoint(BaseModel):
    start: datetime.date = Field(description="first day of the bucket (weeks start on Monday)")
    events: int
    quad_class: dict[int, int] = Field(description="events per QuadClass: 1 verbal coop, 2 material coop, "
                                       "3 verbal conflict, 4 material conflict")
    goldstein_sum: float
    goldstein_mean: float | None = Field(description="None for an empty bucket")
    cooperation_share: float | None = Field(description="share of QuadClass 1-2 events; None when empty")
    top_codes: list[CodeCount] = Field(default_factory=list)


class DyadSeries(BaseModel):
    a: str
    b: str
    directed: bool
    bucket: Bucket
    modalities: list[str]
    points: list[SeriesPoint]

    @property
    def events(self) -> int:
        return sum(point.events for point in self.points)


@dataclass(frozen=True)
class BucketStats:
    """Sufficient statistics of one bucket of one dyad: enough for means and variances of its segments."""

    start: datetime.date
    events: int
    goldstein_sum: float
    goldstein_squares: float
    cooperative: int


def pair_filter(a: str, b: str, directed: bool) -> tuple[str, list[str]]:
    """The WHERE clause (with its parameters) selecting the pair's rows of the dyad table."""
    lo, hi = sorted((a, b))
    if not directed:
        return "lo = ? AND hi = ?", [lo, hi]
    # The column name comes from this fixed pair, never from the request.
    return f"lo = ? AND hi = ? AND {'forward' if a < b else 'backward'}", [lo, hi]


def dyad_series(view: StoreView, a: str, b: str, *, bucket: Bucket = "month", directed: bool = False,
                modalities: Sequence[str] | None = None, date_from: datetime.date | None = None,
                date_to: datetime.date | None = None, fill_empty: bool = False) -> DyadSeries:
    """The pair's series, oldest bucket first; ``fill_empty`` adds zero points for quiet buckets between
    the first and last busy one (charts want them; shift detection does not)."""
    config = series_config()
    if bucket not in config.buckets:
        raise ValueError(f"bucket must be one of {', '.join(config.buckets)}")
    kept = list(modalities) if modalities else list(config.modalities)
    where, pair_parameters = pair_filter(a, b, directed)
    where += " AND list_contains(?, modality)"
    parameters: list[Any] = [bucket, *pair_parameters, kept]
    if date_from is not None:
        where += " AND day >= ?"
        parameters.append(date_from)
    if date_to is not None:
        where += " AND day <= ?"
        parameters.append(date_to)
    sql = f"""
        WITH rows AS (SELECT date_trunc(?, day)::DATE AS start, * FROM {DYAD_TABLE} WHERE {where}),
        codes AS (SELECT start, cameo, count(*) AS n FROM rows GROUP BY ALL),
        ranked AS (SELECT start, list(struct_pack(cameo := cameo, events := n) ORDER BY n DESC, cameo) AS codes
                   FROM codes GROUP BY start)
        SELECT start, count(*) AS events,
               count(*) FILTER (WHERE quad_class = 1), count(*) FILTER (WHERE quad_class = 2),
               count(*) FILTER (WHERE quad_class = 3), count(*) FILTER (WHERE quad_class = 4),
               sum(goldstein), any_value(ranked.codes)[1:?]
        FROM rows JOIN ranked USING (start) GROUP BY start ORDER BY start"""  # noqa: S608 - fixed SQL, values bound
    rows = view.cursor().execute(sql, [*parameters, config.top_codes]).fetchall()
    points = [SeriesPoint(start=start, events=n, quad_class={1: q1, 2: q2, 3: q3, 4: q4},
                          goldstein_sum=round(total, 4), goldstein_mean=round(total / n, 4),
                          cooperation_share=round((q1 + q2) / n, 4),
                          top_codes=[CodeCount(**code) for code in codes])
              for start, n, q1, q2, q3, q4, total, codes in rows]
    if fill_empty:
        points = _filled(points, bucket)
    return DyadSeries(a=a, b=b, directed=directed, bucket=bucket, modalities=kept, points=points)


def bucket_stats(view: StoreView, *, bucket: Bucket = "month", modalities: Sequence[str] | None = None,
                 pair: tuple[str, str] | None = None, min_events: int = 1,
                 countries_only: bool = True) -> dict[tuple[str, str], list[BucketStats]]:
    """Buckets of every undirected dyad with at least ``min_events`` counted events (or of ``pair`` only),
    oldest first: the input of shift detection."""
    config = series_config()
    if bucket not in config.buckets:
        raise ValueError(f"bucket must be one of {', '.join(config.buckets)}")
    where = "list_contains(?, modality)"
    parameters: list[Any] = [list(modalities or config.modalities)]
    if pair is not None:
        pair_where, pair_parameters = pair_filter(*pair, directed=False)
        where, parameters = f"{where} AND {pair_where}", [*parameters, *pair_parameters]
    elif countries_only:
        where += " AND countries"
    # Only the fixed table name and fixed clauses are interpolated; every value is bound as ``?``.
    sql = f"""
        WITH rows AS (SELECT lo, hi, date_trunc(?, day)::DATE AS start, goldstein, quad_class
                      FROM {DYAD_TABLE} WHERE {where}),
        busy AS (SELECT lo, hi FROM rows GROUP BY lo, hi HAVING count(*) >= ?)
        SELECT lo, hi, start, count(*), sum(goldstein), sum(goldstein * goldstein),
               count(*) FILTER (WHERE quad_class <= 2)
        FROM rows SEMI JOIN busy USING (lo, hi) GROUP BY lo, hi, start ORDER BY lo, hi, start"""  # noqa: S608
    result: dict[tuple[str, str], list[BucketStats]] = {}
    for lo, hi, start, n, total, squares, cooperative in view.cursor().execute(
            sql, [bucket, *parameters, min_events]).fetchall():
        result.setdefault((lo, hi), []).append(BucketStats(start, n, total, squares, cooperative))
    return result


def _filled(points: list[SeriesPoint], bucket: Bucket) -> list[SeriesPoint]:
    if not points:
        return points
    by_start = {point.start: point for point in points}
    filled, day = [], points[0].start
    while day <= points[-1].start:
        filled.append(by_start.get(day) or SeriesPoint(start=day, events=0, quad_class={1: 0, 2: 0, 3: 0, 4: 0},
                                                         goldstein_sum=0.0, goldstein_mean=None,
                                                         cooperation_share=None))
        day = _next(day, bucket)
    return filled


def _next(day: datetime.date, bucket: Bucket) -> datetime.date:
    if bucket == "day":
        return day + datetime.timedelta(days=1)
    if bucket == "week":
        return day + datetime.timedelta(days=7)
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
