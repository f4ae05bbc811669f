"""The event coder: who did what to whom, from the dependency parse and editable lexicons.

One entry point, :func:`code_events`. Four kinds of trigger, each named in the event's ``rule``:

- **verbs** matched against ``verb_patterns.tsv`` (PETRARCH2's CAMEO verb dictionary, converted): the most
  specific pattern whose words appear around the verb wins; ``---`` patterns block a reading;
- **light verbs** ("hold talks", "issue a warning", "exchange letters") from ``light_verbs.tsv``: the event
  is the object noun's;
- **nominal events** ("Shoigu’s visit to Pyongyang", "Russia’s invasion of Ukraine", "were in talks") from
  ``event_nouns.tsv``;
- **speech**: every attributed quote is a statement event by its speaker (CAMEO code of its cue verb in
  ``speech_verbs.tsv``), and threats voiced inside a quote ("they will pay a price", ``speaker_acts.tsv``)
  are acts of the speaker.

Source and target come from the grammatical roles (subject; object, indirect object, "to/with/against"
phrases; the possessor or "of" phrase of a noun), through the actors the actor stage resolved, with
subjects inherited along coordinated and infinitival verbs ("tried to convince Pyongyang to sell" — the
seller is Pyongyang). Coordinated subjects without an object are reciprocal ("Russia and North Korea
held talks"). Each event gets its modality (:mod:`.modality`), the quote it sits in, the date of its own
clause or sentence, and the place of its own clause.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span, Token

from ..actors.resolve import state_actor
from ..actors.table import ActorTable
from ..datafiles import entry, read_tsv
from ..records import Actor, Attribution, Event, EventDate, EventPlace, Place, Quote, Timex
from ..records import Span as TextSpan
from . import lexicon as lex
from .cameo import lookup
from .modality import modality_of
from .when_where import adjacent_preps, event_date, event_place

# Prepositions whose object is the one an act is aimed at ("talks with X", "sanctions on X"); "at",
# "in", "from", "for" and "over" mostly give places, origins and topics, not targets.
TARGET_PREPS = {"to", "with", "against", "on", "toward", "towards", "into"}
COPULAS = {"be", "remain", "stay"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
OBJECT_CONTROL = {"convince", "persuade", "urge", "ask", "invite", "call", "press", "push", "encourage",
                  "force", "order", "allow", "help", "accuse", "warn", "tell", "pressure", "dissuade"}
RELATIVE_PRONOUNS = {"which", "who", "that", "whom"}


@dataclass
class _Found:
    trigger: Span
    head: Token
    code: str
    rule: str
    sources: list[Actor]
    targets: list[Actor]
    reciprocal: bool = False
    speaker_quote: Quote | None = None
    extra: dict = field(default_factory=dict)


def code_events(doc: Doc, table: ActorTable, quotes: list[Quote], timexes: list[Timex], places: list[Place],
                published: date | None) -> list[Event]:
    speech = {row["lemma"] for row in read_tsv("speech_verbs.tsv")}
    # A speech verb that cues a quote is coded as the speaker's statement; a colon cue ("called on X …:")
    # is an ordinary verb and is coded as such.
    cue_tokens = {q.cue.start for q in quotes if q.cue is not None and q.rule != "cue:colon"}
    cue_tokens = {start for start in cue_tokens if doc.char_span(start, start + 1, alignment_mode="expand") is not None
                  and doc.char_span(start, start + 1, alignment_mode="expand")[0].lemma_.lower() in speech}
    found: list[_Found] = []
    for token in doc:
        if token.is_space or token.is_punct:
            continue
        if token.pos_ in {"VERB", "AUX"} and token.idx not in cue_tokens:
            found.extend(_verb_event(table, token))
        elif token.dep_ == "acomp" and token.tag_ in {"VBN", "JJ"}:
            found.extend(_verb_event(table, token))  # "Israel is opposed to French mediation"
        elif token.pos_ == "NOUN":
            found.extend(_noun_event(table, token))
    found = _announced(doc, table, found)
    found.extend(_speech_events(doc, table, quotes))
    found.extend(_speaker_acts(doc, table, quotes))
    reporting = frozenset(row["lemma"] for row in read_tsv("speech_verbs.tsv"))
    events: list[Event] = []
    seen: set[tuple] = set()
    sentence_starts = [s.start for s in doc.sents]
    for item in found:
        event = _build(doc, item, lambda iso3: state_actor(table, iso3, "event-place"),
                       lambda iso3: _unidentified(table, iso3), quotes, timexes, places,
                       published, reporting, sentence_starts)
        if event is None:
            continue
        key = (event.sentence, tuple(event.source_actor_ids), tuple(event.target_actor_ids), event.cameo_root,
               event.trigger.start)
        if key in seen:
            continue
        seen.add(key)
        events.append(event)
    events.sort(key=lambda e: (e.evidence.start, e.trigger.start))
    _share_with_later_mentions(doc, events, {p.id: p for p in places})
    for number, event in enumerate(events, start=1):
        event.id = f"E{number}"
    return events


def _share_with_later_mentions(doc: Doc, events: list[Event], places: dict[str, Place]) -> None:
    """A planned event often gets its date and place only later, when the article comes back to it with a
    definite noun: "Kim will travel to Russia to meet Putin … The meeting between Putin and Kim will be
    held in Vladivostok between September 10 and 13". The later mention (same CAMEO root, same countries,
    not asserted as past either) lends its date and a more precise place to the earlier one."""
    for index, early in enumerate(events):
        if early.modality not in {"future", "planned"}:
            continue
        countries = set(early.source_countries) | set(early.target_countries)
        if len(countries) < 2:
            continue
        for late in events[index + 1:]:
            if (late.act_cameo or late.cameo)[:2] != (early.act_cameo or early.cameo)[:2] \
                    or late.modality not in {"future", "planned"}:
                continue
            if set(late.source_countries) | set(late.target_countries) != countries:
                continue
            trigger = doc.char_span(late.trigger.start, late.trigger.end, alignment_mode="expand")
            if trigger is None or trigger.root.pos_ != "NOUN" or not any(
                    c.lower_ in {"the", "this", "that"} for c in trigger.root.children if c.dep_ == "det"):
                continue
            if early.date.date_from == "publication" and late.date.date_from in {"clause", "sentence"}:
                early.date = late.date.model_copy(update={"date_from": "coreference"})
            coarse = early.place is None or (
                places.get(early.place.place_id) is not None and places[early.place.place_id].feature == "country"
                and early.place.country == late.place.country if late.place else False)
            if late.place is not None and coarse:
                # "travel to Russia" … "held in Vladivostok": the city says more than the country.
                early.place = late.place.model_copy(update={"place_from": "coreference"})
            break


# -- triggers ---------------------------------------------------------------------------------------

def lemma_candidates(token: Token) -> list[str]:
    """The verb's lemma, then guesses from its form for the small model's slips ("staged" -> "stag")."""
    lemma = token.lemma_.lower()
    form = token.lower_
    guesses = [lemma]
    for suffix, replacement in (("ied", "y"), ("ies", "y"), ("ing", "e"), ("ing", ""), ("ed", "e"), ("ed", ""),
                                ("es", ""), ("s", ""), ("d", "")):
        if form.endswith(suffix) and len(form) - len(suffix) >= 3:
            guess = form[: len(form) - len(suffix)] + replacement
            if guess not in guesses:
                guesses.append(guess)
    return guesses


def _verb_key(token: Token) -> str:
    particle = next((c for c in token.children if c.dep_ == "prt"), None)
    return f"{token.lemma_.lower()} {particle.lower_}" if particle is not None else token.lemma_.lower()


def _verb_event(table: ActorTable, verb: Token) -> list[_Found]:
    light = _light_verb(table, verb)
    if light is not None:
        return [light]
    key = _verb_key(verb)
    patterns = lex.verb_patterns(key) or (lex.verb_patterns(verb.lemma_.lower()) if " " in key else [])
    if not patterns:
        patterns = next((found for found in map(lex.verb_patterns, lemma_candidates(verb)[1:]) if found), [])
    if not patterns:
        return []
    left = {t.lower_ for t in verb.doc[verb.sent.start:verb.i]} | {t.lemma_.lower() for t in verb.doc[verb.sent.start:verb.i]}
    right_tokens = [t for t in _own_phrase(verb) if t.i > verb.i]
    right = [t.lemma_.lower() for t in right_tokens]
    right_set = set(right) | {t.lower_ for t in right_tokens}
    chosen = None
    for pattern in patterns:
        if pattern.before and not all(_word_in(w, left) for w in pattern.before):
            continue
        if pattern.after and not all(_word_in(w, right_set) for w in pattern.after):
            continue
        chosen = pattern
        break
    if chosen is None or chosen.code.startswith("-"):
        return []
    sources = _subjects(table, verb)
    targets = _objects(table, verb)
    if chosen.reverse:
        sources, targets = targets, sources
    reciprocal = len(sources) >= 2 and not targets  # "the two countries are discussing …"
    if reciprocal:
        targets = sources
    if not sources and not (targets and chosen.code[:2] in _unattributed_roots()):
        return []
    trigger = verb.doc[verb.i:verb.i + 1]
    found = [_Found(trigger=trigger, head=verb, code=chosen.code, rule=f"verb:{chosen.entry}",
                    sources=sources, targets=targets, reciprocal=reciprocal)]
    if chosen.paired and not chosen.paired.startswith("-") and not reciprocal:
        # PETRARCH's "[042:043]": the target does the paired act back (a visit is also a hosting).
        found.append(_Found(trigger=trigger, head=verb, code=chosen.paired, rule=f"verb-paired:{chosen.entry}",
                            sources=targets, targets=sources))
    return found


def _own_phrase(verb: Token) -> list[Token]:
    """The verb's own words: its subtree without the clauses nested in it."""
    own: list[Token] = []
    stack = [verb]
    while stack:
        token = stack.pop()
        own.append(token)
        stack.extend(c for c in token.children
                     if not (c.dep_ in {"ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "parataxis"}
                             and c.pos_ in {"VERB", "AUX"}))
    return own


def _word_in(word: str, words: set[str]) -> bool:
    if word.startswith("&"):
        return bool(lex.synset(word[1:]) & words)
    return word in words


def _light_verb(table: ActorTable, verb: Token) -> _Found | None:
    options = next((found for found in map(lex.light_verbs, lemma_candidates(verb)) if found), [])
    if not options:
        return None
    objects = [c for c in verb.children if c.dep_ in {"dobj", "attr", "oprd"}]
    if any(c.dep_ == "auxpass" for c in verb.children):
        objects += [c for c in verb.children if c.dep_ == "nsubjpass"]  # "no weapons have been delivered"
    objects = [_quantity_head(o) for o in objects]
    # "the partnership that the U.S. signed": the relative pronoun stands for the noun.
    objects = [verb.head if o.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl" else o for o in objects]
    objects += [c for o in list(objects) for c in o.conjuncts]
    for obj in objects:
        # "suspended aid deliveries", "ended mediation efforts": the compound names the act.
        words = {obj.lemma_.lower(), obj.lower_} | {c.lemma_.lower() for c in obj.children if c.dep_ == "compound"}
        # Two-word objects ("legal action") as written in light_verbs.tsv.
        words |= {f"{c.lower_} {obj.lower_}" for c in obj.children if c.dep_ in {"amod", "compound"}}
        for option in options:
            if any(w in words for w in option.object_words):
                code = option.code
                if code == lex.INHERIT:
                    noun = _noun_option(obj)
                    if noun is None:
                        continue
                    code = noun.code
                sources = _subjects(table, verb)
                targets = [a for a in _objects(table, verb, skip=obj) if a not in sources]
                if not targets:
                    targets = _noun_targets(table, obj)
                if not sources:
                    return None
                trigger = verb.doc[min(verb.i, obj.i):max(verb.i, obj.i) + 1]
                return _Found(trigger=trigger, head=verb, code=code, rule=f"light-verb:{option.entry}",
                              sources=sources, targets=targets, extra={"when": option.when} if option.when else {})
    return None


def _noun_event(table: ActorTable, noun: Token) -> list[_Found]:
    options = lex.noun_triggers(noun.lemma_.lower())
    if not options:
        return []
    # The object of a light verb is coded with the verb.
    if noun.dep_ in {"dobj", "attr"} and lex.light_verbs(noun.head.lemma_.lower()):
        return []
    option = _noun_option(noun)
    if option is None:
        return []
    sources, targets, reciprocal = _noun_roles(table, noun, option)
    if not sources:
        return []
    if not targets and not reciprocal:
        return []
    return [_Found(trigger=noun.doc[noun.i:noun.i + 1], head=noun, code=option.code, rule=f"noun:{option.entry}",
                   sources=sources, targets=targets, reciprocal=reciprocal)]


QUANTITY_NOUNS = {"tens", "scores", "thousands", "hundreds", "millions", "dozens", "number", "lot", "lots", "batch", "shipment",
                  "shipments", "quantities", "quantity", "amount", "amounts", "tons", "tonnes", "supply"}


def _quantity_head(noun: Token) -> Token:
    """"thousands of shells": the shells are what is sent ("tens of thousands of students": the students)."""
    while noun.lower_ in QUANTITY_NOUNS:
        of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if obj is None:
            break
        noun = obj
    return noun


def _noun_option(noun: Token):
    """The event_nouns.tsv row for a noun: the first whose required words its phrase has."""
    phrase = {t.lemma_.lower() for t in noun.subtree} | {t.lower_ for t in noun.subtree}
    return next((o for o in lex.noun_triggers(noun.lemma_.lower())
                 if not o.requires or any(_word_in(w, phrase) for w in o.requires)), None)


def _noun_roles(table: ActorTable, noun: Token, option) -> tuple[list[Actor], list[Actor], bool]:
    """Who does the nominal event to whom, through the attachments ``event_nouns.tsv`` lists for the noun
    (poss, mod, by, of, between, to, with, …), first attachment that names an actor wins."""
    preps: dict[str, list[Token]] = {}
    for child in [*noun.children, *adjacent_preps(noun)]:
        if child.dep_ == "prep":
            preps.setdefault(child.lower_, []).append(child)

    def attached(kind: str) -> list[Actor]:
        if kind == "poss":
            return [a for c in noun.children if c.dep_ == "poss" for a in _actors_of(table, c)]
        if kind == "mod":
            return [a for c in noun.children if c.dep_ in {"compound", "amod", "nmod"} and c.i < noun.i
                    for a in _actors_of(table, c)]
        return [a for p in preps.get(kind, []) for a in _pobj_actors(table, p)]

    if "between" in option.source and "between" in preps:
        between = attached("between")
        if len(between) >= 2:
            return between, between, True
    sources: list[Actor] = []
    for kind in option.source or ("poss", "mod", "by", "of"):
        if kind != "between":
            sources = attached(kind)
        if sources:
            break
    targets: list[Actor] = []
    for kind in option.target or ("to", "with", "against"):
        if kind == "between" or (kind == "of" and not sources):
            continue
        targets = [a for a in attached(kind) if a.id not in {s.id for s in sources}]
        if targets:
            break
    reciprocal = False
    if not sources and noun.dep_ == "pobj" and noun.head.lower_ in {"in", "into"} \
            and noun.head.head.lemma_.lower() in COPULAS:
        # "Russia and North Korea were in talks": the copula's subject holds the talks.
        sources = _subjects(table, noun.head.head)
        if len(sources) >= 2 and not targets:
            targets, reciprocal = sources, True
    sources = _unique(sources)
    targets = [a for a in _unique(targets) if reciprocal or a.id not in {s.id for s in sources}]
    return sources, targets, reciprocal


def _speech_events(doc: Doc, table: ActorTable, quotes: list[Quote]) -> list[_Found]:
    """Each attributed statement is an event by its speaker about the first actor its content names."""
    verbs = {row["lemma"]: row for row in read_tsv("speech_verbs.tsv")}
    found: list[_Found] = []
    for quote in quotes:
        if quote.follow_on or quote.cue is None:
            continue
        speakers = [table.actors[a] for a in quote.speaker.actor_ids if a in table.actors]
        if not speakers:
            continue
        cue = doc.char_span(quote.cue.start, quote.cue.end, alignment_mode="expand")
        content = doc.char_span(quote.content.start, quote.content.end, alignment_mode="expand")
        if cue is None or content is None:
            continue
        key = _verb_key(cue[0]) if cue[0].pos_ in {"VERB", "AUX"} else ""
        row = verbs.get(key) or verbs.get(cue[0].lemma_.lower())
        code = row["cameo"] if row else "010"
        rule = f"speech:{entry('speech_verbs.tsv', row)}" if row else f"speech:{quote.rule}"
        # The statement is about the first actor its words name from outside the speaker's own country
        # (KCNA reporting on Kim receiving Shoigu is about Russia's envoy, not about North Korea).
        speaker_ids = {a.id for a in speakers} | {a.country for a in speakers}
        # "The Palestinians reject proposed Israeli changes, …": what the cue verb itself is aimed at.
        targets = [a for a in _objects(table, cue[0]) if a.id not in speaker_ids] if cue[0].pos_ == "VERB" else []
        if cue[0].lemma_.lower() == "tell":
            targets = []  # who was told is the addressee, not the target
        targets = targets or [a for a in table.actors_in(content)
                              if a.id not in speaker_ids and a.country not in speaker_ids][:1]
        found.append(_Found(trigger=cue, head=cue[0], code=code, rule=rule, sources=speakers, targets=targets,
                            extra={"statement_of": quote.id}))
    return found


def _speaker_acts(doc: Doc, table: ActorTable, quotes: list[Quote]) -> list[_Found]:
    """Clauses inside a quote that are acts of the speaker towards the clause's subject (speaker_acts.tsv)."""
    acts = read_tsv("speaker_acts.tsv")
    found: list[_Found] = []
    for quote in quotes:
        speakers = [table.actors[a] for a in quote.speaker.actor_ids if a in table.actors]
        content = doc.char_span(quote.content.start, quote.content.end, alignment_mode="expand")
        if not speakers or content is None:
            continue
        for token in content:
            if token.pos_ not in {"VERB", "AUX"} or token.dep_ == "aux":
                continue
            row = next((r for r in acts if _speaker_act_fits(token, r)), None)
            if row is None:
                continue
            targets = [a for a in _subjects(table, token) if a.id not in {s.id for s in speakers}]
            if targets:
                found.append(_Found(trigger=doc[token.i:token.i + 1], head=token, code=row["code"],
                                    rule=f"speaker-act:{entry('speaker_acts.tsv', row)}",
                                    sources=speakers, targets=targets, speaker_quote=quote))
    return found


def _speaker_act_fits(token: Token, row: dict[str, str]) -> bool:
    if row["verb"] not in {"*", token.lemma_.lower()}:
        return False
    objects = {c.lemma_.lower() for c in token.children if c.dep_ in {"dobj", "attr"}}
    if row["object"] != "*" and row["object"] not in objects:
        return False
    auxiliaries = {c.lower_ for c in token.children if c.dep_ in {"aux", "auxpass"}}
    return not row.get("aux") or row["aux"] in auxiliaries


def _intent_table() -> list[dict[str, str]]:
    return sorted(read_tsv("intent_codes.tsv"), key=lambda row: -len(row["prefix"]))


def _announced_code(code: str, kind: str) -> str | None:
    """The intent, threat or refusal code of an act (intent_codes.tsv), None to keep the act's code.
    An announced act of conflict (root 14 and up) is a threat, whatever verb announced it."""
    if kind == "intent" and code[:2] >= "14":
        kind = "threat"
    for row in _intent_table():
        if code.startswith(row["prefix"]):
            value = row[kind]
            if value not in {"", "-"}:
                return value
            break
    # A threatened or refused act with no code of its own is a threat (130) or a rejection (120).
    if kind == "threat" and not code.startswith("13"):
        return "130"
    if kind == "refusal" and not code.startswith("12"):
        return "120"
    return None


def _announced(doc: Doc, table: ActorTable, found: list[_Found]) -> list[_Found]:
    """"offered to hand over", "is willing to send", "threatened to strike", "refused to meet": the act in
    the complement is an announced one. Coded acts there are recoded (an intent, threat or refusal); when
    the complement holds no coded act, the predicate itself is the event, aimed at the complement's objects."""
    predicates = {row["lemma"]: row for row in read_tsv("intent_predicates.tsv")}
    kinds = {"intent": "intent", "threat": "threat", "refusal": "refusal"}
    for token in doc:
        row = predicates.get(token.lemma_.lower())
        if row is None or token.pos_ not in {"VERB", "ADJ", "AUX"}:
            continue
        complement = next((c for c in token.children if c.dep_ in {"xcomp", "ccomp"} and c.pos_ in {"VERB", "AUX"}), None)
        if complement is None:
            continue
        inside = {t.i for t in _own_phrase(complement)}
        inside |= {t.i for c in complement.children if c.dep_ in {"xcomp", "conj"} for t in _own_phrase(c)}
        rule = f"announced:{entry('intent_predicates.tsv', row)}"
        coded = [item for item in found if item.head.i in inside and not item.extra.get("announced")]
        for item in coded:
            if not item.targets:
                # "offered to negotiate | with Armenia": the parser may hang the party on the predicate.
                item.targets = [a for a in _objects(table, token) if a.id not in {s.id for s in item.sources}]
            new_code = _announced_code(item.code, kinds[row["kind"]])
            if new_code is not None:
                item.extra["act_code"] = item.code
                item.code = new_code
                item.rule += f"+{rule}"
            item.extra["announced"] = row["kind"]
            item.extra["announced_by"] = token.i
        # The announced act carries the event; the predicate's own reading ("agree" 050) would double it.
        found = [item for item in found if item.head.i != token.i]
        if coded:
            continue
        sources = _subjects(table, token)
        # "willing to send material to help defend Saudi Arabia": objects down the chain of infinitives.
        chain = [complement]
        while len(chain) < 4:
            nxt = next((c for c in chain[-1].children if c.dep_ in {"xcomp", "advcl"} and c.pos_ == "VERB"), None)
            if nxt is None:
                break
            chain.append(nxt)
        targets = [a for c in chain for a in _objects(table, c)]
        if not sources:
            continue
        trigger = doc[min(token.i, complement.i):max(token.i, complement.i) + 1]
        found.append(_Found(trigger=trigger, head=token, code=row["code"], rule=rule, sources=sources,
                            targets=[a for a in _unique(targets) if a.id not in {s.id for s in sources}],
                            extra={"announced": row["kind"], "announced_by": token.i}))
    return found


# -- roles ------------------------------------------------------------------------------------------

def _unique(actors: list[Actor]) -> list[Actor]:
    return list({a.id: a for a in actors}.values())


def _actors_of(table: ActorTable, token: Token) -> list[Actor]:
    """The actors a noun phrase head stands for, with its conjuncts; a relative pronoun stands for the
    noun its clause modifies; a phrase that is not itself an actor gives the first actor inside it."""
    token = _quantity_head(token)  # "tens of thousands of students": the students
    heads = [token, *token.conjuncts]
    actors: list[Actor] = []
    for head in heads:
        if head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
            head = head.head.head
        actor = table.actor_at(head)
        if actor is not None:
            actors += table.expand(actor)
            continue
        # "North Korean arms sales", "Russia’s invasion": an actor modifying the head stands in for it;
        # one inside a prepositional phrase ("the moment in Washington’s view") does not — except after a
        # title or institution: "the president of Armenia", "the government of Sudan".
        if _is_agent_noun(head):
            of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            inner = _pobj_actors(table, of) if of is not None else []
            if inner:
                actors += inner
                continue
        for child in head.children:
            if child.dep_ in {"poss", "compound", "amod", "nmod"} and child.i < head.i:
                inner = table.actors_in(child.subtree)
                if inner:
                    actors.append(inner[0])
                    break
    return _unique(actors)


def _is_agent_noun(token: Token) -> bool:
    """A title or relational noun whose "of" phrase names the body it stands for (of_nouns.tsv)."""
    from ..actors.lexicon import lexicon

    if token.pos_ != "NOUN":
        return False
    relational = {row["noun"] for row in read_tsv("of_nouns.tsv")}
    return token.lower_ in relational or lexicon().agent(token.lemma_.lower()) is not None


def _pobj_actors(table: ActorTable, prep: Token) -> list[Actor]:
    actors: list[Actor] = []
    for child in prep.children:
        if child.dep_ == "pobj":
            actors += _actors_of(table, child)
    return actors


def _subjects(table: ActorTable, verb: Token) -> list[Actor]:
    subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subject is not None and subject.dep_ == "nsubjpass":
        # "Labour is to be investigated by a watchdog": the doer is the agent phrase, never the passive
        # subject (that one is the target); without an agent the doer is unknown.
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        return _pobj_actors(table, agent) if agent is not None else []
    if subject is not None:
        return _actors_of(table, subject)
    # No subject of its own: inherit along xcomp/conj/advcl, with object control ("convince X to …").
    head = verb.head
    if head.i == verb.i:
        return []
    if verb.dep_ == "pcomp" or (head.dep_ == "prep" and head.head.pos_ in {"VERB", "AUX"} and verb.dep_ != "conj"):
        # "accused Moscow of planning to attack": the preposition's verb, with object control.
        governor = head.head
        obj = next((c for c in governor.children if c.dep_ in {"dobj", "dative"}), None)
        if obj is not None and governor.lemma_.lower() in OBJECT_CONTROL:
            return _actors_of(table, obj)
        return _subjects(table, governor) if governor.i != head.i else []
    if verb.dep_ in {"acomp", "oprd"}:
        return _subjects(table, head)  # "Norway is willing to send": the copula's subject
    if verb.dep_ in {"xcomp", "advcl"} or (verb.dep_ in {"conj", "dep"} and head.pos_ in {"VERB", "AUX"}):
        if verb.dep_ not in {"conj", "dep"} and head.lemma_.lower() in OBJECT_CONTROL:
            obj = next((c for c in head.children if c.dep_ in {"dobj", "dative"}), None)
            if obj is not None:
                return _actors_of(table, obj)
        return _subjects(table, head)
    if verb.dep_ == "relcl":
        return _actors_of(table, head)
    if verb.dep_ == "acl" and head.dep_ in {"dobj", "attr"} and head.head.pos_ in {"VERB", "AUX"}:
        # "issued a declaration demanding that …": the one who issued it demands.
        return _subjects(table, head.head)
    return []


def _objects(table: ActorTable, verb: Token, skip: Token | None = None) -> list[Actor]:
    targets: list[Actor] = []
    for child in verb.children:
        if child is skip:
            continue
        if child.dep_ in {"dobj", "dative", "iobj"}:
            targets += _actors_of(table, child)
            # "launched a mediation effort between the Emirates and Saudi Arabia"
            for grandchild in child.children:
                if grandchild.dep_ == "prep" and grandchild.lower_ == "between":
                    targets += _pobj_actors(table, grandchild)
        elif child.dep_ == "prep" and child.lower_ in TARGET_PREPS | {"between"}:
            targets += _pobj_actors(table, child)
        elif child.dep_ == "nsubjpass":
            targets += _actors_of(table, child)
    if not targets:
        # "supports Russia’s invasion of Ukraine": the target is the possessor of the object event.
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is not None and obj is not skip:
            targets = _noun_targets(table, obj)
    if not targets:
        # "provide aid for Romania", "withdraw troops from Lebanon", "rejected calls by Belarus": "for",
        # "from" and "by" name the other party only when nothing else does.
        for word in ("for", "from", "by"):
            for child in [verb, *[c for c in verb.children if c.dep_ == "dobj"]]:
                for prep in child.children:
                    if prep.dep_ == "prep" and prep.lower_ == word:
                        targets += _pobj_actors(table, prep)
            if targets:
                break
    if not targets:
        # "demanded that Israel ease restrictions", "urged that X …": the complement's subject.
        complement = next((c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in {"VERB", "AUX"}), None)
        if complement is not None and complement is not skip:
            subject = next((c for c in complement.children if c.dep_ in SUBJECT_DEPS), None)
            if subject is not None:
                targets += _actors_of(table, subject)
    if not targets:
        # "threatened to ban voting … if Hamas ran", "… unless Israel rescinded": the one the condition
        # is laid on; then the objects of the infinitive ("threatened to deliver blows to the US").
        for clause in [verb, *[c for c in verb.children if c.dep_ == "xcomp"]]:
            for advcl in (c for c in clause.children if c.dep_ == "advcl"):
                if any(m.dep_ == "mark" and m.lower_ in {"if", "unless"} for m in advcl.children):
                    subject = next((c for c in advcl.children if c.dep_ in SUBJECT_DEPS), None)
                    if subject is not None:
                        targets += _actors_of(table, subject)
        if not targets:
            for xcomp in (c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB" and c is not skip):
                targets += _objects(table, xcomp)
    sources = {a.id for a in _subjects(table, verb)}
    return [a for a in _unique(targets) if a.id not in sources]


def _noun_targets(table: ActorTable, noun: Token) -> list[Actor]:
    for child in noun.children:
        if child.dep_ == "poss":
            return _actors_of(table, child)
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in TARGET_PREPS | {"of"}:
            found = _pobj_actors(table, child)
            if found:
                return found
    return []


# -- assembling the record ----------------------------------------------------------------------------

def _build(doc: Doc, item: _Found, located, unidentified, quotes: list[Quote], timexes: list[Timex], places: list[Place],
           published: date | None, reporting: frozenset[str], sentence_starts: list[int]) -> Event | None:
    sources = _unique(item.sources)
    targets = _unique(item.targets)
    if item.reciprocal or (len(sources) >= 2 and not targets and not item.extra.get("statement_of")):
        targets, reciprocal = sources, True
    else:
        reciprocal = False
        targets = [t for t in targets if t.id not in {s.id for s in sources}]
    if not sources and item.code[:2] in _unattributed_roots():
        where = event_place(doc, item.head, places, targets)
        if where is not None and where.country:
            sources = [unidentified(where.country)]
    if not sources:
        return None
    if not targets and not any(a.country for a in sources) and not (
            item.extra.get("statement_of") or item.extra.get("announced") or item.speaker_quote is not None):
        # "children who fight", "the police provided the figures": an act with no one it is aimed at, by
        # someone tied to no country, is not a political event.
        return None
    sentence = item.head.sent
    sentence_index = max(i for i, start in enumerate(sentence_starts) if start <= sentence.start)
    quote = item.speaker_quote or next((q for q in quotes if q.id == item.extra.get("statement_of")), None)
    when = _utterance_date(doc, quote, quotes, timexes) if quote is not None else \
        event_date(doc, item.head, timexes, published)
    when_day = _day(when.value) if when is not None else None
    modality, cue = modality_of(item.head, reporting, when_day, published)
    if item.extra.get("when") == "future" and modality != "future":
        return None
    if item.extra.get("announced"):
        # The offer, threat or refusal is what happened (its content is what is to come); the context of
        # the announcing predicate still counts: "demanded that its partners refuse to recognize" is a
        # demanded refusal, not one made.
        predicate = doc[item.extra["announced_by"]]
        modality, cue = modality_of(predicate, reporting, when_day, published)
        if modality in {"planned", "future"} or (cue is not None and cue.token.i == predicate.i):
            modality, cue = "asserted", None
    if item.extra.get("statement_of"):
        # A statement was made unless the cue itself is negated ("did not say"); what the words inside
        # the quote entertain ("it would be naive…") is the claim's business, not the statement's.
        speech_kind = next((row["kind"] for row in read_tsv("speech_verbs.tsv")
                            if row["lemma"] == item.head.lemma_.lower()), "speech")
        # "did not say" negates a statement; "did not believe X" states a doubt.
        negated = speech_kind == "speech" and any(c.dep_ == "neg" for c in item.head.children)
        modality, cue = ("negated", cue) if negated else ("asserted", None)
    elif item.speaker_quote is not None:
        # Threatening or demanding happened when the speaker spoke: "they will pay a price" is a threat
        # made now, "the US must mediate" a demand made now, even though what they ask is to come.
        modality, cue = ("negated", cue) if modality == "negated" else ("asserted", None)
    attribution = _attribution(item, quotes)
    if not item.extra.get("announced") and not item.extra.get("statement_of") and item.speaker_quote is None:
        kind = _own_announcement(item, modality, cue, attribution, sources)
        new_code = (_announced_code(item.code, kind) or ("130" if kind == "threat" else None)) if kind else None
        if new_code is not None:
            item.extra["act_code"] = item.code
            item.code = new_code
            item.rule += f"+announced:{kind}"
    where = event_place(doc, item.head, places, sources + targets)
    if not any(t.country for t in targets) and where is not None and where.country \
            and not item.extra.get("statement_of"):
        # "lifted a state of emergency in West Darfur", "set up a centre in Tokyo": an act with no one
        # named as its target is aimed at the country where it takes place.
        targets = [*targets, located(where.country)]
    if not targets and item.code[:2] in _domestic_roots() and not item.extra.get("statement_of"):
        home = next((a.country for a in sources if a.country and a.country != "IGO"), None)
        if home is not None:
            targets = [located(home)]  # "workers stopped work": aimed at their own country
    try:
        code = lookup(item.code)
    except KeyError:
        return None
    confidence = 0.5 + (0.2 if targets else 0) + (0.1 if not item.rule.startswith("speech") else 0) \
        + (0.1 if "verb:" in item.rule and "+" not in item.rule else 0)
    return Event(
        id="", sentence=sentence_index,
        evidence=TextSpan(start=sentence.start_char, end=_sentence_end(sentence), text=doc.text[sentence.start_char:_sentence_end(sentence)]),
        trigger=TextSpan(start=item.trigger.start_char, end=item.trigger.end_char, text=item.trigger.text),
        source_actor_ids=[a.id for a in sources], target_actor_ids=[a.id for a in targets],
        source_countries=sorted({a.country for a in sources if a.country}),
        target_countries=sorted({a.country for a in targets if a.country}),
        cameo=code.code, cameo_root=code.root, cameo_name=code.name, goldstein=code.goldstein,
        quad_class=code.quad_class, plover=code.plover, modality=modality,
        modality_cue=TextSpan(start=cue.token.idx, end=cue.token.idx + len(cue.token.text), text=cue.token.text) if cue else None,
        reciprocal=reciprocal, attributed_to=attribution,
        date=when or EventDate(value=published.isoformat() if published else "", precision="publication", date_from="publication"),
        place=where, confidence=min(confidence, 1.0), rule=item.rule,
        act_cameo=item.extra.get("act_code"),
    )


def _utterance_date(doc: Doc, quote: Quote, quotes: list[Quote], timexes: list[Timex]) -> EventDate | None:
    """When a speaker spoke: a date in the cue's own clause ("said Tuesday"), else the date of the same
    speaker's latest earlier dated cue in the article (a quote continued in the next paragraph)."""
    earlier = [q for q in quotes if q.content.start <= quote.content.start and q.cue is not None
               and set(q.speaker.actor_ids) & set(quote.speaker.actor_ids)]
    for candidate in sorted(earlier, key=lambda q: -q.content.start):
        cue = doc.char_span(candidate.cue.start, candidate.cue.end, alignment_mode="expand")
        if cue is None:
            continue
        outside = [t for t in timexes if not (candidate.content.start <= t.start < candidate.content.end)]
        when = event_date(doc, cue[0], outside, None)
        if when is not None and when.date_from == "clause":
            return when
    return None


def _unidentified(table: ActorTable, iso3: str) -> Actor:
    from ..actors.lexicon import lexicon

    name = lexicon().country_name(iso3) or iso3
    return table.add_actor(Actor(id=f"group:{iso3}:unidentified", name=f"unidentified attackers in {name}",
                                 kind="group", country=iso3, source="unattributed_roots.tsv"))


def _unattributed_roots() -> set[str]:
    return {row["root"] for row in read_tsv("unattributed_roots.tsv")}


def _own(attribution, sources: list[Actor]) -> bool:
    """The quote an act sits in is its own doer's (or its doer's country's) words."""
    return bool(set(attribution.actor_ids) & {a.id for a in sources}
                or set(attribution.countries) & {a.country for a in sources if a.country})


def _domestic_roots() -> set[str]:
    return {row["root"] for row in read_tsv("domestic_roots.tsv")}


ANNOUNCING_AUX = {"will", "shall", "'ll", "would"}


def _own_announcement(item: _Found, modality: str, cue, attribution, sources: list[Actor]) -> str | None:
    """"Finland will give Tanzania a grant", "the farmers said they would blockade Paris": an act the actor
    itself announces is coded, as CAMEO does, as an expressed intent (cooperation) or a threat (conflict;
    also any act made conditional with "unless"). A plan that someone else reports ("U.S. sources said
    Kim will travel") stays the act itself, with future modality."""
    head = item.head
    auxiliaries = {c.lower_ for c in head.children if c.dep_ == "aux"}
    if modality == "negated" and auxiliaries & ANNOUNCING_AUX:
        # "Syria says it will not accept any more refugees": an announced refusal.
        return "refusal" if attribution is None or _own(attribution, sources) else None
    if cue is None or cue.token.lower_ not in ANNOUNCING_AUX or modality not in {"future", "hypothetical"}:
        return None
    if attribution is not None:
        if not _own(attribution, sources):
            return None
    elif cue.token.lower_ == "would":
        return None  # an unattributed "would" is a hypothetical, not an announcement
    clause = [head, *head.ancestors][:3]
    if any(g.lower_ == "unless" for t in clause for c in t.children if c.dep_ == "advcl" for g in c.children
           if g.dep_ == "mark"):
        return "threat"
    return "threat" if item.code[:2] >= "14" else "intent"


def _sentence_end(sentence: Span) -> int:
    end = sentence.end_char
    text = sentence.doc.text
    while end > sentence.start_char and text[end - 1].isspace():
        end -= 1
    return end


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else date(int(value[:4]), 1, 1)
    except ValueError:
        return None


def _attribution(item: _Found, quotes: list[Quote]) -> Attribution | None:
    """The quote an event sits in (its content holds the trigger), or the quote whose speaker acts."""
    quote = item.speaker_quote
    if quote is None and not item.extra.get("statement_of"):
        start = item.trigger.start_char
        inside = [q for q in quotes if q.content.start <= start < q.content.end]
        quote = min(inside, key=lambda q: q.content.end - q.content.start) if inside else None
    if quote is None:
        return None
    return Attribution(quote_id=quote.id or "", actor_ids=list(quote.speaker.actor_ids),
                       countries=list(quote.speaker.countries), descriptor=quote.speaker.descriptor,
                       anonymous=quote.speaker.anonymous)


__all__ = ["code_events", "EventDate", "EventPlace"]
