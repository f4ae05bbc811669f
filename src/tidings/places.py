"""Places: the article's toponyms, each resolved to a country and coordinates.

Entry point: :func:`find_places`. :func:`country_centroid` gives a country's centre for other stages.

Recognition. spaCy's GPE/LOC/FAC entities are the candidates (a leading "the" and a trailing possessive
are trimmed), plus country and region names from the gazetteer that the NER missed or mislabelled
(e.g. "DPRK" tagged ORG). A name found by string is dropped when it sits inside a longer organisation,
person or nationality entity ("UN Security Council", "U.S. National Security Advisor"). Then, as in
GeoWebNews' definition of a toponym:

* demonyms tagged NORP ("Syrian" -> Syria, "Texan" -> Texas; countries.tsv adjectives and
  gazetteer_aliases.tsv), rule ``gazetteer-demonym``;
* names embedded in organisation names ("Russian Foreign Ministry", "University of California"), only
  for strong places (countries, continents, regions, states, cities of 100k+), rule ``gazetteer-embedded``;
* datelines in capitals opening a paragraph ("TORONTO —"), rule ``gazetteer-dateline``;
* an entity tagged ORG (or PERSON, for states) that is exactly a place of a country the article names
  ("Tamil Nadu" in an article about India), rule ``gazetteer-context``.

Capitals used for their governments ("Washington said") are still toponyms: another stage decides
whether a mention is an actor or a location (events take a place only from a locative phrase, so a
demonym or an embedded name never becomes an event's place).

Resolution. A candidate's name is folded (case, accents, periods, "St." = "Saint", hyphens) and looked
up among primary names, curated aliases and GeoNames alternate names ("Kiev", "Bogota"). Then:

1. a country beats anything else of the same name; a curated region/sea comes next;
2. "A, B" (e.g. "Paris, Texas"): B is read as a qualifier; A keeps only entries inside B, B the entry
   that contains A;
3. "X state" prefers the first-level subdivision ("Washington state");
4. the rest is scored: log10(population) (a fixed prior for subdivisions, which have no population),
   +1 for a national capital, +2 when the country is named unambiguously elsewhere in the article,
   +2.5 for a US-style subdivision that holds an unambiguous city of the article, -1 when only an
   alternate name matched. So "Moscow" stays in Russia even in an article about the US (Moscow, Idaho
   has 25k people), while "Birmingham" moves to Alabama when the US is the article's context.

Washington policy: the national capital (Washington, D.C.) beats the state unless a subdivision word
follows ("Washington state"), it qualifies a US city ("Seattle, Washington"), or a city of the state is
named in the article. Unknown toponyms (not in the gazetteer) produce no Place: a spaCy GPE that no
gazetteer knows is as often a misfire (a person, a foreign word) as a village, and a Place without
coordinates helps no later stage.
"""

from __future__ import annotations

import datetime
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span

from tidings.datafiles import column_set, read_tsv
from tidings.nlp import columns, text_of
from tidings.records import Place
from tidings.wordtrie import trie_regex

DATA_DIR = Path(__file__).resolve().parent / "data"

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Labels under which the NER sometimes files a bare country or capital name; a string match that covers
# the whole entity is still taken as a place ("DPRK" tagged ORG).
MISLABEL_OK = frozenset({"ORG", "NORP", "GPE", "LOC", "FAC", "PRODUCT"})

# Scoring weights (see the module docstring). A subdivision has no population; its prior sits between a
# large town and a city of a million, so that "New York" stays the city and "Texas" needs no help.
ADMIN1_MAJOR_PRIOR = 5.5
ADMIN1_MINOR_PRIOR = 4.0
CAPITAL_BONUS = 1.0
CONTEXT_COUNTRY_BONUS = 2.0
CONTEXT_ADMIN1_BONUS = 2.5
ALTERNATE_PENALTY = 1.0
QUALIFIER_RADIUS_KM = 250.0

# Capitals found by string alone: the population above which no other evidence is needed.
SURE_CAPITAL = 500_000
SURE_CAPITAL_AS_PERSON = 1_000_000
# A city this big (or a capital) is not qualified by a writer: "Washington, New York and Boston" is a list.
WELL_KNOWN_POPULATION = 1_000_000

# Entities whose words may hold an embedded toponym ("Russian Foreign Ministry", "University of California").
EMBEDDING_LABELS = frozenset({"ORG", "NORP"})
# Entries a name inside such an entity, or an entity the NER mislabelled ORG, may stand for: places big or
# distinct enough that a name matching them is rarely anything else.
EMBEDDED_MIN_POPULATION = 100_000
EMBEDDED_MAX_WORDS = 4
# Words before a PERSON-tagged name that make it a place ("in Tamil Nadu"); "to" and "from" are left out
# because people are spoken to and heard from.
LOCATIVE_WORDS = frozenset({"in", "at", "near", "across", "outside", "inside", "throughout", "around"})
# A dateline: a paragraph that opens with a place name in capitals, then a separator ("TORONTO —").
DATELINE = re.compile(r"(?:^|\n|(?<=[.!?] ))([A-Z][A-Z.'’-]*(?: [A-Z][A-Z.'’-]*){0,3})(?=\s*(?:,|—|–|-{1,2}|\(|:|\ufffd))")

TIER_COUNTRY = 2
TIER_REGION = 1
TIER_OTHER = 0


# --------------------------------------------------------------------------------------------------
# The gazetteer (package data, loaded once)
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer row."""

    id: str
    feature: str  # country | admin1 | continent | city | capital | town | region | water
    name: str
    country: str | None
    lat: float
    lon: float
    population: int = 0
    admin1: str = ""
    major: bool = False  # for admin1: a true first-level unit (state, province, ...)

    @property
    def tier(self) -> int:
        if self.feature == "country":
            return TIER_COUNTRY
        if self.feature in ("region", "water", "continent"):
            return TIER_REGION
        return TIER_OTHER


@dataclass(frozen=True, slots=True)
class Match:
    """An entry found under a name, and whether that name is a primary one (name or curated alias)."""

    entry: Entry
    primary: bool


@dataclass(frozen=True)
class Gazetteer:
    entries: dict[str, Entry]
    index: dict[str, tuple[Match, ...]]
    scan_pattern: re.Pattern[str] | None
    words: dict[str, list[str]]
    generic_names: frozenset[str]  # folded names that are words first ("North"), never looked up alone
    scan_kinds: dict[str, str]  # folded name found by string -> country | region | capital
    demonyms: dict[str, Entry]  # folded demonym ("syrian", "north korean") -> the place it names


_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


def fold(name: str) -> str:
    """The lookup key of a name: no accents, case, periods or hyphens; "St." spelled "saint"."""
    decomposed = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    text = text.replace("’", "'").replace("‘", "'").replace(".", "")
    text = re.sub(r"[-‐‑–—_/]", " ", text)
    return " ".join(_ABBREVIATIONS.get(word, word) for word in text.split())


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


SCAN_PRIORITY = {"country": 3, "region": 2, "capital": 1}


@lru_cache(maxsize=1)
def _gazetteer() -> Gazetteer:
    entries: dict[str, Entry] = {}
    names: dict[str, dict[str, bool]] = {}  # folded name -> {entry id: primary}
    scan_kinds: dict[str, str] = {}  # name as written -> country | region | capital

    def add(name: str, entry_id: str, primary: bool) -> None:
        key = fold(name)
        if key:
            slot = names.setdefault(key, {})
            slot[entry_id] = slot.get(entry_id, False) or primary

    def scan(name: str, kind: str) -> None:
        if SCAN_PRIORITY[kind] > SCAN_PRIORITY.get(scan_kinds.get(name, ""), 0):
            scan_kinds[name] = kind

    for row in read_tsv("gazetteer.tsv"):
        admin1 = row["admin1"]
        entry = Entry(row["id"], row["feature"], row["name"], row["country"] or None, float(row["lat"]),
                      float(row["lon"]), int(row["population"] or 0), admin1.rstrip("*"), admin1.endswith("*"))
        entries[entry.id] = entry
        add(entry.name, entry.id, True)
        # A country's other names are official forms, as good as the name itself.
        for alternate in _split(row["alternates"]):
            add(alternate, entry.id, entry.feature == "country")
        if entry.feature == "country":
            for name in [entry.name, *_split(row["alternates"])]:
                scan(name, "country")
        elif entry.feature == "capital":
            scan(entry.name, "capital")

    continents = {fold(e.name): e for e in entries.values() if e.feature == "continent"}
    for row in read_tsv("regions.tsv"):
        continent = continents.get(fold(row["name"]))
        if continent is not None:
            # GeoNames' continent point is the conventional one; the curated row's id and names lead to it.
            entries[row["id"]] = continent
            for name in _split(row["alternates"]):
                add(name, continent.id, True)
            if row["scan"] == "yes":
                scan(row["name"], "region")
            continue
        entry = Entry(row["id"], row["feature"], row["name"], row["country"] or None, float(row["lat"]),
                      float(row["lon"]))
        entries[entry.id] = entry
        for name in [entry.name, *_split(row["alternates"])]:
            add(name, entry.id, True)
            if row["scan"] == "yes":
                scan(name, "region")

    for row in read_tsv("place_aliases.tsv"):
        target = entries.get(row["target"])
        if target is None:
            continue  # an alias for a row the gazetteer no longer has: ignore rather than fail
        add(row["alias"], target.id, True)
        if row["scan"] == "yes":
            kind = {"country": "country", "capital": "capital"}.get(target.feature, "region")
            scan(row["alias"], kind)

    demonyms: dict[str, Entry] = {}
    for row in read_tsv("countries.tsv"):
        form, target = row["form"], entries.get(f"country:{row['iso3']}")
        # Abbreviations ("U.S.", "UK") listed as adjectives are names, handled above.
        if row["kind"] == "adjective" and target is not None and not form.isupper() and "." not in form:
            demonyms[fold(form)] = target
    for row in read_tsv("gazetteer_aliases.tsv"):
        target = entries.get(row["target"])
        if target is None:
            continue
        if row["kind"] == "demonym":
            demonyms[fold(row["alias"])] = target
            continue
        add(row["alias"], target.id, True)
        if row["scan"] == "yes":
            scan(row["alias"], "region" if target.feature not in ("country", "capital") else target.feature)

    index = {key: tuple(Match(entries[i], primary) for i, primary in ids.items()) for key, ids in names.items()}
    words = json.loads((DATA_DIR / "place_words.json").read_text(encoding="utf-8"))
    generic = frozenset(fold(word) for word in words["generic_names"])
    kinds = {fold(name): kind for name, kind in scan_kinds.items() if fold(name) not in generic}
    usable = {name for name in scan_kinds if fold(name) in kinds}
    return Gazetteer(entries, index, _scan_pattern(usable), words, generic, kinds, demonyms)


def _scan_pattern(names: set[str]) -> re.Pattern[str] | None:
    """One case-sensitive, whole-word pattern; the longest name that matches wins, so "South Korea" beats
    "Korea".

    The names are written as a trie (:mod:`tidings.wordtrie`): a flat alternation of a thousand names
    would be tried name by name at every position of the text."""
    usable = [n for n in names if len(n) >= 2 and n[0].isupper()]
    if not usable:
        return None
    # Either apostrophe: "People's" and "People’s" are the same name.
    return re.compile(rf"(?<![\w.]){trie_regex(usable, APOSTROPHES)}(?![\w])")


APOSTROPHES = {"'": "['’]", "’": "['’]"}


def country_centroid(iso3: str) -> tuple[float, float] | None:
    """The approximate centre (lat, lon) of the country with ISO 3166-1 alpha-3 code ``iso3``, or None."""
    if not isinstance(iso3, str):
        return None
    entry = _gazetteer().entries.get(f"country:{iso3.strip().upper()}")
    return (entry.lat, entry.lon) if entry else None


# --------------------------------------------------------------------------------------------------
# Recognition
# --------------------------------------------------------------------------------------------------

@dataclass
class Candidate:
    start: int  # character offsets into text_of(doc)
    end: int
    matches: tuple[Match, ...]
    found_by: str  # "ner", "scan", "demonym" or "embedded"
    admin_word: bool = False  # "Washington state"
    qualifier_of: Candidate | None = None  # set on B in "A, B"
    forced: Entry | None = None  # chosen while reading "A, B"
    restricted: bool = False  # entries narrowed by a qualifier
    notes: list[str] = field(default_factory=list)


def _trim(span: Span, words: dict[str, list[str]]) -> Span | None:
    """Drop a leading article and a trailing possessive or punctuation: "the United States", "Ukraine's"."""
    start, end = span.start, span.end
    doc = span.doc
    articles = set(words["leading_articles"])
    possessives = set(words["possessive_markers"])
    while start < end and doc[start].lower_ in articles:
        start += 1
    while end > start and (doc[end - 1].text in possessives or doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if start >= end:
        return None
    return doc[start:end]


def _looks_like_name(text: str) -> bool:
    """Toponyms are proper names: the first letter is a capital (drops "cuenta", "the north")."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and letters[0].isupper()


def _lookup(text: str, gazetteer: Gazetteer) -> tuple[Match, ...]:
    key = fold(text)
    if not _looks_like_name(text) or key in gazetteer.generic_names:
        return ()
    return gazetteer.index.get(key, ())


def _possessive_glued(text: str, words: dict[str, list[str]]) -> int:
    """Length of a possessive glued to the end of a token's text, else 0."""
    for marker in words["possessive_markers"]:
        if len(marker) > 1 and text.endswith(marker) and len(text) > len(marker):
            return len(marker)
    return 0


def _ner_candidates(doc: Doc, gazetteer: Gazetteer) -> list[Candidate]:
    words = gazetteer.words
    suffixes = set(words["generic_suffixes"])
    admin_words = set(words["admin_words"])
    found: list[Candidate] = []
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        span = _trim(ent, words)
        if span is None:
            continue
        pieces = _comma_pieces(span)
        for piece in pieces:
            start, end = piece.start_char, piece.end_char
            end -= _possessive_glued(piece.text, words)
            matches = _lookup(text_of(doc)[start:end], gazetteer)
            admin_word = False
            if not matches and len(piece) > 1 and piece[-1].lower_ in suffixes:
                end = piece[-2].idx + len(piece[-2].text)
                matches = _lookup(text_of(doc)[start:end], gazetteer)
                admin_word = piece[-1].lower_ in admin_words
            if ent.label_ == "FAC":
                # A facility named like a small town ("White House", "Heathrow") is the facility.
                matches = tuple(m for m in matches if m.entry.feature != "town")
            if matches:
                following = doc[piece.end] if piece.end < len(doc) else None
                if following is not None and following.lower_ in admin_words:
                    admin_word = True
                found.append(Candidate(start, end, matches, "ner", admin_word=admin_word))
    return found


def _comma_pieces(span: Span) -> list[Span]:
    """ "Paris, Texas" tagged as one entity: the parts, so the second can qualify the first."""
    pieces: list[Span] = []
    start = span.start
    for token in span:
        if token.text == ",":
            if token.i > start:
                pieces.append(span.doc[start:token.i])
            start = token.i + 1
    if start < span.end:
        pieces.append(span.doc[start:span.end])
    return pieces if len(pieces) > 1 else [span]


def _scan_candidates(doc: Doc, gazetteer: Gazetteer, taken: list[Candidate]) -> list[Candidate]:
    """Country, region and capital names the NER missed or mislabelled.

    A name inside a longer entity of another kind is left alone ("UN Security Council"). A name the NER
    tagged, whole, as something else is taken when that is a known confusion: a country tagged ORG/NORP
    ("DPRK"); a curated region under any label ("Sahel" as PERSON or PRODUCT). Capitals are riskier (given names,
    surnames, "Male"): one is taken when it is a city of 500k+ people (1M+ when the NER tagged it PERSON,
    as the small model often does with "Kyiv") or its country is named elsewhere in the article; one tagged
    PERSON never when a longer person name in the article contains it ("Denzel Washington ... Washington
    said").
    """
    if gazetteer.scan_pattern is None:
        return []
    occupied = [(c.start, c.end) for c in taken]
    found: list[Candidate] = []
    pending: list[Candidate] = []  # capitals waiting for the article's context
    for match in gazetteer.scan_pattern.finditer(text_of(doc)):
        start, end = match.span()
        if any(start < e and s < end for s, e in occupied):
            continue
        if doc.char_span(start, end, alignment_mode="strict") is None:
            continue  # the name is part of a token ("USAID")
        key = fold(match.group())
        kind, matches = gazetteer.scan_kinds.get(key), gazetteer.index.get(key, ())
        label = _entity_over(doc, start, end, gazetteer.words)
        if not matches or kind is None or label == "inside":
            continue
        if label == "inside-place":
            label = None  # the whole entity found nothing (else its span would be occupied)
        person = label == "PERSON"
        if label is not None and not person and label not in MISLABEL_OK and kind != "region":
            continue
        if person and (_person_name_country(key, gazetteer) or _in_longer_person(doc, match.group())):
            continue
        candidate = Candidate(start, end, matches, "scan")
        if kind == "capital":
            size = max((m.entry.population for m in matches if m.entry.feature == "capital"), default=0)
            if size < (SURE_CAPITAL_AS_PERSON if person else SURE_CAPITAL):
                pending.append(candidate)
                continue
        found.append(candidate)
        occupied.append((start, end))
    if pending:
        context = _context([*taken, *found])
        for candidate in pending:
            capitals = [m.entry for m in candidate.matches if m.entry.feature == "capital"]
            if any(c.country in context.countries for c in capitals):
                candidate.matches = tuple(m for m in candidate.matches if m.entry.feature == "capital")
                found.append(candidate)
    return found


def _entity_over(doc: Doc, start: int, end: int, words: dict[str, list[str]]) -> str | None:
    """None when no entity overlaps the match; the label of an entity that is exactly the name (after
    trimming "the" and a possessive); "inside" when the name is part of a longer entity."""
    overlapping = [ent for ent in doc.ents if ent.start_char < end and start < ent.end_char]
    if not overlapping:
        return None
    if len(overlapping) > 1:
        return "inside"
    ent = overlapping[0]
    # A longer place entity the gazetteer does not know whole ("Greece Italy", "north west London") may
    # hold a known name; a longer name of anything else ("UN Security Council") may not.
    inside = "inside-place" if ent.label_ in {"GPE", "LOC"} else "inside"
    trimmed = _trim(ent, words)
    if trimmed is None or trimmed.start_char != start:
        return inside
    if trimmed.end_char - _possessive_glued(trimmed.text, words) != end:
        return inside
    return ent.label_


def _person_name_country(key: str, gazetteer: Gazetteer) -> bool:
    """Whether the folded name ``key`` is a country's that people also bear ("Jordan", "Chad"): tagged
    PERSON, it is left a person. Other countries tagged PERSON ("Azerbaijan should ...") are places."""
    return key in {fold(name) for name in gazetteer.words["person_name_countries"]}


def _in_longer_person(doc: Doc, name: str) -> bool:
    """Whether some person entity of the article is a longer name holding ``name`` as a word."""
    pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    return any(ent.label_ == "PERSON" and ent.text != name and pattern.search(ent.text) for ent in doc.ents)


def _suffix_candidates(doc: Doc, gazetteer: Gazetteer, taken: list[Candidate]) -> list[Candidate]:
    """ "the Donetsk region", "Kherson oblast": a name the NER missed, marked by the word after it."""
    words = gazetteer.words
    markers = set(words["generic_suffixes"]) - {"city", "state", "area", "county", "district"}
    occupied = [(c.start, c.end) for c in taken]
    found: list[Candidate] = []
    for i, lower in enumerate(columns(doc).lower):  # a Token only for a marker word
        if lower not in markers or i == 0:
            continue
        token = doc[i]
        for width in (3, 2, 1):
            first = token.i - width
            if first < 0:
                continue
            span = doc[first:token.i]
            if not all(t.is_alpha or t.text == "-" for t in span) or not span[0].is_title:
                continue
            start, end = span.start_char, span.end_char
            if any(start < e and s < end for s, e in occupied):
                break
            if _entity_over(doc, start, end, words) not in (None, "GPE", "LOC", "FAC"):
                continue
            matches = _lookup(span.text, gazetteer)
            if matches:
                found.append(Candidate(start, end, matches, "scan",
                                       admin_word=token.lower_ in set(words["admin_words"])))
                occupied.append((start, end))
                break
    return found


def _demonym_candidates(doc: Doc, gazetteer: Gazetteer, taken: list[Candidate]) -> list[Candidate]:
    """Nationality adjectives and people-nouns tagged NORP: "Syrian" -> Syria, "Texan" -> Texas.

    The whole entity is tried first ("North Korean"), then each capitalised word ("Syrian Kurdish").
    A demonym names its place without ambiguity, so the candidate is resolved to it directly.
    """
    occupied = [(c.start, c.end) for c in taken]
    found: list[Candidate] = []
    for ent in doc.ents:
        if ent.label_ != "NORP" and not _demonym_tagged_person(ent, gazetteer):
            continue
        if ent.start > 0 and doc[ent.start - 1].lower_.rstrip(".") in column_set("honorifics.tsv"):
            continue  # "Mr French": a surname
        span = _trim(ent, gazetteer.words)
        if span is None:
            continue
        end = span.end_char - _possessive_glued(span.text, gazetteer.words)
        pieces = [(span.start_char, end)]
        if fold(text_of(doc)[span.start_char:end]) not in gazetteer.demonyms:
            pieces = [(t.idx, t.idx + len(t.text)) for t in span if t.is_title]
        for start, stop in pieces:
            entry = gazetteer.demonyms.get(fold(text_of(doc)[start:stop]))
            if entry is None or any(start < e and s < stop for s, e in occupied):
                continue
            found.append(Candidate(start, stop, (Match(entry, True),), "demonym", forced=entry))
            occupied.append((start, stop))
    return found


def _demonym_tagged_person(ent: Span, gazetteer: Gazetteer) -> bool:
    """A PERSON entity that is just a demonym modifying a common noun: "Azerbaijani soldiers", "Slovak
    architect". Before a verb or alone it stays a person (the surname in "French said")."""
    if ent.label_ != "PERSON" or fold(ent.text) not in gazetteer.demonyms or ent.end >= len(ent.doc):
        return False
    following = ent.doc[ent.end]
    return following.pos_ in ("NOUN", "ADJ") and following.is_lower


def _strong(entry: Entry) -> bool:
    """Places a name inside an organisation, or an entity mislabelled ORG, may stand for without more
    evidence: countries, continents, curated regions, states/provinces and big cities."""
    if entry.feature in ("country", "continent", "region", "water", "capital"):
        return True
    if entry.feature == "admin1":
        return entry.major
    return entry.population >= EMBEDDED_MIN_POPULATION


def _embedded_candidates(doc: Doc, gazetteer: Gazetteer, taken: list[Candidate]) -> list[Candidate]:
    """Toponyms inside (or equal to) organisation and facility names, and places the NER tagged PERSON.

    "Russian Foreign Ministry", "University of California", "Liverpool" (the club): the longest run of
    capitalised words (up to four) that is a demonym or names a strong place (:func:`_strong`). A PERSON
    entity that is exactly a place name is taken only after a locative preposition ("in Tamil Nadu"),
    since given names and surnames are often town names.
    """
    occupied = [(c.start, c.end) for c in taken]
    found: list[Candidate] = []
    for ent in doc.ents:
        person = ent.label_ == "PERSON"
        if ent.label_ not in EMBEDDING_LABELS and not person:
            continue
        if ent.start > 0 and doc[ent.start - 1].lower_.rstrip(".") in column_set("honorifics.tsv"):
            continue  # "Mr French", "Dr Jordan": a surname
        span = _trim(ent, gazetteer.words)
        if span is None:
            continue
        if person:
            before = doc[span.start - 1] if span.start > 0 else None
            if before is None or before.lower_ not in LOCATIVE_WORDS or ent.label_ != "PERSON":
                continue
        first = span.start
        while first < span.end:
            hit = None
            for width in range(min(EMBEDDED_MAX_WORDS, span.end - first), 0, -1):
                piece = doc[first:first + width]
                if not all(t.is_title or t.is_upper or t.text in {"-", "&"} for t in piece):
                    continue
                if person and width != len(span):
                    continue
                start, end = piece.start_char, piece.end_char - _possessive_glued(piece.text, gazetteer.words)
                text = text_of(doc)[start:end]
                demonym = gazetteer.demonyms.get(fold(text))
                if demonym is not None:
                    matches: tuple[Match, ...] = (Match(demonym, True),)
                elif person:
                    # After "in"/"at" the name is a place; any primary entry may be it ("in Nelson" next
                    # to "BC" is the Canadian town), and the article's context ranks them.
                    matches = tuple(m for m in _lookup(text, gazetteer) if m.primary)
                else:
                    matches = tuple(m for m in _lookup(text, gazetteer) if m.primary and _strong(m.entry))
                if matches and not any(start < e and s < end for s, e in occupied):
                    hit = Candidate(start, end, matches, "demonym" if demonym else "embedded",
                                    forced=demonym)
                    break
            if hit is None:
                first += 1
                continue
            found.append(hit)
            occupied.append((hit.start, hit.end))
            first += len(doc.char_span(hit.start, hit.end, alignment_mode="expand") or [None])
    return found


def _mislabelled_in_context(doc: Doc, gazetteer: Gazetteer, taken: list[Candidate]) -> list[Candidate]:
    """An entity tagged ORG or PERSON that is exactly a place name of a country the article names.

    "Dewsbury" (ORG) in an article about England, "Tamil Nadu" (PERSON) in one about India: the NER's
    label is a misfire when the article's own places vouch for the name. For PERSON only states and
    provinces count (towns share their names with people far too often).
    """
    context = _context(taken)
    if not context.countries:
        return []
    occupied = [(c.start, c.end) for c in taken]
    found: list[Candidate] = []
    for ent in doc.ents:
        if ent.label_ not in ("ORG", "PERSON"):
            continue
        span = _trim(ent, gazetteer.words)
        if span is None:
            continue
        start, end = span.start_char, span.end_char - _possessive_glued(span.text, gazetteer.words)
        if any(start < e and s < end for s, e in occupied):
            continue
        # Towns are left out: organisations are named after small places too often ("White House").
        allowed = ("admin1",) if ent.label_ == "PERSON" else ("admin1", "city", "capital")
        matches = tuple(m for m in _lookup(text_of(doc)[start:end], gazetteer)
                        if m.primary and m.entry.feature in allowed and m.entry.country in context.countries
                        and (m.entry.feature != "admin1" or m.entry.major))
        if matches:
            found.append(Candidate(start, end, matches, "context"))
            occupied.append((start, end))
    return found


def _dateline_candidates(doc: Doc, gazetteer: Gazetteer, taken: list[Candidate]) -> list[Candidate]:
    """ "TORONTO (Reuters) —", "SAN DIEGO, Calif. —": a capitalised place name opening a paragraph.

    The NER rarely tags names in capitals. Only places of some standing are taken (:func:`_strong`, or a
    city of 15,000+), since a capitalised opening word can also be a kicker ("BREAKING:").
    """
    occupied = [(c.start, c.end) for c in taken]
    found: list[Candidate] = []
    for match in DATELINE.finditer(text_of(doc)):
        start, end = match.span(1)
        end -= len(match.group(1)) - len(match.group(1).rstrip(".-"))
        if any(start < e and s < end for s, e in occupied):
            continue
        name = text_of(doc)[start:end].title()
        matches = tuple(m for m in gazetteer.index.get(fold(name), ())
                        if fold(name) not in gazetteer.generic_names and m.entry.feature != "town")
        if matches:
            found.append(Candidate(start, end, matches, "dateline"))
            occupied.append((start, end))
    return found


def _link_qualifiers(doc: Doc, candidates: list[Candidate], words: dict[str, list[str]]) -> None:
    separators = set(words["qualifier_separators"])
    text = text_of(doc)
    for index, (head, qualifier) in enumerate(zip(candidates, candidates[1:])):
        if text[head.end:qualifier.start] not in separators or head.qualifier_of is not None:
            continue
        following = candidates[index + 2] if index + 2 < len(candidates) else None
        if following is not None and _starts_list(text[qualifier.end:following.start], words) and _well_known(head):
            continue  # "stops in Washington, New York and Boston": three places, not Washington in New York
        qualifier.qualifier_of = head


def _starts_list(between: str, words: dict[str, list[str]]) -> bool:
    """Whether the text between two toponyms joins them as items of a list (", ", " and ", ", or ")."""
    return fold(between.strip(" ,")) in set(words["list_conjunctions"]) or between in set(words["qualifier_separators"])


def _well_known(candidate: Candidate) -> bool:
    """A name whose first reading is a national capital or a city of a million: one a writer would not
    qualify, so "A, B and C" after it is a list."""
    entry = _best(candidate, None).entry
    return entry.feature == "capital" or entry.population >= WELL_KNOWN_POPULATION


# --------------------------------------------------------------------------------------------------
# Resolution
# --------------------------------------------------------------------------------------------------

@dataclass
class Context:
    countries: set[str] = field(default_factory=set)
    admin1s: set[tuple[str, str]] = field(default_factory=set)  # (country, admin1 code) of sure cities


def _distance_km(a: Entry, b: Entry) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _inside(place: Entry, area: Entry) -> bool:
    """Whether ``place`` lies in the country or first-level subdivision ``area``."""
    if place.id == area.id or place.country is None or place.country != area.country:
        return False
    if area.feature == "country":
        return place.feature != "country"
    if area.feature == "admin1" and place.feature in ("city", "capital", "town"):
        return place.admin1 == area.admin1 or _distance_km(place, area) <= QUALIFIER_RADIUS_KM
    return False


def _score(match: Match, candidate: Candidate, context: Context | None) -> float:
    entry = match.entry
    if entry.feature == "admin1":
        score = ADMIN1_MAJOR_PRIOR if entry.major else ADMIN1_MINOR_PRIOR
    else:
        score = math.log10(entry.population) if entry.population > 0 else 0.0
    if entry.feature == "capital":
        score += CAPITAL_BONUS
    if not match.primary:
        score -= ALTERNATE_PENALTY
    if context is not None:
        if entry.country in context.countries:
            score += CONTEXT_COUNTRY_BONUS
        if (entry.country, entry.admin1) in context.admin1s and entry.admin1:
            # The state the article is about: its own entry ("Georgia" after "Atlanta"), and a town in it
            # ("Parkland" in an article that names Florida).
            score += CONTEXT_ADMIN1_BONUS
    return score


def _rank_key(match: Match, candidate: Candidate, context: Context | None) -> tuple[int, int, float, str]:
    entry = match.entry
    admin_first = int(candidate.admin_word and entry.feature == "admin1")
    return (admin_first, entry.tier, _score(match, candidate, context), entry.id)


def _best(candidate: Candidate, context: Context | None) -> Match:
    return max(candidate.matches, key=lambda m: _rank_key(m, candidate, context))


def _read_qualifiers(candidates: list[Candidate]) -> None:
    """ "A, B": take B's first-ranked entry that contains one of A's entries, and narrow A to those."""
    for qualifier in candidates:
        head = qualifier.qualifier_of
        if head is None:
            continue
        ranked = sorted(qualifier.matches, key=lambda m: _rank_key(m, qualifier, None), reverse=True)
        for match in ranked:
            same = tuple(m for m in head.matches if m.entry.id == match.entry.id)
            if same:  # "Washington, D.C.": B is another name of one of A's entries
                head.matches, head.restricted = same, True
                qualifier.forced = match.entry
                break
            if match.entry.feature not in ("country", "admin1"):
                continue
            inside = tuple(m for m in head.matches if _inside(m.entry, match.entry))
            if inside:
                head.matches, head.restricted = inside, True
                qualifier.forced = match.entry
                break


def _context(candidates: list[Candidate]) -> Context:
    """Countries (and US-style subdivisions) the article names without ambiguity."""
    context = Context()
    for candidate in candidates:
        best = candidate.forced or _best(candidate, None).entry
        countries = {m.entry.country for m in candidate.matches}
        if best.feature == "country" or candidate.forced is not None or len(countries) == 1:
            if best.country:
                context.countries.add(best.country)
            sure_city = best.feature in ("city", "capital", "town") and (len(candidate.matches) == 1 or candidate.restricted)
            if sure_city and best.admin1:
                context.admin1s.add((best.country or "", best.admin1))
    # States and provinces the article names, read in the light of those countries ("Florida" in an
    # article about the United States is the state, not Uruguay's department).
    by_country = Context(set(context.countries), set())
    for candidate in candidates:
        state = candidate.forced or _best(candidate, by_country).entry
        if state.feature == "admin1" and state.major and state.admin1 and state.country in context.countries:
            context.admin1s.add((state.country or "", state.admin1))
    return context


def _resolve(candidate: Candidate, context: Context) -> tuple[Entry, str]:
    """The chosen entry and the rule that says why."""
    if candidate.forced is not None:
        entry, reason = candidate.forced, "qualifier"
    else:
        best = _best(candidate, context)
        entry = best.entry
        if candidate.restricted:
            reason = "qualifier"
        elif len({m.entry.id for m in candidate.matches}) == 1:
            reason = "unique"
        elif candidate.admin_word and entry.feature == "admin1":
            reason = "state-word"
        elif _best(candidate, None).entry.id != entry.id:
            without_admin1 = Context(context.countries, set())
            reason = "context-admin1" if _best(candidate, without_admin1).entry.id != entry.id else "context-country"
        else:
            reason = "population" if entry.feature in ("city", "capital") else "rank"
    prefix = {"ner": "gazetteer", "scan": "gazetteer-scan"}.get(candidate.found_by, f"gazetteer-{candidate.found_by}")
    if entry.feature in ("country", "region", "water", "continent"):
        return entry, f"{prefix}:{entry.feature}"
    return entry, f"{prefix}:{entry.feature}:{reason}"


def find_places(doc: Doc, published: datetime.date | None = None) -> list[Place]:
    """Toponyms in ``doc`` resolved to a gazetteer entry, in text order, with ids "P1", "P2", ...

    ``published`` is accepted for symmetry with the other stages; the bundled gazetteer has no dated
    names yet, so it does not change the result.
    """
    if not isinstance(doc, Doc):
        raise TypeError(f"find_places expects a spaCy Doc, not {type(doc).__name__}")
    if not text_of(doc).strip():
        return []
    gazetteer = _gazetteer()
    candidates = _ner_candidates(doc, gazetteer)
    candidates += _scan_candidates(doc, gazetteer, candidates)
    candidates += _suffix_candidates(doc, gazetteer, candidates)
    candidates += _demonym_candidates(doc, gazetteer, candidates)
    candidates += _embedded_candidates(doc, gazetteer, candidates)
    candidates += _dateline_candidates(doc, gazetteer, candidates)
    candidates += _mislabelled_in_context(doc, gazetteer, candidates)
    candidates = _without_overlaps(candidates)
    _link_qualifiers(doc, candidates, gazetteer.words)
    _read_qualifiers(candidates)
    context = _context(candidates)
    places: list[Place] = []
    for candidate in candidates:
        entry, rule = _resolve(candidate, context)
        places.append(Place(id=f"P{len(places) + 1}", start=candidate.start, end=candidate.end,
                            text=text_of(doc)[candidate.start:candidate.end], name=entry.name, country=entry.country,
                            lat=entry.lat, lon=entry.lon, feature=entry.feature, gazetteer_id=entry.id, rule=rule))
    return places


def _without_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Text order; of two overlapping candidates keep the earlier (then the longer)."""
    kept: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.start, -(c.end - c.start))):
        if kept and candidate.start < kept[-1].end:
            continue
        kept.append(candidate)
    return kept




# --------------------------------------------------------------------------------------------------
# Reverse lookup (coordinates -> country), for scoring against reference sets that give only a point
# --------------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _city_grid() -> dict[tuple[int, int], list[Entry]]:
    """Cities and capitals bucketed by whole degree, so a nearest-city search reads nine cells."""
    grid: dict[tuple[int, int], list[Entry]] = {}
    for entry in _gazetteer().entries.values():
        if entry.feature in ("city", "capital", "town") and entry.country:
            grid.setdefault((math.floor(entry.lat), math.floor(entry.lon)), []).append(entry)
    return grid


def nearest_city_country(lat: float, lon: float, radius_km: float = 50.0) -> str | None:
    """The country (ISO3) of the gazetteer city nearest to (lat, lon), if one lies within ``radius_km``.

    Cities are the finest-grained points the gazetteer has, so "the nearest city within 50 km" tells the
    country of a point much better than the nearest country centre would near a border. Points far from
    any city of 15,000+ people (open sea, deserts, a country's own centroid) give None.
    """
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    point = Entry("point", "point", "", None, lat, lon)
    grid = _city_grid()
    best: tuple[float, str | None] = (radius_km, None)
    cell_lat, cell_lon = math.floor(lat), math.floor(lon)
    for d_lat in (-1, 0, 1):
        for d_lon in (-1, 0, 1):
            for entry in grid.get((cell_lat + d_lat, (cell_lon + d_lon + 180) % 360 - 180), ()):
                distance = _distance_km(point, entry)
                if distance <= best[0]:
                    best = (distance, entry.country)
    return best[1]


def lookup_country(name: str) -> str | None:
    """The ISO3 code of the country called ``name`` (any of its names or aliases), else None."""
    if not isinstance(name, str):
        return None
    for match in _gazetteer().index.get(fold(name), ()):
        if match.entry.feature == "country":
            return match.entry.country
    return None


__all__ = ["find_places", "country_centroid", "fold", "nearest_city_country", "lookup_country"]
