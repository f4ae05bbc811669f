"""Loading the attribution CRF and tagging a document into role spans.

One entry point, :func:`tag_doc`. The model is a crfsuite file shipped as package data; it is read once
(:func:`load_tagger`). When it is missing or unreadable the loader warns once and returns ``None``, and
the quote stage falls back to its rules alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from ..datafiles import DATA
from ..records import Quote
from .features import sequences

MODEL_FILE = "attribution_crf.crfsuite"
ROLES = ("SOURCE", "CUE", "CONTENT")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RoleSpan:
    """A stretch of tokens ``doc[start:end]`` the tagger gave one role."""

    role: str
    start: int
    end: int
    paragraph: int


@lru_cache(maxsize=4)
def load_tagger(path: str | None = None):
    """The crfsuite tagger (``None``, with a warning, when the model file is missing or unreadable)."""
    model = Path(path) if path else DATA / MODEL_FILE
    try:
        import pycrfsuite
    except ImportError:
        log.warning("python-crfsuite is not installed: quotes come from the rules alone")
        return None
    if not model.is_file():
        log.warning("attribution model %s not found: quotes come from the rules alone", model)
        return None
    tagger = pycrfsuite.Tagger()
    try:
        tagger.open(str(model))
        # Whether it was trained with the rule tags as features: the feature names are stored as plain
        # strings, and a byte search is much faster than parsing tagger.info()'s dump of the whole model.
        _USES_RULES[id(tagger)] = b"rule=" in model.read_bytes()
    except Exception as error:  # noqa: BLE001 - a broken model file must not stop the pipeline
        log.warning("attribution model %s unreadable (%s): quotes come from the rules alone", model, error)
        return None
    return tagger


def spans_from_labels(indices: list[int], labels: list[str], paragraph: int) -> list[RoleSpan]:
    """BIO labels to spans. An ``I-`` that does not continue a span of its role starts one."""
    spans: list[RoleSpan] = []
    role: str | None = None
    start = previous = -1
    for index, label in zip(indices, labels, strict=True):
        prefix, _, name = label.partition("-")
        continues = prefix == "I" and name == role  # whitespace tokens skipped in between do not break a span
        if role is not None and not continues:
            spans.append(RoleSpan(role, start, previous + 1, paragraph))
            role = None
        if prefix in {"B", "I"} and name in ROLES and role is None:
            role, start = name, index
        previous = index
    if role is not None:
        spans.append(RoleSpan(role, start, previous + 1, paragraph))
    return spans


def tag_doc(doc: Doc, rule_quotes: list[Quote] | None = None, tagger=None) -> list[RoleSpan]:
    """The role spans the model finds in ``doc`` (none when no model is loaded)."""
    tagger = tagger if tagger is not None else load_tagger()
    if tagger is None:
        return []
    uses_rules = _uses_rule_features(tagger)
    spans: list[RoleSpan] = []
    for number, (indices, features) in enumerate(sequences(doc, rule_quotes if uses_rules else None)):
        labels = tagger.tag(features)
        spans.extend(spans_from_labels(indices, labels, number))
    return spans


def _uses_rule_features(tagger) -> bool:
    """Whether the model was trained with the rule system's tags as features (then they must be given)."""
    key = id(tagger)
    if key not in _USES_RULES:
        _USES_RULES[key] = any(attribute.startswith("rule=") for attribute, _ in tagger.info().state_features)
    return _USES_RULES[key]


_USES_RULES: dict[int, bool] = {}
