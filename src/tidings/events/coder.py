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

Source and target come from the grammatical roles (:mod:`.roles`). Coordinated subjects without an object
are reciprocal ("Russia and North Korea held talks"). Acts that are only offered, threatened or refused
are recoded as such (:mod:`.announced`). Each event gets its modality (:mod:`.modality`), the quote it sits
in, the date of its own clause or sentence and the place of its own clause (:mod:`.when_where`).
"""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc, Span, Token

from ..actors.resolve import state_actor
from ..actors.table import ActorTable
from ..datafiles import column_set, entry, read_tsv
from ..nlp import columns, sentence_of, sentence_span, text_of
from ..records import Actor, Attribution, Event, EventDate, EventPlace, Place, Quote, Timex
from ..records import Span as TextSpan
from . import lexicon as lex
from .announced import announced_code, own_announcement, recode_announced
from .cameo import lookup
from .found import Found
from .modality import modality_of
from .roles import (
    COPULAS,
    RELATIVE_PRONOUNS,
    actors_of,
    noun_targets,
    object_actors,
    own_phrase,
    pobj_actors,
    quantity_head,
    subject_actors,
    unique,
)
from .when_where import adjacent_preps, clause_place, event_date, event_place

NON_STATE_CODES = {"IGO", "NGO", "IMG", "MNC"}
# CAMEO roots of directives: appeals (02) and demands (10).
DIRECTIVE_ROOTS = {"02", "10"}

# Prepositions whose object is the one an act is aimed at ("talks with X", "sanctions on X"); "at",
# "in", "from", "for" and "over" mostly give places, origins and topics, not targets.


def code_events(doc: Doc, table: ActorTable, quotes: list[Quote], timexes: list[Timex], places: list[Place],
                published: date | None) -> list[Event]:
    speech = {row["lemma"] for row in read_tsv("speech_verbs.tsv")}
    # A speech verb that cues a quote is coded as the speaker's statement; a colon cue ("called on X …:")
    # is an ordinary verb and is coded as such.
    # A cue whose quote has no speaker makes no statement event, so its verb is coded as any other ("The US
    # rejected calls by Annan to adopt reforms", read by the attribution model as a cue with no speaker).
    cue_tokens = {q.cue.start for q in quotes if q.cue is not None and q.rule != "cue:colon"
                  and (q.follow_on or q.speaker.actor_ids)}
    cue_tokens = {start for start in cue_tokens
                  if (cue_span := doc.char_span(start, start + 1, alignment_mode="expand")) is not None
                  and cue_span[0].lemma_.lower() in speech}
    found: list[Found] = []
    # The tests read the doc's columns; a Token is built only for the tokens that may be triggers.
    cols = columns(doc)
    for i, (pos, dep, tag) in enumerate(zip(cols.pos, cols.dep, cols.tag)):
        if cols.is_space[i] or cols.is_punct[i]:
            continue
        verb = doc[i] if pos in {"VERB", "AUX"} else None
        if verb is not None and verb.idx not in cue_tokens:
            found.extend(_verb_event(table, verb))
        elif verb is not None and pos == "VERB":
            # "Italy announced a suspension of air links with Serbia": a cue verb whose object names an
            # act is that act as well as the statement (light_verbs.tsv).
            light = _light_verb(table, verb)
            if light is not None:
                found.append(light)
        elif dep == "acomp" and tag in {"VBN", "JJ"}:
            found.extend(_verb_event(table, doc[i]))  # "Israel is opposed to French mediation"
        elif pos == "NOUN":
            found.extend(_noun_event(table, doc[i]))
    found = recode_announced(doc, table, found)
    found.extend(_speech_events(doc, table, quotes))
    found.extend(_speaker_acts(doc, table, quotes))
    reporting = frozenset(row["lemma"] for row in read_tsv("speech_verbs.tsv"))
    events: list[Event] = []
    seen: set[tuple] = set()
    sentence_starts = [s.start for s in doc.sents]
    for item in found:
        event = _build(doc, item, lambda iso3: state_actor(table, iso3, "event-place"),
                       lambda iso3, root: _unidentified(table, iso3, root), quotes, timexes, places,
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


def _verb_event(table: ActorTable, verb: Token) -> list[Found]:
    light = _light_verb(table, verb)
    if light is not None:
        return [light]
    key = _verb_key(verb)
    patterns = lex.verb_patterns(key) or (lex.verb_patterns(verb.lemma_.lower()) if " " in key else [])
    if not patterns:
        patterns = next((found for found in map(lex.verb_patterns, lemma_candidates(verb)[1:]) if found), [])
    if not patterns:
        return []
    # The words around the verb, gathered only when a pattern asks for them (most have no context words).
    left: set[str] | None = None
    right_set: set[str] | None = None
    chosen = None
    for pattern in patterns:
        if pattern.before:
            left = left if left is not None else _words_before(verb)
            if not _all_words_in(pattern.before, left):
                continue
        if pattern.after:
            right_set = right_set if right_set is not None else _words_after(verb)
            if not _all_words_in(pattern.after, right_set):
                continue
        chosen = pattern
        break
    if chosen is None or chosen.code.startswith("-"):
        return []
    sources = subject_actors(table, verb)
    targets = object_actors(table, verb)
    self_act = key in _self_acts() or verb.lemma_.lower() in _self_acts()
    if self_act:
        # "resigned without returning to Kyrgyzstan": only a named addressee ("surrendered to the army")
        # is a target, not the fallbacks' first country further on.
        targets = [a for c in verb.children if c.dep_ == "prep" and c.lower_ in {"to", "with", "against"}
                   for a in pobj_actors(table, c)]
    if chosen.reverse:
        sources, targets = targets, sources
    reciprocal = len(sources) >= 2 and not targets  # "the two countries are discussing …"
    if reciprocal:
        targets = sources
    if not sources and not (targets and chosen.code[:2] in _unattributed_roots()):
        return []
    trigger = verb.doc[verb.i:verb.i + 1]
    found = [Found(trigger=trigger, head=verb, code=chosen.code, rule=f"verb:{chosen.entry}",
                    sources=sources, targets=targets, reciprocal=reciprocal,
                    extra={"self_act": True} if self_act else {})]
    if chosen.paired and not chosen.paired.startswith("-") and not reciprocal:
        # PETRARCH's "[042:043]": the target does the paired act back (a visit is also a hosting).
        found.append(Found(trigger=trigger, head=verb, code=chosen.paired, rule=f"verb-paired:{chosen.entry}",
                            sources=targets, targets=sources))
    return found


def _words_before(verb: Token) -> set[str]:
    """The forms and lemmas of the words before the verb in its sentence."""
    before = verb.doc[sentence_of(verb.doc, verb.i)[0]:verb.i]
    return {t.lower_ for t in before} | {t.lemma_.lower() for t in before}


def _words_after(verb: Token) -> set[str]:
    """The lemmas and forms of the verb's own words after it. A time phrase is no part of the act:
    "telephoned Kozyrev on Tuesday" is not PETRARCH's "* (ON)" (call on someone = appeal), "met in March"
    not a pattern about "in"."""
    timed = {t.i for prep in verb.children if prep.dep_ == "prep" and _is_time_phrase(prep) for t in prep.subtree}
    right_tokens = [t for t in own_phrase(verb) if t.i > verb.i and t.i not in timed]
    return {t.lemma_.lower() for t in right_tokens} | {t.lower_ for t in right_tokens}


def _is_time_phrase(prep: Token) -> bool:
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    return bool(objects) and all(o.ent_type_ in {"DATE", "TIME"} for o in objects)


def _all_words_in(required: tuple[str, ...], words: set[str]) -> bool:
    """Whether every word of a pattern is among ``words`` (a ``&synset`` word: one of its members is),
    as ``all(_word_in(w, words) for w in required)``, with the plain words tested as one subset test:
    a verb like "say" tries a hundred patterns before its default."""
    split = _REQUIREMENTS.get(required)
    if split is None:
        split = _REQUIREMENTS[required] = _requirement(required)
    plain, synsets = split
    if not plain <= words:
        return False
    for members in synsets:
        if members.isdisjoint(words):
            return False
    return True


# _requirement's answers by word tuple: bounded by the verb patterns' rows, as the patterns' own cache.
_REQUIREMENTS: dict[tuple[str, ...], tuple[frozenset[str], tuple[frozenset[str], ...]]] = {}


def _requirement(required: tuple[str, ...]) -> tuple[frozenset[str], tuple[frozenset[str], ...]]:
    """A pattern's words split into the plain words and the members of each synset it names."""
    plain = frozenset(word for word in required if not word.startswith("&"))
    return plain, tuple(lex.synset(word[1:]) for word in required if word.startswith("&"))


def _word_in(word: str, words: set[str]) -> bool:
    if word.startswith("&"):
        return bool(lex.synset(word[1:]) & words)
    return word in words


def _light_verb(table: ActorTable, verb: Token) -> Found | None:
    # "speed up the withdrawal": a phrasal verb's own row first, then the verb's lemma.
    keys = list(dict.fromkeys([_verb_key(verb), *lemma_candidates(verb)]))
    options = next((found for found in map(lex.light_verbs, keys) if found), [])
    if not options:
        return None
    objects = [c for c in verb.children if c.dep_ in {"dobj", "attr", "oprd"}]
    if any(c.dep_ == "auxpass" for c in verb.children):
        objects += [c for c in verb.children if c.dep_ == "nsubjpass"]  # "no weapons have been delivered"
    objects = [quantity_head(o) for o in objects]
    # "the partnership that the U.S. signed": the relative pronoun stands for the noun.
    objects = [verb.head if o.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl" else o for o in objects]
    objects += [c for o in list(objects) for c in o.conjuncts]
    for obj in objects:
        # "suspended aid deliveries", "ended mediation efforts": the compound names the act.
        words = {obj.lemma_.lower(), obj.lower_} | {c.lemma_.lower() for c in obj.children if c.dep_ == "compound"}
        # Two-word objects ("legal action") and "X of Y" ones ("state of siege") as light_verbs.tsv writes them.
        words |= {f"{c.lower_} {obj.lower_}" for c in obj.children if c.dep_ in {"amod", "compound"}}
        words |= {f"{obj.lower_} of {g.lower_}" for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"
                  for g in c.children if g.dep_ == "pobj"}
        for option in options:
            if any(w in words for w in option.object_words):
                code = option.code
                if code == lex.INHERIT:
                    noun = _noun_option(obj)
                    if noun is None:
                        continue
                    code = noun.code
                sources = subject_actors(table, verb)
                targets = [a for a in object_actors(table, verb, skip=obj) if a not in sources]
                if not targets:
                    targets = noun_targets(table, obj)
                if not sources:
                    return None
                trigger = verb.doc[min(verb.i, obj.i):max(verb.i, obj.i) + 1]
                extra: dict = {"when": option.when} if option.when else {}
                if obj.lemma_.lower() in _self_acts() or obj.lower_ in _self_acts():
                    extra["self_act"] = True  # "declared a unilateral ceasefire"
                    targets = [a for c in obj.children if c.dep_ == "prep" and c.lower_ in {"with", "against"}
                               for a in pobj_actors(table, c)]
                return Found(trigger=trigger, head=verb, code=code, rule=f"light-verb:{option.entry}",
                              sources=sources, targets=targets, extra=extra)
    return None


def _noun_event(table: ActorTable, noun: Token) -> list[Found]:
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
    return [Found(trigger=noun.doc[noun.i:noun.i + 1], head=noun, code=option.code, rule=f"noun:{option.entry}",
                   sources=sources, targets=targets, reciprocal=reciprocal)]


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
            return [a for c in noun.children if c.dep_ == "poss" for a in actors_of(table, c)]
        if kind == "mod":
            return [a for c in noun.children if c.dep_ in {"compound", "amod", "nmod"} and c.i < noun.i
                    for a in actors_of(table, c)]
        return [a for p in preps.get(kind, []) for a in pobj_actors(table, p)]

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
        sources = subject_actors(table, noun.head.head)
        if len(sources) >= 2 and not targets:
            targets, reciprocal = sources, True
    sources = unique(sources)
    targets = [a for a in unique(targets) if reciprocal or a.id not in {s.id for s in sources}]
    return sources, targets, reciprocal


def _speech_events(doc: Doc, table: ActorTable, quotes: list[Quote]) -> list[Found]:
    """Each attributed statement is an event by its speaker about the first actor its content names."""
    verbs = {row["lemma"]: row for row in read_tsv("speech_verbs.tsv")}
    found: list[Found] = []
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
        directive = _directive_object(cue[0]) if cue[0].pos_ == "VERB" else None
        if directive is not None and code[:2] == "01":
            # "reiterated its demand that …", "insisted on its demands that …": what is said is the demand
            # (or appeal) the object noun names, not a bare statement. A verb with an act of its own
            # ("rejected a call for …") keeps it.
            code, rule = directive.code, f"{rule}+noun:{directive.entry}"
        # The statement is about the first actor its words name from outside the speaker's own country
        # (KCNA reporting on Kim receiving Shoigu is about Russia's envoy, not about North Korea).
        speaker_ids = {a.id for a in speakers} | {a.country for a in speakers}
        # "The Palestinians reject proposed Israeli changes, …": what the cue verb itself is aimed at.
        targets = [a for a in object_actors(table, cue[0]) if a.id not in speaker_ids] if cue[0].pos_ == "VERB" else []
        if cue[0].lemma_.lower() == "tell":
            targets = []  # who was told is the addressee, not the target
        targets = targets or [a for a in table.actors_in(content)
                              if a.id not in speaker_ids and a.country not in speaker_ids][:1]
        found.append(Found(trigger=cue, head=cue[0], code=code, rule=rule, sources=speakers, targets=targets,
                            extra={"statement_of": quote.id}))
    return found


def _directive_object(verb: Token):
    """The event_nouns.tsv row of an appeal or demand the verb voices ("reiterated its demand", "insisted
    on its demands", "repeated its call for"), None when its object names none."""
    nouns = [c for c in verb.children if c.dep_ == "dobj"]
    nouns += [g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    for noun in nouns:
        if noun.pos_ != "NOUN" or not lex.noun_triggers(noun.lemma_.lower()):
            continue
        option = _noun_option(noun)
        if option is not None and option.code[:2] in DIRECTIVE_ROOTS:
            return option
    return None


def _speaker_acts(doc: Doc, table: ActorTable, quotes: list[Quote]) -> list[Found]:
    """Clauses inside a quote that are acts of the speaker towards the clause's subject (speaker_acts.tsv)."""
    acts = read_tsv("speaker_acts.tsv")
    found: list[Found] = []
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
            targets = [a for a in subject_actors(table, token) if a.id not in {s.id for s in speakers}]
            if targets:
                found.append(Found(trigger=doc[token.i:token.i + 1], head=token, code=row["code"],
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


def _build(doc: Doc, item: Found, located, unidentified, quotes: list[Quote], timexes: list[Timex], places: list[Place],
           published: date | None, reporting: frozenset[str], sentence_starts: list[int]) -> Event | None:
    sources = unique(item.sources)
    targets = unique(item.targets)
    if item.reciprocal or (len(sources) >= 2 and not targets and not item.extra.get("statement_of")):
        targets, reciprocal = sources, True
    else:
        reciprocal = False
        targets = [t for t in targets if t.id not in {s.id for s in sources}]
    if not sources and item.code[:2] in _unattributed_roots():
        # Where it happened names the country of the unknown attackers; with no place, they stay unknown
        # ("a roadside bomb killed a U.S. soldier" is still an attack on the United States).
        where = event_place(doc, item.head, places, targets) or clause_place(doc, item.head, places)
        sources = [unidentified(where.country if where is not None else None, item.code[:2])]
    if not sources:
        return None
    sentence = sentence_span(item.head)
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
        kind = own_announcement(item, modality, cue, attribution, sources)
        new_code = (announced_code(item.code, kind) or ("130" if kind == "threat" else None)) if kind else None
        if new_code is not None:
            item.extra["act_code"] = item.code
            item.code = new_code
            item.rule += f"+announced:{kind}"
    where = event_place(doc, item.head, places, sources + targets)
    if not any(t.country for t in targets) and where is not None and where.country \
            and not item.extra.get("statement_of") and not item.extra.get("self_act"):
        # "lifted a state of emergency in West Darfur", "set up a centre in Tokyo": an act with no one
        # named as its target is aimed at the country where it takes place.
        targets = [*targets, located(where.country)]
    if not targets and not any(a.country for a in sources) and not (
            item.extra.get("statement_of") or item.extra.get("announced") or item.speaker_quote is not None):
        # "children who fight", "the police provided the figures": an act aimed at no one, nowhere, by
        # someone tied to no country, is not a political event.
        return None
    if not targets and item.code[:2] in _domestic_roots() and not item.extra.get("statement_of") \
            and not item.extra.get("self_act"):
        # IGO, NGO, IMG, MNC are no one's home: only a state's code is.
        home = next((a.country for a in sources if a.country and a.country not in NON_STATE_CODES), None)
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
        evidence=TextSpan(start=sentence.start_char, end=_sentence_end(sentence), text=text_of(doc)[sentence.start_char:_sentence_end(sentence)]),
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
        if candidate.cue is None:  # never: ``earlier`` keeps quotes with a cue only
            continue
        cue = doc.char_span(candidate.cue.start, candidate.cue.end, alignment_mode="expand")
        if cue is None:
            continue
        outside = [t for t in timexes if not (candidate.content.start <= t.start < candidate.content.end)]
        when = event_date(doc, cue[0], outside, None)
        if when is not None and when.date_from == "clause":
            return when
    return None


def _unidentified(table: ActorTable, iso3: str | None, root: str) -> Actor:
    """The unnamed doer of an act the text attributes to no one (unattributed_roots.tsv)."""
    from ..actors.lexicon import lexicon

    row = next((r for r in read_tsv("unattributed_roots.tsv") if r["root"] == root), {})
    doer, sector = row.get("doer") or "attackers", row.get("sector") or None
    where = f" in {lexicon().country_name(iso3) or iso3}" if iso3 else ""
    return table.add_actor(Actor(
        id=f"group:{iso3 or 'unknown'}:unidentified-{doer}", name=f"unidentified {doer}{where}", kind="group",
        country=iso3 or None, sector=sector, sectors=[sector] if sector else [],
        source=entry("unattributed_roots.tsv", row) if row else "unattributed_roots.tsv",
    ))


def _unattributed_roots() -> frozenset[str]:
    return column_set("unattributed_roots.tsv", "root")


def _self_acts() -> frozenset[str]:
    return column_set("self_acts.tsv")


def _domestic_roots() -> set[str]:
    return {row["root"] for row in read_tsv("domestic_roots.tsv")}


def _sentence_end(sentence: Span) -> int:
    end = sentence.end_char
    text = text_of(sentence.doc)
    while end > sentence.start_char and text[end - 1].isspace():
        end -= 1
    return end


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else date(int(value[:4]), 1, 1)
    except ValueError:
        return None


def _attribution(item: Found, quotes: list[Quote]) -> Attribution | None:
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
