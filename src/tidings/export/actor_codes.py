"""CAMEO actor codes for an event's source and target, as the event-data formats expect them.

A CAMEO actor code is a country (ISO alpha-3, which CAMEO country codes follow) or a non-state prefix
(IGO, NGO ...) followed by sector codes: ``RUSGOV``, ``USAMIL``, ``IGOUNO``. tidings' actors carry exactly
those parts (``country``, ``sectors``); events name their actors by id, and an id the article's actor
table does not hold is read as a bare country or country+sector code (``PRK``, ``RUSGOV``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tidings.datafiles import read_tsv
from tidings.export.event_context import EventInContext

MAX_SECTORS = 3  # GDELT has three type columns


@dataclass(frozen=True)
class CodedActor:
    id: str
    name: str
    country: str | None  # ISO alpha-3 of a state; None for non-state and unknown actors
    prefix: str | None  # a non-state prefix in the country slot (IGO, NGO ...)
    sectors: tuple[str, ...]

    @property
    def code(self) -> str:
        return (self.country or self.prefix or "") + "".join(self.sectors[:MAX_SECTORS])

    @property
    def known_group(self) -> str | None:
        """GDELT's KnownGroupCode: the specific body a non-state actor is (UNO for the United Nations)."""
        return self.sectors[0] if self.prefix and self.sectors else None

    @property
    def types(self) -> tuple[str, ...]:
        """GDELT's Type1..3 codes: the sectors, with a non-state prefix standing first."""
        if self.prefix:
            return (self.prefix, *self.sectors[1:])[:MAX_SECTORS]
        return self.sectors[:MAX_SECTORS]


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO alpha-3 -> display name, from the countries lexicon."""
    names: dict[str, str] = {}
    for row in read_tsv("countries.tsv"):
        names.setdefault(row["iso3"], row["name"])
    return names


def source_actor(item: EventInContext) -> CodedActor | None:
    event = item.event
    return _first(item, event.source_actor_ids, event.source_countries, exclude=None)


def target_actor(item: EventInContext, source: CodedActor | None) -> CodedActor | None:
    """The first target that is not the source (a reciprocal event lists both sides on both sides)."""
    event = item.event
    return _first(item, event.target_actor_ids, event.target_countries, exclude=source)


def coded_actor(item: EventInContext, actor_id: str) -> CodedActor:
    actor = item.article.actors.get(actor_id)
    if actor is not None:
        sectors = tuple(actor.sectors or ([actor.sector] if actor.sector else []))
        return _coded(actor.id, actor.name, actor.country, sectors)
    match = re.fullmatch(r"([A-Z]{3})((?:[A-Z]{3})*)", actor_id)
    if match:
        country, rest = match.groups()
        sectors = tuple(rest[i:i + 3] for i in range(0, len(rest), 3))
        return _coded(actor_id, country_names().get(country, actor_id), country, sectors)
    return CodedActor(actor_id, actor_id, None, None, ())


def _coded(actor_id: str, name: str, country: str | None, sectors: tuple[str, ...]) -> CodedActor:
    if country and country not in country_names():
        # Not a state: IGO and the like stand in the country slot; drop the prefix's echo from the sectors.
        return CodedActor(actor_id, name, None, country, tuple(s for s in sectors if s != country))
    return CodedActor(actor_id, name, country, None, sectors)


def _first(item: EventInContext, actor_ids: list[str], countries: list[str],
           exclude: CodedActor | None) -> CodedActor | None:
    for actor_id in actor_ids:
        if exclude is None or actor_id != exclude.id:
            return coded_actor(item, actor_id)
    for country in countries:
        if exclude is None or country not in (exclude.id, exclude.country):
            return coded_actor(item, country)
    return None
