"""Claim status (tidings.claims.find_claims) on short texts written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from tidings.actors.resolve import resolve_actors
from tidings.claims import find_claims
from tidings.events.coder import code_events
from tidings.places import find_places
from tidings.quotes import find_quotes
from tidings.records import Claim, Event
from tidings.timex import find_timexes

PUBLISHED = date(2023, 9, 6)
CLAIM = "North Korea had shipped artillery shells to Russia"


class Result:
    def __init__(self, text: str, claims: list[Claim], events: list[Event]) -> None:
        self.text, self.claims, self.events = text, claims, events

    def claim(self, words: str = CLAIM) -> Claim:
        # Reported words may start with their complementizer ("that …").
        hits = [c for c in self.claims if c.span.text.removeprefix("that ") == words]
        assert len(hits) == 1, [(c.span.text, c.status) for c in self.claims]
        return hits[0]

    def event(self, event_id: str) -> Event:
        return next(e for e in self.events if e.id == event_id)


@pytest.fixture(scope="module")
def claims_of(nlp):
    def run(*paragraphs: str) -> Result:
        text = "\n\n".join(paragraphs)
        doc = nlp(text)
        table = resolve_actors(doc, PUBLISHED)
        quotes = find_quotes(doc, table)
        events = code_events(doc, table, quotes, find_timexes(doc, PUBLISHED), find_places(doc, PUBLISHED), PUBLISHED)
        claims = find_claims(doc, quotes, events)
        for claim in claims:
            assert text[claim.span.start:claim.span.end] == claim.span.text
            if claim.status_evidence is not None:
                evidence = claim.status_evidence
                assert text[evidence.start:evidence.end] == evidence.text
            assert claim.quote_id in {q.id for q in quotes}
        assert [c.id for c in claims] == [f"C{i}" for i in range(1, len(claims) + 1)]
        return Result(text, claims, events)

    return run


# -- status ------------------------------------------------------------------------------------------

def test_if_confirmed_after_an_anonymous_claim_is_unconfirmed(claims_of):
    result = claims_of(f"A senior South Korean official said {CLAIM}.",
                       "If confirmed, the shipments would breach United Nations sanctions.")
    claim = result.claim()
    assert claim.status == "unconfirmed"
    assert claim.anonymous is True
    assert claim.source_countries == ["KOR"]
    # Graded by the "If confirmed" phrase, not only by the anonymous-source default.
    assert claim.status_evidence is not None and "If confirmed" in claim.status_evidence.text
    assert claim.rule.startswith("status:status_cues.tsv")


def test_if_confirmed_after_a_named_claim_is_unconfirmed(claims_of):
    result = claims_of(f"Foreign Minister Sergei Lavrov said {CLAIM}.",
                       "If confirmed, the shipments would breach United Nations sanctions.")
    claim = result.claim()
    assert claim.status == "unconfirmed"
    assert claim.anonymous is False
    assert claim.source_actor_ids == ["person:sergei-lavrov"]


@pytest.mark.parametrize("speaker", ["The Kremlin", "Moscow"])
def test_denied_that_is_denied(claims_of, speaker):
    claim = claims_of(f"{speaker} denied that Russia had bought weapons from North Korea.").claim(
        "Russia had bought weapons from North Korea")
    assert claim.status == "denied"
    assert claim.source_actor_ids == ["RUSGOV"]
    assert claim.status_evidence is not None and claim.status_evidence.text == "denied"


def test_a_later_denial_by_another_actor_denies_the_claim(claims_of):
    claim = claims_of(f"A senior U.S. official said {CLAIM}. Moscow denied the report.").claim()
    assert claim.status == "denied"
    assert claim.status_evidence is not None and "denied" in claim.status_evidence.text


def test_could_not_be_independently_verified_is_unconfirmed(claims_of):
    claim = claims_of(f"Foreign Minister Sergei Lavrov said {CLAIM}. The claim could not be independently verified.").claim()
    assert claim.status == "unconfirmed"
    assert claim.anonymous is False
    assert "could not be independently verified" in claim.status_evidence.text


def test_confirmed_that_is_confirmed(claims_of):
    claim = claims_of(f"The Pentagon confirmed that {CLAIM}.").claim()
    assert claim.status == "confirmed"


def test_named_speaker_plain_claim_is_asserted(claims_of):
    claim = claims_of(f"Foreign Minister Sergei Lavrov said {CLAIM}.").claim()
    assert claim.status == "asserted"
    assert claim.status_evidence is None
    assert claim.rule == "status:named-source"


def test_anonymous_plain_claim_is_unconfirmed(claims_of):
    claim = claims_of(f"A senior U.S. official said {CLAIM}.").claim()
    assert claim.status == "unconfirmed"
    assert claim.anonymous is True
    assert claim.rule == "status:anonymous-source"


def test_status_phrase_inside_the_claim_does_not_grade_it(claims_of):
    claim = claims_of("Foreign Minister Sergei Lavrov said the report could not be independently verified.").claim(
        "the report could not be independently verified")
    assert claim.status == "asserted"


def test_status_phrase_too_far_away_does_not_grade_it(claims_of):
    claim = claims_of(f"Foreign Minister Sergei Lavrov said {CLAIM}. The weather was mild. The streets were quiet. "
                      "Traffic was light. The claim could not be independently verified.").claim()
    assert claim.status == "asserted"


def test_same_sentence_cue_does_not_reach_the_next_sentence(claims_of):
    claim = claims_of(f"Foreign Minister Sergei Lavrov said {CLAIM}. The reports are unconfirmed.").claim()
    assert claim.status == "asserted"


# -- events inside claims ------------------------------------------------------------------------------

@pytest.mark.parametrize("paragraphs, status", [
    ((f"A senior South Korean official said {CLAIM}.", "If confirmed, the shipments would breach sanctions."),
     "unconfirmed"),
    ((f"The Pentagon confirmed that {CLAIM}.",), "confirmed"),
    ((f"Foreign Minister Sergei Lavrov said {CLAIM}.",), "asserted"),
    ((f"A senior U.S. official said {CLAIM}. Moscow denied the report.",), "denied"),
])
def test_events_inside_a_claim_take_its_status(claims_of, paragraphs, status):
    result = claims_of(*paragraphs)
    claim = result.claim()
    assert claim.status == status
    assert claim.event_ids, "the shipment inside the claim should be an event of the claim"
    for event_id in claim.event_ids:
        event = result.event(event_id)
        assert claim.span.start <= event.trigger.start < claim.span.end
        assert event.status == status
    shipment = next(e for e in result.events if e.cameo_root == "07")
    assert shipment.id in claim.event_ids


def test_events_outside_claims_have_no_status(claims_of):
    result = claims_of(f"Foreign Minister Sergei Lavrov said {CLAIM}.")
    claimed = {e for c in result.claims for e in c.event_ids}
    outside = [e for e in result.events if e.id not in claimed]
    assert outside, "the statement event itself lies outside the claim"
    assert all(e.status is None for e in outside)


def test_denied_event_is_negated_and_denied(claims_of):
    result = claims_of("The Kremlin denied that Russia had bought weapons from North Korea.")
    claim = result.claim("Russia had bought weapons from North Korea")
    events = [result.event(i) for i in claim.event_ids]
    assert events
    assert all(e.status == "denied" and e.modality == "negated" for e in events)


def test_no_quotes_no_claims(claims_of):
    assert claims_of("Russia and North Korea signed a deal on Tuesday.").claims == []
