"""Actors: every person, organisation and state mention in an article, resolved to an actor.

One entry point, :func:`resolve_actors`. It runs passes over the parse, most specific first, and a token
that one pass has claimed is not claimed again:

1. people named with their titles ("Russian Defense Minister Sergei Shoigu"), through the dated people
   lexicon, then short names ("Kim", "Putin") linked to the full name used elsewhere in the article;
2. unnamed sources ("a South Korean government source", "U.S. officials");
3. definite descriptors ("the spokesman", "the North Korean leader", "the head of the Russian Armed
   Forces") and plural anaphors ("the two countries") — see :mod:`.coref`; they come before
   organisations so that "the head of the Russian Armed Forces" is one mention;
4. seats of power ("the Kremlin"), organisations and media ("KCNA", "UN Security Council");
5. country names, capitals standing for their governments ("Washington"), nationality words;
6. groups named by what they are ("thousands of Iraqi Kurds", "demonstrators in Baghdad", "the police"),
   through the agents lexicon (PETRARCH2's Phoenix agents), with the country their words name;
7. the remaining occurrences of every known person's name, and pronouns — see :mod:`.coref`.
"""

from __future__ import annotations

from datetime import date

from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, LOWER, ORTH
from spacy.tokens import Doc, Span, Token

from ..datafiles import column_set, entry, read_tsv
from ..nlp import noun_chunks, text_of
from ..records import Actor, Place
from . import coref
from .lexicon import lexicon
from .people import people
from .table import ActorTable, slug, trim

MAX_NGRAM = 6
NAME_POS = {"PROPN"}


def resolve_actors(doc: Doc, published: date | None, places: list[Place] | None = None) -> ActorTable:
    table = ActorTable(doc)
    _people(table, published)
    _unnamed_sources(table)
    coref.descriptors(table, published)
    _seats_and_organisations(table)
    _states(table, places or [])
    coref.pairs(table)
    _agent_groups(table, places or [])
    coref.name_sweep(table)
    coref.pronouns(table)
    _country_from_sentence(table)
    table.finish()
    return table


def _country_from_sentence(table: ActorTable) -> None:
    """An office holder the lexicons do not know ("Defence Minister Pierre Joxe said", "President Omar
    El Bashir shortened the curfew imposed in Sudan") serves the one country their sentence names, when it
    names exactly one; an unnamed local group ("supporters … blocked roads in Algiers") belongs to it.
    Marked in the actor's source."""
    doc = table.doc
    for actor in table.actors.values():
        if actor.country or not (_local_office_holder(actor) or _local_group(actor)):
            continue
        first = next((m for m in table.mentions if m.actor_id == actor.id), None)
        if first is None:
            continue
        span = doc.char_span(first.start, first.end, alignment_mode="expand")
        if span is None:
            continue
        sentence = span.sent
        named = {m_actor.country for m in table.mentions
                 if sentence.start_char <= m.start < sentence.end_char
                 and (m_actor := table.actors.get(m.actor_id or "")) is not None
                 and m_actor.kind in {"state", "organisation"} and m_actor.country and m_actor.country != "IGO"
                 and not _acted_upon(doc, m.start, m.end)}
        if len(named) == 1:
            actor.country = named.pop()
            actor.source += "+country-from-sentence"


def _local_office_holder(actor: Actor) -> bool:
    return actor.kind == "person" and bool(set(actor.sectors) & {"GOV", "MIL", "LEG", "JUD", "COP"})


# Sectors of groups that belong where they act: "supporters of Ben Bella blocked roads in Algiers", "leaders
# of the opposition coalition … in Baku", "officials" of a local body. Not soldiers (troops are often abroad),
# nor international bodies.
LOCAL_SECTORS = {"GOV", "OPP", "CVL", "LAB", "EDU", "JUD", "COP", "LEG", "BUS", "REL", "HLH", "MED", "AGR"}
# Words for people who are, by what they are called, from somewhere else.
OUTSIDERS = ("refugee", "migrant", "immigrant", "foreigner", "expatriate", "tourist", "asylum", "exile")


def _local_group(actor: Actor) -> bool:
    """An unnamed group or unnamed source tied to no country, of a sector that belongs where it acts."""
    if actor.kind not in {"group", "anonymous"} or actor.members:
        return False
    if not set(actor.sectors) & LOCAL_SECTORS or "REF" in actor.sectors:
        return False
    return not any(word in actor.name.lower() for word in OUTSIDERS)


# Prepositions whose object is where or whose something is ("the curfew imposed in Sudan", "the leader of
# Chad"), not the party an act is aimed at.
HOME_PREPS = {"in", "inside", "within", "across", "throughout", "of"}


def _acted_upon(doc: Doc, start: int, end: int) -> bool:
    """The country is the object of the sentence's act ("President Bush threatened action against Russia",
    "the president visited Russia"): the other party, not the office holder's own country."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return root.dep_ in {"dobj", "dative"} or (root.dep_ == "pobj" and root.head.lower_ not in HOME_PREPS)


# -- shared helpers ---------------------------------------------------------------------------------

def state_actor(table: ActorTable, iso3: str, rule: str) -> Actor:
    name = lexicon().country_name(iso3) or iso3
    return table.add_actor(Actor(id=iso3, name=name, kind="state", country=iso3, source=rule))


def government_actor(table: ActorTable, iso3: str, sectors: tuple[str, ...], rule: str) -> Actor:
    """The government (or another sector) of a state: what a capital or seat of power stands for."""
    sectors = sectors or ("GOV",)
    name = lexicon().country_name(iso3) or iso3
    label = {"GOV": "Government", "MIL": "Military", "LEG": "Legislature", "JUD": "Judiciary"}.get(sectors[0], sectors[0])
    return table.add_actor(Actor(
        id=iso3 + sectors[0], name=f"{label} of {name}", kind="organisation", country=iso3,
        sector=sectors[0], sectors=list(sectors), source=rule,
    ))


def country_in(tokens: list[Token]) -> tuple[str, str, int, int] | None:
    """The first country named in ``tokens`` by name or nationality word: (iso3, rule, start, end)."""
    lex = lexicon()
    n = len(tokens)
    for i in range(n):
        for j in range(min(n, i + 4), i, -1):
            text = "".join(t.text_with_ws for t in tokens[i:j]).strip()
            if not any(c.isupper() for c in text):
                continue
            hit = lex.country_by_adjective(text) or lex.country_by_name(text)
            if hit is not None and (not hit.ambiguous or _entity_says_place(tokens[i:j])):
                return hit.iso3, f"country:{text}", i, j
    return None


def countries_in(tokens: list[Token]) -> list[tuple[str, int]]:
    """Every country named in ``tokens`` by name or nationality word, in order: (iso3, index of its first
    token). "Sierra Leonean and Liberian" names two."""
    found: list[tuple[str, int]] = []
    i = 0
    while i < len(tokens):
        hit = country_in(tokens[i:])
        if hit is None:
            break
        found.append((hit[0], i + hit[2]))
        i += hit[3]
    return found


def coordinated_countries(tokens: list[Token]) -> list[str]:
    """The countries of coordinated nationality words before a noun: "Hungarian and Romanian officials",
    "US and British forces" are officials (forces) of both. Empty unless the words are joined by "and"."""
    found = countries_in(tokens)
    isos = list(dict.fromkeys(iso for iso, _ in found))
    if len(isos) < 2:
        return []
    between = tokens[found[0][1]:found[-1][1]]
    return isos if any(t.lower_ in {"and", "&"} for t in between) else []


def split_by_country(table: ActorTable, actor: Actor, isos: list[str], member_id) -> Actor:
    """One actor per country for a phrase whose coordinated nationality words name several ("Hungarian
    and Romanian officials"), held together by a group actor that stands for the phrase."""
    members = [table.add_actor(actor.model_copy(update={"id": member_id(iso), "country": iso})) for iso in isos]
    return table.add_actor(actor.model_copy(update={"kind": "group", "country": None,
                                                    "members": [m.id for m in members]}))


def _honorifics() -> frozenset[str]:
    return column_set("honorifics.tsv")


def _entity_says_place(tokens) -> bool:
    """An ambiguous country word ("Georgia", "Korean", "Washington") counts only where the named-entity
    recogniser also reads a place or nationality there."""
    return all(t.ent_type_ in {"GPE", "NORP", "LOC"} for t in tokens)


def sectors_from_words(words: list[str]) -> tuple[str, ...]:
    sector_of = {row["word"]: row["sector"] for row in read_tsv("sector_words.tsv")}
    found: list[str] = []
    for word in words:
        sector = sector_of.get(word.lower())
        if sector and sector not in found:
            found.append(sector)
    return tuple(found)


class _TokenMarks:
    """What the n-gram passes test of each token, read off the doc once: they look at every n-gram of the
    article, and building a Span (and its Tokens) for each costs more than the tests themselves."""

    def __init__(self, doc: Doc) -> None:
        self._text = text_of(doc)
        # One doc.to_array call rather than a Token per token and attribute.
        starts, lengths, punct, space, lower, orth = doc.to_array(
            [IDX, LENGTH, IS_PUNCT, IS_SPACE, LOWER, ORTH]).T.tolist() if len(doc) else [[]] * 6
        strings = doc.vocab.strings
        self.starts: list[int] = starts
        self.ends: list[int] = [start + length for start, length in zip(starts, lengths)]
        self.punct: list[bool] = [bool(flag) for flag in punct]
        self.space: list[bool] = [bool(flag) for flag in space]
        self.lower: list[str] = [strings[key] for key in lower]
        self.words: list[str] = [strings[key] for key in orth]  # each token's text
        self.title_start = [word[:1].isupper() for word in self.words]  # starts with a capital
        self.upper = [any(map(str.isupper, word)) for word in self.words]  # holds a capital somewhere
        # Whether whitespace (or the end of the text) follows the token: then it is a word of its own.
        self.spaced = [self._text[end:end + 1].isspace() or end >= len(self._text) for end in self.ends]

    def country_starts(self) -> list[bool]:
        """Per token, whether a country name, nationality word or capital may begin there (False is
        sure: see Lexicon.country_could_start), for the passes that look those up by n-gram."""
        lex = lexicon()
        return [not spaced or lex.country_could_start(word) for word, spaced in zip(self.words, self.spaced)]

    def text(self, start: int, end: int) -> str:
        """The text of ``doc[start:end]`` (the same string as its ``.text``)."""
        return self._text[self.starts[start]:self.ends[end - 1]]


def _token_marks(doc: Doc) -> _TokenMarks:
    marks = doc.user_data.get("tidings_actor_token_marks")
    if marks is None:
        marks = doc.user_data["tidings_actor_token_marks"] = _TokenMarks(doc)
    return marks


def _ngrams(doc: Doc, start: int, end: int, first: list[bool] | None = None, capitalised: bool = False):
    """Bounds ``(i, j)`` of the spans of up to MAX_NGRAM tokens starting at each position, longest first.
    ``first``: per token, whether a span may start there, so that positions no lexicon entry can start at
    cost nothing; ``capitalised``: only spans with an upper-case letter somewhere (every name in the
    lexicons has one). These passes look at every span of a long article, so the cheap tests come before
    any Span is built."""
    upper = _token_marks(doc).upper if capitalised else None
    for i in range(start, end):
        if first is not None and not first[i]:
            continue
        stop = min(end, i + MAX_NGRAM)
        if upper is not None and not any(upper[i:stop]):
            continue
        for j in range(stop, i, -1):
            if upper is not None and not any(upper[i:j]):
                break
            yield i, j


# -- pass 1: people ---------------------------------------------------------------------------------

def _person_name_span(ent: Span) -> Span:
    """The leading run of proper-noun tokens of a PERSON entity ("Kim’s de facto" -> "Kim"), after any
    courtesy title ("Prof Joni Lovenduski" -> "Joni Lovenduski")."""
    doc = ent.doc
    honorifics = column_set("honorifics.tsv")
    start = ent.start
    while start < ent.end - 1 and doc[start].lower_.rstrip(".") in honorifics:
        start += 1
    ent = doc[start:ent.end]
    end = ent.start
    while end < ent.end and (doc[end].pos_ in NAME_POS or doc[end].text == "-" or doc[end].is_title) \
            and doc[end].tag_ != "POS" and doc[end].text not in {"’s", "'s"}:
        end += 1
    return doc[ent.start:end] if end > ent.start else trim(ent)


def _title_start(name: Span) -> int:
    """Walk left from a name over the title words that modify it ("former U.S. President")."""
    doc = name.doc
    start = name.start
    i = name.start - 1
    while i >= name.sent.start:
        token = doc[i]
        attaches_right = name.start <= token.head.i < name.end or start <= token.head.i < name.end
        possessive = token.dep_ == "case" or token.tag_ == "POS"  # "South Korea’s national security adviser"
        if token.pos_ in {"DET", "PUNCT", "ADP", "VERB", "AUX", "PRON", "CCONJ", "SCONJ"} and token.text not in {"-"} \
                and not possessive:
            break
        if not (attaches_right or possessive or token.dep_ in {"compound", "amod", "nmod", "npadvmod", "poss"}):
            break
        if token.head.i < token.i and not possessive:
            break
        start = i
        i -= 1
    return start


def _people(table: ActorTable, published: date | None) -> None:
    doc = table.doc
    lex = lexicon()
    ents = [e for e in doc.ents if e.label_ == "PERSON"]
    names = [(_person_name_span(e), e) for e in ents]
    # Full names first, so that short names can be linked to them.
    names.sort(key=lambda pair: -len(pair[0]))
    not_person = column_set("name_heads.tsv")
    for name, _ent in names:
        if len(name) == 0 or table.covered(name.start, name.end):
            continue
        if name[-1].lower_ in not_person or (name.end < len(doc) and doc[name.end].lower_ in not_person):
            continue  # "Kim Il Sung Square" is a place
        if len(name) == 1 and (lex.country_by_capital(name.text) or lex.country_by_name(name.text)):
            continue  # "Washington" tagged as a person is far more often the capital
        if lex.country_by_name(name.text) or lex.country_by_adjective(name[0].text):
            continue  # "Sri Lanka", "Bosnian Serbs" tagged as a person: a country and a people
        title_start = _title_start(name)
        title_tokens = list(doc[title_start:name.start])
        if not title_tokens:
            # "South Korea’s national security adviser, Chang Ho-jin, said": a title in apposition.
            title_start, title_tokens = _appositive_title(name, title_start)
        actor = _person_actor(table, name, title_tokens, published)
        kind = "title" if title_tokens else "name"
        table.add_mention(doc[title_start:name.end], actor.id, kind, actor.source)


def _country_after_of(name: Span) -> str | None:
    """The country in "<name> of <Country>" right after a name."""
    doc = name.doc
    if name.end + 1 >= len(doc) or doc[name.end].lower_ != "of":
        return None
    tokens = list(doc[name.end + 1:min(len(doc), name.end + 5)])
    found = country_in(tokens)
    return found[0] if found is not None and found[2] <= 1 else None


def _appositive_title(name: Span, start: int) -> tuple[int, list[Token]]:
    doc = name.doc
    head = name.root.head
    if name.root.dep_ != "appos" or head.pos_ != "NOUN" or head.i >= name.start:
        return start, []
    if not lexicon().agent(head.lower_) and not lexicon().agent_suffix([t.lower_ for t in head.subtree if t.i <= head.i]):
        return start, []
    first = min(t.i for t in head.subtree)
    while first < head.i and doc[first].pos_ == "DET":
        first += 1
    if doc[head.i + 1].text != "," or head.i + 2 != name.start:
        return start, []
    return first, list(doc[first:head.i + 1])


def _person_actor(table: ActorTable, name: Span, title_tokens: list[Token], published: date | None) -> Actor:
    """The actor a (possibly titled) name stands for: an earlier full name in the article, the people
    lexicon on the article's date, or a new actor described by its title."""
    text = name.text.strip()
    # A short name ("Kim") refers to a full name already seen ("Kim Jong Un"); among several, the one
    # in office on the article's date, else the one named last.
    if len(name) == 1:
        seen = [a for a in table.actors.values() if a.kind == "person" and text in a.name.replace("-", " ").split()]
        if seen:
            in_office = [a for a in seen if a.role and _in_office(a, published)]
            return (in_office or seen)[-1]
    found = people().find(text, on=published)
    if len(name) == 1:
        # A bare name ("Putin", "Brown") is a known person only if they held office on the article's date
        # in a country the article names: a British "Mr Brown" is not Papua New Guinea's Sinai Brown.
        found = _bare_name_person(table, found or people().by_surname(text, on=published), published)
    if not found and len(name) > 1:
        found = people().similar(text, on=published)
    title = _describe_title(title_tokens)
    of_country = _country_after_of(name)  # "King Hassan of Morocco", "Prince Sihanouk of Cambodia"
    title["country"] = title["country"] or of_country
    if not found and title["country"] is None:
        # "President Bush" with no date to tell the two Presidents Bush apart: the person stays unknown,
        # but when everyone of that name who ever held the office the text gives served one country, the
        # actor is that country's (a namesake in another office elsewhere is not meant).
        title["country"] = _office_country(name, title)
        if title["country"] is not None:
            title["rule"] = "+".join(filter(None, [title["rule"] or "ner:PERSON", "office-country"]))
    if title["country"] is not None:
        # The text says whose the person is: a namesake from another country is not them ("Turkish Kurd").
        found = [p for p in found if title["country"] in {period.country for period in p.periods}]
    if found:
        person = found[0]
        period = people().role_on(person, published)
        country = period.country if period else title["country"]
        sectors = tuple(period.sectors) if period and period.sectors else title["sectors"]
        role = period.role if period and period.role else title["role"]
        actor_id = "person:" + person.id
        existing = table.actors.get(actor_id)
        if existing is not None:
            if len(text.split()) > len(existing.name.split()):
                existing.name = text
            return existing
        display = text if len(name) > 1 else person.name
        return table.add_actor(Actor(
            id=actor_id, name=display, kind="person", country=country,
            sector=sectors[0] if sectors else None, sectors=list(sectors), role=role,
            role_start=period.start.isoformat() if period and period.start else None,
            role_end=period.end.isoformat() if period and period.end else None,
            source=period.entry if period else f"people:{person.id}",
        ))
    sectors = title["sectors"]
    return table.add_actor(Actor(
        id="person:" + slug(text), name=text, kind="person", country=title["country"] or title["body_country"],
        sector=sectors[0] if sectors else None, sectors=list(sectors), role=title["role"],
        source=title["rule"] or "ner:PERSON",
    ))


# The office a name's head noun implies: "the Bush administration", "the Putin government".
_LEADER_HEADS = {"administration": ("head_of_state", "head_of_government"),
                 "government": ("head_of_state", "head_of_government"),
                 "cabinet": ("head_of_state", "head_of_government")}


def _office_country(name: Span, title: dict) -> str | None:
    """The one country in which people called ``name`` held the office the text gives them — by a title
    ("President Bush") or by the noun the name modifies ("the Bush administration") — or None."""
    doc = name.doc
    after = doc[name.end] if name.end < len(doc) else None
    if title["role"]:
        roles: tuple[str, ...] = (title["role"],)
    elif after is not None and after.lower_ in _LEADER_HEADS and after.i == name.root.head.i:
        roles = _LEADER_HEADS[after.lower_]
    else:
        return None
    text = name.text.strip()
    candidates = people().find(text) or (people().by_surname(text) if len(name) == 1 else [])
    countries = {period.country for person in candidates for period in person.periods if period.role in roles}
    return countries.pop() if len(countries) == 1 else None


def _bare_name_person(table: ActorTable, candidates: list, published: date | None) -> list:
    """The lexicon person a bare name ("Putin", "Brown") stands for, or none.

    On a known date: one who held office then, in a country the article names — a British "Mr Brown" is
    not Papua New Guinea's Sinai Brown — or the only person of that name in the lexicon.  Without a date:
    only a name whose every bearer served one country ("Sharon", "Museveni"), so at least the country is
    certain; "Bush" (Cayman Islands and United States) stays unresolved."""
    if published is not None:
        named = _countries_named(table)
        in_office = [p for p in candidates if _held_office(p, published)
                     and (period := people().role_on(p, published)) is not None
                     and (period.country in named or len(candidates) == 1)]
        return in_office[:1]
    countries = {period.country for person in candidates for period in person.periods}
    return candidates[:1] if len(countries) == 1 and len(candidates) <= 3 else []


def _countries_named(table: ActorTable) -> set[str]:
    """ISO codes of the countries an article names by name or nationality word (computed once)."""
    if table.countries_named is not None:
        return table.countries_named
    lex = lexicon()
    doc = table.doc
    named: set[str] = set()
    marks = _token_marks(doc)
    # Capitalised words where a country reading may begin (no other n-gram can hold one).
    starts = [capital and possible for capital, possible in zip(marks.title_start, marks.country_starts())]
    for i, j in _ngrams(doc, 0, len(doc), first=starts):
        if j - i > 3:
            continue
        text = marks.text(i, j)
        if not text[:1].isupper():
            continue
        hit = lex.country_by_name(text) or lex.country_by_adjective(text) or lex.country_by_capital(text)
        if hit is not None:
            named.add(hit.iso3)
    table.countries_named = named
    return named


def _held_office(person, on: date | None) -> bool:
    """A one-word name ("Brown") is taken for a lexicon person only if they held office on the date."""
    if on is None:
        return False
    period = people().role_on(person, on)
    return period is not None and period.covers(on)


def _in_office(actor: Actor, on: date | None) -> bool:
    if on is None:
        return True
    start = date.fromisoformat(actor.role_start) if actor.role_start else None
    end = date.fromisoformat(actor.role_end) if actor.role_end else None
    return (start is None or start <= on) and (end is None or on <= end)


def _describe_title(tokens: list[Token]) -> dict:
    """Country, sectors and role named by title words before a name."""
    result: dict = {"country": None, "body_country": None, "sectors": (), "role": None, "rule": None}
    if not tokens:
        return result
    country = country_in(tokens)
    rest = tokens
    rules = []
    if country is not None:
        result["country"] = country[0]
        rest = tokens[:country[2]] + tokens[country[3]:]
        rules.append(country[1])
    elif (organisation := _organisation_in(tokens)) is not None:
        # "Arab League Secretary General …", "NATO spokesman …": the body the title belongs to — a weaker
        # clue than a nationality, used only for people the lexicon does not know.
        entry, start, end = organisation
        result["body_country"] = entry.country or None
        rest = tokens[:start] + tokens[end:]
        rules.append(entry.entry)
    words = [t.lower_ for t in rest if not t.is_punct]
    hit = lexicon().agent_suffix(words) if words else None
    if hit is not None:
        agent = hit[1]
        sectors = tuple(agent.sectors)
        if "former" in words and "ELI" not in sectors:
            sectors = sectors + ("ELI",)
        result["sectors"], result["role"] = sectors, agent.role
        rules.append(agent.entry)
    result["rule"] = "+".join(rules) or None
    return result


def _organisation_in(tokens: list[Token]):
    """The first organisation named inside title words, with its token range: (entry, start, end)."""
    n = len(tokens)
    for i in range(n):
        if i > 0 and tokens[i - 1].is_title and tokens[i - 1].pos_ == "PROPN":
            continue  # "National Security Council" is not the UN "Security Council"
        for j in range(min(n, i + 6), i, -1):
            text = "".join(t.text_with_ws for t in tokens[i:j]).strip()
            if text[:1].isupper() and (entry := lexicon().organisation(text)) is not None:
                return entry, i, j
    return None


# -- pass 4: seats of power and organisations --------------------------------------------------------

def _seats_and_organisations(table: ActorTable) -> None:
    doc = table.doc
    lex = lexicon()
    marks = _token_marks(doc)
    starts = [not (punct or space) and lex.names_could_start(word)
              for word, punct, space in zip(marks.words, marks.punct, marks.space)]
    for i, j in _ngrams(doc, 0, len(doc), first=starts, capitalised=True):
        if table.covered(i, j):
            continue
        # (The n-gram holds a capital: _ngrams(capitalised=True) yields no other.)
        if marks.punct[i] or marks.punct[j - 1] or marks.space[i]:
            continue
        text = marks.text(i, j)
        # Both readings looked up before any Span is built: most n-grams have neither.
        seat = lex.seat(text)
        org = lex.organisation(text) if seat is None else None
        if seat is None and org is None:
            continue
        span = doc[i:j]
        if seat is not None:
            actor = government_actor(table, seat.iso3, tuple(seat.sectors), seat.entry)
            table.add_mention(span, actor.id, "seat", seat.entry)
            continue
        if org is not None and _whole_name(span) and not lex.country_by_name(text) \
                and not lex.country_by_adjective(text):
            sectors = tuple(org.sectors)
            actor = table.add_actor(Actor(
                id="org:" + slug(org.name), name=org.name, kind="organisation", country=org.country,
                sector=sectors[0] if sectors else None, sectors=list(sectors), source=org.entry,
            ))
            table.add_mention(span, actor.id, "org", org.entry)
    # Organisations the lexicon does not know: named entities, described by their words.
    for ent in doc.ents:
        if ent.label_ != "ORG":
            continue
        span = trim(ent)
        if len(span) == 0 or table.covered(span.start, span.end) or lex.country_by_name(span.text):
            continue  # a country the recogniser took for an organisation ("DPRK") is left to the state pass
        longer = doc[span.start:min(span.end + 2, len(doc))].text
        if any(lex.country_by_name(text) or lex.country_by_adjective(text)
               for text in (longer, doc[span.start:span.end + 1].text if span.end < len(doc) else "")):
            continue  # the start of a longer country word: "Sierra" of "Sierra Leonean"
        tokens = list(span)
        country = country_in(tokens)
        words = [t.lower_ for t in tokens]
        hit = lexicon().agent_suffix(words)
        sectors = tuple(hit[1].sectors) if hit else sectors_from_words(words)
        rule = "ner:ORG" + (f"+{hit[1].entry}" if hit else "")
        body = _organisation_in(tokens) if country is None else None
        if body is not None and body[1] == 0 and body[2] < len(tokens) and body[0].country:
            # A known body's name opening a longer one is part of it or one of its offices: "the United
            # Nations Emergency Relief Coordinator", "World Bank Institute" are the UN's, the World Bank's.
            country = (body[0].country, body[0].entry, 0, body[2])
            sectors = sectors or tuple(body[0].sectors)
            rule += f"+part-of:{body[0].entry}"
        actor = table.add_actor(Actor(
            id="org:" + slug(span.text), name=span.text, kind="organisation",
            country=country[0] if country else None, sector=sectors[0] if sectors else None,
            sectors=list(sectors), source=rule,
        ))
        table.add_mention(span, actor.id, "org", rule)


def _whole_name(span: Span) -> bool:
    """An n-gram names an organisation only if it is not a piece of a longer proper name."""
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and after.pos_ == "PROPN" and after.is_title and not after.is_sent_start:
        return False
    if before is not None and before.pos_ == "PROPN" and before.is_title and not before.is_sent_start \
            and before.ent_iob_ != "O" and before.ent_type_ == span[0].ent_type_ and span[0].ent_iob_ == "I":
        return False
    return True


# -- pass 2: unnamed sources -------------------------------------------------------------------------

def _source_nouns() -> dict[str, dict[str, str]]:
    return {row["noun"]: row for row in read_tsv("source_nouns.tsv")}


def _unnamed_sources(table: ActorTable) -> None:
    doc = table.doc
    nouns = _source_nouns()
    for chunk in noun_chunks(doc):
        head = chunk.root
        row = nouns.get(head.lower_)
        if row is None or table.covered(chunk.start, chunk.end):
            continue
        if row.get("requires") and not any(t.lower_ in row["requires"].split("|") for t in head.subtree if t != head):
            continue
        determiners = {t.lower_ for t in chunk if t.dep_ == "det"}
        if "the" in determiners or "this" in determiners or "that" in determiners:
            continue  # definite: an anaphor, handled as a descriptor
        if any(t.pos_ == "PROPN" and t.ent_type_ == "PERSON" for t in chunk):
            continue
        tokens = [t for t in chunk if t.i <= head.i]
        country = country_in(tokens)
        if country is None and (org := _organisation_in([t for t in tokens if t.i < head.i])) is not None \
                and org[0].country:
            # "Red Cross officials", "NATO officials": officials of the organisation, of its country.
            country = (org[0].country, f"org:{org[0].entry}", org[1], org[2])
        sectors = sectors_from_words([t.lower_ for t in tokens if t.i < head.i]) or \
            ((row["sector"],) if row["sector"] else ())
        descriptor = doc[chunk.start:head.i + 1].text
        rule = entry("source_nouns.tsv", row)
        template = Actor(
            id=f"anon:{len([a for a in table.actors.values() if a.kind == 'anonymous']) + 1}",
            name=descriptor, kind="anonymous", country=country[0] if country else None,
            sector=sectors[0] if sectors else None, sectors=list(sectors), source=rule,
        )
        isos = coordinated_countries(tokens)
        actor = split_by_country(table, template, isos, lambda iso: f"{template.id}:{iso}") if isos \
            else table.add_actor(template)
        table.add_mention(doc[chunk.start:head.i + 1], actor.id, "anonymous", rule)


# -- pass 5: states, capitals, nationality words ----------------------------------------------------

def _states(table: ActorTable, places: list[Place]) -> None:
    doc = table.doc
    lex = lexicon()
    marks = _token_marks(doc)
    # Capitalised words and "the", where a country reading may begin (no other n-gram can hold one).
    starts = [(capital or lower == "the") and possible
              for capital, lower, possible in zip(marks.title_start, marks.lower, marks.country_starts())]
    for i, j in _ngrams(doc, 0, len(doc), first=starts):
        if table.covered(i, j) or marks.punct[i] or marks.punct[j - 1]:
            continue
        text = marks.text(i, j)
        if not text[:1].isupper() and not text.startswith("the "):
            continue
        if i > 0 and marks.lower[i - 1].rstrip(".") in _honorifics():
            continue  # "Mr Hague" is a person, not The Hague
        # The three readings, looked up before any Span is built: most n-grams have none.
        country = lex.country_by_name(text)
        capital = lex.country_by_capital(text)
        adjective = lex.country_by_adjective(text)
        if country is None and capital is None and adjective is None:
            continue
        span = doc[i:j]
        place_like = _entity_says_place(span)
        # The small model sometimes reads a country as a person ("with Armenia"); an unambiguous
        # country name wins over that, an ambiguous one ("Jordan", "Georgia") needs the place reading.
        if country is not None and (place_like or not country.ambiguous) and not _part_of_longer_name(span):
            state_actor(table, country.iso3, "country-name")
            table.add_mention(span, country.iso3, "state", f"countries:{country.iso3}:name")
            continue
        # A capital is kept unless the recogniser reads a person or organisation there ("Denzel Washington").
        capital_ok = capital is not None and (not capital.ambiguous or all(t.ent_type_ in {"", "GPE", "LOC", "NORP"} for t in span))
        if capital is not None and capital_ok and _namesake_town(places, span, capital.iso3):
            capital_ok = False  # "Tripoli … the north Lebanese port": the place reading found Lebanon's Tripoli
        if capital is not None and capital_ok and not _part_of_longer_name(span):
            actor = government_actor(table, capital.iso3, ("GOV",), f"countries:{capital.iso3}:capital")
            table.add_mention(span, actor.id, "capital", f"countries:{capital.iso3}:capital")
            continue
        if adjective is not None and (place_like or not adjective.ambiguous) and not _part_of_longer_name(span):
            after = doc[span.end] if span.end < len(doc) else None
            if after is not None and after.tag_ in {"NNPS", "NNS"} and lex.country_by_adjective(after.text):
                span = doc[span.start:span.end + 1]  # "Bosnian Serbs", "Iraqi Kurds": a people of that country
            residence = _ethnic_residence(span, places)
            if residence is not None and residence != adjective.iso3:
                # "ethnic Albanians in south Serbia": the adjective names an ethnicity, the place where
                # they live names their country.
                state_actor(table, residence, "nationality")
                table.add_mention(span, residence, "nationality",
                                  f"countries:{adjective.iso3}:adjective+ethnic-in:{residence}")
                continue
            state_actor(table, adjective.iso3, "nationality")
            table.add_mention(span, adjective.iso3, "nationality", f"countries:{adjective.iso3}:adjective")


# -- pass 6: groups named by what they are ----------------------------------------------------------

COLLECTIVE_NOUNS_FILE = "institutions.tsv"


def _agent_groups(table: ActorTable, places: list[Place]) -> None:
    """Plural or collective agent nouns — protesters, students, rebels, troops, the police — are actors
    too: an event's source is often "demonstrators in Baghdad" rather than a named body. Their country
    comes from their own words ("Iraqi Kurds") or a place inside their phrase ("in Baghdad")."""
    doc = table.doc
    lex = lexicon()
    collective = {row["noun"] for row in read_tsv(COLLECTIVE_NOUNS_FILE)}
    for chunk in noun_chunks(doc):
        head = chunk.root
        if head.pos_ != "NOUN" or table.mention_at(head) is not None:
            continue
        if head.tag_ != "NNS" and head.lower_ not in collective:
            continue  # a singular title ("the minister") is a person: coreference handles it
        words = [t.lower_ for t in chunk if t.i <= head.i and not t.is_punct and t.pos_ != "DET"]
        hit = lex.agent_suffix(words)
        if hit is None:
            single = lex.agent(head.lower_)
            hit = (1, single) if single else None
        if not hit:
            continue
        agent = hit[1]
        start = head.i - hit[0] + 1
        country = country_in([t for t in chunk if t.i < start]) if start > chunk.start else None
        iso3 = country[0] if country else (_country_inside(table, head) or _place_inside(places, head, start))
        sectors = tuple(agent.sectors)
        name = doc[chunk.start if country else start:head.i + 1]
        template = Actor(
            id=f"group:{iso3 or 'any'}:{slug(agent.phrase)}", name=trim(name).text, kind="group", country=iso3,
            sector=sectors[0] if sectors else None, sectors=list(sectors), source=agent.entry,
        )
        isos = coordinated_countries([t for t in chunk if t.i < start]) if country else []
        if isos:
            template.id = f"group:{'+'.join(isos)}:{slug(agent.phrase)}"
            actor = split_by_country(table, template, isos, lambda iso: f"group:{iso}:{slug(agent.phrase)}")
        else:
            actor = table.add_actor(template)
        # The group's mention starts after the last word another mention holds ("Angry French and German
        # farmers": after "German"), so that it does not overlap the nationality words' own mentions.
        held = [t.i for t in chunk if t.i < head.i and table.mention_at(t) is not None]
        first = max(held) + 1 if held else chunk.start
        while first < head.i and doc[first].pos_ == "DET":
            first += 1
        table.add_mention(doc[first:head.i + 1], actor.id, "group", agent.entry)


def _country_inside(table: ActorTable, head: Token) -> str | None:
    """The country of the first state, capital or government mentioned in a phrase's own modifiers
    ("demonstrators in Baghdad", "workers of the Serbian union")."""
    for token in head.subtree:
        if token.i == head.i:
            continue
        actor = table.actor_at(token)
        if actor is not None and actor.country and actor.kind in {"state", "organisation"}:
            return actor.country  # "European Community foreign ministers" are IGO officials
        if actor is not None and actor.country and actor.kind == "person" and token.dep_ == "compound" \
                and token.head.i == head.i and head.lower_ in _LEADER_HEADS:
            return actor.country  # "the Bush administration": the leader's government
    return None


def _ethnic_residence(span: Span, places: list[Place]) -> str | None:
    """The country of the place an "ethnic <people>" phrase says they live in ("ethnic Turks in Bulgaria")."""
    doc = span.doc
    if span.start == 0 or doc[span.start - 1].lower_ != "ethnic":
        return None
    head = span[-1]
    for prep in head.children:
        if prep.dep_ != "prep" or prep.lower_ != "in" or prep.i < span.end:
            continue
        tokens = list(prep.subtree)
        found = country_in(tokens)
        if found is not None:
            return found[0]
        first, last = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        for place in places:
            if first <= place.start and place.end <= last and place.country:
                return place.country
    return None


def _namesake_town(places: list[Place], span: Span, iso3: str) -> bool:
    """Whether the place reading of a capital's name chose a town of that name in another country (the
    gazetteer weighs the countries the article names), so that the name is not the capital's government."""
    start, end = span.start_char, span.end_char
    return any(place.start == start and place.end == end and place.country and place.country != iso3
               for place in places)


def _place_inside(places: list[Place], head: Token, start: int) -> str | None:
    """The country of a place named in a group's phrase: "Darfur rebels", "workers in Kirkuk"."""
    doc = head.doc
    subtree = list(head.subtree)
    first, last = doc[min(t.i for t in subtree)].idx, doc[max(t.i for t in subtree)]
    end = last.idx + len(last.text)
    for place in places:
        if first <= place.start and place.end <= end and place.country:
            return place.country
    return None


def _part_of_longer_name(span: Span) -> bool:
    """"Washington" in "Washington Post" or "Georgia" in "Georgia Tech" is not the place."""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    return bool(after is not None and after.pos_ == "PROPN" and after.is_title and after.ent_type_ in {"ORG", "FAC"}
                and span[-1].ent_type_ in {"ORG", "FAC"})
