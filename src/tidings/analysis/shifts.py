"""Shifts in how a dyad relates: change points in its mean Goldstein score, with the events behind them.

A change point splits the dyad's events, taken bucket by bucket in time order, into a *before* and an
*after* segment. Its score is the standardized CUSUM at the split: the cumulative sum of the events'
deviations from the overall mean, divided by its standard deviation. For a step in the mean this equals
the two-sample t statistic (pooled variance), and it is largest at the true step, so the split with the
highest score is the estimate. Binary segmentation then looks again inside each side (data/shifts.json
holds every threshold). Working on events rather than on bucket means weighs a busy month above a quiet one.

A shift toward cooperation (higher mean Goldstein after) is a *rapprochement*, the other way an
*estrangement*. Entry points: :func:`find_change_points` (pure, on bucket statistics),
:func:`dyad_shifts` (one pair of the store, with evidence) and :func:`strongest_shifts` (every country
dyad with enough events, strongest first).
"""

from __future__ import annotations

import datetime
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field

from tidings.analysis.dyad_table import DYAD_TABLE
from tidings.analysis.series import Bucket, BucketStats, bucket_stats, pair_filter, series_config
from tidings.analysis.store_view import StoreView
from tidings.datafiles import DATA


@dataclass(frozen=True)
class ShiftConfig:
    bucket: Bucket
    min_score: float
    min_size: float
    min_sigma: float
    min_segment_events: int
    min_segment_buckets: int
    max_shifts: int
    min_dyad_events: int
    evidence_buckets: int
    evidence_events: int
    evidence_quotes: int


@lru_cache(maxsize=1)
def shift_config() -> ShiftConfig:
    raw = json.loads((DATA / "shifts.json").read_text(encoding="utf-8"))
    return ShiftConfig(**{key: value for key, value in raw.items() if not key.startswith("_")})


@dataclass(frozen=True)
class ChangePoint:
    index: int  # the first bucket of the after segment
    score: float  # signed: positive when the after segment is more cooperative
    before_mean: float
    after_mean: float
    before_events: int
    after_events: int
    before_cooperation: float
    after_cooperation: float

    @property
    def size(self) -> float:
        return self.after_mean - self.before_mean


def find_change_points(buckets: Sequence[BucketStats], config: ShiftConfig | None = None) -> list[ChangePoint]:
    """Change points of a series of buckets (oldest first), in time order; none for a flat series."""
    config = config or shift_config()
    found: list[ChangePoint] = []
    segments = [(0, len(buckets))]
    while segments and len(found) < config.max_shifts:
        # Take the segment whose best split is strongest, so max_shifts keeps the strongest ones.
        candidates = [(point, segment) for segment in segments
                      if (point := _best_split(buckets, *segment, config)) is not None]
        if not candidates:
            break
        point, (lo, hi) = max(candidates, key=lambda item: abs(item[0].score))
        found.append(point)
        segments.remove((lo, hi))
        segments += [(lo, point.index), (point.index, hi)]
    return sorted(found, key=lambda point: point.index)


def _best_split(buckets: Sequence[BucketStats], lo: int, hi: int, config: ShiftConfig) -> ChangePoint | None:
    total_n = sum(b.events for b in buckets[lo:hi])
    total_sum = sum(b.goldstein_sum for b in buckets[lo:hi])
    total_squares = sum(b.goldstein_squares for b in buckets[lo:hi])
    total_coop = sum(b.cooperative for b in buckets[lo:hi])
    best: ChangePoint | None = None
    n1 = s1 = q1 = c1 = 0.0
    for k in range(lo + 1, hi):
        bucket = buckets[k - 1]
        n1, s1, q1, c1 = n1 + bucket.events, s1 + bucket.goldstein_sum, q1 + bucket.goldstein_squares, c1 + bucket.cooperative
        n2, s2, q2, c2 = total_n - n1, total_sum - s1, total_squares - q1, total_coop - c1
        if (k - lo < config.min_segment_buckets or hi - k < config.min_segment_buckets
                or n1 < config.min_segment_events or n2 < config.min_segment_events):
            continue
        m1, m2 = s1 / n1, s2 / n2
        within = max(q1 - s1 * s1 / n1, 0.0) + max(q2 - s2 * s2 / n2, 0.0)
        sigma = max(math.sqrt(within / (n1 + n2 - 2)) if n1 + n2 > 2 else 0.0, config.min_sigma)
        score = (m2 - m1) / (sigma * math.sqrt(1 / n1 + 1 / n2))
        if abs(score) < config.min_score or abs(m2 - m1) < config.min_size:
            continue
        if best is None or abs(score) > abs(best.score):
            best = ChangePoint(k, score, m1, m2, int(n1), int(n2), c1 / n1, c2 / n2)
    return best


class ShiftEvent(BaseModel):
    article_id: str
    article_title: str | None
    event_id: str
    date: datetime.date
    cameo: str
    cameo_name: str
    goldstein: float
    evidence: str
    evidence_start: int
    evidence_end: int


class ShiftQuote(BaseModel):
    article_id: str
    quote_id: str
    speaker: str | None
    text: str
    start: int
    end: int


class Shift(BaseModel):
    a: str
    b: str
    label: Literal["rapprochement", "estrangement"]
    start: datetime.date = Field(description="first bucket of the more (or less) cooperative period")
    bucket: Bucket
    score: float = Field(description="standardized CUSUM at the change (two-sample t); sign = direction")
    size: float = Field(description="change in mean Goldstein score, after minus before")
    before_mean: float
    after_mean: float
    before_cooperation: float
    after_cooperation: float
    before_events: int
    after_events: int
    events: list[ShiftEvent] = Field(default_factory=list, description="the events driving the shift")
    quotes: list[ShiftQuote] = Field(default_factory=list, description="quotes of the pair around it")


def dyad_shifts(view: StoreView, a: str, b: str, *, bucket: Bucket | None = None,
                modalities: Sequence[str] | None = None, config: ShiftConfig | None = None) -> list[Shift]:
    """The shifts of the pair ``a``–``b`` (undirected), in time order, each with its evidence."""
    config = config or shift_config()
    bucket = bucket or config.bucket
    lo, hi = sorted((a, b))
    stats = bucket_stats(view, bucket=bucket, modalities=modalities, pair=(a, b)).get((lo, hi), [])
    return [_shift(view, a, b, stats, point, bucket, modalities, config) for point in find_change_points(stats, config)]


def strongest_shifts(view: StoreView, limit: int = 10, *, bucket: Bucket | None = None,
                     modalities: Sequence[str] | None = None, config: ShiftConfig | None = None) -> list[Shift]:
    """The strongest shifts across every country dyad with enough events, strongest first."""
    config = config or shift_config()
    bucket = bucket or config.bucket
    found = [(pair, stats, point)
             for pair, stats in bucket_stats(view, bucket=bucket, modalities=modalities,
                                             min_events=config.min_dyad_events).items()
             for point in find_change_points(stats, config)]
    found.sort(key=lambda item: -abs(item[2].score))
    return [_shift(view, *pair, stats, point, bucket, modalities, config) for pair, stats, point in found[:max(limit, 0)]]


def _shift(view: StoreView, a: str, b: str, stats: Sequence[BucketStats], point: ChangePoint, bucket: Bucket,
           modalities: Sequence[str] | None, config: ShiftConfig) -> Shift:
    start = stats[point.index].start
    last = min(point.index + config.evidence_buckets, len(stats)) - 1
    window = (start, stats[last].start)
    rapprochement = point.score > 0
    events = _driving_events(view, a, b, window, bucket, rapprochement, modalities, config.evidence_events)
    return Shift(a=a, b=b, label="rapprochement" if rapprochement else "estrangement", start=start, bucket=bucket,
                 score=round(point.score, 3), size=round(point.size, 3), before_mean=round(point.before_mean, 3),
                 after_mean=round(point.after_mean, 3), before_cooperation=round(point.before_cooperation, 3),
                 after_cooperation=round(point.after_cooperation, 3), before_events=point.before_events,
                 after_events=point.after_events, events=events,
                 quotes=_quotes(view, a, b, events, config.evidence_quotes))


def _driving_events(view: StoreView, a: str, b: str, window: tuple[datetime.date, datetime.date], bucket: Bucket,
                    rapprochement: bool, modalities: Sequence[str] | None, limit: int) -> list[ShiftEvent]:
    where, parameters = pair_filter(a, b, directed=False)
    order = "DESC" if rapprochement else "ASC"  # fixed words, never from the request
    sql = f"""
        SELECT d.article_id, a.title, e.event_id, d.day, e.cameo, e.cameo_name, e.goldstein, e.evidence_text,
               e.evidence_start, e.evidence_end
        FROM {DYAD_TABLE} AS d JOIN store.events AS e USING (article_id, seq)
        JOIN store.articles AS a ON a.id = d.article_id
        WHERE {where} AND list_contains(?, d.modality) AND date_trunc(?, d.day)::DATE BETWEEN ? AND ?
        ORDER BY d.goldstein {order}, d.day, d.article_id, d.seq LIMIT ?"""  # noqa: S608 - fixed SQL, values bound
    rows = view.cursor().execute(sql, [*parameters, list(modalities or series_config().modalities), bucket,
                                       *window, limit]).fetchall()
    return [ShiftEvent(article_id=r[0], article_title=r[1], event_id=r[2], date=r[3], cameo=r[4], cameo_name=r[5],
                       goldstein=r[6], evidence=r[7] or "", evidence_start=r[8] or 0, evidence_end=r[9] or 0)
            for r in rows]


def _quotes(view: StoreView, a: str, b: str, events: list[ShiftEvent], limit: int) -> list[ShiftQuote]:
    """Quotes by either side in the articles of the driving events, the events' own sources first."""
    articles = sorted({event.article_id for event in events})
    if not articles:
        return []
    sql = """
        SELECT q.article_id, q.quote_id, q.speaker_text, q.content_text, q.content_start, q.content_end
        FROM store.quotes AS q
        WHERE list_contains(?, q.article_id)
          AND (list_has_any(q.speaker_countries, ?) OR list_has_any(q.speaker_actor_ids, ?))
        ORDER BY EXISTS (SELECT 1 FROM store.events AS e WHERE e.article_id = q.article_id
                         AND e.attributed_quote_id = q.quote_id AND list_contains(?, e.event_id)) DESC,
                 list_position(?, q.article_id), q.seq
        LIMIT ?"""
    pair, event_ids = [a, b], [event.event_id for event in events]
    ordered_articles = list(dict.fromkeys(event.article_id for event in events))
    rows = view.cursor().execute(sql, [articles, pair, pair, event_ids, ordered_articles, limit]).fetchall()
    return [ShiftQuote(article_id=r[0], quote_id=r[1], speaker=r[2], text=r[3] or "", start=r[4] or 0, end=r[5] or 0)
            for r in rows]
