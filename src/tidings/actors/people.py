"""The people lexicon: who held which office when.

Two data files feed it:

* ``people.tsv``, built by ``scripts/build_people.py`` from the PETRARCH2/CountryInfo lexicons (about 18,000
  people, roles up to 2014; an open-ended period there means "in office when the source was written");
* ``roles_curated.tsv``, hand-curated office holders 2010-2026, which take precedence: a curated person
  absorbs the lexicon person with the same name in the same country, and that person's periods that overlap a
  curated one are dropped.

``people()`` loads both once and answers four questions: who is called this (``find``), what office did they
hold on a date (``role_on``), who held this office on a date (``holder``), and who has this family name
(``by_surname``).  Names match case-, accent-, hyphen- and dot-insensitively ("Kim Jong-un" == "Kim Jong Un").
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from tidings.datafiles import read_tsv

PEOPLE_FILE = "people.tsv"
CURATED_FILE = "roles_curated.tsv"

# people.tsv's source (PETRARCH2 Phoenix.Countries.actors.txt) was generated on this date: an open-ended
# period there is only known to have lasted until then (or until its own start, if later).
SOURCE_GENERATED = date(2014, 1, 30)


@dataclass(frozen=True)
class RolePeriod:
    """One stretch of time in one office (or, with ``role`` None, in a sector such as ELI = elite/former)."""

    role: str | None
    country: str
    sectors: tuple[str, ...]
    start: date | None
    end: date | None
    entry: str  # the data row it comes from: "roles_curated.tsv:12", "Phoenix.Countries.actors.txt:39782"
    open_from_source: bool = False  # the source said "from start on": the end is unknown, not "still today"

    @property
    def curated(self) -> bool:
        return self.entry.startswith(CURATED_FILE)

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None

    @property
    def known_until(self) -> date | None:
        """The last day the period is known to have lasted; None when it runs to the present."""
        if self.end is not None:
            return self.end
        if self.open_from_source:
            return max(self.start or SOURCE_GENERATED, SOURCE_GENERATED)
        return None

    def covers(self, on: date) -> bool:
        """Whether the holder is known to have been in this office on ``on``."""
        if not self.dated:
            return False
        if self.start is not None and on < self.start:
            return False
        until = self.known_until
        return until is None or on <= until

    def began_by(self, on: date) -> bool:
        return (self.start or self.end or date.max) <= on


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    aliases: tuple[str, ...]
    periods: tuple[RolePeriod, ...]

    @property
    def curated(self) -> bool:
        return any(p.curated for p in self.periods)


# ------------------------------------------------------------------------------------------ names


def name_key(text: str) -> str:
    """The form names are compared in: no accents, case, hyphens, dots or apostrophes.

    "Kim Jong-un" and "Kim Jong Un" -> "kim jong un"; "Erdoğan" -> "erdogan"; "H.R. McMaster" -> "h r mcmaster".
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("ı", "i").replace("ł", "l").replace("ø", "o").replace("đ", "d").replace("ß", "ss")
    plain = plain.casefold()
    plain = re.sub(r"['’‘`ʼ]", "", plain)
    plain = re.sub(r"[^\w]+|_", " ", plain)
    return " ".join(plain.split())


# ------------------------------------------------------------------------------------------ dates


def parse_date(text: str, *, as_end: bool = False) -> date | None:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; a partial end date means the last day it names."""
    text = text.strip()
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else (12 if as_end else 1)
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    day = int(match.group(3)) if match.group(3) else (last if as_end else 1)
    if not 1 <= day <= last:
        return None
    return date(year, month, day)


def _overlaps(a: RolePeriod, b: RolePeriod) -> bool:
    if not (a.dated and b.dated):
        return False
    a_start, b_start = a.start or date.min, b.start or date.min
    a_end, b_end = a.known_until or date.max, b.known_until or date.max
    return a_start <= b_end and b_start <= a_end


# ------------------------------------------------------------------------------------------ loading


@dataclass
class _Draft:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    periods: list[RolePeriod] = field(default_factory=list)
    _keys: set[str] = field(default_factory=set)
    _raw_seen: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._keys.add(name_key(self.name))

    def keys(self) -> set[str]:
        return {k for k in self._keys if k}

    def countries(self) -> set[str]:
        return {p.country for p in self.periods}

    def add_aliases(self, names: Iterable[str]) -> None:
        for alias in names:
            if alias in self._raw_seen:  # people.tsv repeats a person's aliases on every row
                continue
            self._raw_seen.add(alias)
            key = name_key(alias)
            if key and key not in self._keys:
                self._keys.add(key)
                self.aliases.append(alias.strip())

    def freeze(self) -> Person:
        return Person(self.id, self.name, tuple(self.aliases), tuple(self.periods))


def _drafts(filename: str) -> dict[str, _Draft]:
    drafts: dict[str, _Draft] = {}
    for row in read_tsv(filename):
        person_id, name = row.get("id", ""), row.get("name", "")
        if not person_id or not name:
            continue
        draft = drafts.get(person_id)
        if draft is None:
            draft = drafts[person_id] = _Draft(person_id, name)
        draft.add_aliases(a for a in row.get("aliases", "").split("|") if a.strip())
        country = row.get("country", "").strip()
        if not country:
            continue
        draft.periods.append(RolePeriod(
            role=row.get("role", "").strip() or None,
            country=country,
            sectors=tuple(s for s in row.get("sectors", "").split("|") if s.strip()),
            start=parse_date(row.get("start", "")),
            end=parse_date(row.get("end", ""), as_end=True),
            entry=row.get("entry", "").strip() or f"{filename}:{row.get('_line', '?')}",
            open_from_source=row.get("open_from_source", "").strip().lower() in {"true", "1", "yes"},
        ))
    return drafts


def _merge(curated: dict[str, _Draft], sourced: dict[str, _Draft]) -> list[_Draft]:
    """Curated people absorb the lexicon people who share a full name (two words or more) and a country."""
    by_key: dict[str, list[str]] = {}
    for draft in sourced.values():
        for key in draft.keys():
            if " " in key:
                by_key.setdefault(key, []).append(draft.id)
    absorbed: set[str] = set()
    for person in curated.values():
        countries = person.countries()
        matches = dict.fromkeys(i for key in sorted(person.keys()) for i in by_key.get(key, ()))
        for other_id in matches:
            other = sourced[other_id]
            if other_id in absorbed or not (countries & other.countries()):
                continue
            absorbed.add(other_id)
            person.add_aliases([other.name, *other.aliases])
            own = [c for c in person.periods if c.curated]
            person.periods.extend(p for p in other.periods if not any(_overlaps(p, c) for c in own))
    merged = list(curated.values())
    taken = set(curated)
    for draft in sourced.values():
        if draft.id in absorbed:
            continue
        if draft.id in taken:  # a namesake of a curated person, elsewhere: keep both, apart
            draft.id = _free_id(f"{draft.id}-{sorted(draft.countries())[0].lower() if draft.periods else 'x'}", taken)
        taken.add(draft.id)
        merged.append(draft)
    return merged


def _free_id(base: str, taken: set[str]) -> str:
    candidate, suffix = base, 2
    while candidate in taken:
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate


# ------------------------------------------------------------------------------------------ the index


def _latest_start(period: RolePeriod) -> date:
    return period.start or period.end or date.min


SIMILAR_NAME_CUTOFF = 0.88


class PeopleIndex:
    """People with dated roles, searchable by name, surname and office."""

    def __init__(self, persons: Iterable[Person]) -> None:
        self.persons: tuple[Person, ...] = tuple(persons)
        self._by_key: dict[str, list[int]] = {}
        self._by_last_word: dict[str, list[int]] = {}
        self._by_office: dict[tuple[str, str], list[tuple[int, RolePeriod]]] = {}
        self._by_id: dict[str, int] = {}
        for index, person in enumerate(self.persons):
            self._by_id[person.id] = index
            for name in (person.name, *person.aliases):
                key = name_key(name)
                if not key:
                    continue
                _add(self._by_key, key, index)
                _add(self._by_last_word, key.rsplit(" ", 1)[-1], index)
            for period in person.periods:
                if period.role:
                    self._by_office.setdefault((period.country, period.role), []).append((index, period))

    def __len__(self) -> int:
        return len(self.persons)

    def get(self, person_id: str) -> Person | None:
        index = self._by_id.get(person_id)
        return None if index is None else self.persons[index]

    # -- name lookups ----------------------------------------------------------------------------

    def find(self, name: str, on: date | None = None) -> list[Person]:
        """People whose name or an alias is ``name``; with ``on``, those in office then first, then those
        whose known career had begun by then, then the rest."""
        key = name_key(name) if isinstance(name, str) else ""
        if not key:
            return []
        indexes = self._by_key.get(key, [])
        return self._rank([self.persons[i] for i in indexes], on, exact=key)

    def by_surname(self, surname: str, on: date | None = None) -> list[Person]:
        """People whose name ends in ``surname`` ("Shoigu", "López Obrador"), or who are known by it alone
        ("Xi", "Kim"); people in office on ``on`` first."""
        key = name_key(surname) if isinstance(surname, str) else ""
        if not key:
            return []
        words = key.split(" ")
        found: list[Person] = []
        for index in self._by_last_word.get(words[-1], []):
            person = self.persons[index]
            for name in (person.name, *person.aliases):
                name_words = name_key(name).split(" ")
                if name_words[-len(words):] == words and (len(name_words) > len(words) or len(name_words) == 1):
                    found.append(person)
                    break
        return self._rank(found, on, exact=None)

    def similar(self, name: str, on: date | None = None) -> list[Person]:
        """People whose full name is spelled almost like ``name`` ("Francois Mitterand" → François
        Mitterrand, "Abdelaziz Bouteflicka" → Bouteflika): transliterations and slips. Only names of two
        or more words, compared within the same surname initial and first-name word, at a high bar."""
        import difflib

        key = name_key(name)
        words = key.split()
        if len(words) < 2 or len(key) < 8:
            return []
        pool = self._similar_pool().get((words[0], words[-1][:1]), set())
        matches = difflib.get_close_matches(key, pool, n=3, cutoff=SIMILAR_NAME_CUTOFF)
        found = [self.persons[i] for match in matches for i in self._by_key[match]]
        return self._rank(list({p.id: p for p in found}.values()), on, exact=None)

    def _similar_pool(self) -> dict[tuple[str, str], set[str]]:
        """Name keys of two or more words by (first word, surname initial), built on first use."""
        pool = getattr(self, "_pool_by_first_word", None)
        if pool is None:
            pool = {}
            for key in self._by_key:
                parts = key.split()
                if len(parts) >= 2:
                    pool.setdefault((parts[0], parts[-1][:1]), set()).add(key)
            self._pool_by_first_word = pool
        return pool

    def _rank(self, persons: list[Person], on: date | None, exact: str | None) -> list[Person]:
        unique = list(dict.fromkeys(persons))

        def score(person: Person) -> tuple[int, int, int, int]:
            if on is None:
                fit = 0
            elif any(p.covers(on) for p in person.periods):
                fit = 0
            elif any(p.began_by(on) for p in person.periods if p.dated) or not any(p.dated for p in person.periods):
                fit = 1
            else:
                fit = 2
            named = 0 if exact is None or name_key(person.name) == exact else 1
            return (fit, 0 if person.curated else 1, named, -sum(1 for p in person.periods if p.role))

        return sorted(unique, key=score)  # sorted() is stable: file order breaks the remaining ties

    # -- dated roles -------------------------------------------------------------------------------

    def role_on(self, person: Person, on: date | None) -> RolePeriod | None:
        """The period covering ``on``: a curated office (the first listed, when several cover it), else an
        office rather than a bare sector, the most recent start first; else the latest one before ``on``;
        else the first.  Without ``on``, as of today."""
        dated = [p for p in person.periods if p.dated]
        if not dated:
            return person.periods[0] if person.periods else None
        if on is None:
            on = date.today()
        covering = [p for p in dated if p.covers(on)]
        curated_offices = [p for p in covering if p.curated and p.role]
        if curated_offices:
            return curated_offices[0]  # the curator lists the office news should name first
        if covering:
            return max(covering, key=lambda p: (p.role is not None, _latest_start(p)))
        before = [p for p in dated if p.began_by(on)]
        if before:
            return max(before, key=lambda p: (p.known_until or date.max, p.role is not None, _latest_start(p)))
        return min(dated, key=lambda p: (p.start or p.end or date.max))

    def holder(self, country: str, role: str, on: date | None) -> Person | None:
        """Who held ``role`` in ``country`` on ``on`` (curated rows first, then the most recent start);
        without ``on``, the current holder (or the most recent one).  None when nobody is known."""
        if not isinstance(country, str) or not isinstance(role, str):
            return None
        offices = self._by_office.get((country.upper(), role), [])
        if not offices:
            return None
        if on is None:
            current = [(i, p) for i, p in offices if p.known_until is None and not p.open_from_source]
            pool = current or offices
            index, _ = max(pool, key=lambda ip: (_latest_start(ip[1]), ip[1].curated))
            return self.persons[index]
        covering = [(i, p) for i, p in offices if p.covers(on) and not _superseded(p, offices, on)]
        if not covering:
            return None
        index, _ = max(covering, key=lambda ip: (ip[1].curated, _latest_start(ip[1])))
        return self.persons[index]


def _superseded(period: RolePeriod, offices: list[tuple[int, RolePeriod]], on: date) -> bool:
    """An open-ended period from the 2014 source is over once someone else took the office before ``on``."""
    if not period.open_from_source or period.start is None:
        return False
    return any(other is not period and other.start is not None and period.start < other.start <= on
               for _, other in offices)


def _add(index: dict[str, list[int]], key: str, value: int) -> None:
    bucket = index.setdefault(key, [])
    if not bucket or bucket[-1] != value:
        bucket.append(value)


@lru_cache(maxsize=1)
def people() -> PeopleIndex:
    """The people lexicon, loaded once."""
    merged = _merge(_drafts(CURATED_FILE), _drafts(PEOPLE_FILE))
    return PeopleIndex(d.freeze() for d in merged)


__all__ = ["Person", "PeopleIndex", "RolePeriod", "name_key", "parse_date", "people"]
