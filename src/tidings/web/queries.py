"""The API's list queries: filters in, one page of rows out, every user value a bound parameter.

A :class:`Filters` collects WHERE clauses written in this module with ``?`` placeholders and the values
that fill them; nothing a request sends is ever spliced into SQL text. Each ``*_page`` function runs the
count and the page query over the same filters, against the ``store.`` tables of a
:class:`~tidings.analysis.store_view.StoreView` cursor.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

import duckdb

from tidings.records import Claim, Event, Quote
from tidings.web.models import ActorRef, ActorStats, ArticleSummary, ClaimItem, EventItem, Page, QuoteItem


@dataclass
class Filters:
    clauses: list[str] = field(default_factory=list)
    parameters: list[Any] = field(default_factory=list)

    def add(self, clause: str, *values: Any) -> None:
        self.clauses.append(clause)
        self.parameters.extend(values)

    def where(self) -> str:
        return ("WHERE " + " AND ".join(self.clauses)) if self.clauses else ""


def like_pattern(text: str) -> str:
    """A case-insensitive 'contains' pattern with LIKE's wildcards in ``text`` taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _page(cursor: duckdb.DuckDBPyConnection, base: str, select: str, filters: Filters, order: str, limit: int,
          offset: int) -> tuple[int, list[tuple]]:
    """``total`` rows of the subquery ``base`` that pass ``filters``, and the ``select`` columns of one page."""
    where = filters.where()
    # Only fixed SQL pieces are spliced in (base, select, order come from this module; the filters'
    # values are bound as parameters).
    total = (cursor.execute(f"SELECT count(*) FROM ({base}) {where}",  # noqa: S608 - fixed pieces, bound values
                            filters.parameters).fetchone() or (0,))[0]
    rows = cursor.execute(f"SELECT {select} FROM ({base}) {where} ORDER BY {order} LIMIT ? OFFSET ?",  # noqa: S608 - fixed pieces, bound values
                          [*filters.parameters, limit, offset]).fetchall()
    return int(total), rows


def articles_page(cursor: duckdb.DuckDBPyConnection, *, q: str | None, date_from: datetime.date | None,
                  date_to: datetime.date | None, limit: int, offset: int) -> Page[ArticleSummary]:
    filters = Filters()
    if q:
        filters.add("(title ILIKE ? ESCAPE '\\' OR text ILIKE ? ESCAPE '\\')", like_pattern(q), like_pattern(q))
    if date_from:
        filters.add("published_date >= ?", date_from)
    if date_to:
        filters.add("published_date <= ?", date_to)
    where = filters.where()
    total = (cursor.execute(f"SELECT count(*) FROM store.articles {where}",  # noqa: S608 - bound values
                            filters.parameters).fetchone() or (0,))[0]
    names = ("id", "title", "published", "source", "url", "outlet", "language")
    rows = cursor.execute(f"SELECT {', '.join(names)} FROM store.articles {where} "  # noqa: S608 - fixed columns, bound values
                          "ORDER BY published_date NULLS LAST, id LIMIT ? OFFSET ?",
                          [*filters.parameters, limit, offset]).fetchall()
    # Events and quotes are counted for the page's articles only, in one query apart: counting them for
    # every article before the LIMIT (or in one CTE with the page) costs several times more.
    ids = [row[0] for row in rows]
    counts = {(table, article): n for table, article, n in cursor.execute(
        "SELECT 'events', article_id, count(*) FROM store.events WHERE list_contains(?, article_id) GROUP BY ALL "
        "UNION ALL SELECT 'quotes', article_id, count(*) FROM store.quotes WHERE list_contains(?, article_id) "
        "GROUP BY ALL", [ids, ids]).fetchall()} if ids else {}
    items = [ArticleSummary(**dict(zip(names, row)), events=counts.get(("events", row[0]), 0),
                            quotes=counts.get(("quotes", row[0]), 0)) for row in rows]
    return Page(items=items, total=int(total), limit=limit, offset=offset)


@dataclass
class EventFilters:
    actor: str | None = None
    country: str | None = None
    dyad: tuple[str, str] | None = None
    code: str | None = None
    root: str | None = None
    quad_class: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    modality: str | None = None
    status: str | None = None
    q: str | None = None
    article_id: str | None = None


def events_page(cursor: duckdb.DuckDBPyConnection, wanted: EventFilters, limit: int, offset: int) -> Page[EventItem]:
    filters = Filters()
    if wanted.actor:
        filters.add("(list_contains(source_actor_ids, ?) OR list_contains(target_actor_ids, ?))", wanted.actor,
                    wanted.actor)
    if wanted.country:
        filters.add("(list_contains(source_countries, ?) OR list_contains(target_countries, ?))", wanted.country,
                    wanted.country)
    if wanted.dyad:
        a, b = wanted.dyad
        filters.add("((list_contains(sources, ?) AND list_contains(targets, ?)) OR "
                    "(list_contains(sources, ?) AND list_contains(targets, ?)))", a, b, b, a)
    for column, value in (("cameo", wanted.code), ("cameo_root", wanted.root), ("quad_class", wanted.quad_class),
                          ("modality", wanted.modality), ("status", wanted.status), ("article_id", wanted.article_id)):
        if value is not None:
            filters.add(f"{column} = ?", value)  # column names from this fixed list
    if wanted.date_from:
        filters.add("\"date\" >= ?", wanted.date_from)
    if wanted.date_to:
        filters.add("\"date\" <= ?", wanted.date_to)
    if wanted.q:
        filters.add("evidence_text ILIKE ? ESCAPE '\\'", like_pattern(wanted.q))
    base = """SELECT e.*, a.title AS article_title, a.published AS published,
                  list_concat(e.source_countries, e.source_actor_ids) AS sources,
                  list_concat(e.target_countries, e.target_actor_ids) AS targets
              FROM store.events e JOIN store.articles a ON a.id = e.article_id"""
    total, rows = _page(cursor, base, "article_id, article_title, published, record", filters,
                        "published NULLS LAST, article_id, seq", limit, offset)
    items = [EventItem(article_id=r[0], article_title=r[1], published=r[2], event=Event.model_validate_json(r[3]))
             for r in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


def quotes_page(cursor: duckdb.DuckDBPyConnection, *, speaker: str | None, country: str | None, kind: str | None,
                anonymous: bool | None, q: str | None, article_id: str | None, limit: int,
                offset: int) -> Page[QuoteItem]:
    filters = Filters()
    if speaker:
        filters.add("list_contains(speaker_actor_ids, ?)", speaker)
    if country:
        filters.add("list_contains(speaker_countries, ?)", country)
    if kind:
        filters.add("kind = ?", kind)
    if anonymous is not None:
        filters.add("anonymous = ?", anonymous)
    if q:
        filters.add("content_text ILIKE ? ESCAPE '\\'", like_pattern(q))
    if article_id:
        filters.add("article_id = ?", article_id)
    total, rows = _page(cursor, "SELECT * FROM store.quotes", "article_id, record", filters, "article_id, seq",
                        limit, offset)
    return Page(items=[QuoteItem(article_id=r[0], quote=Quote.model_validate_json(r[1])) for r in rows],
                total=total, limit=limit, offset=offset)


# One unnamed source and no named one: anonymous, and no source id outside the article-local 'anon:' ids.
SINGLE_ANONYMOUS = ("(anonymous AND len(source_actor_ids) <= 1 AND "
                    "len(list_filter(source_actor_ids, lambda x: NOT starts_with(x, 'anon:'))) = 0)")


def claims_page(cursor: duckdb.DuckDBPyConnection, *, status: str | None, anonymous: bool | None,
                single_anonymous: bool | None, country: str | None, q: str | None, article_id: str | None,
                limit: int, offset: int) -> Page[ClaimItem]:
    filters = Filters()
    if status:
        filters.add("status = ?", status)
    if anonymous is not None:
        filters.add("anonymous = ?", anonymous)
    if single_anonymous is not None:
        filters.add("single = ?", single_anonymous)
    if country:
        filters.add("list_contains(source_countries, ?)", country)
    if q:
        filters.add("\"text\" ILIKE ? ESCAPE '\\'", like_pattern(q))
    if article_id:
        filters.add("article_id = ?", article_id)
    base = f"SELECT *, {SINGLE_ANONYMOUS} AS single FROM store.claims"  # noqa: S608 - a fixed expression
    total, rows = _page(cursor, base, "article_id, single, record", filters, "article_id, seq", limit, offset)
    return Page(items=[ClaimItem(article_id=r[0], single_anonymous_source=bool(r[1]),
                                 claim=Claim.model_validate_json(r[2])) for r in rows],
                total=total, limit=limit, offset=offset)


# Speakers: one row per (quote, speaker actor). 'Talks about': actors mentioned inside the speaker's quotes.
# Anonymous actors ('anon:1') are ids local to one article, so they are not ranked across the store.
_ACTORS = """
WITH spoken AS (
    SELECT article_id, content_start, content_end, unnest(speaker_actor_ids) AS actor_id FROM store.quotes),
quoted AS (SELECT actor_id, count(*) AS quotes FROM spoken GROUP BY actor_id),
named AS (SELECT actor_id, any_value(name) AS name, any_value(kind) AS kind, any_value(country) AS country,
                 count(DISTINCT article_id) AS articles
          FROM store.actors WHERE kind <> 'anonymous' GROUP BY actor_id),
about AS (SELECT s.actor_id, m.actor_id AS about_id, count(*) AS n
          FROM spoken s JOIN store.mentions m ON m.article_id = s.article_id AND m.start >= s.content_start
               AND m."end" <= s.content_end AND m.actor_id IS NOT NULL AND m.actor_id <> s.actor_id
          GROUP BY ALL),
about_top AS (SELECT about.actor_id, list(struct_pack(actor_id := about_id, name := named.name, mentions := n)
                     ORDER BY n DESC, about_id)[1:?] AS talks_about
              FROM about LEFT JOIN named ON named.actor_id = about.about_id GROUP BY about.actor_id),
mentioned AS (SELECT actor_id, count(*) AS mentions FROM store.mentions WHERE actor_id IS NOT NULL GROUP BY actor_id)
SELECT named.*, coalesce(mentioned.mentions, 0) AS mentions, coalesce(quoted.quotes, 0) AS quotes,
       coalesce(about_top.talks_about, []) AS talks_about
FROM named LEFT JOIN quoted USING (actor_id) LEFT JOIN mentioned USING (actor_id) LEFT JOIN about_top USING (actor_id)
"""


def actors_page(cursor: duckdb.DuckDBPyConnection, *, country: str | None, kind: str | None, q: str | None,
                top_targets: int, limit: int, offset: int) -> Page[ActorStats]:
    """Actors, the most quoted first, each with whom their quotes talk about."""
    filters = Filters()
    if country:
        filters.add("country = ?", country)
    if kind:
        filters.add("kind = ?", kind)
    if q:
        filters.add("name ILIKE ? ESCAPE '\\'", like_pattern(q))
    filters.parameters.insert(0, top_targets)  # the slice bound inside _ACTORS comes before the filters
    names = ("actor_id", "name", "kind", "country", "articles", "mentions", "quotes", "talks_about")
    total, rows = _page(cursor, _ACTORS, ", ".join(names), filters, "quotes DESC, mentions DESC, actor_id",
                        limit, offset)
    items = []
    for row in rows:
        values = dict(zip(names, row))
        values["talks_about"] = [ActorRef(**ref) for ref in values["talks_about"]]
        items.append(ActorStats(**values))
    return Page(items=items, total=total, limit=limit, offset=offset)


def stories_page(cursor: duckdb.DuckDBPyConnection, *, limit: int, offset: int) -> Page[dict[str, Any]]:
    """Rows of the ``stories`` table as they are (its shape belongs to the stories module)."""
    total = int((cursor.execute("SELECT count(*) FROM store.stories").fetchone() or (0,))[0])
    result = cursor.execute("SELECT * FROM store.stories LIMIT ? OFFSET ?", [limit, offset])
    names = [column[0] for column in result.description]
    items = [{name: _plain(value) for name, value in zip(names, row)} for row in result.fetchall()]
    return Page(items=items, total=total, limit=limit, offset=offset)


def _plain(value: Any) -> Any:
    """A JSON-ready value: JSON columns arrive as text, dates as date objects."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
