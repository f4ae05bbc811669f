"""Claims: attributed propositions and whether they stand confirmed, unconfirmed, denied or disputed.

One entry point, :func:`find_claims`. Every quote (direct, mixed or indirect) is a claim of its speaker.
Its status comes, in order, from:

1. its own cue verb ("denied that" → denied, "confirmed that" → confirmed, "alleged" → unconfirmed);
2. a status phrase of ``data/status_cues.tsv`` outside the claim's own words, in its sentence or in one
   of the two sentences after it ("If confirmed — something that neither the Kremlin nor KCNA has yet
   done —", "could not be independently verified", "Moscow denied");
3. otherwise: ``unconfirmed`` when it rests on an unnamed source alone, ``asserted`` when a named speaker
   makes it.

The events inside a claim's words take its status, and the claim lists them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc

from .datafiles import entry, read_tsv
from .nlp import sentences as all_sentences
from .nlp import text_of
from .records import Claim, Event, Quote
from .records import Span as TextSpan

NEXT_SENTENCES = 2


@lru_cache(maxsize=1)
def _status_cues() -> tuple[tuple[re.Pattern[str], str, str, str], ...]:
    return tuple(
        (re.compile(row["pattern"], re.IGNORECASE), row["status"], row["reach"], entry("status_cues.tsv", row))
        for row in read_tsv("status_cues.tsv")
    )


@lru_cache(maxsize=1)
def _verb_status() -> dict[str, str]:
    return {row["lemma"]: row["status"] for row in read_tsv("speech_verbs.tsv") if row.get("status")}


def find_claims(doc: Doc, quotes: list[Quote], events: list[Event]) -> list[Claim]:
    sentences = all_sentences(doc)
    # Where each status cue matches in each sentence, found once: neighbouring quotes look at the same
    # sentences again. Keyed by (sentence index, cue index); the starts are offsets into the doc's text.
    matches: dict[tuple[int, int], list[int]] = {}
    claims: list[Claim] = []
    for quote in quotes:
        status, evidence, rule = _status(doc, sentences, quote, matches)
        claim = Claim(
            id=f"C{len(claims) + 1}", span=quote.content, quote_id=quote.id,
            source_actor_ids=list(quote.speaker.actor_ids), source_countries=list(quote.speaker.countries),
            anonymous=quote.speaker.anonymous, status=status, status_evidence=evidence, rule=rule,
        )
        for event in events:
            if quote.content.start <= event.trigger.start < quote.content.end:
                claim.event_ids.append(event.id)
                event.status = claim.status  # the validated ClaimStatus of ``status``
        claims.append(claim)
    return claims


def _status(doc: Doc, sentences, quote: Quote,
            matches: dict[tuple[int, int], list[int]]) -> tuple[str, TextSpan | None, str]:
    if quote.cue is not None:
        cue = doc.char_span(quote.cue.start, quote.cue.end, alignment_mode="expand")
        if cue is not None:
            status = _verb_status().get(cue[0].lemma_.lower())
            if status:
                return status, quote.cue, "status:cue-verb"
    index = next((i for i, s in enumerate(sentences) if s.start_char <= quote.content.end - 1 < s.end_char), None)
    if index is not None:
        for offset, number in enumerate(range(index, min(index + 1 + NEXT_SENTENCES, len(sentences)))):
            found = _cue_in(doc, sentences[number], number, quote, offset == 0, matches)
            if found is not None:
                return found
    if quote.speaker.anonymous:
        return "unconfirmed", None, "status:anonymous-source"
    return "asserted", None, "status:named-source"


def _cue_in(doc: Doc, sentence, number: int, quote: Quote, same_sentence: bool,
            matches: dict[tuple[int, int], list[int]]):
    """The first status cue (in the file's order) that matches in the sentence outside the claim's own
    words; ``number`` is the sentence's index, the key of its cached matches."""
    text = text_of(doc)[sentence.start_char:sentence.end_char]
    for cue_number, (pattern, status, reach, rule) in enumerate(_status_cues()):
        if reach == "same" and not same_sentence:
            continue
        starts = matches.get((number, cue_number))
        if starts is None:
            starts = matches[number, cue_number] = [sentence.start_char + match.start()
                                                    for match in pattern.finditer(text)]
        for start in starts:
            if quote.content.start <= start < quote.content.end:
                continue  # the claim's own words do not grade it
            return status, TextSpan(start=sentence.start_char, end=sentence.end_char,
                                    text=text_of(doc)[sentence.start_char:sentence.end_char]), f"status:{rule}"
    return None
