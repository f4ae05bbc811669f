"""The flattened dyad table that makes dyad queries fast on millions of events.

An event names lists of source and target countries and actors, so "the events between A and B" over the
raw ``events`` table is a full scan with list functions. :func:`build_dyad_table` flattens every event once
into one row per *unordered* pair of keys it joins (``lo`` < ``hi``; a key is a country code or an actor id),
with ``forward`` (some source is ``lo`` and some target ``hi``) and ``backward`` flags, so that

* an undirected query is ``lo = ? AND hi = ?`` and counts each event once even when it goes both ways
  (a reciprocal "the two sides signed");
* a directed one adds ``forward`` or ``backward``;
* rows are sorted by ``(lo, hi, day)``, so DuckDB's per-block min/max (zone maps) skip all but the few
  blocks of the pair asked for: no index to maintain.

``day`` is the event's own date on the calendar (a month-precision date counts on the first of its month);
events with coarser dates (a year, "recently") have no day and are left out of the table.
"""

from __future__ import annotations

import json

import duckdb

from tidings.datafiles import DATA

DYAD_TABLE = "dyad_events"


def placed_precisions() -> list[str]:
    """The event date precisions that put an event on the calendar (data/dyad_series.json)."""
    return list(json.loads((DATA / "dyad_series.json").read_text(encoding="utf-8"))["date_precisions"])


# Keys of each side: countries and actor ids together (the state actor 'RUS' and the country 'RUS' are one
# key). ``countries`` marks pairs that are country-to-country, the dyads strongest_shifts ranks.
_BUILD = """
CREATE OR REPLACE TABLE {target} AS
WITH placed AS (
    SELECT article_id, seq, quad_class::TINYINT AS quad_class, goldstein, cameo, cameo_root, modality, status,
           source_countries, target_countries,
           list_distinct(list_concat(source_countries, source_actor_ids)) AS sources,
           list_distinct(list_concat(target_countries, target_actor_ids)) AS targets,
           coalesce("date", try_strptime(left(date_value, 7), '%Y-%m')::DATE) AS day
    FROM {events}
    WHERE list_contains(?, date_precision)
), by_source AS (
    SELECT * EXCLUDE (sources), unnest(sources) AS source_key FROM placed WHERE day IS NOT NULL
), pairs AS (
    SELECT * EXCLUDE (targets), unnest(targets) AS target_key FROM by_source
)
SELECT least(source_key, target_key) AS lo, greatest(source_key, target_key) AS hi,
       bool_or(source_key < target_key) AS forward, bool_or(source_key > target_key) AS backward,
       bool_or(list_contains(source_countries, source_key) AND list_contains(target_countries, target_key))
           AS countries,
       any_value(day) AS day, article_id, seq, any_value(quad_class) AS quad_class,
       any_value(goldstein) AS goldstein, any_value(cameo) AS cameo, any_value(cameo_root) AS cameo_root,
       any_value(modality) AS modality, any_value(status) AS status
FROM pairs
WHERE source_key <> target_key
GROUP BY article_id, seq, lo, hi
ORDER BY lo, hi, day
"""


def build_dyad_table(connection: duckdb.DuckDBPyConnection, *, events: str = "events",
                     target: str = DYAD_TABLE) -> int:
    """(Re)build the dyad table ``target`` from the events table ``events``; returns its row count.

    ``events`` and ``target`` are table names chosen by the caller's code (never user input): the store
    view passes ``store.events`` and an in-memory table."""
    connection.execute(_BUILD.format(target=target, events=events), [placed_precisions()])
    count_sql = f"SELECT count(*) FROM {target}"  # noqa: S608 - target is a table name from our code, not input
    return int(connection.execute(count_sql).fetchall()[0][0])
