"""GDELT 2.0 Events export: a tab-separated file with GDELT's 61 event columns, in GDELT's order, no header.

The columns and how each is filled are listed in ``data/gdelt_events_columns.tsv`` (that file is the header
GDELT files leave out). Codes stay strings with their leading zeros (``010``, ``0311``); actor codes are
CAMEO actor codes (``RUSGOV``); the geographic country and ADM1 columns use FIPS 10-4 codes, as GDELT
does (``data/iso3_fips.tsv``, built by ``scripts/build_fips.py``). GDELT has no modality: by default only
asserted events are written, so that a denied or planned attack is not read as one that happened.
Events with no date at all (no event day and no publication date) are left out: GDELT rows need SQLDATE.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator
from functools import lru_cache
from typing import IO

import duckdb

from tidings.datafiles import read_tsv
from tidings.export.actor_codes import CodedActor, country_names, source_actor, target_actor
from tidings.export.event_context import EventInContext, write_event_lines
from tidings.export.selection import Selection
from tidings.export.summary import ExportSummary, Written
from tidings.records import EventPlace

COLUMNS_FILE = "gdelt_events_columns.tsv"
MODALITY_NOTE = ("GDELT has no modality column: only asserted events were written "
                 "(use --all-modalities to include negated, future, planned, hypothetical and historical ones)")
ALL_MODALITIES_NOTE = ("GDELT has no modality column: negated, future, planned, hypothetical and historical "
                       "events are included and look like events that happened")


@lru_cache(maxsize=1)
def gdelt_columns() -> tuple[tuple[str, str], ...]:
    """(name, DuckDB type) of GDELT's 61 event columns, in file order."""
    return tuple((row["name"], row["sql_type"]) for row in read_tsv(COLUMNS_FILE))


@lru_cache(maxsize=1)
def fips_codes() -> dict[str, str]:
    return {row["iso3"]: row["fips"] for row in read_tsv("iso3_fips.tsv")}


@lru_cache(maxsize=1)
def geo_types() -> dict[str, tuple[int, int]]:
    """tidings place feature -> (GDELT geo type, type inside the US)."""
    types: dict[str, tuple[int, int]] = {}
    for row in read_tsv("gdelt_geo_types.tsv"):
        types[row["feature"]] = (int(row["type"]), int(row["us_type"] or row["type"]))
    return types


def export_gdelt(connection: duckdb.DuckDBPyConnection, handle: IO[str], target: str,
                 selection: Selection, summary: ExportSummary) -> None:
    def line(item: EventInContext) -> str | None:
        cells = gdelt_row(item)
        return "\t".join(cells) if cells is not None else None

    rows, skipped = write_event_lines(connection, selection, handle, line)
    summary.written.append(Written(target, "events", rows))
    summary.notes.append(MODALITY_NOTE if selection.asserted_only else ALL_MODALITIES_NOTE)
    if skipped:
        summary.notes.append(f"{skipped} events with no date at all were left out (GDELT rows need SQLDATE)")


def global_event_id(article_id: str, event_id: str) -> int:
    """A stable positive 63-bit integer for one event of one article (the same on every export)."""
    digest = hashlib.sha256(f"{article_id}:{event_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def gdelt_row(item: EventInContext) -> list[str] | None:
    """The 61 cells of one event, or None when it has no date."""
    if item.day is None:
        return None
    event, article, day = item.event, item.article, item.day
    source = source_actor(item)
    cells: list[object] = [
        global_event_id(article.id, event.id), day.strftime("%Y%m%d"), day.strftime("%Y%m"), day.year,
        _fraction_date(day),
        *_actor_cells(source), *_actor_cells(target_actor(item, source)),
        int(event.evidence.start < article.lead_end),
        event.cameo, event.cameo[:3], event.cameo_root, event.quad_class, event.goldstein,
        1, 1, 1, None,  # NumMentions, NumSources, NumArticles: this one mention; AvgTone: not measured
        *_empty_geo(), *_empty_geo(), *_action_geo(item, event.place),
        article.ingested_at.strftime("%Y%m%d%H%M%S") if article.ingested_at else None,
        article.url or article.source,
    ]
    return [_cell(value) for value in cells]


def _fraction_date(day: datetime.date) -> str:
    # GDELT's own formula (Event Codebook V2.0): the share of the year gone, counting 30-day months.
    return f"{day.year + (day.month * 30 + day.day) / 365:.4f}"


def _actor_cells(actor: CodedActor | None) -> list[object]:
    if actor is None:
        return [None] * 10
    types = list(actor.types) + [None] * 3
    return [actor.code or None, actor.name.upper(), actor.country, actor.known_group,
            None, None, None, *types[:3]]  # ethnic and religion codes: tidings codes neither


def _empty_geo() -> list[object]:
    return [0, *([None] * 7)]


def _action_geo(item: EventInContext, place: EventPlace | None) -> Iterator[object]:
    if place is None:
        yield from _empty_geo()
        return
    stored = item.article.places.get(place.place_id)
    feature = stored.feature if stored else None
    fips = fips_codes().get(place.country or "")
    geo_type, us_type = geo_types().get(feature or "", (0, 0))
    full_name = place.name
    if feature != "country" and place.country in country_names():
        full_name = f"{place.name}, {country_names()[place.country]}"
    feature_id = fips if feature == "country" else (stored.gazetteer_id if stored else None)
    yield from [us_type if place.country == "USA" else geo_type, full_name, fips,
                fips if feature == "country" else None, None, place.lat, place.lon, feature_id]


def _cell(value: object) -> str:
    """One TSV cell: empty for None, and never a tab or line break inside (GDELT files do not quote)."""
    if value is None:
        return ""
    text = str(value)
    return " ".join(text.split()) if any(ch in text for ch in "\t\r\n") else text
