"""The store's tables: one per record type, plus the ingest log and the rejects.

Each record table is declared once, as columns with the function that reads the column's value from the
record, so the DDL and the writer cannot drift apart. Fields people filter on are flattened into columns
(countries as ``VARCHAR[]`` lists, offsets and evidence text beside each other); every record table also
keeps the whole record as ``record JSON``, so nothing the analysis produced is lost and an
:class:`~tidings.records.Analysis` can be rebuilt from the store. The articles table has every Article field
as a column (``removed`` as JSON) instead.

Keys: ``articles.id`` is the content hash, so a text is stored once whatever its source. Record tables are
keyed by ``(article_id, seq)``, the record's position in its list; record ids are unique within an article
too, but the store does not make an article's fate depend on that.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tidings.records import Actor, Analysis, Claim, Event, Mention, Place, Quote, Record, Span, Timex

STORE_VERSION = "1"


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class RecordTable:
    """A table holding one list of an Analysis (``field``), one row per record."""

    name: str
    field: str
    model: type[Record]
    columns: tuple[Column, ...]

    def rows(self, article_id: str, records: list[Any]) -> list[tuple]:
        return [(article_id, seq, *(column.value(record) for column in self.columns), record.model_dump_json())
                for seq, record in enumerate(records)]

    def ddl(self) -> str:
        columns = ", ".join(f'"{column.name}" {column.sql_type}' for column in self.columns)
        return (f"CREATE TABLE IF NOT EXISTS {self.name} (article_id VARCHAR NOT NULL, seq INTEGER NOT NULL, "
                f"{columns}, record JSON NOT NULL, PRIMARY KEY (article_id, seq))")

    @property
    def column_names(self) -> list[str]:
        return ["article_id", "seq", *(column.name for column in self.columns), "record"]


def iso_date(value: str | None) -> datetime.date | None:
    """A DATE column value from an ISO date string; None for anything else (the JSON keeps the original)."""
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _json(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Record):
        return value.model_dump_json()
    return json.dumps(value, ensure_ascii=False)


def _span(prefix: str, get: Callable[[Any], Span | None], *, text: bool = True) -> tuple[Column, ...]:
    columns: tuple[Column, ...] = (Column(f"{prefix}start", "INTEGER", lambda r: (s := get(r)) and s.start),
               Column(f"{prefix}end", "INTEGER", lambda r: (s := get(r)) and s.end))
    if text:
        columns += (Column(f"{prefix}text", "VARCHAR", lambda r: (s := get(r)) and s.text),)
    return columns


def _attr(name: str, sql_type: str = "VARCHAR") -> Column:
    return Column(name, sql_type, lambda record: getattr(record, name))


def _renamed(name: str, attribute: str, sql_type: str = "VARCHAR") -> Column:
    return Column(name, sql_type, lambda record: getattr(record, attribute))


def _own_span() -> tuple[Column, ...]:
    return (_attr("start", "INTEGER"), _attr("end", "INTEGER"), _attr("text"))


LIST = "VARCHAR[]"

ACTORS = RecordTable("actors", "actors", Actor, (
    _renamed("actor_id", "id"), _attr("name"), _attr("kind"), _attr("country"), _attr("sector"),
    _attr("sectors", LIST), _attr("role"), _attr("role_start"), _attr("role_end"), _attr("members", LIST),
    _attr("aliases", LIST), _attr("source"),
))

MENTIONS = RecordTable("mentions", "mentions", Mention, (
    _renamed("mention_id", "id"), *_own_span(), _attr("actor_id"), _attr("kind"), _attr("rule"),
))

QUOTES = RecordTable("quotes", "quotes", Quote, (
    _renamed("quote_id", "id"), _attr("kind"),
    *_span("content_", lambda q: q.content), *_span("cue_", lambda q: q.cue),
    Column("speaker_text", "VARCHAR", lambda q: q.speaker.mention and q.speaker.mention.text),
    Column("speaker_actor_ids", LIST, lambda q: q.speaker.actor_ids),
    Column("speaker_countries", LIST, lambda q: q.speaker.countries),
    Column("speaker_descriptor", "VARCHAR", lambda q: q.speaker.descriptor),
    Column("anonymous", "BOOLEAN", lambda q: q.speaker.anonymous),
    Column("addressee_text", "VARCHAR", lambda q: q.addressee and q.addressee.text),
    _attr("addressee_actor_id"), _attr("follow_on", "BOOLEAN"), _attr("rule"),
))

EVENTS = RecordTable("events", "events", Event, (
    _renamed("event_id", "id"), _attr("sentence", "INTEGER"),
    *_span("evidence_", lambda e: e.evidence), *_span("trigger_", lambda e: e.trigger),
    _attr("source_actor_ids", LIST), _attr("target_actor_ids", LIST),
    _attr("source_countries", LIST), _attr("target_countries", LIST),
    _attr("cameo"), _attr("cameo_root"), _attr("cameo_name"), _attr("quad_class", "INTEGER"),
    _attr("goldstein", "DOUBLE"), _attr("plover"), _attr("modality"), _attr("act_cameo"),
    Column("modality_cue_text", "VARCHAR", lambda e: e.modality_cue and e.modality_cue.text),
    _attr("reciprocal", "BOOLEAN"), _attr("status"),
    Column("attributed_to", "JSON", lambda e: _json(e.attributed_to)),
    Column("attributed_quote_id", "VARCHAR", lambda e: e.attributed_to and e.attributed_to.quote_id),
    Column("date_value", "VARCHAR", lambda e: e.date.value),
    Column("date_precision", "VARCHAR", lambda e: e.date.precision),
    Column("date_from", "VARCHAR", lambda e: e.date.date_from),
    Column("date", "DATE", lambda e: iso_date(e.date.value)),
    Column("place_name", "VARCHAR", lambda e: e.place and e.place.name),
    Column("place_country", "VARCHAR", lambda e: e.place and e.place.country),
    Column("lat", "DOUBLE", lambda e: e.place and e.place.lat),
    Column("lon", "DOUBLE", lambda e: e.place and e.place.lon),
    Column("place_from", "VARCHAR", lambda e: e.place and e.place.place_from),
    _attr("confidence", "DOUBLE"), _attr("rule"),
))

CLAIMS = RecordTable("claims", "claims", Claim, (
    _renamed("claim_id", "id"), *_span("", lambda c: c.span), _attr("quote_id"),
    _attr("source_actor_ids", LIST), _attr("source_countries", LIST), _attr("anonymous", "BOOLEAN"),
    _attr("status"), Column("status_evidence_text", "VARCHAR", lambda c: c.status_evidence and c.status_evidence.text),
    _attr("event_ids", LIST), _attr("rule"),
))

TIMEXES = RecordTable("timexes", "timexes", Timex, (
    _renamed("timex_id", "id"), *_own_span(), _attr("type"), _attr("value"), _attr("anchor"), _attr("rule"),
))

PLACES = RecordTable("places", "places", Place, (
    _renamed("place_id", "id"), *_own_span(), _attr("name"), _attr("country"), _attr("lat", "DOUBLE"),
    _attr("lon", "DOUBLE"), _attr("feature"), _attr("gazetteer_id"), _attr("rule"),
))

RECORD_TABLES: tuple[RecordTable, ...] = (ACTORS, MENTIONS, QUOTES, EVENTS, CLAIMS, TIMEXES, PLACES)

ARTICLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "VARCHAR PRIMARY KEY"), ("source", "VARCHAR"), ("url", "VARCHAR"), ("outlet", "VARCHAR"),
    ("title", "VARCHAR"), ("subtitle", "VARCHAR"), ("published", "VARCHAR"), ("published_date", "DATE"),
    ("published_from", "VARCHAR"), ("language", "VARCHAR"), ("text", "VARCHAR NOT NULL"),
    ("body_start", "INTEGER"), ("removed", "JSON"), ("warnings", "JSON"), ("schema_version", "VARCHAR"),
    ("model", "VARCHAR"), ("ingested_at", "TIMESTAMP"),
)


def article_row(analysis: Analysis, model: str, now: datetime.datetime) -> tuple:
    """The articles row of one analysis, in ARTICLE_COLUMNS order."""
    return (*_article_values(analysis), model, now)


def _article_values(analysis: Analysis) -> tuple:
    """The articles row but its last two columns (model, ingested_at), which the writer fills in."""
    article = analysis.article
    return (article.id, article.source, article.url, article.outlet, article.title, article.subtitle,
            article.published, iso_date(article.published), article.published_from, article.language,
            article.text, article.body_start,
            json.dumps([removal.model_dump() for removal in article.removed], ensure_ascii=False),
            json.dumps(analysis.warnings, ensure_ascii=False), analysis.schema_version)


@dataclass(frozen=True)
class StoreRows:
    """One analysis as what the writer needs of it: its rows (the articles row without ``model`` and
    ``ingested_at``, then one list per table of RECORD_TABLES, in order) and the few facts the load loop
    reports. Built by :func:`store_rows`, on a Dask worker when there is one: there it costs a worker a
    fraction of a ms, where the single writer process would otherwise unpickle every record object
    (several times slower than unpickling its rows) and then build the same rows itself."""

    article_id: str | None
    source: str | None
    error: str | None
    events: int
    article: tuple
    tables: tuple[list[tuple], ...]

    @property
    def storable(self) -> bool:
        return not self.error and bool(self.article_id)


def store_rows(analysis: Analysis) -> StoreRows:
    """``analysis`` as the writer's rows (none for an analysis that is not stored: one with an error, or
    an article without an id)."""
    article = analysis.article
    rows = StoreRows(article.id, article.source, analysis.error, len(analysis.events), (), ())
    if not rows.storable:
        return rows
    return StoreRows(article.id, article.source, analysis.error, len(analysis.events), _article_values(analysis),
                     tuple(table.rows(article.id, getattr(analysis, table.field)) for table in RECORD_TABLES))


OTHER_DDL: tuple[str, ...] = (
    "CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    "CREATE SEQUENCE IF NOT EXISTS ingest_log_seq",
    # One row per source item per run: what became of it. An article's 'ingested' row is written in the
    # same transaction as the article, so the log never claims an article the store does not hold.
    "CREATE TABLE IF NOT EXISTS ingest_log (id BIGINT PRIMARY KEY DEFAULT nextval('ingest_log_seq'), "
    "run_id VARCHAR, source VARCHAR, article_id VARCHAR, status VARCHAR NOT NULL, reason VARCHAR, "
    "logged_at TIMESTAMP NOT NULL)",
    # One row per rejected source and reason; seeing it again on a later run updates it, never repeats it.
    "CREATE TABLE IF NOT EXISTS rejects (source VARCHAR NOT NULL, reason VARCHAR NOT NULL, excerpt VARCHAR, "
    "size BIGINT, first_seen TIMESTAMP NOT NULL, last_seen TIMESTAMP NOT NULL, times INTEGER NOT NULL, "
    "PRIMARY KEY (source, reason))",
)


def all_ddl() -> list[str]:
    """Every statement that creates the store's tables (each safe to run again on an existing store)."""
    articles = ", ".join(f'"{name}" {sql_type}' for name, sql_type in ARTICLE_COLUMNS)
    return [f"CREATE TABLE IF NOT EXISTS articles ({articles})", *(table.ddl() for table in RECORD_TABLES),
            *OTHER_DDL]
