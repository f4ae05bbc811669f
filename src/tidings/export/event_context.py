"""Events with what the event-data formats need around them: the article, its actors, mentions and places.

GDELT and PLOVER rows name actors by code and places by coordinates, which live in other tables of the
same article; this module walks the selected events article by article and hands each one over with
those tables already read, so the format modules stay simple row builders.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, TypeVar

import duckdb

from tidings.export.selection import EVENT_DAY, Selection, select_sql
from tidings.records import Actor, Event, Mention, Place, Record

R = TypeVar("R", bound=Record)

ARTICLE_SQL = ("SELECT url, source, outlet, language, published, ingested_at, text, body_start "
               "FROM articles WHERE id = ?")


@dataclass
class ArticleContext:
    id: str
    url: str | None
    source: str | None
    outlet: str | None
    language: str | None
    published: str | None
    ingested_at: datetime.datetime | None
    lead_end: int  # where the first body paragraph ends: events before it are the article's lead
    actors: dict[str, Actor] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    places: dict[str, Place] = field(default_factory=dict)


@dataclass
class EventInContext:
    event: Event
    day: datetime.date | None
    article: ArticleContext


def events_in_context(connection: duckdb.DuckDBPyConnection, selection: Selection) -> Iterator[EventInContext]:
    """The selected events in article order, each with its article's context (read once per article)."""
    query = select_sql("events", selection, extra=f"{EVENT_DAY} AS event_day")
    # select_sql only inlines a checked table name and date objects: see tidings.export.selection.
    rows = connection.execute(f"SELECT article_id, record, event_day FROM ({query})").fetchall()  # noqa: S608
    article: ArticleContext | None = None
    for article_id, record, day in rows:
        if article is None or article.id != article_id:
            article = _article(connection, article_id)
        yield EventInContext(Event.model_validate_json(record), day, article)


def _article(connection: duckdb.DuckDBPyConnection, article_id: str) -> ArticleContext:
    url, source, outlet, language, published, ingested_at, text, body_start = connection.execute(
        ARTICLE_SQL, [article_id]).fetchall()[0]
    paragraph_end = text.find("\n\n", body_start or 0)
    context = ArticleContext(article_id, url, source, outlet, language, published, ingested_at,
                             paragraph_end if paragraph_end >= 0 else len(text))
    for actor in _records(connection, "actors", article_id, Actor):
        context.actors[actor.id] = actor
    context.mentions = _records(connection, "mentions", article_id, Mention)
    for place in _records(connection, "places", article_id, Place):
        context.places[place.id] = place
    return context


def _records(connection: duckdb.DuckDBPyConnection, table: str, article_id: str, model: type[R]) -> list[R]:
    sql = f"SELECT record FROM {table} WHERE article_id = ? ORDER BY seq"  # noqa: S608 - fixed table names only
    rows = connection.execute(sql, [article_id])
    return [model.model_validate_json(record) for (record,) in rows.fetchall()]


def write_event_lines(connection: duckdb.DuckDBPyConnection, selection: Selection,
                      handle: IO[str], line: Callable[[EventInContext], str | None]) -> tuple[int, int]:
    """Write ``line(event)`` for every selected event (a format's one-line-per-event output: GDELT TSV,
    PLOVER JSON Lines); an event the format cannot express (``None``) is skipped. Returns (written, skipped)."""
    written = skipped = 0
    for item in events_in_context(connection, selection):
        text = line(item)
        if text is None:
            skipped += 1
            continue
        handle.write(text + "\n")
        written += 1
    return written, skipped
