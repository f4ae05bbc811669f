"""The date and place of one event, taken from its own clause — never just the first ones in the article.

Date: a time expression inside the trigger's clause (the clause's own words, not those of clauses nested
in it) gives ``date_from="clause"``; otherwise one in the same sentence gives ``"sentence"``; otherwise the
caller falls back to the publication date with precision ``publication``.

Place: a toponym in a locative phrase of the clause ("in Vladivostok", "at the United Nations") or, for a
movement ("visit … to Pyongyang", "travel to Russia"), its destination. A toponym that is one of the
event's own actors (a capital standing for its government: "warned Moscow") is not a location, except as
a movement's destination.
"""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc, Token

from ..nlp import sentence_span
from ..records import Actor, EventDate, EventPlace, Place, Timex

NESTED_CLAUSES = {"ccomp", "relcl", "advcl", "acl", "xcomp", "csubj", "parataxis"}
LOCATIVE_PREPS = {"in", "at", "near", "inside", "outside", "across", "throughout"}
MOVEMENT_LEMMAS = {"visit", "travel", "go", "trip", "arrive", "fly", "journey", "come", "return", "tour", "send",
                   "deploy", "move", "head"}
DATE_TYPES = {"DATE", "TIME"}
# "since 1991", "until 2025", "before the war": a bound of the event's time, not its date.
BOUND_PREPS = {"since", "until", "till", "before", "after", "by", "from"}


def _clause_head(token: Token) -> Token:
    """The verb whose clause holds ``token`` (a nominal trigger's governing verb, or the verb itself)."""
    head = token
    while head.pos_ not in {"VERB", "AUX"} and head.head.i != head.i:
        head = head.head
    return head


def adjacent_preps(noun: Token) -> list[Token]:
    """Prepositional phrases the parser hung on the verb right after a noun that they belong to:
    "came with the visit of Shoigu | to Pyongyang | in July"."""
    if noun.dep_ != "pobj" or noun.head.dep_ != "prep":
        return []
    verb = noun.head.head
    end = max(t.i for t in noun.subtree) + 1
    found = []
    for child in verb.children:
        if child.dep_ == "prep" and child.i == end:
            found.append(child)
            end = max(t.i for t in child.subtree) + 1
    return found


def noun_phrase_tokens(noun: Token) -> set[int]:
    """A noun's own phrase, with the prepositional phrases hung after it, but not the clauses inside it
    ("the meeting, as advanced on Monday by the Times, …": Monday dates the report, not the meeting)."""
    return _own_tokens(noun) | {i for p in adjacent_preps(noun) for i in _own_tokens(p)}


def _own_tokens(head: Token) -> set[int]:
    """Token indexes of a clause, without the clauses nested in it."""
    own: set[int] = set()
    stack = [head]
    while stack:
        token = stack.pop()
        own.add(token.i)
        for child in token.children:
            if child.dep_ in NESTED_CLAUSES and child.pos_ in {"VERB", "AUX"}:
                continue
            if child.dep_ == "advcl" or (child.dep_ == "acl" and child.tag_ == "VBN"):
                continue  # "as advanced on Monday", "published on Thursday": a clause of its own
            stack.append(child)
    return own


def _precision(value: str) -> str:
    if "/" in value:
        return "interval"
    if "REF" in value:
        return "vague"
    if "-W" in value and len(value) <= 8 and value[-1].isdigit():
        return "week"
    if value[-2:] in {"SP", "SU", "FA", "WI"}:
        return "season"
    if len(value) == 10:
        return "day"
    if len(value) == 7:
        return "month"
    if len(value) == 4:
        return "year"
    return "vague"


def event_date(doc: Doc, trigger: Token, timexes: list[Timex], published: date | None) -> EventDate | None:
    dated = [t for t in timexes if t.type in DATE_TYPES and t.value and t.value[:1].isdigit()]
    if not dated:
        return None
    sentence = sentence_span(trigger)
    in_sentence = [t for t in dated if sentence.start_char <= t.start < sentence.end_char]
    if not in_sentence:
        return None
    scopes = [trigger] if trigger.pos_ in {"NOUN", "PROPN"} else []
    scopes.append(_clause_head(trigger))
    for scope in scopes:
        own = _own_tokens(scope) if scope.pos_ in {"VERB", "AUX"} else noun_phrase_tokens(scope)
        for timex in in_sentence:
            span = doc.char_span(timex.start, timex.end, alignment_mode="expand")
            if span is None or _is_bound(span):
                continue
            if any(t.i in own for t in span):
                return EventDate(value=timex.value, precision=_precision(timex.value), date_from="clause",
                                 timex_id=timex.id)
    unbound = [t for t in in_sentence if not _is_bound(doc.char_span(t.start, t.end, alignment_mode="expand"))]
    if not unbound:
        return None
    timex = unbound[0]
    return EventDate(value=timex.value, precision=_precision(timex.value), date_from="sentence", timex_id=timex.id)


def _attached_to(prep: Token, heads: set[int]) -> bool:
    """A locative phrase belongs to the event when it hangs on the trigger or its clause's verb, or on a
    noun one phrase below it ("held during the summit in Vladivostok") — not deeper."""
    if prep.i in heads or prep.head.i in heads:
        return True
    noun = prep.head
    return (noun.dep_ in {"pobj", "dobj"} and noun.head.i in heads) or (
        noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.lower_ != "of" and noun.head.head.i in heads)


def _is_bound(span) -> bool:
    if span is None:
        return True
    prep = span.root.head if span.root.dep_ == "pobj" else None
    while prep is not None and prep.dep_ == "pobj":
        prep = prep.head
    if prep is not None and prep.lower_ in BOUND_PREPS:
        return True
    # "the break-up of the Soviet Union in 1991" after "since": the year dates what "since" governs.
    return any(a.lower_ in BOUND_PREPS and a.dep_ == "prep" for a in list(span.root.ancestors)[:4])


def event_place(doc: Doc, trigger: Token, places: list[Place], actors: list[Actor]) -> EventPlace | None:
    if not places:
        return None
    sentence = sentence_span(trigger)
    candidates = [p for p in places if sentence.start_char <= p.start < sentence.end_char]
    if not candidates:
        return None
    moving = trigger.lemma_.lower() in MOVEMENT_LEMMAS
    scopes = [trigger] if trigger.pos_ in {"NOUN", "PROPN"} else []
    scopes.append(_clause_head(trigger))
    for scope in scopes:
        own = _own_tokens(scope) if scope.pos_ in {"VERB", "AUX"} else noun_phrase_tokens(scope)
        # A place attaches to the trigger, its clause's verb, or a noun phrase hung after the trigger.
        heads = {scope.i} | {p.i for p in adjacent_preps(scope)} if scope.pos_ not in {"VERB", "AUX"} else {scope.i}
        found = _place_in(doc, own, candidates, moving, actors, heads)
        if found is not None:
            return found
    return None


def clause_place(doc: Doc, trigger: Token, places: list[Place]) -> EventPlace | None:
    """The first place anywhere in the trigger's own clause (its subject included) under a locative
    preposition, however deep: "a car bomb explosion in a residential sector of eastern Beirut killed …",
    "a roadside bombing near the town of Samarra killed …". Too loose to date or place an event, it still
    tells in which country an act by unnamed attackers took place."""
    own = _own_tokens(_clause_head(trigger))
    for place in places:
        span = doc.char_span(place.start, place.end, alignment_mode="expand")
        if span is None or span.root.i not in own or not place.country:
            continue
        prep = span.root.head if span.root.dep_ == "pobj" else None
        while prep is not None and prep.lower_ == "of" and prep.head.dep_ == "pobj" and prep.head.head.dep_ == "prep":
            prep = prep.head.head  # "in a sector of eastern Beirut": the outer preposition places it
        if prep is not None and prep.lower_ in LOCATIVE_PREPS:
            return _place(place)
    return None


def _place_in(doc: Doc, own: set[int], candidates: list[Place], moving: bool, actors: list[Actor],
              own_heads: set[int]) -> EventPlace | None:
    actor_countries = {a.country for a in actors if a.country}
    for place in candidates:
        span = doc.char_span(place.start, place.end, alignment_mode="expand")
        if span is None or not any(t.i in own for t in span):
            continue
        root = span.root
        prep = root.head if root.dep_ == "pobj" else None
        if prep is None or not _attached_to(prep, own_heads):
            continue  # "accused X of supplying weapons for its war in Ukraine": not where the accusing was
        # "in the northern city of Kirkuk": the preposition that places the phrase is the outer one.
        if prep.lower_ == "of" and prep.head.dep_ == "pobj" and prep.head.head.dep_ == "prep":
            prep = prep.head.head
        word = prep.lower_
        if word in LOCATIVE_PREPS:
            if place.feature == "country" and place.country in actor_countries and not moving:
                continue  # "Russia’s talks in Russia" adds nothing; a country-level actor is not a location
            return _place(place)
        if moving and word in {"to", "into"}:
            return _place(place)
    return None


def _place(place: Place) -> EventPlace:
    return EventPlace(place_id=place.id, name=place.name, country=place.country, lat=place.lat, lon=place.lon,
                      place_from="clause")
