"""Places: the article's toponyms, each resolved to a country and coordinates.

Entry point: :func:`find_places`. :func:`country_centroid` gives a country's centre for other stages.

Recognition. spaCy's GPE/LOC/FAC entities are the candidates (a leading "the" and a trailing possessive
are trimmed), plus country and region names from the gazetteer that the NER missed or mislabelled
(e.g. "DPRK" tagged ORG). A name found by string is dropped when it sits inside a longer organisation,
person or nationality entity ("UN Security Council", "U.S. National Security Advisor", "North Korean").
Nationality adjectives (NORP) are never candidates. Capitals used for their governments ("Washington
said") are still toponyms: another stage decides whether a mention is an actor or a location.

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

from tidings.datafiles import read_tsv
from tidings.records import Place

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
    feature: str  # country | admin1 | city | capital | region | water
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
        if self.feature in ("region", "water"):
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

    for row in read_tsv("regions.tsv"):
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

    index = {key: tuple(Match(entries[i], primary) for i, primary in ids.items()) for key, ids in names.items()}
    words = json.loads((DATA_DIR / "place_words.json").read_text(encoding="utf-8"))
    generic = frozenset(fold(word) for word in words["generic_names"])
    kinds = {fold(name): kind for name, kind in scan_kinds.items() if fold(name) not in generic}
    usable = {name for name in scan_kinds if fold(name) in kinds}
    return Gazetteer(entries, index, _scan_pattern(usable), words, generic, kinds)


def _scan_pattern(names: set[str]) -> re.Pattern[str] | None:
    """One case-sensitive, whole-word pattern; longest names first so "South Korea" beats "Korea"."""
    usable = sorted((n for n in names if len(n) >= 2 and n[0].isupper()), key=lambda n: (-len(n), n))
    if not usable:
        return None
    # Either apostrophe: "People's" and "People’s" are the same name.
    alternation = "|".join(re.sub("['’]", "['’]", re.escape(n)) for n in usable)
    return re.compile(rf"(?<![\w.])(?:{alternation})(?![\w])")


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
    start: int  # character offsets into doc.text
    end: int
    matches: tuple[Match, ...]
    found_by: str  # "ner" or "scan"
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
            matches = _lookup(doc.text[start:end], gazetteer)
            admin_word = False
            if not matches and len(piece) > 1 and piece[-1].lower_ in suffixes:
                end = piece[-2].idx + len(piece[-2].text)
                matches = _lookup(doc.text[start:end], gazetteer)
                admin_word = piece[-1].lower_ in admin_words
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
    for match in gazetteer.scan_pattern.finditer(doc.text):
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
        person = label == "PERSON"
        if label is not None and not person and label not in MISLABEL_OK and kind != "region":
            continue
        if person and (kind == "country" or _in_longer_person(doc, match.group())):
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
    trimmed = _trim(ent, words)
    if trimmed is None or trimmed.start_char != start:
        return "inside"
    if trimmed.end_char - _possessive_glued(trimmed.text, words) != end:
        return "inside"
    return ent.label_


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
    for token in doc:
        if token.lower_ not in markers or token.i == 0:
            continue
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


def _link_qualifiers(doc: Doc, candidates: list[Candidate], words: dict[str, list[str]]) -> None:
    separators = set(words["qualifier_separators"])
    for head, qualifier in zip(candidates, candidates[1:]):
        if doc.text[head.end:qualifier.start] in separators and head.qualifier_of is None:
            qualifier.qualifier_of = head


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
    if area.feature == "admin1" and place.feature in ("city", "capital"):
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
        if entry.feature == "admin1" and (entry.country, entry.admin1) in context.admin1s:
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
            sure_city = best.feature in ("city", "capital") and (len(candidate.matches) == 1 or candidate.restricted)
            if sure_city and best.admin1:
                context.admin1s.add((best.country or "", best.admin1))
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
    prefix = "gazetteer" if candidate.found_by == "ner" else "gazetteer-scan"
    if entry.feature in ("country", "region", "water"):
        return entry, f"{prefix}:{entry.feature}"
    return entry, f"{prefix}:{entry.feature}:{reason}"


def find_places(doc: Doc, published: datetime.date | None = None) -> list[Place]:
    """Toponyms in ``doc`` resolved to a gazetteer entry, in text order, with ids "P1", "P2", ...

    ``published`` is accepted for symmetry with the other stages; the bundled gazetteer has no dated
    names yet, so it does not change the result.
    """
    if not isinstance(doc, Doc):
        raise TypeError(f"find_places expects a spaCy Doc, not {type(doc).__name__}")
    if not doc.text.strip():
        return []
    gazetteer = _gazetteer()
    candidates = _ner_candidates(doc, gazetteer)
    candidates += _scan_candidates(doc, gazetteer, candidates)
    candidates += _suffix_candidates(doc, gazetteer, candidates)
    candidates = _without_overlaps(candidates)
    _link_qualifiers(doc, candidates, gazetteer.words)
    _read_qualifiers(candidates)
    context = _context(candidates)
    places: list[Place] = []
    for candidate in candidates:
        entry, rule = _resolve(candidate, context)
        places.append(Place(id=f"P{len(places) + 1}", start=candidate.start, end=candidate.end,
                            text=doc.text[candidate.start:candidate.end], name=entry.name, country=entry.country,
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


__all__ = ["find_places", "country_centroid", "fold"]
