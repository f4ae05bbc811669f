"""End to end on the seed article: the figures the foundation issue asks for, from the real pipeline."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tidings import Analyzer, json_schema
from tidings.evaluate import seed

from conftest import SEED_PUBLISHED, SEED_TEXT, need_shared


@pytest.fixture(scope="module")
def analysis():
    path = need_shared(SEED_TEXT)
    return Analyzer().analyze_path(path, published=SEED_PUBLISHED)


@pytest.fixture(scope="module")
def report(analysis, seed_gold):
    return seed.score(analysis, seed_gold)


def test_document_is_clean_and_removals_reported(report):
    assert report.figures["document_ok"] is True


@pytest.mark.parametrize("figure, floor", [
    ("actors_required_recall", 0.90),
    ("quotes_required_recall", 0.80),
    ("events_required_recall", 0.70),
    ("timexes_required_recall", 0.90),
    ("places_required_recall", 1.0),
])
def test_required_recall(report, figure, floor):
    misses = [m for m in report.misses if m["required"] and m["section"] == figure.split("_")[0]]
    assert report.figures[figure] >= floor, misses


def test_no_negated_or_hypothetical_event_is_asserted(report):
    assert report.figures["must_not_assert_violations"] == 0


def test_dyad_tones(report):
    assert report.figures["dyads_ok"] is True


def test_output_follows_the_published_schema(analysis):
    payload = json.loads(analysis.model_dump_json())
    jsonschema.validate(payload, json_schema())


def test_every_span_is_its_text(analysis):
    text = analysis.article.text
    spans = [m for m in analysis.mentions] + [t for t in analysis.timexes] + [p for p in analysis.places]
    spans += [q.content for q in analysis.quotes] + [e.evidence for e in analysis.events]
    spans += [e.trigger for e in analysis.events] + [c.span for c in analysis.claims]
    for span in spans:
        assert text[span.start:span.end] == span.text


def test_every_record_names_its_rule(analysis):
    for record in [*analysis.mentions, *analysis.quotes, *analysis.events, *analysis.claims,
                   *analysis.timexes, *analysis.places]:
        assert record.rule
