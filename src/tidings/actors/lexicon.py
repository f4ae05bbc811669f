"""The actor lexicons: countries (names, nationality words, capitals), seats of power, agent nouns, organisations.

The data lives in TSV files in ``tidings/data`` that a domain expert can edit (``countries.tsv``, ``agents.tsv`` and
``organisations.tsv`` are built by ``scripts/build_lexicons.py``; ``seats.tsv`` and ``media.tsv`` are curated by
hand). ``lexicon()`` loads them once and answers lookups:

* case-insensitively, ignoring accents, curly apostrophes and a leading "the" ("the Kremlin", "The New York Times");
* except for abbreviations stored in capitals without dots (US, UK, AP, WHO), which only match text in capitals,
  so that the pronoun "us" or the word "who" is never taken for a country or an organisation;
* a possessive ("Russia's") is accepted when the bare form is known.

Every entry names where it came from (``entry``, e.g. ``CountryInfo:RUS:Nationality``, ``Phoenix.agents.txt:635``,
``seats.tsv:12``), because every record tidings outputs names the lexicon entry that produced it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..datafiles import read_tsv

__all__ = ["AgentEntry", "CountryEntry", "Lexicon", "OrgEntry", "SeatEntry", "lexicon", "normalize"]


@dataclass(frozen=True)
class CountryEntry:
    iso3: str
    name: str
    entry: str = ""
    form: str = ""  # the form as the lexicon writes it
    kind: str = "name"  # name | adjective | capital
    ambiguous: str = ""  # empty, or why the form has another common reading ("also a US state")


@dataclass(frozen=True)
class SeatEntry:
    name: str
    iso3: str
    sectors: tuple[str, ...]
    entry: str


@dataclass(frozen=True)
class AgentEntry:
    phrase: str
    sectors: tuple[str, ...]
    role: str | None
    entry: str


@dataclass(frozen=True)
class OrgEntry:
    name: str
    country: str | None
    sectors: tuple[str, ...]
    aliases: tuple[str, ...]
    entry: str
    code: str = ""  # the Phoenix actor code, when the entry comes from Phoenix


T = TypeVar("T")
FOUND_CACHE_SIZE = 100_000

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_LEADING_THE = re.compile(r"^the\s+", re.I)


@functools.lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """The lookup key: no accents, casefolded, straight apostrophes, single spaces, no leading "the".
    Cached: the actor passes look the same short spans up many times per article."""
    text = str(text).translate(_APOSTROPHES)
    if not text.isascii():  # ASCII has no decompositions and no combining marks: nothing to strip
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = " ".join(text.casefold().split())
    return _LEADING_THE.sub("", text)


def _bare(text: str) -> str:
    """The text as written, less surrounding space and a leading "the" (for the capitals check)."""
    return _LEADING_THE.sub("", " ".join(str(text).translate(_APOSTROPHES).split()))


def _needs_capitals(form: str) -> bool:
    """Abbreviations written in capitals without dots (US, UK, WHO) match only text written in capitals."""
    bare = _bare(form)
    letters = [ch for ch in bare if ch.isalpha()]
    return len(letters) >= 2 and "." not in bare and all(ch.isupper() for ch in letters)


class _Index(Generic[T]):
    """Forms -> entries, honouring the capitals rule; the first entry added for a key wins ties."""

    def __init__(self) -> None:
        self._entries: dict[str, list[tuple[T, bool]]] = defaultdict(list)
        # find_all's answers by text: the actor passes look up every n-gram of every article, and most
        # short spans ("the", "Mr", "said the") come round again and again.
        self._found: dict[str, tuple[T, ...]] = {}

    def add(self, form: str, entry: T) -> None:
        key = normalize(form)
        self._found.clear()
        if key:
            self._entries[key].append((entry, _needs_capitals(form)))

    def find_all(self, text: str) -> list[T]:
        if not isinstance(text, str):
            return []
        found = self._found.get(text)
        if found is None:
            if len(self._found) >= FOUND_CACHE_SIZE:
                self._found.clear()  # bounded: a long run must not grow the worker's memory
            found = self._found[text] = tuple(self._find_all(text))
        return list(found)

    def _find_all(self, text: str) -> list[T]:
        for key in self._keys(text):
            candidates = self._entries.get(key)
            if not candidates:
                continue
            # The capitals test, only for a key some entry has (most texts looked up match nothing).
            capitals = _is_capitals(_bare(text)) if any(caps for _, caps in candidates) else False
            hits = [entry for entry, caps in candidates if not caps or capitals]
            if hits:
                return hits
        return []

    @staticmethod
    def _keys(text: str) -> Iterator[str]:
        key = normalize(text)
        yield key
        for suffix in ("'s", "'"):  # possessives: "Russia's", "the Philippines'"
            if key.endswith(suffix) and len(key) > len(suffix) + 1:
                yield key[: -len(suffix)]

    def __len__(self) -> int:
        return len(self._entries)

    def first_words(self) -> frozenset[str]:
        """The first word of every key, cut at its first hyphen (computed once)."""
        firsts = self.__dict__.get("_firsts")
        if firsts is None:
            firsts = frozenset(key.split(" ", 1)[0].split("-", 1)[0] for key in self._entries)
            self.__dict__["_firsts"] = firsts
        return firsts

    def could_start(self, word: str) -> bool:
        """Whether some form begins with ``word`` (normalized): a cheap test before building a phrase."""
        return normalize(word).split("-", 1)[0] in self.first_words()


def _is_capitals(text: str) -> bool:
    text = re.sub(r"['\u2019]s?$", "", text)
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _rows(filename: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a packaged TSV with their 1-based line numbers (see :func:`tidings.datafiles.read_tsv`)."""
    for row in read_tsv(filename):
        yield int(row["_line"]), row


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


def _agent_key(phrase: str) -> str:
    return normalize(phrase.replace("-", " ")).replace("'s ", " ")


def _singular(word: str) -> list[str]:
    """Candidate singulars of a plural noun, for agent phrases given in a plural the lexicon lacks."""
    if word.endswith("men"):
        return [word[:-3] + "man"]
    if word.endswith("ies"):
        return [word[:-3] + "y"]
    if word.endswith("es"):
        return [word[:-2], word[:-1]]
    if word.endswith("s") and not word.endswith("ss"):
        return [word[:-1]]
    return []


class Lexicon:
    """Lookups over the packaged actor lexicons. Build it with ``lexicon()`` (loaded once)."""

    def __init__(self) -> None:
        self._names: _Index[CountryEntry] = _Index()
        self._adjectives: _Index[CountryEntry] = _Index()
        self._capitals: _Index[CountryEntry] = _Index()
        self._country_names: dict[str, str] = {}
        self._seats: _Index[SeatEntry] = _Index()
        self._agents: dict[str, AgentEntry] = {}
        self._orgs: _Index[OrgEntry] = _Index()
        self._could_start: dict[str, bool] = {}  # names_could_start's answers by word
        self._country_could_start: dict[str, bool] = {}  # country_could_start's answers by word
        self._load_countries()
        self._load_seats()
        self._load_agents()
        self._load_organisations()

    # ------------------------------------------------------------------------------------------------ loading

    def _load_countries(self) -> None:
        indexes = {"name": self._names, "adjective": self._adjectives, "capital": self._capitals}
        for number, row in _rows("countries.tsv"):
            iso3, name, form, kind = row["iso3"], row["name"], row["form"], row["kind"]
            self._country_names.setdefault(iso3, name)
            index = indexes.get(kind)
            if index is None or not form:
                continue
            index.add(form, CountryEntry(iso3, name, row["source"] or f"countries.tsv:{number}", form, kind,
                                         row["ambiguous"]))

    def _load_seats(self) -> None:
        for number, row in _rows("seats.tsv"):
            entry = SeatEntry(row["name"], row["iso3"], _split(row["sectors"]), f"seats.tsv:{number}")
            self._seats.add(row["name"], entry)

    def _load_agents(self) -> None:
        for number, row in _rows("agents.tsv"):
            phrase = row["phrase"]
            entry = AgentEntry(phrase, _split(row["sectors"]), row["role"] or None,
                               row["source"] or f"agents.tsv:{number}")
            self._agents.setdefault(_agent_key(phrase), entry)

    def _load_organisations(self) -> None:
        # media.tsv first: a curated outlet wins over a same-named Phoenix entry.
        for filename in ("media.tsv", "organisations.tsv"):
            for number, row in _rows(filename):
                aliases = _split(row["aliases"])
                source = f"{filename}:{number}"
                if filename == "organisations.tsv" and row.get("source"):
                    source = row["source"]
                entry = OrgEntry(row["name"], row["country"] or None, _split(row["sectors"]), aliases, source,
                                 row.get("code", ""))
                for form in (row["name"], *aliases):
                    self._orgs.add(form, entry)

    # ------------------------------------------------------------------------------------------------ lookups

    @staticmethod
    def _best(hits: list[CountryEntry]) -> CountryEntry | None:
        """Prefer an unambiguous reading when a form belongs to several countries."""
        if not hits:
            return None
        return next((hit for hit in hits if not hit.ambiguous), hits[0])

    def country_by_name(self, text: str) -> CountryEntry | None:
        """A country named by ``text``: "North Korea", "the U.S.", "DPRK", "Russia's"."""
        return self._best(self._names.find_all(text))

    def country_by_adjective(self, text: str) -> CountryEntry | None:
        """A country from a nationality word or demonym: "North Korean", "Russians", "U.S.", "American"."""
        return self._best(self._adjectives.find_all(text))

    def country_by_capital(self, text: str) -> CountryEntry | None:
        """The country whose capital (or seat of government) is ``text``: "Pyongyang" -> PRK."""
        return self._best(self._capitals.find_all(text))

    def seat(self, text: str) -> SeatEntry | None:
        """A seat of power used for its government or institution: "the Kremlin" -> RUS GOV."""
        hits = self._seats.find_all(text)
        return hits[0] if hits else None

    def agent(self, phrase: str) -> AgentEntry | None:
        """The agent entry for exactly ``phrase`` ("Defense Minister", "officials", "spokespersons")."""
        if not isinstance(phrase, str):
            return None
        key = _agent_key(phrase)
        found = self._agents.get(key)
        if found or not key:
            return found
        head, _, last = key.rpartition(" ")
        for singular in _singular(last):
            found = self._agents.get(f"{head} {singular}".strip())
            if found:
                return found
        return None

    def agent_suffix(self, words: list[str]) -> tuple[int, AgentEntry] | None:
        """The longest agent phrase that ends ``words``, as (number of words it spans, entry).

        ``["kookmin", "university", "professor"]`` -> ``(1, <professor>)``; ``["russian", "defense", "minister"]``
        -> ``(2, <defense minister>)``.
        """
        if not isinstance(words, (list, tuple)):
            return None
        words = [str(word) for word in words if str(word).strip()]
        for start in range(len(words)):
            found = self.agent(" ".join(words[start:]))
            if found:
                return len(words) - start, found
        return None

    def names_could_start(self, word: str) -> bool:
        """Whether a seat or organisation name can begin with this word ("the" always can). Remembered by
        word: the organisation pass asks it of every token of every article."""
        known = self._could_start.get(word)
        if known is None:
            if len(self._could_start) >= FOUND_CACHE_SIZE:
                self._could_start.clear()  # bounded, as the indexes' answers are
            known = self._could_start[word] = normalize(word) in {"", "the"} or self._seats.could_start(word) \
                or self._orgs.could_start(word)
        return known

    def country_could_start(self, word: str) -> bool:
        """False only when no country name, nationality word or capital can be read in any text that
        begins with the token ``word`` followed by whitespace: a sure answer, so that the n-gram passes
        can skip every n-gram starting there without looking each one up.

        Sure for plain ASCII words only (any other answers True): their key is the lower-cased text, its
        first word is ``word`` itself (or ``word`` less a possessive ending, when the n-gram is that one
        word), and a key exists only if that first word, cut at a hyphen, starts some key of the index."""
        known = self._country_could_start.get(word)
        if known is None:
            if len(self._country_could_start) >= FOUND_CACHE_SIZE:
                self._country_could_start.clear()
            known = self._country_could_start[word] = self._country_may_start(word)
        return known

    def _country_may_start(self, word: str) -> bool:
        lowered = word.translate(_APOSTROPHES).lower()
        if not word.isascii() or lowered.split() != [lowered] or lowered == "the":
            return True
        candidates = {lowered}
        for suffix in ("'s", "'"):  # as _Index._keys: "Russia's" looks "russia" up too
            if lowered.endswith(suffix) and len(lowered) > len(suffix) + 1:
                candidates.add(lowered[: -len(suffix)])
        firsts = [index.first_words() for index in (self._names, self._adjectives, self._capitals)]
        return any(candidate.split("-", 1)[0] in words for candidate in candidates for words in firsts)

    def organisation(self, text: str) -> OrgEntry | None:
        """An organisation, agency or news outlet: "UN Security Council", "KCNA", "The New York Times"."""
        hits = self._orgs.find_all(text)
        return hits[0] if hits else None

    def country_name(self, iso3: str) -> str | None:
        """The display name of a country code: "PRK" -> "North Korea"."""
        if not isinstance(iso3, str):
            return None
        return self._country_names.get(iso3.strip().upper())

    def country_codes(self) -> list[str]:
        """Every ISO 3166-1 alpha-3 code the lexicon knows, sorted."""
        return sorted(self._country_names)


@functools.cache
def lexicon() -> Lexicon:
    """The packaged lexicons, loaded on first use and shared afterwards."""
    return Lexicon()
