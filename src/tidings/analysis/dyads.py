"""How a pair of actors relates over time, from the events of many articles.

One entry point, :func:`dyad_series`: for a pair of countries (or actor ids), the asserted events between
them in either direction, grouped by day, with counts, mean Goldstein score and cooperative share, each
point keeping the ids of the events and the evidence sentences behind it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..records import Analysis, Event

COUNTED_MODALITIES = {"asserted", "historical"}


@dataclass
class DyadPoint:
    date: str
    events: int = 0
    goldstein_sum: float = 0.0
    cooperative: int = 0
    evidence: list[tuple[str, str, str]] = field(default_factory=list)  # (article id, event id, sentence)

    @property
    def mean_goldstein(self) -> float:
        return self.goldstein_sum / self.events if self.events else 0.0

    @property
    def cooperation_share(self) -> float:
        return self.cooperative / self.events if self.events else 0.0


def _sides(event: Event) -> tuple[set[str], set[str]]:
    return (set(event.source_countries) | set(event.source_actor_ids),
            set(event.target_countries) | set(event.target_actor_ids))


def involves(event: Event, a: str, b: str) -> bool:
    """The event goes from one of the pair to the other, in either direction."""
    sources, targets = _sides(event)
    return (a in sources and b in targets) or (b in sources and a in targets)


def dyad_series(analyses: Iterable[Analysis], a: str, b: str) -> list[DyadPoint]:
    """Daily points for the pair ``a``–``b`` over the asserted (and historical) events of ``analyses``,
    dated by the event's own date, else its article's publication date."""
    points: dict[str, DyadPoint] = defaultdict(lambda: DyadPoint(date=""))
    for analysis in analyses:
        for event in analysis.events:
            if event.modality not in COUNTED_MODALITIES or not involves(event, a, b):
                continue
            day = (event.date.value or analysis.article.published or "")[:10]
            if len(day) < 4 or not day[:4].isdigit():
                day = (analysis.article.published or "unknown")[:10]
            point = points[day]
            point.date = day
            point.events += 1
            point.goldstein_sum += event.goldstein
            point.cooperative += event.quad_class in (1, 2)
            point.evidence.append((analysis.article.id, event.id, event.evidence.text))
    return sorted(points.values(), key=lambda p: p.date)
