"""Training data for the attribution tagger: gold PolNeAR attributions as BIO labels, and the CRF fit.

Used by ``scripts/train_attribution.py`` (the train split only). :func:`gold_labels` labels a token with
the role of the gold span its first character lies in; ``B-`` opens each fragment of a span, so two
contents that touch stay two spans.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from pathlib import Path

from spacy.tokens import Doc

from ..records import Quote
from .features import sequences

ROLE_NAMES = {"source": "SOURCE", "cue": "CUE", "content": "CONTENT"}


def gold_labels(doc: Doc, attributions: Iterable) -> list[str]:
    """Per token, ``B-ROLE``/``I-ROLE``/``O`` from attributions with ``source``/``cue``/``content`` fragments
    (character offsets into ``doc.text``)."""
    owner: list[tuple[int, str, int] | None] = [None] * len(doc)
    starts = [token.idx for token in doc]
    for number, attribution in enumerate(attributions):
        for role, name in ROLE_NAMES.items():
            for fragment_number, (start, end) in enumerate(getattr(attribution, role) or ()):
                for index in range(bisect_left(starts, start), bisect_left(starts, end)):
                    if not doc[index].is_space:
                        owner[index] = (number, name, fragment_number)
    labels = []
    previous: tuple[int, str, int] | None = None
    for index, token in enumerate(doc):
        if token.is_space:
            labels.append("O")
            continue
        mark = owner[index]
        if mark is None:
            labels.append("O")
        else:
            labels.append(("I-" if mark == previous else "B-") + mark[1])
        previous = mark
    return labels


def training_sequences(doc: Doc, attributions: Iterable,
                       rule_quotes: list[Quote] | None = None) -> list[tuple[list[list[str]], list[str]]]:
    """(features, labels) per paragraph of one document."""
    labels = gold_labels(doc, attributions)
    return [(features, [labels[i] for i in indices]) for indices, features in sequences(doc, rule_quotes)]


def train(items: Sequence[tuple[list[list[str]], list[str]]], model_path: Path, *, c1: float = 0.5,
          c2: float = 0.01, max_iterations: int = 150) -> None:
    """Fit the CRF (L-BFGS with L1 + L2; L1 prunes most features, which keeps the file small)."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for features, labels in items:
        trainer.append(features, labels)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iterations,
                        "feature.possible_transitions": True, "feature.minfreq": 2})
    trainer.train(str(model_path))
