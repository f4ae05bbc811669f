"""Stories in the store: cluster the stored events with :func:`~tidings.stories.cluster.cluster_mentions`
and write the ``stories`` and ``story_events`` tables. Entry point: :func:`build_stories`.

Events are compared only inside groups that could be compatible at all (CAMEO roots linked through shared
PLOVER categories), so a big store never needs one all-pairs matrix; a group larger than ``max_block`` is cut
into date-ordered chunks. Rebuilding replaces both tables.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from ..store.connection import connect
from ..store.errors import StoreError
from .cluster import EventMention, cluster_mentions
from .config import StoryConfig, load_config

STORY_DDL = (
    "CREATE OR REPLACE TABLE stories (story_id VARCHAR PRIMARY KEY, cameo_root VARCHAR, plover VARCHAR, "
    "dyad VARCHAR, first_seen DATE, last_seen DATE, n_events INTEGER, n_articles INTEGER, n_outlets INTEGER, "
    "status VARCHAR, evidence VARCHAR, evidence_article_id VARCHAR)",
    "CREATE OR REPLACE TABLE story_events (story_id VARCHAR NOT NULL, article_id VARCHAR NOT NULL, "
    "seq INTEGER NOT NULL, event_id VARCHAR, PRIMARY KEY (article_id, seq))",
)

EVENT_QUERY = (
    "SELECT e.article_id, e.seq, e.event_id, e.trigger_text, e.cameo, e.cameo_root, e.plover, "
    "e.source_countries, e.target_countries, e.source_actor_ids, e.target_actor_ids, e.date, e.place_name, "
    "e.evidence_text, e.status, e.confidence, a.outlet, a.published_date, a.title "
    "FROM events e JOIN articles a ON a.id = e.article_id ORDER BY e.article_id, e.seq")


@dataclass(frozen=True)
class StoredEvent:
    key: str                     # "<article_id>:<seq>"
    row: dict[str, Any]
    mention: EventMention

    @property
    def seen(self) -> datetime.date | None:
        return self.row["published_date"] or self.row["date"]


def _lemmas(texts: Sequence[str], nlp: Any) -> list[str]:
    if nlp is None:
        return [text.lower() for text in texts]
    return [" ".join(t.lemma_.lower() for t in doc) for doc in nlp.pipe(texts)]


def _stored_events(rows: list[dict[str, Any]], nlp: Any) -> list[StoredEvent]:
    lemmas = _lemmas([row["trigger_text"] or "" for row in rows], nlp)
    events = []
    for row, lemma in zip(rows, lemmas):
        source = row["source_countries"] or row["source_actor_ids"] or []
        target = row["target_countries"] or row["target_actor_ids"] or []
        key = f"{row['article_id']}:{row['seq']}"
        events.append(StoredEvent(key, row, EventMention(
            id=key, doc_id=row["article_id"], trigger_lemma=lemma, cameo=row["cameo"], cameo_root=row["cameo_root"],
            plover=row["plover"], source=frozenset(source), target=frozenset(target),
            date=row["date"] or row["published_date"], place=row["place_name"], evidence=row["evidence_text"] or "",
            context=" ".join(filter(None, [row["title"], row["evidence_text"]])), outlet=row["outlet"])))
    return events


def compatible_groups(events: Sequence[StoredEvent], max_block: int) -> list[list[StoredEvent]]:
    """Events whose CAMEO root or PLOVER category chain together, cut into chunks of at most max_block."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for event in events:
        keys = [f"root:{event.mention.cameo_root or '?'}"] + ([f"plover:{event.mention.plover}"] if event.mention.plover else [])
        for other in keys[1:]:
            parent[find(other)] = find(keys[0])
    groups: dict[str, list[StoredEvent]] = defaultdict(list)
    for event in events:
        groups[find(f"root:{event.mention.cameo_root or '?'}")].append(event)
    chunks = []
    for group in groups.values():
        group.sort(key=lambda e: (e.mention.date or datetime.date.min, e.key))
        chunks += [group[i:i + max(1, max_block)] for i in range(0, len(group), max(1, max_block))]
    return chunks


def _strongest(statuses: list[str | None], order: Sequence[str]) -> str | None:
    ranked = [order.index(s) for s in statuses if s in order]
    return order[min(ranked)] if ranked else None


def story_row(story_id: str, members: list[StoredEvent], config: StoryConfig) -> tuple:
    """The stories row: most common root/PLOVER/dyad, time span, counts, strongest status, best evidence."""
    def common(values: list[Any]) -> Any:
        values = [v for v in values if v]
        return Counter(values).most_common(1)[0][0] if values else None

    dyads = ["–".join(sorted(m.mention.dyad)) if m.mention.dyad else None for m in members]
    seen = [m.seen for m in members if m.seen]
    best = max(members, key=lambda m: (m.row["confidence"] or 0.0, -len(m.row["evidence_text"] or "")))
    return (story_id, common([m.mention.cameo_root for m in members]), common([m.mention.plover for m in members]),
            common(dyads), min(seen) if seen else None, max(seen) if seen else None, len(members),
            len({m.row["article_id"] for m in members}), len({m.row["outlet"] for m in members if m.row["outlet"]}),
            _strongest([m.row["status"] for m in members], config.status_order), best.row["evidence_text"],
            best.row["article_id"])


def build_stories(store_path: str | Path, *, config: StoryConfig | None = None, nlp: Any = None) -> int:
    """Cluster the store's events into stories and (re)write the stories tables; returns the story count.
    Raises StoreError when the store cannot be opened or written."""
    config = config or load_config()
    connection = connect(store_path)
    try:
        cursor = connection.execute(EVENT_QUERY)
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, values)) for values in cursor.fetchall()]
        events = _stored_events(rows, nlp)
        by_key = {event.key: event for event in events}
        stories: list[list[StoredEvent]] = []
        for group in compatible_groups(events, config.max_block):
            stories += [[by_key[key] for key in cluster] for cluster in cluster_mentions([e.mention for e in group], config)]
        stories.sort(key=lambda members: (-len({m.row['article_id'] for m in members}), -len(members), members[0].key))
        connection.begin()
        for statement in STORY_DDL:
            connection.execute(statement)
        story_rows, links = [], []
        for number, members in enumerate(stories, start=1):
            story_id = f"story-{number:05d}"
            story_rows.append(story_row(story_id, members, config))
            links += [(story_id, m.row["article_id"], m.row["seq"], m.row["event_id"]) for m in members]
        if story_rows:
            connection.executemany("INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", story_rows)
            connection.executemany("INSERT INTO story_events VALUES (?, ?, ?, ?)", links)
        connection.commit()
        return len(story_rows)
    except duckdb.Error as error:
        raise StoreError(f"cannot build stories in {store_path}: {str(error).splitlines()[0]}") from None
    finally:
        connection.close()


def biggest_stories(store_path: str | Path, limit: int = 20) -> list[dict[str, Any]]:
    """The stories reported by the most articles (read-only; empty when stories were never built)."""
    connection = connect(store_path, read_only=True)
    try:
        tables = {row[0] for row in connection.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "stories" not in tables:
            return []
        cursor = connection.execute("SELECT * FROM stories ORDER BY n_articles DESC, n_events DESC, story_id LIMIT ?",
                                    [limit])
        names = [column[0] for column in cursor.description]
        return [{name: (value.isoformat() if isinstance(value, datetime.date) else value)
                 for name, value in zip(names, row)} for row in cursor.fetchall()]
    except duckdb.Error as error:
        raise StoreError(f"cannot read stories from {store_path}: {str(error).splitlines()[0]}") from None
    finally:
        connection.close()


def as_json(stories: list[dict[str, Any]]) -> str:
    return json.dumps(stories, indent=2, ensure_ascii=False)
