"""Coreference scores over clusterings of the same mentions: MUC, B³, CEAF-e and CoNLL F1.

Both clusterings are lists of clusters (iterables of hashable mention ids). Mentions present in one
clustering but not the other count as singletons of the other side, as in the reference scorer's treatment
of gold mentions. Every function returns ``(recall, precision, f1)``; a score whose denominator is zero is 0.

* MUC (Vilain et al. 1995): links. Recall = Σ_K (|K| − p(K)) / Σ_K (|K| − 1), p(K) = number of response
  clusters (and unmatched singletons) K is split into; precision swaps key and response.
* B³ (Bagga & Baldwin 1998): per mention, |K(m) ∩ R(m)| / |R(m)| (precision) and / |K(m)| (recall), averaged.
* CEAF-e (Luo 2005): best one-to-one alignment of clusters under φ4 = 2|K ∩ R| / (|K| + |R|);
  recall = Σφ / #key clusters, precision = Σφ / #response clusters.
* CoNLL F1 = mean of the three F1 values (Pradhan et al. 2014).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

Clusters = Sequence[Iterable[Hashable]]
Score = tuple[float, float, float]


def _sets(clusters: Clusters) -> list[frozenset]:
    return [frozenset(cluster) for cluster in clusters if cluster]


def _aligned(key: Clusters, response: Clusters) -> tuple[list[frozenset], list[frozenset]]:
    """Both clusterings over the same mentions: a mention one side lacks becomes a singleton there."""
    k, r = _sets(key), _sets(response)
    in_key = set().union(*k) if k else set()
    in_response = set().union(*r) if r else set()
    k += [frozenset({m}) for m in in_response - in_key]
    r += [frozenset({m}) for m in in_key - in_response]
    return k, r


def _f1(recall: float, precision: float) -> Score:
    f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    return recall, precision, f1


def _index(clusters: list[frozenset]) -> dict[Hashable, int]:
    return {mention: number for number, cluster in enumerate(clusters) for mention in cluster}


def _muc_recall(key: list[frozenset], response: list[frozenset]) -> float:
    where = _index(response)
    numerator = denominator = 0
    for cluster in key:
        parts = {where.get(mention, ("alone", mention)) for mention in cluster}
        numerator += len(cluster) - len(parts)
        denominator += len(cluster) - 1
    return numerator / denominator if denominator else 0.0


def muc(key: Clusters, response: Clusters) -> Score:
    k, r = _aligned(key, response)
    return _f1(_muc_recall(k, r), _muc_recall(r, k))


def _b3_share(key: list[frozenset], response: list[frozenset]) -> float:
    where = _index(response)
    total = count = 0.0
    for cluster in key:
        for mention in cluster:
            other = response[where[mention]] if mention in where else frozenset({mention})
            total += len(cluster & other) / len(cluster)
            count += 1
    return total / count if count else 0.0


def b_cubed(key: Clusters, response: Clusters) -> Score:
    k, r = _aligned(key, response)
    return _f1(_b3_share(k, r), _b3_share(r, k))


def ceaf_e(key: Clusters, response: Clusters) -> Score:
    k, r = _aligned(key, response)
    if not k or not r:
        return 0.0, 0.0, 0.0
    phi = np.array([[2 * len(a & b) / (len(a) + len(b)) for b in r] for a in k])
    rows, columns = linear_sum_assignment(-phi)
    similarity = float(phi[rows, columns].sum())
    return _f1(similarity / len(k), similarity / len(r))


def conll(key: Clusters, response: Clusters) -> dict[str, float]:
    """All three scores and their CoNLL mean, as a flat dict of figures."""
    figures: dict[str, float] = {}
    for name, metric in (("muc", muc), ("b3", b_cubed), ("ceafe", ceaf_e)):
        recall, precision, f1 = metric(key, response)
        figures.update({f"{name}_recall": recall, f"{name}_precision": precision, f"{name}_f1": f1})
    figures["conll_f1"] = (figures["muc_f1"] + figures["b3_f1"] + figures["ceafe_f1"]) / 3
    return figures
