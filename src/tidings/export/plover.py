"""PLOVER export: one JSON object per line per event, in the PLOVER event-record layout.

Fields follow the PLOVER gold-standard records (openeventdata/PLOVER): ``id``, ``date``, ``event`` (the
PLOVER category), ``mode``, ``context``, ``source`` and ``target`` (lists of ``{actorText, code, sector}``
with ``code`` the ISO alpha-3 country; a reciprocal event's parties are all sources and it has no target, as
in the PLOVER gold records), ``eventText``, ``text`` (the evidence sentence), ``country`` and
``location`` of the event, ``language`` and ``publication``. What PLOVER has no field for goes under
``tidings``: the CAMEO code, modality, attribution, claim status, offsets into the article's clean text,
the rule and confidence. Events without a PLOVER category (CAMEO root 01, plain statements) are left out;
by default so are events that are not asserted, as PLOVER consumers read every record as something that
happened (``--all-modalities`` keeps them, with their modality under ``tidings``).
"""

from __future__ import annotations

import json
from typing import IO, Any

import duckdb

from tidings.events.cameo import lookup, plover_sides
from tidings.export.actor_codes import CodedActor, coded_actor
from tidings.export.event_context import EventInContext, write_event_lines
from tidings.export.selection import Selection
from tidings.export.summary import ExportSummary, Written
from tidings.records import Span

REQUIRED_KEYS = ("id", "date", "event", "mode", "context", "source", "target", "eventText", "text", "country",
                 "location", "tidings")


def export_plover(connection: duckdb.DuckDBPyConnection, handle: IO[str], target: str,
                  selection: Selection, summary: ExportSummary) -> None:
    def line(item: EventInContext) -> str | None:
        record = plover_record(item)
        return json.dumps(record, ensure_ascii=False) if record is not None else None

    rows, skipped = write_event_lines(connection, selection, handle, line)
    summary.written.append(Written(target, "events", rows))
    if skipped:
        summary.notes.append(f"{skipped} events have no PLOVER category (CAMEO 01 statements) and were left out")
    if selection.asserted_only:
        summary.notes.append("only asserted events were written (use --all-modalities for the others)")


def plover_record(item: EventInContext) -> dict[str, Any] | None:
    event, article = item.event, item.article
    if not event.plover:
        return None
    try:
        code = lookup(event.cameo)
        mode, context = code.plover_mode or "", code.plover_context or ""
    except KeyError:
        mode, context = "", ""
    place = event.place
    sources, targets = plover_sides(event.source_actor_ids, event.target_actor_ids, event.reciprocal)
    return {
        "id": f"{article.id}:{event.id}",
        "date": item.day.isoformat() if item.day else None,
        "event": event.plover,
        "mode": mode,
        "context": context,
        "source": [_actor(item, coded_actor(item, actor_id)) for actor_id in sources],
        "target": [_actor(item, coded_actor(item, actor_id)) for actor_id in targets],
        "eventText": event.trigger.text,
        "text": event.evidence.text,
        "country": place.country if place else None,
        "location": {"name": place.name, "country": place.country, "lat": place.lat, "lon": place.lon}
        if place else None,
        "language": article.language,
        "publication": article.outlet or article.url or article.source,
        "tidings": {
            "article_id": article.id,
            "event_id": event.id,
            "cameo": event.cameo,
            "modality": event.modality,
            "attributed_to": event.attributed_to.model_dump() if event.attributed_to else None,
            "status": event.status,
            "offsets": {"evidence": _offsets(event.evidence), "trigger": _offsets(event.trigger)},
            "date_precision": event.date.precision,
            "rule": event.rule,
            "confidence": event.confidence,
        },
    }


def _actor(item: EventInContext, actor: CodedActor) -> dict[str, Any]:
    """PLOVER's actor: the words the evidence uses for it (else its name), its country and sector."""
    evidence = item.event.evidence
    text = next((mention.text for mention in item.article.mentions if mention.actor_id == actor.id
                 and evidence.start <= mention.start and mention.end <= evidence.end), actor.name)
    return {"actorText": text, "code": actor.country or actor.prefix or "",
            "sector": actor.known_group or (actor.types[0] if actor.types else "")}


def _offsets(span: Span) -> list[int]:
    return [span.start, span.end]
