"""Cross-document event clustering: which event mentions report the same real-world event.

Independent of the store: the input is a list of :class:`EventMention` (what the store, or an evaluation
corpus, knows about each mention), the output a list of clusters of mention ids. Entry point:
:func:`cluster_mentions`.

Two mentions are *compatible* unless something known about both rules the match out: a different
undirected dyad, CAMEO codes of different roots and different PLOVER categories, or dates further apart
than the window. Compatible pairs get a similarity score (trigger-lemma match, TF-IDF cosine of the
evidence sentences and of the wider document contexts, same CAMEO code, same place). Clusters are then
merged by average linkage while the mean score between two clusters reaches the threshold and no pair
across them is incompatible. Average linkage only ever merges clusters joined by at least one pair at or
above the threshold, so the connected components of that graph are independent blocks.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from .config import StoryConfig, load_config


@dataclass(frozen=True)
class EventMention:
    """One event mention, with whatever is known about it (unknown fields stay empty and never block)."""

    id: str
    doc_id: str
    trigger_lemma: str = ""
    cameo: str | None = None
    cameo_root: str | None = None
    plover: str | None = None
    source: frozenset[str] = frozenset()
    target: frozenset[str] = frozenset()
    date: datetime.date | None = None
    place: str | None = None
    evidence: str = ""
    context: str = ""
    outlet: str | None = None

    @property
    def dyad(self) -> frozenset[str] | None:
        """The undirected dyad ("RUS|PRK" both ways), known only when both sides are."""
        if not self.source or not self.target:
            return None
        return frozenset({"|".join(sorted(self.source)), "|".join(sorted(self.target))})


def compatible(a: EventMention, b: EventMention, config: StoryConfig) -> bool:
    """False when something known about both mentions says they are different events."""
    if a.doc_id == b.doc_id and not config.merge_within_document:
        return False
    if a.dyad is not None and b.dyad is not None and a.dyad != b.dyad:
        return False
    if a.cameo_root and b.cameo_root and a.cameo_root != b.cameo_root and not (a.plover and a.plover == b.plover):
        return False
    if a.date and b.date and abs((a.date - b.date).days) > config.date_window_days:
        return False
    return True


def _cosines(texts: Sequence[str]) -> np.ndarray:
    """Pairwise TF-IDF cosine of the texts (zeros when there is no vocabulary at all)."""
    if not any(text.strip() for text in texts):
        return np.zeros((len(texts), len(texts)))
    try:
        matrix = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    except ValueError:  # only stop words or punctuation
        return np.zeros((len(texts), len(texts)))
    return np.asarray((matrix @ matrix.T).todense())


def _same(values: Sequence[str | None]) -> np.ndarray:
    array = np.array([value or "" for value in values], dtype=object)
    known = array != ""
    return (array[:, None] == array[None, :]) & known[:, None] & known[None, :]


def pair_scores(mentions: Sequence[EventMention], config: StoryConfig) -> tuple[np.ndarray, np.ndarray]:
    """The similarity matrix and the matrix of incompatible pairs (True where a merge is ruled out)."""
    score = (config.weight_lemma * _same([m.trigger_lemma for m in mentions])
             + config.weight_evidence * _cosines([m.evidence for m in mentions])
             + config.weight_context * _cosines([m.context for m in mentions])
             + config.weight_cameo * _same([m.cameo for m in mentions])
             + config.weight_place * _same([m.place for m in mentions]))
    blocked = np.zeros((len(mentions), len(mentions)), dtype=bool)
    for i, a in enumerate(mentions):
        for j in range(i + 1, len(mentions)):
            if not compatible(a, mentions[j], config):
                blocked[i, j] = blocked[j, i] = True
    return score, blocked


def _components(linked: np.ndarray) -> list[list[int]]:
    """Connected components of a boolean adjacency matrix."""
    seen: set[int] = set()
    groups: list[list[int]] = []
    for start in range(len(linked)):
        if start in seen:
            continue
        stack, group = [start], []
        seen.add(start)
        while stack:
            node = stack.pop()
            group.append(node)
            for other in np.flatnonzero(linked[node]):
                if int(other) not in seen:
                    seen.add(int(other))
                    stack.append(int(other))
        groups.append(sorted(group))
    return groups


def average_linkage(score: np.ndarray, blocked: np.ndarray, threshold: float) -> list[list[int]]:
    """Agglomerate indices while the best mean pair score between two clusters is >= threshold."""
    n = len(score)
    if n == 0:
        return []
    sums = score.astype(float).copy()
    sizes = np.ones(n)
    cannot = blocked.copy()
    np.fill_diagonal(cannot, True)
    active = np.ones(n, dtype=bool)
    members: list[list[int]] = [[i] for i in range(n)]
    while True:
        mean = sums / np.outer(sizes, sizes)
        mean[cannot | ~active[:, None] | ~active[None, :]] = -np.inf
        best = int(np.argmax(mean))
        i, j = divmod(best, n)
        if not mean[i, j] >= threshold:
            break
        sums[i, :] += sums[j, :]
        sums[:, i] += sums[:, j]
        sizes[i] += sizes[j]
        cannot[i, :] |= cannot[j, :]
        cannot[:, i] |= cannot[:, j]
        cannot[i, i] = True
        active[j] = False
        members[i].extend(members[j])
    return [sorted(members[i]) for i in range(n) if active[i]]


def cluster_mentions(mentions: Sequence[EventMention], config: StoryConfig | None = None) -> list[list[str]]:
    """Clusters of mention ids (every mention in exactly one; singletons included), biggest first."""
    config = config or load_config()
    mentions = list(mentions)
    if not mentions:
        return []
    score, blocked = pair_scores(mentions, config)
    linked = (score >= config.threshold) & ~blocked
    clusters: list[list[str]] = []
    for block in _components(linked):
        if len(block) == 1:
            clusters.append([mentions[block[0]].id])
            continue
        index = np.array(block)
        for group in average_linkage(score[np.ix_(index, index)], blocked[np.ix_(index, index)], config.threshold):
            clusters.append([mentions[block[k]].id for k in group])
    clusters.sort(key=lambda cluster: (-len(cluster), cluster[0]))
    return clusters
