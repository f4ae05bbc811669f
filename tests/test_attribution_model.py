"""The learned attribution tagger (tidings.attribution): labels, spans, linking, the shipped model, and
the fallback to rules when no model is available. Texts are written for these tests."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from tidings.actors.resolve import resolve_actors
from tidings.attribution import learned, tagger
from tidings.attribution.features import paragraphs, sequences
from tidings.attribution.linker import link
from tidings.attribution.tagger import RoleSpan, spans_from_labels
from tidings.attribution.training import gold_labels
from tidings.evaluate.polnear import Attribution
from tidings.quotes import find_quotes

PUBLISHED = dt.date(2016, 5, 3)
TEXT = "Campaign news\n\nThe senator said on Tuesday that the new bill would pass easily."


def _chars(text: str, phrase: str) -> tuple[tuple[int, int], ...]:
    start = text.index(phrase)
    return ((start, start + len(phrase)),)


def test_gold_labels_are_bio_per_role(nlp):
    doc = nlp(TEXT)
    gold = Attribution(content=_chars(TEXT, "that the new bill would pass easily"), cue=_chars(TEXT, "said"),
                       source=_chars(TEXT, "The senator"))
    labels = dict(zip((t.text for t in doc), gold_labels(doc, [gold]), strict=False))
    assert labels["senator"] == "I-SOURCE" and labels["The"] == "B-SOURCE"
    assert labels["said"] == "B-CUE"
    assert labels["that"] == "B-CONTENT" and labels["bill"] == "I-CONTENT"
    assert labels["Tuesday"] == "O"


def test_touching_spans_of_one_role_stay_apart():
    labels = ["B-CONTENT", "I-CONTENT", "B-CONTENT", "I-CUE", "O"]
    spans = spans_from_labels([0, 1, 2, 3, 4], labels, 0)
    assert [(s.role, s.start, s.end) for s in spans] == [("CONTENT", 0, 2), ("CONTENT", 2, 3), ("CUE", 3, 4)]


def test_paragraphs_split_on_line_breaks_and_skip_whitespace(nlp):
    doc = nlp(TEXT)
    found = paragraphs(doc)
    assert len(found) == 2
    assert all(not doc[i].is_space for paragraph in found for i in paragraph)
    assert len(sequences(doc)) == 2


def test_linker_anchors_content_and_source_on_the_cue(nlp):
    doc = nlp("Smith said the plan would fail. Jones argued that it was sound.")
    words = [t.text for t in doc]

    def span(role, first, last, paragraph=0):
        return RoleSpan(role, words.index(first), words.index(last) + 1, paragraph)

    spans = [span("SOURCE", "Smith", "Smith"), span("CUE", "said", "said"), span("CONTENT", "the", "fail"),
             span("SOURCE", "Jones", "Jones"), span("CUE", "argued", "argued"), span("CONTENT", "that", "sound")]
    attributions = link(doc, spans)
    assert len(attributions) == 2
    first, second = attributions
    assert doc[first.source.start].text == "Smith" and doc[first.contents[0].start].text == "the"
    assert doc[second.source.start].text == "Jones" and doc[second.contents[0].start].text == "that"


def test_cue_without_content_is_dropped(nlp):
    doc = nlp("Smith said nothing.")
    assert link(doc, [RoleSpan("CUE", 1, 2, 0)]) == []


def test_shipped_model_finds_an_indirect_attribution(nlp):
    if tagger.load_tagger() is None:
        pytest.fail("the attribution model is not in the package data")
    doc = nlp(TEXT)
    quotes = learned.model_quotes(doc, resolve_actors(doc, PUBLISHED), [])
    assert quotes, "the model found no attribution"
    quote = quotes[0]
    assert quote.cue is not None and "said" in quote.cue.text
    assert "bill would pass" in quote.content.text
    assert quote.speaker.mention is not None and "senator" in quote.speaker.mention.text
    assert quote.kind == "indirect"


def test_model_spans_are_offsets_into_the_text(nlp):
    doc = nlp(TEXT)
    for quote in find_quotes(doc, resolve_actors(doc, PUBLISHED), mode="model"):
        for span in (quote.content, quote.cue, quote.speaker.mention):
            if span is not None:
                assert TEXT[span.start:span.end] == span.text


def test_missing_model_falls_back_to_rules(nlp, monkeypatch, caplog, tmp_path):
    with caplog.at_level(logging.WARNING):
        assert tagger.load_tagger(str(tmp_path / "absent.crfsuite")) is None
    assert "not found" in caplog.text
    monkeypatch.setattr(learned, "load_tagger", lambda: None)
    doc = nlp(TEXT)
    table = resolve_actors(doc, PUBLISHED)
    rules = find_quotes(doc, table, mode="rules")
    for mode in ("model", "combined"):
        assert [q.content for q in find_quotes(doc, table, mode=mode)] == [q.content for q in rules]


def test_unknown_mode_is_refused(nlp):
    doc = nlp(TEXT)
    with pytest.raises(ValueError, match="unknown quote mode"):
        find_quotes(doc, resolve_actors(doc, PUBLISHED), mode="guess")


def test_combined_keeps_every_rule_quote(nlp):
    doc = nlp("Campaign news\n\n“We will win this state by a lot,” Clinton said. Her aides said the polls "
              "were wrong, and the governor believes turnout will be high.")
    table = resolve_actors(doc, PUBLISHED)
    rules = find_quotes(doc, table, mode="rules")
    combined = find_quotes(doc, table, mode="combined")
    assert {(q.content.start, q.content.end) for q in rules} <= {(q.content.start, q.content.end) for q in combined}


def test_combined_adds_only_unmarked_attributions_with_an_attributing_cue(nlp):
    doc = nlp("Trade news\n\nThe ministry called the plan “a mistake” in a short statement. Officials are "
              "increasingly worried about the harvest, and the union has accused the board of hiding losses.")
    table = resolve_actors(doc, PUBLISHED)
    rules = {(q.content.start, q.content.end) for q in find_quotes(doc, table, mode="rules")}
    added = [q for q in find_quotes(doc, table, mode="combined") if (q.content.start, q.content.end) not in rules]
    for quote in added:
        assert quote.kind == "indirect"  # quote marks are the rules' evidence
        assert quote.follow_on or quote.cue is not None and quote.cue.text.strip() != "increasingly"
