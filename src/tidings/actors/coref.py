"""Within-article coreference: descriptors, repeated names and pronouns linked to the actors they mean.

- A definite descriptor built on a title ("the North Korean leader", "the Russian president") is the person
  who held that office on the article's date (dated people lexicon); otherwise ("the spokesman",
  "the official", "the head of the Russian Armed Forces") it is the nearest earlier person or unnamed
  source whose role, country and sector are compatible.
- "the two countries" / "both countries" are the two states named most recently.
- Every remaining occurrence of a known person's distinctive name is a mention of that person.
- Personal pronouns take the nearest earlier compatible actor within a short window: he/she/his/her a
  person, it/its/they/their a state or organisation (they also a group).
"""

from __future__ import annotations

from datetime import date

from spacy.tokens import Span, Token

from ..nlp import columns, noun_chunks, sentence_span
from ..nlp import sentences as all_sentences
from ..records import Actor
from .lexicon import lexicon
from .people import people
from .table import ActorTable, slug

HEAD_NOUNS = {"head", "chief", "leader", "commander", "director", "boss"}
PAIR_WORDS = {"countries", "nations", "sides", "states", "governments", "neighbors", "neighbours", "allies"}
PRONOUN_WINDOW_SENTENCES = 2
DESCRIPTOR_WINDOW_CHARS = 6000


def descriptors(table: ActorTable, published: date | None) -> None:
    doc = table.doc
    for chunk in noun_chunks(doc):
        if table.covered(chunk.start, chunk.end):
            continue
        first = chunk[0]
        if first.lower_ not in {"the", "both"}:
            continue
        if first.lower_ == "both" or (len(chunk) >= 3 and chunk[1].lower_ == "two"):
            continue  # pairs are resolved once the states are known: see pairs()
        if chunk.root.tag_ not in {"NN", "NNP", "NNS"} or any(t.ent_type_ == "PERSON" for t in chunk):
            continue
        if _names_someone(chunk):
            continue  # "the Yonhap news agency", "the website NK News": a name, not an anaphor
        _descriptor(table, chunk, published)


def _names_someone(chunk: Span) -> bool:
    from .resolve import country_in

    doc = chunk.doc
    after = doc[chunk.end] if chunk.end < len(doc) else None
    if after is not None and after.pos_ == "PROPN" and after.head.i in range(chunk.start, chunk.end):
        return True
    proper = [t for t in chunk if t.pos_ == "PROPN" and t.i != chunk.root.i]
    if not proper:
        return False
    country = country_in(list(chunk))
    covered = set(range(chunk.start + country[2], chunk.start + country[3])) if country else set()
    return any(t.i not in covered for t in proper)


def _descriptor(table: ActorTable, chunk: Span, published: date | None) -> None:
    from .resolve import country_in, sectors_from_words

    doc = table.doc
    head = chunk.root
    span = chunk
    country = None
    sectors: tuple[str, ...] = ()
    role = None
    rule = None
    actor: Actor | None
    modifiers = [t for t in chunk if t.i < head.i and t.i > chunk.start]
    of_phrase = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if head.lower_ in HEAD_NOUNS and of_phrase is not None:
        # "the head of the Russian Armed Forces": the country and sector of what is headed.
        obj = list(of_phrase.subtree)
        span = doc[chunk.start:obj[-1].i + 1]
        found = country_in(obj)
        country = found[0] if found else None
        words = [t.lower_ for t in obj if not t.is_punct and t.lower_ != "the"]
        hit = lexicon().agent_suffix(words)
        sectors = tuple(hit[1].sectors) if hit else sectors_from_words(words)
        rule = "descriptor:head-of" + (f"+{hit[1].entry}" if hit else "")
    else:
        words = [t.lower_ for t in modifiers] + [head.lower_]
        found = country_in(modifiers) if modifiers else None
        if found is not None:
            country = found[0]
            words = [t.lower_ for k, t in enumerate(modifiers) if not (found[2] <= k < found[3])] + [head.lower_]
        elif (of_object := _of_object(of_phrase)) and (of_country := country_in(of_object)) is not None:
            # "the president of Armenia": the country is named after the title, not before it.
            country = of_country[0]
            span = doc[chunk.start:of_object[-1].i + 1]
        institution = _institution(words)
        if institution is not None:
            # "the U.S. government", "the Russian military": the country's institution, not a person.
            if country:
                from .resolve import government_actor

                actor = government_actor(table, country, institution[0], institution[1])
                table.add_mention(chunk, actor.id, "descriptor", institution[1], keep_determiner=True)
            return
        if chunk.root.tag_ == "NNS":
            return  # plural descriptors ("the officials") are not resolved to one antecedent
        hit = lexicon().agent_suffix(words)
        if hit is None:
            return
        agent = hit[1]
        sectors, role, rule = tuple(agent.sectors), agent.role, f"descriptor:{agent.entry}"
    actor = None
    if role and country:
        # A country's "leader" is its head of state, or where that office is ceremonial, its head of government.
        offices = ("head_of_state", "head_of_government") if role == "leader" else (role,)
        for office in offices:
            holder = people().holder(country, office, published)
            if holder is not None:
                actor = _person_from_lexicon(table, holder, published, rule)
                break
    if actor is None:
        actor = _antecedent(table, span.start_char, country, sectors, role)
    if actor is None and country and (role or sectors):
        # "the president of Chile" with no holder known and none named before: at least that country's
        # government (or military, …), as the title says.
        from .resolve import government_actor

        actor = government_actor(table, country, sectors or ("GOV",), rule or "descriptor")
    if actor is None:
        return
    table.add_mention(span, actor.id, "descriptor", rule or "descriptor", keep_determiner=True)


def _of_object(of_phrase: Token | None) -> list[Token]:
    """The noun phrase after "of" up to its head ("of the Russian Federation"), not what hangs after it."""
    obj = next((c for c in of_phrase.children if c.dep_ == "pobj"), None) if of_phrase is not None else None
    return [t for t in obj.subtree if t.i <= obj.i] if obj is not None else []


def _institution(words: list[str]) -> tuple[tuple[str, ...], str] | None:
    from ..datafiles import entry, read_tsv

    phrase = " ".join(words)
    for row in read_tsv("institutions.tsv"):
        if phrase == row["noun"] or phrase.endswith(" " + row["noun"]):
            return tuple(row["sectors"].split("|")), entry("institutions.tsv", row)
    return None


def _person_from_lexicon(table: ActorTable, person, published: date | None, rule: str | None) -> Actor:
    actor_id = "person:" + person.id
    if actor_id in table.actors:
        return table.actors[actor_id]
    period = people().role_on(person, published)
    sectors = tuple(period.sectors) if period else ()
    return table.add_actor(Actor(
        id=actor_id, name=person.name, kind="person", country=period.country if period else None,
        sector=sectors[0] if sectors else None, sectors=list(sectors), role=period.role if period else None,
        role_start=period.start.isoformat() if period and period.start else None,
        role_end=period.end.isoformat() if period and period.end else None,
        source=(period.entry if period else f"people:{person.id}") + (f"+{rule}" if rule else ""),
    ))


def _antecedent(table: ActorTable, char: int, country: str | None, sectors: tuple[str, ...],
                role: str | None) -> Actor | None:
    """The nearest earlier person or unnamed source compatible with a descriptor."""
    for mention in table.mentions_before(char):
        if char - mention.end > DESCRIPTOR_WINDOW_CHARS:
            break
        actor = table.actors.get(mention.actor_id or "")
        if actor is None or actor.kind not in {"person", "anonymous"}:
            continue
        if country and actor.country and actor.country != country:
            continue
        if role and actor.role and actor.role != role:
            continue
        if role and not actor.role and actor.kind == "person":
            # A titled descriptor needs an antecedent known to hold a compatible title.
            if not (sectors and set(sectors) & set(actor.sectors)):
                continue
        if sectors and not set(sectors) & set(actor.sectors):
            continue
        if role and actor.kind == "anonymous" and role not in {"official", None}:
            continue
        return actor
    return None


def pairs(table: ActorTable) -> None:
    """"the two countries", "both sides": run after the states pass, so the states are known."""
    for chunk in noun_chunks(table.doc):
        if table.covered(chunk.start, chunk.end) or chunk.root.lower_ not in PAIR_WORDS:
            continue
        first = chunk[0].lower_
        if first == "both" or (first == "the" and len(chunk) >= 3 and chunk[1].lower_ == "two"):
            _pair(table, chunk)


def _pair(table: ActorTable, chunk: Span) -> None:
    """"the two countries": the two distinct states named most recently before the phrase."""
    found: list[str] = []
    for mention in table.mentions_before(chunk.start_char):
        actor = table.actors.get(mention.actor_id or "")
        # States, and governments named by their capitals or seats — not media or companies.
        if actor is None or not actor.country or not (
                actor.kind == "state" or (actor.kind == "organisation" and actor.sector in {"GOV", "MIL"})):
            continue
        if actor.country not in found and len(actor.country) == 3 and actor.country != "IGO":
            found.append(actor.country)
        if len(found) == 2:
            break
    if len(found) < 2:
        return
    from .resolve import state_actor

    members = [state_actor(table, iso3, "pair-anaphor").id for iso3 in sorted(found)]
    group = table.add_actor(Actor(
        id="group:" + "+".join(members), name=" and ".join(table.actors[m].name for m in members),
        kind="group", members=members, source="coref:pair",
    ))
    table.add_mention(chunk, group.id, "group", "coref:pair", keep_determiner=True)


def name_sweep(table: ActorTable) -> None:
    """Mention every remaining occurrence of a known person's full name or distinctive name part."""
    doc = table.doc
    forms: dict[str, str] = {}
    for actor in table.actors.values():
        if actor.kind != "person":
            continue
        parts = actor.name.split()
        forms.setdefault(actor.name, actor.id)
        for part in {parts[0], parts[-1]} if len(parts) > 1 else set():
            if part[:1].isupper() and len(part) > 2:
                forms.setdefault(part, actor.id)
    if not forms:
        return
    ambiguous = {form for form in forms if sum(1 for f, a in forms.items() if f == form) > 1}
    for token in doc:
        if token.text not in forms or token.text in ambiguous or table.mention_at(token) is not None:
            continue
        if token.pos_ not in {"PROPN", "NOUN", "ADJ"}:
            continue
        if _is_other_name(token, forms):
            continue
        table.add_mention(doc[token.i:token.i + 1], forms[token.text], "alias", "coref:name")


def _is_other_name(token: Token, forms: dict[str, str]) -> bool:
    """"Kim" in "Kim Yo Jong" is another person: a following proper noun that is not part of the known name."""
    doc = token.doc
    if token.i + 1 < len(doc):
        nxt = doc[token.i + 1]
        if nxt.pos_ == "PROPN" and nxt.is_title and nxt.ent_type_ == "PERSON" and nxt.text not in forms:
            return True
    return False


def _person_antecedent(table: ActorTable, token: Token, window_start: int) -> Actor | None:
    """he/she/his/her: the nearest person earlier in the same sentence; failing that, in the sentences
    before, the nearest one that was a subject (subjects are what later pronouns most often continue)."""
    sentence_start = sentence_span(token).start_char
    fallback = None
    for mention in table.mentions_before(token.idx):
        if mention.start < window_start:
            break
        actor = table.actors.get(mention.actor_id or "")
        if actor is None or actor.kind != "person":
            continue
        if mention.start >= sentence_start:
            return actor
        head = table.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if head is not None and head.root.dep_ in {"nsubj", "nsubjpass"}:
            return actor
        fallback = fallback or actor
    return fallback


PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "himself", "herself"}
THING_PRONOUNS = {"it", "its"}
PLURAL_PRONOUNS = {"they", "them", "their"}
ALL_PRONOUNS = PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS  # built once, not for every token


def pronouns(table: ActorTable) -> None:
    doc = table.doc
    for i, lower in enumerate(columns(doc).lower):  # a Token only for a pronoun no mention holds yet
        if lower not in ALL_PRONOUNS or table.mention_at(i):
            continue
        token = doc[i]
        actor = _pronoun_antecedent(table, token)
        if actor is not None:
            table.add_mention(doc[token.i:token.i + 1], actor.id, "pronoun", f"coref:pronoun:{lower}")


def _pronoun_antecedent(table: ActorTable, token: Token) -> Actor | None:
    lower = token.lower_
    sentences = all_sentences(token.doc)
    sent_index = next(i for i, s in enumerate(sentences) if s.start <= token.i < s.end)
    window_start = sentences[max(0, sent_index - PRONOUN_WINDOW_SENTENCES)].start_char
    if lower in THING_PRONOUNS | PLURAL_PRONOUNS:
        window_start = sentence_span(token).start_char  # "it"/"they" are too often not actors: same sentence only
    if lower in PERSON_PRONOUNS:
        return _person_antecedent(table, token, window_start)
    for mention in table.mentions_before(token.idx):
        if mention.start < window_start:
            break
        actor = table.actors.get(mention.actor_id or "")
        if actor is None:
            continue
        if lower in THING_PRONOUNS and actor.kind in {"state", "organisation"}:
            return actor
        if lower in PLURAL_PRONOUNS and actor.kind in {"state", "organisation", "group", "anonymous"}:
            return actor
    return None


__all__ = ["descriptors", "pairs", "name_sweep", "pronouns", "slug"]
